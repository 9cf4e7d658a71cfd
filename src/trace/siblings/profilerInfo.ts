/**
 * `profiler_info_{rank}.json` / `profiler_info.json`: the settings of the
 * torch_npu profiler run (level, activities, shapes, stacks) and, from
 * torch_npu 2.7 on, the torch_npu and CANN versions.
 *
 * Pure module.
 */
import type { IAscendProfilerConfig } from '../model';
import { asBoolean, asObject, asText, parseJsonObject } from './json';

/**
 * Read a profiler_info file.
 *
 * Older torch_npu writes `rank_id` as a number and `_export_type` as a string;
 * newer writes `"rank_id": "0"` and `["text"]`. Both come out the same.
 *
 * @param text The file's text.
 * @returns The settings, or null when the text is not a profiler_info file
 *   (no `config` object with `common_config` or `experimental_config`).
 */
export function parseProfilerInfo(text: string): IAscendProfilerConfig | null {
  const top = parseJsonObject(text);
  const config = asObject(top?.config);
  const common = asObject(config?.common_config);
  const experimental = asObject(config?.experimental_config);
  if (!top || (!common && !experimental)) {
    return null;
  }
  const activities = Array.isArray(common?.activities)
    ? common.activities.filter((a): a is string => typeof a === 'string')
    : [];
  const exportRaw = experimental?._export_type;
  const exportType = (Array.isArray(exportRaw) ? exportRaw : [exportRaw]).filter(
    (t): t is string => typeof t === 'string' && t !== ''
  );
  const result: IAscendProfilerConfig = { activities, exportType };
  const optional: Partial<IAscendProfilerConfig> = {
    level: asText(experimental?._profiler_level),
    recordShapes: asBoolean(common?.record_shapes),
    withStack: asBoolean(common?.with_stack),
    profileMemory: asBoolean(common?.profile_memory),
    aicMetrics: asText(experimental?._aic_metrics),
    rankId: asText(top.rank_id),
    torchNpuVersion: asText(top.torch_npu_version),
    cannVersion: asText(top.cann_version)
  };
  // Only keys with a value, so the persisted summary and the CLI JSON stay small.
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (result as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return result;
}
