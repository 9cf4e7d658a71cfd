/**
 * deviceIdle: when the device sat idle inside the profiled window, and why.
 *
 * The window is the profiler steps when the trace has any (first step start
 * to last step end), else the first to the last device activity. Inside it,
 * every gap of the device busy union (all streams and communication lanes,
 * see deviceBusy.ts) gets exactly one cause, so the causes always add up to
 * the idle total (the HTA idle-time breakdown does the same per stream:
 * docs/style-examples.md §4, docs/tuning-rules.md §5.2):
 *
 * - `sync`: a host blocking call (synchronize, `.item()`) overlaps the gap:
 *   the host drained the queue on purpose and only queued more afterwards.
 * - `dispatch` ("no work queued yet"): the host call that launched the device
 *   slice ending the gap started inside the gap or later, or nothing was
 *   launched until the window closed: the host was too slow to keep the
 *   device fed.
 * - `kernelGap`: work was queued before the gap and the gap is at most
 *   {@link MAX_KERNEL_GAP_US}: the device's own switch between back-to-back
 *   tasks.
 * - `other`: work was queued yet the device waited longer (an event or a
 *   cross-stream dependency), or the next slice has no link to its launch.
 *
 *   host   |launch k1|.....python.....|launch k2|   |sync......|launch k3|
 *   device    |==k1==|                   |==k2==|   |=k2'=|          |==k3==|
 *   idle          ^---- dispatch ----^               ^sync ......^
 *
 * Also collects what the host-side rules need next to the breakdown: kernel
 * counts (how many are short) and per-op dispatch cost (launch calls, task
 * queue Enqueue/Dequeue).
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import { DEQUEUE_PREFIX, ENQUEUE_PREFIX } from '../trace/workKind';
import type { IDeviceBusy, IIntervals } from './deviceBusy';
import { oncePerTrace } from './oncePerTrace';
import type { IHighlight } from './finding';
import {
  busyOverlapUs,
  DEVICE_LANE_KINDS,
  deviceBusy,
  mergeSortedIntervals
} from './deviceBusy';

/**
 * Longest gap between two queued device tasks that still counts as
 * back-to-back (µs). Source: our choice. HTA's `consecutive_kernel_delay` is
 * 30 ns on GPUs, but Ascend streams show gaps of a few µs between tasks that
 * were all queued long before (Level1 sample), so a tighter bound would call
 * the hardware's own task switch "waiting".
 */
export const MAX_KERNEL_GAP_US = 5;

/**
 * A kernel shorter than this is "short" (µs). Source: the cost of launching
 * one: cudaLaunchKernel takes ~5–40 µs and an Ascend `Dequeue@<op>` has a
 * median of 17–20 µs in the public samples (docs/trace-formats.md §1c), so a
 * kernel under 10 µs ends before the host can launch the next one.
 */
export const SHORT_KERNEL_US = 10;

/** Why one idle gap happened. */
export type IdleCause = 'dispatch' | 'sync' | 'kernelGap' | 'other';

/** One maximal idle interval of the device inside the window. */
export interface IIdleGap {
  /** Start, µs. */
  start: Us;
  /** End, µs. */
  end: Us;
  /** Its cause (see the module doc). */
  cause: IdleCause;
  /** Device slice that ends the gap, or -1 when nothing ran after it. */
  next: SliceIndex;
}

/** Count, median and mean duration of one kind of host dispatch call. */
export interface ICallStats {
  /** Number of calls. */
  calls: number;
  /** Median duration, µs (0 without calls). */
  medianUs: Us;
  /** Mean duration, µs (0 without calls). */
  meanUs: Us;
}

/** The idle breakdown of a trace's device inside its profiled window. */
export interface IDeviceIdle {
  /** Window start, µs. */
  windowStart: Us;
  /** Window end, µs. */
  windowEnd: Us;
  /** Where the window comes from: the profiler steps, or the device activity. */
  windowSource: 'steps' | 'device';
  /** Number of profiler steps in the window (0 when `windowSource` is `device`). */
  steps: number;
  /** Device busy time inside the window, µs. */
  busyUs: Us;
  /** Device idle time inside the window, µs: `windowEnd - windowStart - busyUs`. */
  idleUs: Us;
  /** Idle by cause, µs; the four add up to `idleUs`. */
  byCause: Record<IdleCause, Us>;
  /** The gaps, in time order. */
  gaps: IIdleGap[];
  /** Device kernels starting inside the window. */
  kernels: number;
  /** Of those, the ones shorter than {@link SHORT_KERNEL_US}. */
  shortKernels: number;
  /** Launch calls (cudaLaunchKernel, Node@launch), outermost per lane, inside the window. */
  launch: ICallStats;
  /** Task-queue producer calls (Ascend `Enqueue`) inside the window. */
  enqueue: ICallStats;
  /** Task-queue consumer calls (Ascend `Dequeue@<op>`: one op's dispatch) inside the window. */
  dequeue: ICallStats;
}

const SYNC = WORK_KINDS.indexOf('sync');
const LAUNCH = WORK_KINDS.indexOf('launch');
const QUEUE = WORK_KINDS.indexOf('queue');
const KERNEL = WORK_KINDS.indexOf('kernel');

/** Median of a list of numbers (sorts a copy); 0 for an empty list. */
export function median(values: number[]): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[mid]
    : (sorted[mid - 1] + sorted[mid]) / 2;
}

function stats(durations: number[]): ICallStats {
  const total = durations.reduce((sum, d) => sum + d, 0);
  return {
    calls: durations.length,
    medianUs: median(durations),
    meanUs: durations.length > 0 ? total / durations.length : 0
  };
}

/**
 * When each device slice was queued: the start of the earliest host or
 * dispatch call linked to it (Infinity when none is). On Ascend that is the
 * framework op (Level0) or the CANN `Node@launch` (Level1+).
 */
export function queuedAt(model: ITraceModel): Float64Array {
  const { slices, lanes, links } = model;
  const hostish = lanes.map(l => l.kind === 'host' || l.kind === 'dispatch');
  const onDevice = lanes.map(l => DEVICE_LANE_KINDS.includes(l.kind));
  const out = new Float64Array(slices.count).fill(Infinity);
  for (let k = 0; k < links.count; k++) {
    const from = links.from[k];
    const to = links.to[k];
    if (hostish[slices.lane[from]] && onDevice[slices.lane[to]]) {
      out[to] = Math.min(out[to], slices.start[from]);
    }
  }
  return out;
}

/** The profiled window: the steps when present, else the device activity. */
function windowOf(
  model: ITraceModel,
  busy: IDeviceBusy
): Pick<IDeviceIdle, 'windowStart' | 'windowEnd' | 'windowSource' | 'steps'> {
  if (model.steps.length > 0) {
    let a = Infinity;
    let b = -Infinity;
    for (const s of model.steps) {
      a = Math.min(a, s.start);
      b = Math.max(b, s.start + s.dur);
    }
    return {
      windowStart: a,
      windowEnd: b,
      windowSource: 'steps',
      steps: model.steps.length
    };
  }
  const u = busy.union;
  return {
    windowStart: u.start[0],
    windowEnd: u.end[u.end.length - 1],
    windowSource: 'device',
    steps: 0
  };
}

/** Union of the host blocking calls (sync kind on host or dispatch lanes). */
function hostSyncs(model: ITraceModel): IIntervals {
  const { slices, lanes } = model;
  const hostish = lanes.map(l => l.kind === 'host' || l.kind === 'dispatch');
  const order: number[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (slices.work[i] === SYNC && hostish[slices.lane[i]]) {
      order.push(i);
    }
  }
  order.sort((a, b) => slices.start[a] - slices.start[b]);
  const end = new Float64Array(slices.count);
  for (const i of order) {
    end[i] = slices.start[i] + slices.dur[i];
  }
  return mergeSortedIntervals(order, slices.start, end);
}

/** First k with `busy.sliceStart[k] >= t`. */
function firstStartingAtOrAfter(busy: IDeviceBusy, t: Us): number {
  let lo = 0;
  let hi = busy.sliceStart.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (busy.sliceStart[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Durations of the outermost calls of one work kind per host/dispatch lane
 * starting inside [a, b] (nested Level2 `Runtime@KernelLaunch` inside
 * `Node@launch` count once), optionally filtered by name.
 */
function outermostCalls(
  model: ITraceModel,
  work: number,
  a: Us,
  b: Us,
  nameTest?: (name: string) => boolean
): number[] {
  const { slices, lanes, names } = model;
  const out: number[] = [];
  let lane = -1;
  let openEnd = -Infinity;
  for (let i = 0; i < slices.count; i++) {
    if (slices.lane[i] !== lane) {
      lane = slices.lane[i];
      openEnd = -Infinity;
    }
    const kind = lanes[lane].kind;
    if (slices.work[i] !== work || (kind !== 'host' && kind !== 'dispatch')) {
      continue;
    }
    const start = slices.start[i];
    if (start < a || start > b || start < openEnd) {
      continue;
    }
    if (nameTest && !nameTest(names[slices.name[i]])) {
      continue;
    }
    openEnd = start + slices.dur[i];
    out.push(slices.dur[i]);
  }
  return out;
}

/**
 * The device's idle breakdown inside the profiled window, computed once per
 * trace ({@link oncePerTrace}): the time breakdown and three rules read it.
 *
 * @param model The trace.
 * @returns null when the trace has no device activity at all (CPU-only run,
 *   or device lanes without work), since then there is nothing to break down.
 *   Shared: do not change it.
 */
export const deviceIdle: (model: ITraceModel) => IDeviceIdle | null = oncePerTrace(model => {
  const busy = deviceBusy(model);
  if (!busy.hasDevice || busy.union.start.length === 0) {
    return null;
  }
  const window = windowOf(model, busy);
  const { windowStart, windowEnd } = window;
  const { slices } = model;
  const queued = queuedAt(model);
  const syncs = hostSyncs(model);
  const u = busy.union;

  // Gaps: the complement of the busy union, clipped to the window.
  const gaps: IIdleGap[] = [];
  let cursor = windowStart;
  const pushGap = (a: Us, b: Us): void => {
    if (b > a) {
      gaps.push({ start: a, end: b, cause: 'other', next: -1 });
    }
  };
  for (let k = 0; k < u.start.length && cursor < windowEnd; k++) {
    if (u.end[k] <= cursor) {
      continue;
    }
    pushGap(cursor, Math.min(u.start[k], windowEnd));
    cursor = Math.max(cursor, u.end[k]);
  }
  pushGap(cursor, windowEnd);

  const byCause: Record<IdleCause, Us> = {
    dispatch: 0,
    sync: 0,
    kernelGap: 0,
    other: 0
  };
  for (const gap of gaps) {
    // Device slices that end the gap: the ones starting first at or after its end.
    const k0 = firstStartingAtOrAfter(busy, gap.end);
    let earliestQueue = Infinity;
    let linked = false;
    if (k0 < busy.slices.length) {
      const firstStart = busy.sliceStart[k0];
      gap.next = busy.slices[k0];
      for (
        let k = k0;
        k < busy.slices.length && busy.sliceStart[k] === firstStart;
        k++
      ) {
        const q = queued[busy.slices[k]];
        if (q !== Infinity) {
          linked = true;
          if (q < earliestQueue) {
            earliestQueue = q;
            gap.next = busy.slices[k];
          }
        }
      }
    }
    if (busyOverlapUs(syncs, gap.start, gap.end) > 0) {
      gap.cause = 'sync';
    } else if (gap.next < 0 || (linked && earliestQueue >= gap.start)) {
      // Nothing more ran, or its launch had not begun when the device went idle.
      gap.cause = 'dispatch';
    } else if (linked && gap.end - gap.start <= MAX_KERNEL_GAP_US) {
      gap.cause = 'kernelGap';
    } else {
      gap.cause = 'other';
    }
    byCause[gap.cause] += gap.end - gap.start;
  }

  const windowUs = windowEnd - windowStart;
  const idleUs = gaps.reduce((sum, g) => sum + (g.end - g.start), 0);

  // Kernels and dispatch calls inside the window.
  let kernels = 0;
  let shortKernels = 0;
  for (let k = 0; k < busy.slices.length; k++) {
    const i = busy.slices[k];
    const start = slices.start[i];
    if (slices.work[i] !== KERNEL || start < windowStart || start > windowEnd) {
      continue;
    }
    kernels++;
    if (slices.dur[i] < SHORT_KERNEL_US) {
      shortKernels++;
    }
  }
  return {
    ...window,
    busyUs: windowUs - idleUs,
    idleUs,
    byCause,
    gaps,
    kernels,
    shortKernels,
    launch: stats(outermostCalls(model, LAUNCH, windowStart, windowEnd)),
    enqueue: stats(
      outermostCalls(model, QUEUE, windowStart, windowEnd, n =>
        n.startsWith(ENQUEUE_PREFIX)
      )
    ),
    dequeue: stats(
      outermostCalls(model, QUEUE, windowStart, windowEnd, n =>
        n.startsWith(DEQUEUE_PREFIX)
      )
    )
  };
});

/**
 * The longest idle gaps as timeline highlights, named after the device work
 * that ended each gap (what the device was waiting to receive).
 *
 * @param max Most highlights returned.
 */
export function gapHighlights(
  model: ITraceModel,
  gaps: readonly IIdleGap[],
  max: number
): IHighlight[] {
  return [...gaps]
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, max)
    .map(g => ({
      start: g.start,
      end: g.end,
      lane: '',
      name: g.next >= 0 ? model.names[model.slices.name[g.next]] : ''
    }));
}
