/**
 * hostBound: device idle time inside the profiled window, split by cause,
 * with how much of it is the host not queuing work fast enough.
 *
 * Measures: the idle breakdown of deviceIdle.ts (`dispatch` = no work queued
 * yet, `sync` = drained by a host blocking call, `kernelGap` = back-to-back
 * task switches, `other`), the share of short kernels and the per-op dispatch
 * cost (launch calls; Ascend task-queue Enqueue / Dequeue).
 * Why: a small model on a fast device spends its time waiting for Python and
 * the runtime to launch the next operator; no existing tool turns "Free share
 * high + short kernels + long dispatch gaps" into the remedy ladder
 * (docs/tuning-rules.md §6 #7, §3.1 op-schedule rule).
 *
 *   host   |op|launch|....op....|launch|....op....|launch|
 *   device        |k1|             |k2|             |k3|
 *   idle             ^-dispatch--^    ^-dispatch--^
 *
 * Severity and `savingUs` use the `dispatch` part only: syncs have their own
 * rule (sync-wait), and no dispatch setting removes the other parts.
 *
 * Pure module.
 */
import type { ITraceModel } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { deviceIdle, gapHighlights } from '../deviceIdle';

/**
 * Dispatch idle below which the check passes (µs). Source: our choice, the
 * same floor as sync-wait: a millisecond in a whole cell is not what makes it
 * feel slow.
 */
export const MIN_DISPATCH_IDLE_US = 1_000;

/**
 * Share of the window the device idles for lack of queued work from which
 * the finding is `high`. Source: msprof-analyze op-schedule advice (free
 * ratio ≥ 20 % is reported; docs/tuning-rules.md §3.1).
 */
export const HIGH_DISPATCH_SHARE = 0.2;

/**
 * …from which it is `medium`, below it `ok`. Source: msprof-analyze advisor
 * priority (≥ 5 % of step time; docs/tuning-rules.md §2.1).
 */
export const MEDIUM_DISPATCH_SHARE = 0.05;

/** Most highlights returned (longest dispatch gaps first). */
export const MAX_HIGHLIGHTS = 50;

/**
 * Remedies by backend, best first. Ascend: the start of the write-up's ladder
 * (binary operators, then task queue level 2; graph mode is the graph-mode
 * rule's). CUDA has no setting that shortens eager dispatch: its step is
 * CUDA Graphs, which the graph-mode rule suggests when kernels are short
 * enough for replay to pay off, so none here.
 */
const REMEDIES: Record<string, string[]> = {
  ascend: ['ascend-jit-compile-off', 'ascend-task-queue-2']
};

/**
 * The host-bound check.
 *
 * Variants:
 * - `not-applicable` (`ok`): no device activity in the trace (CPU-only run); facts {}.
 * - `ok`: dispatch idle below {@link MIN_DISPATCH_IDLE_US} or below
 *   {@link MEDIUM_DISPATCH_SHARE} of the window; same facts as below.
 * - `host-bound`: `medium` / `high` by dispatch share.
 *
 * Facts (both `ok` and `host-bound`): `windowSource` ('steps' | 'device'),
 * `steps`, `windowUs`, `busyUs`, `idleUs`, `idleShare`, `dispatchUs`,
 * `syncUs`, `kernelGapUs`, `otherUs` (the four add up to `idleUs`),
 * `dispatchShare` (dispatch / window), `dispatchGaps` (count), `kernels`,
 * `shortKernels`, `shortKernelShare`, `launchCalls`, `launchMedianUs`,
 * `launchMeanUs`, `enqueueCalls`, `enqueueMedianUs`, `dequeueCalls`,
 * `dequeueMedianUs`, `dequeueMeanUs`.
 *
 * `savingUs` is `dispatchUs`: an upper bound, reached only if dispatch took
 * no time at all.
 */
export function hostBound(model: ITraceModel): IFinding {
  const base = { id: 'host-bound', highlights: [], remedies: [] };
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
  const share = (us: number): number => (windowUs > 0 ? us / windowUs : 0);
  const dispatchUs = idle.byCause.dispatch;
  const dispatchGaps = idle.gaps.filter(g => g.cause === 'dispatch');
  const facts = {
    windowSource: idle.windowSource,
    steps: idle.steps,
    windowUs,
    busyUs: idle.busyUs,
    idleUs: idle.idleUs,
    idleShare: share(idle.idleUs),
    dispatchUs,
    syncUs: idle.byCause.sync,
    kernelGapUs: idle.byCause.kernelGap,
    otherUs: idle.byCause.other,
    dispatchShare: share(dispatchUs),
    dispatchGaps: dispatchGaps.length,
    kernels: idle.kernels,
    shortKernels: idle.shortKernels,
    shortKernelShare: idle.kernels > 0 ? idle.shortKernels / idle.kernels : 0,
    launchCalls: idle.launch.calls,
    launchMedianUs: idle.launch.medianUs,
    launchMeanUs: idle.launch.meanUs,
    enqueueCalls: idle.enqueue.calls,
    enqueueMedianUs: idle.enqueue.medianUs,
    dequeueCalls: idle.dequeue.calls,
    dequeueMedianUs: idle.dequeue.medianUs,
    dequeueMeanUs: idle.dequeue.meanUs
  };
  const dispatchShare = facts.dispatchShare;
  if (
    dispatchUs < MIN_DISPATCH_IDLE_US ||
    dispatchShare < MEDIUM_DISPATCH_SHARE
  ) {
    return { ...base, variant: 'ok', severity: 'ok', savingUs: 0, facts };
  }
  const severity: Severity =
    dispatchShare >= HIGH_DISPATCH_SHARE ? 'high' : 'medium';
  const highlights: IHighlight[] = gapHighlights(model, dispatchGaps, MAX_HIGHLIGHTS);
  return {
    ...base,
    variant: 'host-bound',
    severity,
    savingUs: dispatchUs,
    facts,
    highlights,
    remedies: [...(REMEDIES[model.backend] ?? [])]
  };
}
