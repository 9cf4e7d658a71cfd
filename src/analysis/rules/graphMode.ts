/**
 * graphMode: a launch-bound model that would gain from replaying captured
 * device work (CUDA Graphs via `torch.compile(mode="reduce-overhead")`;
 * TorchAir aclgraph / `npugraph_ex` on Ascend).
 *
 * Measures: the share of short kernels and the device idle caused by
 * per-op dispatch, counting only dispatch gaps up to
 * {@link MAX_LAUNCH_GAP_US} (deviceIdle.ts).
 * Why: replay launches a whole captured sequence with one call, removing the
 * per-op host cost between kernels; it is the last rung of the host-bound
 * ladder (docs/tuning-rules.md §6 #7, §4.5). It does not remove long host
 * pauses (data loading, Python logic between iterations), which is why longer
 * gaps are left out of the estimate.
 *
 *   eager  host   |l|l|l|l|l|l|l|l|
 *          device  |k| |k| |k| |k|     (idle between short kernels)
 *   replay host   |replay|
 *          device  |k|k|k|k|
 *
 * Pure module.
 */
import type { ITraceModel } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { deviceIdle, gapHighlights } from '../deviceIdle';

/**
 * Longest dispatch gap counted as per-op launch overhead (µs). Source: our
 * choice: about 25 launch calls at cudaLaunchKernel's 5–40 µs (or Ascend
 * Dequeue's 17–20 µs median, docs/trace-formats.md §1c); longer gaps are host
 * work other than dispatch, which replay does not remove.
 */
export const MAX_LAUNCH_GAP_US = 1_000;

/**
 * Share of kernels shorter than SHORT_KERNEL_US (deviceIdle.ts) from which the
 * kernels are "mostly short". Source: our choice (a majority).
 */
export const MIN_SHORT_KERNEL_SHARE = 0.5;

/**
 * Share of the window lost to launch gaps from which graph mode is suggested.
 * Source: msprof-analyze op-schedule advice (free ratio ≥ 20 % is reported;
 * docs/tuning-rules.md §3.1).
 */
export const MIN_LAUNCH_GAP_SHARE = 0.2;

/** …from which the finding is `high` rather than `medium`. Source: our choice (twice the above). */
export const HIGH_LAUNCH_GAP_SHARE = 0.4;

/**
 * Fewest kernels in the window for a graph to pay off. Source: our choice;
 * capture costs a warm-up run and a compile, worth it only when many launches
 * are replayed.
 */
export const MIN_KERNELS = 50;

/** Most highlights returned (longest launch gaps first). */
export const MAX_HIGHLIGHTS = 50;

/**
 * aclgraph prerequisites (docs/tuning-rules.md §4.5: InfoQ "aclgraph"
 * series; TorchAir docs list Atlas A2 / A3 and 950PR/DT). Release names of the
 * Ascend Extension for PyTorch, not pip versions.
 */
export const ACLGRAPH_REQUIRES = {
  torchNpu: '7.0.0',
  cann: '8.1.RC1',
  products: 'Atlas A2, Atlas A3'
} as const;

const REMEDIES: Record<string, string[]> = {
  ascend: ['ascend-graph-mode'],
  cuda: ['cuda-graphs-compile']
};

/**
 * The graph-mode check.
 *
 * Variants:
 * - `not-applicable` (`ok`): no device activity (CPU-only run); facts {}.
 * - `ok`: not launch-bound (too few kernels, kernels mostly long, or little
 *   launch-gap idle).
 * - `candidate`: `medium`, or `high` from {@link HIGH_LAUNCH_GAP_SHARE}.
 *
 * Facts (`ok` and `candidate`): `kernels`, `shortKernels`,
 * `shortKernelShare`, `launchGapUs` (dispatch idle in gaps up to
 * {@link MAX_LAUNCH_GAP_US}), `launchGaps`, `launchGapShare` (of the window),
 * `windowUs`, `windowSource`, `launchMedianUs`, `dequeueMedianUs`.
 * On Ascend also `requiresTorchNpu`, `requiresCann`, `products`, and what the
 * trace recorded: `torchNpuVersion`, `cannVersion`, `device` ('' when unknown).
 *
 * `savingUs` is `launchGapUs`: an upper bound (replay still leaves the
 * kernels' own back-to-back gaps).
 */
export function graphMode(model: ITraceModel): IFinding {
  const base = { id: 'graph-mode', highlights: [], remedies: [] };
  const idle = deviceIdle(model);
  if (!idle) {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: {}
    };
  }
  const windowUs = idle.windowEnd - idle.windowStart;
  const gaps = idle.gaps.filter(
    g => g.cause === 'dispatch' && g.end - g.start <= MAX_LAUNCH_GAP_US
  );
  const launchGapUs = gaps.reduce((sum, g) => sum + (g.end - g.start), 0);
  const shortKernelShare =
    idle.kernels > 0 ? idle.shortKernels / idle.kernels : 0;
  const launchGapShare = windowUs > 0 ? launchGapUs / windowUs : 0;
  const facts: Record<string, number | string> = {
    kernels: idle.kernels,
    shortKernels: idle.shortKernels,
    shortKernelShare,
    launchGapUs,
    launchGaps: gaps.length,
    launchGapShare,
    windowUs,
    windowSource: idle.windowSource,
    launchMedianUs: idle.launch.medianUs,
    dequeueMedianUs: idle.dequeue.medianUs
  };
  if (model.backend === 'ascend') {
    const v = model.meta.versions;
    Object.assign(facts, {
      requiresTorchNpu: ACLGRAPH_REQUIRES.torchNpu,
      requiresCann: ACLGRAPH_REQUIRES.cann,
      products: ACLGRAPH_REQUIRES.products,
      torchNpuVersion: v.torch_npu ?? '',
      cannVersion: v.cann ?? '',
      device: model.meta.device
    });
  }
  if (
    idle.kernels < MIN_KERNELS ||
    shortKernelShare < MIN_SHORT_KERNEL_SHARE ||
    launchGapShare < MIN_LAUNCH_GAP_SHARE
  ) {
    return { ...base, variant: 'ok', severity: 'ok', savingUs: 0, facts };
  }
  const severity: Severity =
    launchGapShare >= HIGH_LAUNCH_GAP_SHARE ? 'high' : 'medium';
  const highlights: IHighlight[] = gapHighlights(model, gaps, MAX_HIGHLIGHTS);
  return {
    ...base,
    variant: 'candidate',
    severity,
    savingUs: launchGapUs,
    facts,
    highlights,
    remedies: [...(REMEDIES[model.backend] ?? [])]
  };
}
