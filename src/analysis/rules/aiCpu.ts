/**
 * aiCpu: device tasks that ran on the AI CPU instead of the AI Core.
 *
 * Measures: device tasks whose name says AI CPU (`…AiCpu…`, `…AI_CPU…`, e.g.
 * `aclnnCast_CastAiCpu_Cast`), how many ran longer than
 * {@link MIN_TASK_US}, their total time and the operators they belong to.
 * Why: an operator falls back to the AI CPU when the AI Core has no kernel
 * for its dtype or shape (float64, int64 index math, `nonzero`, `index_put`…).
 * The AI CPU is far slower, and the stream waits for it
 * (docs/tuning-rules.md §3.3 AICPU Issues).
 *
 *   stream | MatMul |==aclnnCast_CastAiCpu_Cast==| MatMul |
 *                    ^ one cast on the AI CPU, longer than the matmuls
 *
 * The task type (`AI_CPU`) is an `args` field that the reader does not keep,
 * so the kernel name is used; it carries the same information for aclnn
 * kernels.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { DEVICE_LANE_KINDS, isDeviceWork } from '../deviceBusy';

/**
 * An AI CPU task counts from this duration (µs, exclusive). Source:
 * msprof-analyze advisor AICPU Issues and MindStudio Insight "AICPU
 * Operators" (> 20 µs), docs/tuning-rules.md §3.3.
 */
export const MIN_TASK_US = 20;

/**
 * Share of the run in AI CPU tasks from which the finding is `high`.
 * Source: msprof-analyze priority (≥ 5 % of step time), docs/tuning-rules.md §2.1.
 */
export const HIGH_AICPU_SHARE = 0.05;

/** …and `medium`. Source: msprof-analyze priority (≥ 3 %), docs/tuning-rules.md §2.1. */
export const MEDIUM_AICPU_SHARE = 0.03;

/** Most highlights returned (longest tasks first). */
export const MAX_HIGHLIGHTS = 50;

/** Most operators named in `topOps`. */
export const MAX_NAMED_OPS = 5;

/** Kernel names of AI CPU tasks. */
const AI_CPU = /AiCpu|AI_CPU/i;

/**
 * The operator an AI CPU task belongs to: the aclnn API before the first `_`
 * (`aclnnCast_CastAiCpu_Cast` → `aclnnCast`), else the whole name.
 */
export function aiCpuOperator(kernel: string): string {
  const cut = kernel.indexOf('_');
  return kernel.startsWith('aclnn') && cut > 0 ? kernel.slice(0, cut) : kernel;
}

/**
 * The kind of AI CPU kernel in a task name: the word before `AiCpu`
 * (`aclnnReduceSum_CastAiCpu_Cast` → `Cast`), or '' when the name has none.
 */
export function aiCpuKernelType(kernel: string): string {
  const match = /([A-Za-z0-9]+?)(?:AiCpu|AI_CPU)/.exec(kernel);
  return match ? match[1].replace(/_$/, '') : '';
}

/**
 * The AI CPU check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend` or `no-device`.
 * - `none` (`ok`): no AI CPU task above {@link MIN_TASK_US}. Facts `tasks`
 *   (all AI CPU tasks), `totalUs` (their time).
 * - `ai-cpu`: facts `tasks` (AI CPU tasks above {@link MIN_TASK_US}),
 *   `totalUs` (their time), `allTasks` (all AI CPU tasks), `ops` (distinct
 *   operators), `topOp` (operator with the most time), `topOpUs`,
 *   `topOpTasks`, `topKernel` (its longest kernel name), `topType` (the
 *   kernel kind on the AI CPU, e.g. `Cast`, '' if unknown), `topOps` (up to
 *   {@link MAX_NAMED_OPS} operators, most time first, comma-separated),
 *   `maxTaskUs`, `spanShare`, `threshold` ({@link MIN_TASK_US}). Severity by
 *   `spanShare`; `low` below {@link MEDIUM_AICPU_SHARE}.
 *
 * Remedies: none; the fix is a code change (another dtype or operator).
 * `savingUs` is `totalUs`: the upper bound reached if the work moved to the
 * AI Core took no time.
 */
export function aiCpu(model: ITraceModel): IFinding {
  const base = {
    id: 'ai-cpu',
    highlights: [] as IHighlight[],
    remedies: [] as string[]
  };
  const hasDevice = model.lanes.some(l => DEVICE_LANE_KINDS.includes(l.kind));
  if (model.backend !== 'ascend' || !hasDevice) {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: { reason: model.backend !== 'ascend' ? 'not-ascend' : 'no-device' }
    };
  }
  const { slices, lanes, names } = model;
  const onDevice = lanes.map(l => l.kind === 'device');
  const all: SliceIndex[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (
      onDevice[slices.lane[i]] &&
      isDeviceWork(slices.work[i]) &&
      AI_CPU.test(names[slices.name[i]])
    ) {
      all.push(i);
    }
  }
  const long = all.filter(i => slices.dur[i] > MIN_TASK_US);
  if (long.length === 0) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: {
        tasks: all.length,
        totalUs: all.reduce((sum, i) => sum + slices.dur[i], 0)
      }
    };
  }

  const byOp = new Map<string, { us: number; tasks: number; kernel: string; kernelUs: number }>();
  let totalUs = 0;
  let maxTaskUs = 0;
  for (const i of long) {
    const kernel = names[slices.name[i]];
    const op = aiCpuOperator(kernel);
    const us = slices.dur[i];
    totalUs += us;
    maxTaskUs = Math.max(maxTaskUs, us);
    const entry = byOp.get(op) ?? { us: 0, tasks: 0, kernel, kernelUs: 0 };
    entry.us += us;
    entry.tasks++;
    if (us > entry.kernelUs) {
      entry.kernel = kernel;
      entry.kernelUs = us;
    }
    byOp.set(op, entry);
  }
  const ranked = [...byOp].sort((a, b) => b[1].us - a[1].us);
  const [topOp, top] = ranked[0];
  const spanShare = model.spanUs > 0 ? Math.min(1, totalUs / model.spanUs) : 0;
  const severity: Severity =
    spanShare >= HIGH_AICPU_SHARE
      ? 'high'
      : spanShare >= MEDIUM_AICPU_SHARE
        ? 'medium'
        : 'low';
  return {
    ...base,
    variant: 'ai-cpu',
    severity,
    savingUs: totalUs,
    facts: {
      tasks: long.length,
      totalUs,
      allTasks: all.length,
      ops: ranked.length,
      topOp,
      topOpUs: top.us,
      topOpTasks: top.tasks,
      topKernel: top.kernel,
      topType: aiCpuKernelType(top.kernel),
      topOps: ranked
        .slice(0, MAX_NAMED_OPS)
        .map(([op]) => op)
        .join(', '),
      maxTaskUs,
      spanShare,
      threshold: MIN_TASK_US
    },
    highlights: [...long]
      .sort((a, b) => slices.dur[b] - slices.dur[a])
      .slice(0, MAX_HIGHLIGHTS)
      .map(i => ({
        start: slices.start[i],
        end: slices.start[i] + slices.dur[i],
        lane: lanes[slices.lane[i]].label,
        name: names[slices.name[i]]
      }))
  };
}
