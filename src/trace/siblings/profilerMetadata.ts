/**
 * `profiler_metadata.json`: the environment variables torch_npu records
 * (`ENV_VARIABLES`) and, in distributed jobs, `distributed_args`.
 *
 * Pure module.
 */
import { asObject, parseJsonObject } from './json';

/** What profiler_metadata.json says about one device's run. */
export interface IProfilerMetadata {
  /** Set environment variables; torch_npu writes unset ones as "", which are left out. */
  env: Record<string, string>;
  /** Scalar entries of `distributed_args` (rank, world_size, parallel sizes), when recorded. */
  distributed?: Record<string, string | number | boolean>;
}

/**
 * Read a profiler_metadata file.
 *
 * @param text The file's text.
 * @returns The facts, or null when the text is not a profiler_metadata file
 *   (not a JSON object with an `ENV_VARIABLES` object).
 */
export function parseProfilerMetadata(text: string): IProfilerMetadata | null {
  const top = parseJsonObject(text);
  const vars = asObject(top?.ENV_VARIABLES);
  if (!top || !vars) {
    return null;
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    // "" is how torch_npu records an unset variable; null is treated alike.
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') {
      env[name] = String(value);
    }
  }
  const result: IProfilerMetadata = { env };
  const args = asObject(top.distributed_args);
  if (args) {
    const distributed: Record<string, string | number | boolean> = {};
    for (const [name, value] of Object.entries(args)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        distributed[name] = value;
      }
    }
    result.distributed = distributed;
  }
  return result;
}
