/**
 * Host → device links of the model: by correlation id, then by torch_npu
 * `torch_to_npu` flows; the task queue's Enqueue → Dequeue hand-offs by
 * `correlation_id`; then the framework operator each launch ran for
 * ({@link launchingOps}).
 *
 * Kineto's `ac2g` flows are not read: their id is the `correlation` both of
 * their ends already carry (docs/trace-formats.md §2).
 *
 * Pure module.
 */
import { rebaseUs } from './exactTime';
import { launchingOps } from './launchingOps';
import type { ILane, ISliceLinks, ITraceLinks, ITraceSlices, LaneKind } from './model';
import { WORK_KINDS } from './model';
import { DEQUEUE_PREFIX, ENQUEUE_PREFIX } from './workKind';

/**
 * How far back (in slices) a flow start looks for its enclosing slice when no
 * slice starts at the flow's time. Bounds the cost on huge lanes.
 */
const MAX_ENCLOSING_SCAN_SLICES = 4096;

const QUEUE = WORK_KINDS.indexOf('queue');

/** One end of a flow event: its raw lane and exact time. */
export interface IFlowEnd {
  /** Raw lane index (in order of appearance, before the lanes are sorted). */
  lane: number;
  /** Whole µs. */
  whole: number;
  /** Picoseconds. */
  ps: number;
}

/** Both ends of one `torch_to_npu` flow, by `ph`. */
export interface INpuFlow {
  /** The start, on the host. */
  s?: IFlowEnd;
  /** The finish, on the device. */
  f?: IFlowEnd;
}

/**
 * Host → device links. Slices must be sorted by lane then start, with depths
 * assigned; `laneStart[l]` is the first slice of lane `l`. First by correlation id between host/dispatch lanes
 * and device/communication lanes (Kineto `correlation`, Ascend
 * `connection_id`); then, for device slices still unlinked, by torch_npu
 * `torch_to_npu` flows (the only link in Level0 traces, which have no CANN
 * slices). Orphan flows are ignored. Then the task queue's hand-offs and the
 * operator of each launch.
 */
export function linkSlices(
  slices: ITraceSlices,
  names: readonly string[],
  lanes: ILane[],
  laneStart: Int32Array,
  laneOf: Int32Array,
  npuFlows: Map<string, INpuFlow>,
  originWhole: number,
  originPs: number
): ITraceLinks {
  const isFrom = (kind: LaneKind): boolean =>
    kind === 'host' || kind === 'dispatch';
  const isTo = (kind: LaneKind): boolean =>
    kind === 'device' || kind === 'communication';
  const from: number[] = [];
  const to: number[] = [];
  const linked = new Uint8Array(slices.count);

  // Slices are grouped by lane: whole lanes are skipped by kind.
  const caller = new Map<number, number>();
  for (let l = 0; l < lanes.length; l++) {
    if (!isFrom(lanes[l].kind)) {
      continue;
    }
    for (let i = laneStart[l]; i < laneStart[l + 1]; i++) {
      const c = slices.correlation[i];
      // Enqueue/Dequeue number their correlation_id apart from connection_id.
      if (c >= 0 && slices.work[i] !== QUEUE && !caller.has(c)) {
        caller.set(c, i);
      }
    }
  }
  for (let l = 0; l < lanes.length && caller.size > 0; l++) {
    if (!isTo(lanes[l].kind)) {
      continue;
    }
    for (let i = laneStart[l]; i < laneStart[l + 1]; i++) {
      const c = slices.correlation[i];
      const h = c < 0 ? undefined : caller.get(c);
      if (h !== undefined) {
        from.push(h);
        to.push(i);
        linked[i] = 1;
      }
    }
  }

  for (const flow of npuFlows.values()) {
    if (flow.s === undefined || flow.f === undefined) {
      continue;
    }
    const fromLane = laneOf[flow.s.lane];
    const toLane = laneOf[flow.f.lane];
    if (fromLane < 0 || toLane < 0 || !isTo(lanes[toLane].kind)) {
      continue;
    }
    const ts = rebaseUs(flow.s.whole, flow.s.ps, originWhole, originPs);
    const tf = rebaseUs(flow.f.whole, flow.f.ps, originWhole, originPs);
    const target = sliceAt(slices, laneStart, toLane, tf, false);
    if (target < 0 || linked[target] === 1) {
      continue;
    }
    const source = sliceAt(slices, laneStart, fromLane, ts, true);
    if (source < 0) {
      continue;
    }
    from.push(source);
    to.push(target);
    linked[target] = 1;
  }
  const launches: ISliceLinks = {
    count: from.length,
    from: Int32Array.from(from),
    to: Int32Array.from(to)
  };
  const queue = queueHandOffs(slices, names, lanes, laneStart);
  return {
    ...launches,
    queue,
    op: launchingOps(slices, names, lanes, launches, queue)
  };
}

/**
 * Enqueue → Dequeue@<op> pairs by `correlation_id`. An id written more than
 * once pairs its Enqueues and Dequeues in time order.
 */
function queueHandOffs(
  slices: ITraceSlices,
  names: readonly string[],
  lanes: ILane[],
  laneStart: Int32Array
): ISliceLinks {
  const enqueues = new Map<number, number[]>();
  const dequeues: number[] = [];
  for (let l = 0; l < lanes.length; l++) {
    if (lanes[l].kind !== 'host' && lanes[l].kind !== 'dispatch') {
      continue;
    }
    for (let i = laneStart[l]; i < laneStart[l + 1]; i++) {
      const c = slices.correlation[i];
      if (slices.work[i] !== QUEUE || c < 0) {
        continue;
      }
      const name = names[slices.name[i]];
      if (name.startsWith(DEQUEUE_PREFIX)) {
        dequeues.push(i);
      } else if (name.startsWith(ENQUEUE_PREFIX)) {
        const list = enqueues.get(c);
        if (list === undefined) {
          enqueues.set(c, [i]);
        } else {
          list.push(i);
        }
      }
    }
  }
  const byStart = (a: number, b: number): number => slices.start[a] - slices.start[b];
  for (const list of enqueues.values()) {
    list.sort(byStart);
  }
  dequeues.sort(byStart);
  const from: number[] = [];
  const to: number[] = [];
  const taken = new Map<number, number>();
  for (const d of dequeues) {
    const c = slices.correlation[d];
    const list = enqueues.get(c);
    const k = taken.get(c) ?? 0;
    if (list !== undefined && k < list.length) {
      from.push(list[k]);
      to.push(d);
      taken.set(c, k + 1);
    }
  }
  return { count: from.length, from: Int32Array.from(from), to: Int32Array.from(to) };
}

/**
 * The deepest slice of a lane that starts exactly at `t`; with `enclosing`,
 * otherwise the deepest slice that contains `t`. -1 when none.
 */
function sliceAt(
  slices: ITraceSlices,
  laneStart: Int32Array,
  lane: number,
  t: number,
  enclosing: boolean
): number {
  const lo = laneStart[lane];
  let hi = laneStart[lane + 1];
  const start = slices.start;
  // Last slice with start <= t.
  let a = lo;
  while (a < hi) {
    const mid = (a + hi) >>> 1;
    if (start[mid] <= t) {
      a = mid + 1;
    } else {
      hi = mid;
    }
  }
  let best = -1;
  for (let k = a - 1; k >= lo && start[k] === t; k--) {
    if (best < 0 || slices.depth[k] > slices.depth[best]) {
      best = k;
    }
  }
  if (best >= 0 || !enclosing) {
    return best;
  }
  const stop = Math.max(lo, a - MAX_ENCLOSING_SCAN_SLICES);
  for (let k = a - 1; k >= stop; k--) {
    if (start[k] + slices.dur[k] >= t) {
      if (best < 0 || slices.depth[k] > slices.depth[best]) {
        best = k;
      }
    }
  }
  return best;
}
