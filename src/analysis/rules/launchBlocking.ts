/**
 * launchBlocking: every launch waits for its own kernel, the signature of
 * ASCEND_LAUNCH_BLOCKING=1 / CUDA_LAUNCH_BLOCKING=1.
 *
 * Measures: among the launch calls (outermost per lane: cudaLaunchKernel,
 * Node@launch), how many are directly followed on their lane by a blocking
 * call (msprof-analyze's Synchronize Stream rule: Node@launch then
 * aclrtSynchronizeStream), and how many outlast a long kernel they launched
 * (CUDA_LAUNCH_BLOCKING makes cudaLaunchKernel itself return only when its
 * kernel is done); plus the variables recorded beside the trace (torch_npu
 * writes ASCEND_LAUNCH_BLOCKING into profiler_metadata.json).
 * Why: the variable is a debugging aid. It drains the queue after every
 * operator, so host and device take turns instead of overlapping, and on
 * Ascend it also switches the task queue off (docs/tuning-rules.md §3.1,
 * §3.2, §4.4).
 *
 *   host   |launch|sync.....|launch|sync.....|     (Ascend)
 *   host   |launch.........|launch.........|       (CUDA: the launch blocks)
 *   device      |==kernel==|      |==kernel==|
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight } from '../finding';
import { DEVICE_LANE_KINDS, hasDeviceLanes } from '../deviceBusy';

/**
 * Share of launches followed by a sync (or blocking on their own kernel)
 * above which the pattern is reported, always as `high`. Source:
 * msprof-analyze advisor schedule/synchronize_stream, co-occurrence ratio
 * > 0.5 (docs/tuning-rules.md §3.1).
 */
export const BLOCKING_RATIO = 0.5;

/**
 * Fewest launch calls before a ratio means anything. Source: our choice; a
 * cell that launches a handful of kernels and syncs once is not a pattern.
 */
export const MIN_LAUNCHES = 10;

/**
 * A launch is checked for blocking on its own kernel only when that kernel
 * lasts at least this long (µs). Source: HTA `runtime_cutoff` (50 µs,
 * docs/tuning-rules.md §5.2), above a normal launch call's 5–40 µs: an
 * asynchronous launch can outlast a tiny kernel on an empty queue, but not a
 * kernel longer than any launch call.
 */
export const MIN_BLOCKING_KERNEL_US = 50;

/** Most highlights returned (longest blocked launches first). */
export const MAX_HIGHLIGHTS = 50;

/** Variables that make every launch blocking, by backend. */
const ENV_VARS: Record<string, string> = {
  ascend: 'ASCEND_LAUNCH_BLOCKING',
  cuda: 'CUDA_LAUNCH_BLOCKING'
};

/** Remedies by backend. `ascend-launch-blocking-off` belongs to the Ascend env remedies. */
const REMEDIES: Record<string, string[]> = {
  ascend: ['ascend-launch-blocking-off'],
  cuda: ['cuda-launch-blocking-off']
};

const LAUNCH = WORK_KINDS.indexOf('launch');
const SYNC = WORK_KINDS.indexOf('sync');

/** Host call kinds that can follow a launch on its lane. */
const CALL_KINDS = new Set(
  (['runtime', 'launch', 'sync', 'copy', 'queue', 'compile'] as const).map(w =>
    WORK_KINDS.indexOf(w)
  )
);

/** One launch call and what blocked after or inside it. */
interface ILaunch {
  slice: SliceIndex;
  /** Blocking call right after it on its lane, or -1. */
  sync: SliceIndex;
  /** Host time it waited for its own kernel (CUDA style), µs; 0 if not checked. */
  ownWaitUs: Us;
  /** Whether it launched a kernel of at least MIN_BLOCKING_KERNEL_US. */
  longKernel: boolean;
}

function launches(model: ITraceModel): ILaunch[] {
  const { slices, lanes, links } = model;
  const onDevice = lanes.map(l => DEVICE_LANE_KINDS.includes(l.kind));
  const launched = new Map<SliceIndex, SliceIndex[]>();
  for (let k = 0; k < links.count; k++) {
    if (onDevice[slices.lane[links.to[k]]]) {
      const list = launched.get(links.from[k]) ?? [];
      list.push(links.to[k]);
      launched.set(links.from[k], list);
    }
  }
  // Host calls per lane, in start order (the model sorts by lane, then start).
  const callsByLane = new Map<number, SliceIndex[]>();
  for (let i = 0; i < slices.count; i++) {
    const kind = lanes[slices.lane[i]].kind;
    if ((kind === 'host' || kind === 'dispatch') && CALL_KINDS.has(slices.work[i])) {
      const list = callsByLane.get(slices.lane[i]) ?? [];
      list.push(i);
      callsByLane.set(slices.lane[i], list);
    }
  }
  const out: ILaunch[] = [];
  for (const calls of callsByLane.values()) {
    let launchEnd = -Infinity;
    for (let k = 0; k < calls.length; k++) {
      const i = calls[k];
      const start = slices.start[i];
      const end = start + slices.dur[i];
      // Outermost launches only (Level2 Runtime@KernelLaunch inside Node@launch
      // counts once); a launch may sit inside an AscendCL@aclnn<Op> call.
      if (slices.work[i] !== LAUNCH || start < launchEnd) {
        continue;
      }
      launchEnd = end;
      // The call after it: the first starting once it returned (calls nested
      // in it start earlier; the op call enclosing it started before it).
      let sync = -1;
      for (let j = k + 1; j < calls.length; j++) {
        if (slices.start[calls[j]] >= end) {
          sync = slices.work[calls[j]] === SYNC ? calls[j] : -1;
          break;
        }
      }
      let ownWaitUs = 0;
      let longKernel = false;
      for (const d of launched.get(i) ?? []) {
        const dEnd = slices.start[d] + slices.dur[d];
        if (slices.dur[d] >= MIN_BLOCKING_KERNEL_US) {
          longKernel = true;
          if (dEnd <= end) {
            ownWaitUs += dEnd - Math.max(start, slices.start[d]);
          }
        }
      }
      out.push({ slice: i, sync, ownWaitUs, longKernel });
    }
  }
  return out;
}

/**
 * The launch-blocking check.
 *
 * Variants:
 * - `not-applicable` (`ok`): no device lanes, or no launch calls in the trace
 *   (Ascend Level0 records none) and no variable recorded; facts {}.
 * - `ok`: below the ratio, variable not set to 1. Facts as below.
 * - `blocking` (`high`): ratio above {@link BLOCKING_RATIO}, or the
 *   variable recorded as 1.
 *
 * Facts (`ok`, `blocking`): `launches`, `syncAfterLaunch`, `syncRatio`,
 * `longLaunches` (launches of a kernel ≥ {@link MIN_BLOCKING_KERNEL_US}),
 * `blockedLaunches` (of those, the ones that returned after their kernel),
 * `blockedRatio`, `blockedUs` (host time in the syncs after launches plus
 * the waits inside blocked launches), `envVar` (name for this backend),
 * `envValue` (as recorded, '' when not recorded).
 *
 * `savingUs` is `blockedUs`: an upper bound (the device work itself remains).
 */
export function launchBlocking(model: ITraceModel): IFinding {
  const base = { id: 'launch-blocking', highlights: [], remedies: [] };
  const envVar = ENV_VARS[model.backend] ?? '';
  const envValue = envVar ? (model.meta.env[envVar] ?? '') : '';
  const all = hasDeviceLanes(model) ? launches(model) : [];
  if (all.length === 0 && envValue === '') {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: {}
    };
  }
  const { slices, lanes, names } = model;
  const paired = all.filter(l => l.sync >= 0);
  const long = all.filter(l => l.longKernel);
  const blocked = long.filter(l => l.ownWaitUs > 0);
  const syncRatio = all.length > 0 ? paired.length / all.length : 0;
  const blockedRatio = long.length > 0 ? blocked.length / long.length : 0;
  const blockedUs =
    paired.reduce((sum, l) => sum + slices.dur[l.sync], 0) +
    blocked.reduce((sum, l) => sum + l.ownWaitUs, 0);
  const facts = {
    launches: all.length,
    syncAfterLaunch: paired.length,
    syncRatio,
    longLaunches: long.length,
    blockedLaunches: blocked.length,
    blockedRatio,
    blockedUs,
    envVar,
    envValue
  };
  const pattern =
    (all.length >= MIN_LAUNCHES && syncRatio > BLOCKING_RATIO) ||
    (long.length >= MIN_LAUNCHES && blockedRatio > BLOCKING_RATIO);
  if (!pattern && envValue.trim() !== '1') {
    return { ...base, variant: 'ok', severity: 'ok', savingUs: 0, facts };
  }
  const highlights: IHighlight[] = [
    ...paired.map(l => ({ call: l.slice, end: l.sync, wait: slices.dur[l.sync] })),
    ...blocked.map(l => ({ call: l.slice, end: l.slice, wait: l.ownWaitUs }))
  ]
    .sort((a, b) => b.wait - a.wait)
    .slice(0, MAX_HIGHLIGHTS)
    .map(h => ({
      start: slices.start[h.call],
      end: slices.start[h.end] + slices.dur[h.end],
      lane: lanes[slices.lane[h.call]].label,
      name: names[slices.name[h.call]]
    }));
  return {
    ...base,
    variant: 'blocking',
    severity: 'high',
    savingUs: blockedUs,
    facts,
    highlights,
    remedies: [...(REMEDIES[model.backend] ?? [])]
  };
}
