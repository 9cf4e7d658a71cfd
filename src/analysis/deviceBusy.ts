/**
 * deviceBusy: when was the device doing anything at all?
 *
 * The union of the busy intervals of every device stream and communication
 * lane, as sorted disjoint intervals, plus the device slices sorted by start,
 * so rules can ask two questions cheaply:
 *
 * - how long was the device busy during [a, b]? ({@link busyOverlapUs},
 *   O(log n) through prefix sums);
 * - which device slices ran during [a, b]? ({@link deviceSlicesOverlapping},
 *   bisection, then a scan of the answer).
 *
 *   stream 2 |==k1==|   |===k2===|
 *   stream 4     |==hcom==|          |=k3=|
 *   union    |============|======|   |====|   (merged: [k1 … k2], [k3])
 *
 * Building it is linear after sorting: each lane's slices are already in
 * start order, so the lanes are merged as sorted runs.
 *
 * Which slices count as device work: every slice on a `device` or
 * `communication` lane, at any depth (communication lanes stack overlapping
 * slices that do not nest, so depth 0 alone would miss time), except
 * annotations (`op`, `python`, `step`: Kineto's gpu_user_annotation spans
 * the gaps between its kernels) and `sync` slices (Kineto's cuda_sync events
 * mirror the host's wait; they are not work the device does).
 *
 * Pure module.
 */
import type {
  ITraceModel,
  LaneKind,
  SliceIndex,
  Us,
  WorkKind
} from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import { oncePerTrace } from './oncePerTrace';

/** Sorted disjoint intervals with prefix sums of their lengths. */
export interface IIntervals {
  /** Starts, ascending, µs. */
  start: Float64Array;
  /** Ends, µs; `end[i] <= start[i + 1]`. */
  end: Float64Array;
  /** Busy time in the intervals before interval i, µs. */
  before: Float64Array;
  /** Total length of the intervals, µs. */
  totalUs: Us;
}

/** The busy union of the device plus its slices, sorted by start. */
export interface IDeviceBusy {
  /** Whether the trace has any device or communication lane. */
  hasDevice: boolean;
  /** Union of the busy time of all device work. */
  union: IIntervals;
  /** Device-work slices, sorted by start. */
  slices: Int32Array;
  /** Start of `slices[k]`, µs (ascending). */
  sliceStart: Float64Array;
  /** Largest end among `slices[0..k]`, µs (non-decreasing), for bisection. */
  maxEnd: Float64Array;
}

/** Lane kinds whose slices are device work. */
export const DEVICE_LANE_KINDS: readonly LaneKind[] = [
  'device',
  'communication'
];

/** Work kinds on device lanes that are not device work (see the module doc). */
const NOT_DEVICE_WORK: readonly WorkKind[] = ['op', 'python', 'step', 'sync'];

const NOT_DEVICE_WORK_IDS = new Set(
  NOT_DEVICE_WORK.map(w => WORK_KINDS.indexOf(w))
);

/**
 * Whether a slice of this work kind (index into WORK_KINDS) is device work
 * when it sits on a device lane.
 */
export function isDeviceWork(work: number): boolean {
  return !NOT_DEVICE_WORK_IDS.has(work);
}

/** Whether the trace has a device timeline (any device or communication lane). */
export function hasDeviceLanes(model: ITraceModel): boolean {
  return model.lanes.some(l => DEVICE_LANE_KINDS.includes(l.kind));
}

/**
 * Merges intervals given in start order into sorted disjoint intervals.
 * Empty and negative-length intervals are dropped.
 *
 * @param order Indices into `start`/`end`, sorted by start.
 */
export function mergeSortedIntervals(
  order: ArrayLike<number>,
  start: ArrayLike<number>,
  end: ArrayLike<number>
): IIntervals {
  const s: number[] = [];
  const e: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const a = start[i];
    const b = end[i];
    if (!(b > a)) {
      continue;
    }
    const last = e.length - 1;
    if (last >= 0 && a <= e[last]) {
      if (b > e[last]) {
        e[last] = b;
      }
    } else {
      s.push(a);
      e.push(b);
    }
  }
  const before = new Float64Array(s.length);
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    before[i] = total;
    total += e[i] - s[i];
  }
  return {
    start: Float64Array.from(s),
    end: Float64Array.from(e),
    before,
    totalUs: total
  };
}

/** Busy time of `iv` before time `t`, µs. */
function busyBefore(iv: IIntervals, t: Us): Us {
  // Last interval starting at or before t.
  let lo = 0;
  let hi = iv.start.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (iv.start[mid] <= t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const i = lo - 1;
  if (i < 0) {
    return 0;
  }
  return iv.before[i] + Math.min(t, iv.end[i]) - iv.start[i];
}

/** Length of the overlap of [a, b] with the intervals, µs. O(log n). */
export function busyOverlapUs(iv: IIntervals, a: Us, b: Us): Us {
  if (!(b > a)) {
    return 0;
  }
  return busyBefore(iv, b) - busyBefore(iv, a);
}

/** Merges two runs of slice indices sorted by `key`. */
function mergeRuns(x: Int32Array, y: Int32Array, key: Float64Array): Int32Array {
  const out = new Int32Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length && j < y.length) {
    out[k++] = key[x[i]] <= key[y[j]] ? x[i++] : y[j++];
  }
  while (i < x.length) {
    out[k++] = x[i++];
  }
  while (j < y.length) {
    out[k++] = y[j++];
  }
  return out;
}

/**
 * Sorts slice indices by start, given runs that are each (usually) sorted
 * already: a run out of order is sorted on its own, then runs are merged in
 * pairs, O(n log runs).
 */
export function sortRunsByStart(
  runs: number[][],
  start: Float64Array
): Int32Array {
  let level: Int32Array[] = runs
    .filter(r => r.length > 0)
    .map(r => {
      const run = Int32Array.from(r);
      for (let k = 1; k < run.length; k++) {
        if (start[run[k]] < start[run[k - 1]]) {
          return Int32Array.from(
            Array.from(run).sort((a, b) => start[a] - start[b])
          );
        }
      }
      return run;
    });
  if (level.length === 0) {
    return new Int32Array(0);
  }
  while (level.length > 1) {
    const next: Int32Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(
        i + 1 < level.length ? mergeRuns(level[i], level[i + 1], start) : level[i]
      );
    }
    level = next;
  }
  return level[0];
}

/**
 * The device's busy union and its slices sorted by start, computed once per
 * trace ({@link oncePerTrace}): the summary, the time breakdown and several
 * rules all start from it.
 *
 * @param model The trace.
 * @returns An empty union (and `hasDevice: false`) for a trace without device
 *   lanes. Shared: do not change it.
 */
export const deviceBusy: (model: ITraceModel) => IDeviceBusy = oncePerTrace(model => {
  const { slices, lanes } = model;
  const runs: number[][] = lanes.map(() => []);
  const isDeviceLane = lanes.map(l => DEVICE_LANE_KINDS.includes(l.kind));
  for (let i = 0; i < slices.count; i++) {
    const lane = slices.lane[i];
    if (isDeviceLane[lane] && isDeviceWork(slices.work[i])) {
      runs[lane].push(i);
    }
  }
  const sorted = sortRunsByStart(runs, slices.start);
  const end = new Float64Array(slices.count);
  const sliceStart = new Float64Array(sorted.length);
  const maxEnd = new Float64Array(sorted.length);
  let running = -Infinity;
  for (let k = 0; k < sorted.length; k++) {
    const i = sorted[k];
    end[i] = slices.start[i] + slices.dur[i];
    sliceStart[k] = slices.start[i];
    running = Math.max(running, end[i]);
    maxEnd[k] = running;
  }
  return {
    hasDevice: isDeviceLane.some(Boolean),
    union: mergeSortedIntervals(sorted, slices.start, end),
    slices: sorted,
    sliceStart,
    maxEnd
  };
});

/**
 * Device slices that overlap [a, b] (strictly: start < b and end > a), in
 * start order.
 */
export function deviceSlicesOverlapping(
  busy: IDeviceBusy,
  model: ITraceModel,
  a: Us,
  b: Us
): SliceIndex[] {
  const out: SliceIndex[] = [];
  // First k whose running max end passes a: no slice before it can reach a.
  let lo = 0;
  let hi = busy.maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (busy.maxEnd[mid] > a) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  const { start, dur } = model.slices;
  for (let k = lo; k < busy.slices.length && busy.sliceStart[k] < b; k++) {
    const i = busy.slices[k];
    if (start[i] + dur[i] > a) {
      out.push(i);
    }
  }
  return out;
}
