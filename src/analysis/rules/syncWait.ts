/**
 * syncWait: host time spent blocked on the device, blamed on the device work
 * it waited for.
 *
 * Measures: every blocking host call (a `sync` call such as
 * cudaStreamSynchronize or AscendCL@aclrtSynchronizeStreamWithTimeout, and a
 * host `copy` call such as cudaMemcpyAsync DtoH or AscendCL@aclrtMemcpy that
 * lasts much longer than the device copy it launched), the framework op it
 * sits in (`aten::item`, `aten::to`), how long the host waited, how much of
 * that the device was busy with work queued *before* the call started, and
 * which device slices that was.
 * Why: the device runs asynchronously, so `.item()`, `.to('cpu')` or
 * `print(tensor)` look slow in every host-side profile while the real cost is
 * the device work queued earlier (docs/tuning-rules.md §3.5 and §6 #3; no
 * existing tool makes this attribution). Making that call "faster" does
 * nothing; making the queued work faster, or giving the host other work while
 * the device runs, does.
 *
 *   host   | aten::item ......................................|
 *   cann   |   aclrtSynchronizeStream ......................| memcpy |
 *   device |==hcom_allReduce (queued earlier)===============|copy|
 *              ^ host waits here; the device is busy with earlier work
 *
 * Ascend: CANN slices live on `dispatch` lanes whose tid is the Python
 * thread's tid under another pid, so the enclosing op is looked up on the
 * host lane with the same tid. Nested blocking calls (Level2
 * Runtime@StreamSynchronize inside AscendCL@aclrtSynchronizeStream…) are
 * counted once: the outermost per thread.
 *
 * Pure module.
 */
import type {
  ITraceModel,
  LaneIndex,
  SliceIndex,
  Us
} from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import type { IDeviceBusy } from '../deviceBusy';
import { oncePerTrace } from '../oncePerTrace';
import {
  DEVICE_LANE_KINDS,
  deviceBusy,
  deviceSlicesOverlapping,
  mergeSortedIntervals
} from '../deviceBusy';

/**
 * Total wait below which the rule passes (µs). Source: our choice. A
 * millisecond of waiting in a whole cell cannot be what makes it feel slow,
 * and a few idle-stream syncs (5–40 µs each, e.g. the hta cuda_event_sync
 * sample) stay below it.
 */
export const MIN_TOTAL_WAIT_US = 1_000;

/**
 * Share of the trace span spent waiting from which the finding is `high`.
 * Source: our choice, in line with the tuning-rules §3.1 op-schedule rule
 * (free ratio ≥ 20 % reported).
 */
export const HIGH_WAIT_SHARE = 0.2;

/**
 * Share of the trace span spent waiting from which the finding is `medium`.
 * Source: msprof-analyze advisor priority (≥ 5 % of step time is high there,
 * docs/tuning-rules.md §2.1); we keep `high` for the larger share above.
 */
export const MEDIUM_WAIT_SHARE = 0.05;

/**
 * A host copy call counts as blocking when it outlasts its device copy by at
 * least this much (µs). Source: HTA `runtime_cutoff` (50 µs), above which a
 * runtime call is an outlier (docs/tuning-rules.md §5.2).
 */
export const MIN_COPY_WAIT_US = 50;

/**
 * …and lasts at least this many times its device copy. Source: our choice; it
 * keeps host copies that are long because they move much data (pageable
 * staging) out, since then the device copy is long too. The DLRM sample has
 * 880 µs vs 1 µs.
 */
export const MIN_COPY_WAIT_RATIO = 2;

/** Most highlights returned (largest waits first). Keeps the summary small. */
export const MAX_HIGHLIGHTS = 50;

/**
 * Device copies in this direction never make the host wait for earlier work
 * in a way the user can act on; a long HtoD call is data loading (pageable
 * memory), a different problem.
 */
const HOST_TO_DEVICE = /HtoD|Host\s*->\s*Device|HostToDevice|host_to_device/i;

/**
 * Device tasks that are themselves waits (Ascend EVENT_WAIT, Notify Wait,
 * HCCL Notify_Wait). They keep the stream occupied, so they count as busy,
 * but the user wants to know what they waited *for*: they are named only when
 * nothing else ran.
 */
const DEVICE_WAIT = /(^|[^a-z])wait([^a-z]|$)/i;

/** Remedies worth trying when the device work the host waits for is slow, by backend. */
const REMEDIES: Record<string, string[]> = {
  ascend: [
    'ascend-task-queue-2',
    'ascend-jit-compile-off',
    'ascend-internal-format-off'
  ],
  cuda: ['cuda-tf32', 'cudnn-benchmark']
};

/** One blocking range on a host thread (the outermost blocking call there). */
export interface ISyncWait {
  /** Lane of the blocking call. */
  lane: LaneIndex;
  /** Start of the blocking range, µs. */
  start: Us;
  /** End of the blocking range, µs. */
  end: Us;
  /** Name of the outermost blocking call (runtime / CANN API name). */
  sync: string;
  /** Enclosing framework op on the host thread (e.g. `aten::item`), or -1. */
  opSlice: SliceIndex;
  /** Its name, or ''. */
  op: string;
  /** Host time blocked, minus the device copies the range itself launched, µs. */
  waitUs: Us;
  /** Duration of the device copies launched inside the range, µs. */
  copyUs: Us;
  /** Time the device was busy during the range with work queued before it started, µs. */
  busyUs: Us;
  /** Device slices queued before the range that ran during it. */
  deviceSlices: SliceIndex[];
}

/** A candidate host call: blocking, or a copy that may sit inside a blocking range. */
interface ICandidate {
  slice: SliceIndex;
  start: Us;
  end: Us;
  blocking: boolean;
  /** Duration of the device copies it launched, µs. */
  copyUs: Us;
}

const SYNC = WORK_KINDS.indexOf('sync');
const COPY = WORK_KINDS.indexOf('copy');
const OP = WORK_KINDS.indexOf('op');

/**
 * Finds every blocking range of the trace and what the device did meanwhile.
 * Computed once per trace: the time breakdown reads the ranges too.
 *
 * @param model The trace.
 * @returns Ranges in no particular order (a new array each call, of shared
 *   ranges: do not change them); empty without host or device lanes.
 */
export function findSyncWaits(model: ITraceModel): ISyncWait[] {
  return syncWaitsOnce(model).slice();
}

/** {@link findSyncWaits}, computed at the first ask for a trace. */
const syncWaitsOnce = oncePerTrace((model: ITraceModel): ISyncWait[] => {
  const busy = deviceBusy(model);
  const { slices, lanes, links, names } = model;
  const hostish = lanes.map(l => l.kind === 'host' || l.kind === 'dispatch');
  const onDevice = lanes.map(l => DEVICE_LANE_KINDS.includes(l.kind));

  // Device slices each host copy call launched, and when each device slice
  // was queued (the earliest host call linked to it).
  const launched = new Map<SliceIndex, SliceIndex[]>();
  const queuedAt = new Float64Array(slices.count).fill(Infinity);
  for (let k = 0; k < links.count; k++) {
    const from = links.from[k];
    const to = links.to[k];
    if (!hostish[slices.lane[from]] || !onDevice[slices.lane[to]]) {
      continue;
    }
    queuedAt[to] = Math.min(queuedAt[to], slices.start[from]);
    if (slices.work[from] === COPY) {
      const list = launched.get(from);
      if (list) {
        list.push(to);
      } else {
        launched.set(from, [to]);
      }
    }
  }

  // Candidates, grouped by thread id: a CANN lane and its Python lane share it.
  const byThread = new Map<string, ICandidate[]>();
  for (let i = 0; i < slices.count; i++) {
    const work = slices.work[i];
    const lane = slices.lane[i];
    if ((work !== SYNC && work !== COPY) || !hostish[lane]) {
      continue;
    }
    const start = slices.start[i];
    const dur = slices.dur[i];
    let candidate: ICandidate;
    if (work === SYNC) {
      candidate = {
        slice: i,
        start,
        end: start + dur,
        blocking: true,
        copyUs: 0
      };
    } else {
      const devices = launched.get(i) ?? [];
      if (devices.length === 0) {
        // Without the device copy we cannot tell waiting from copying.
        continue;
      }
      let copyUs = 0;
      let toDevice = false;
      for (const d of devices) {
        copyUs += slices.dur[d];
        toDevice = toDevice || HOST_TO_DEVICE.test(names[slices.name[d]]);
      }
      const blocking =
        !toDevice &&
        dur - copyUs >= MIN_COPY_WAIT_US &&
        dur >= MIN_COPY_WAIT_RATIO * copyUs;
      candidate = { slice: i, start, end: start + dur, blocking, copyUs };
    }
    const key = lanes[lane].tid;
    const list = byThread.get(key);
    if (list) {
      list.push(candidate);
    } else {
      byThread.set(key, [candidate]);
    }
  }

  const waits: ISyncWait[] = [];
  for (const [tid, candidates] of byThread) {
    candidates.sort((a, b) => a.start - b.start || b.end - a.end);
    const ranges: ISyncWait[] = [];
    let current: ISyncWait | null = null;
    for (const c of candidates) {
      if (current && c.start < current.end) {
        // Nested in (or overlapping) the outermost blocking call: count once.
        current.copyUs += c.copyUs;
        if (c.blocking && c.end > current.end) {
          current.end = c.end;
        }
        continue;
      }
      if (!c.blocking) {
        continue;
      }
      current = {
        lane: slices.lane[c.slice],
        start: c.start,
        end: c.end,
        sync: names[slices.name[c.slice]],
        opSlice: -1,
        op: '',
        waitUs: 0,
        copyUs: c.copyUs,
        busyUs: 0,
        deviceSlices: []
      };
      ranges.push(current);
    }
    assignEnclosingOps(model, tid, ranges);
    for (const r of ranges) {
      r.waitUs = Math.max(0, r.end - r.start - r.copyUs);
      measureDevice(model, busy, queuedAt, r);
      if (r.waitUs > 0) {
        waits.push(r);
      }
    }
  }
  return waits;
});

/**
 * Sets `opSlice`/`op` of each range (sorted by start) to the framework op on
 * a host lane of thread `tid` that contains the range's start: the outermost
 * `aten::` op (what the user called: `aten::item`, not its
 * `aten::_local_scalar_dense`), else the innermost op. One sweep per lane.
 */
function assignEnclosingOps(
  model: ITraceModel,
  tid: string,
  ranges: ISyncWait[]
): void {
  const { slices, lanes, names } = model;
  for (let lane = 0; lane < lanes.length; lane++) {
    if (lanes[lane].kind !== 'host' || lanes[lane].tid !== tid) {
      continue;
    }
    // Slices of this lane in start order: the model keeps them sorted by lane then start.
    const open: SliceIndex[] = [];
    let i = firstSliceOfLane(model, lane);
    for (const r of ranges) {
      for (; i < slices.count && slices.lane[i] === lane; i++) {
        if (slices.start[i] > r.start) {
          break;
        }
        if (slices.work[i] !== OP) {
          continue;
        }
        while (
          open.length > 0 &&
          end(model, open[open.length - 1]) <= slices.start[i]
        ) {
          open.pop();
        }
        open.push(i);
      }
      if (r.opSlice >= 0) {
        continue;
      }
      const containing = open.filter(o => end(model, o) > r.start);
      const aten = containing.find(o =>
        names[slices.name[o]].startsWith('aten::')
      );
      const chosen = aten ?? containing[containing.length - 1];
      if (chosen !== undefined) {
        r.opSlice = chosen;
        r.op = names[slices.name[chosen]];
      }
    }
  }
}

/**
 * Time of the host copy calls that do the actual copy inside the blocking ops,
 * after their wait: `aten::item` on Ascend waits in
 * `aclrtSynchronizeStreamWithTimeout` (92 ms), then copies in `aclrtMemcpy`
 * (59 µs). Counted once per op, whatever number of waits it holds.
 */
function hostCopiesAfterWaits(model: ITraceModel, waits: readonly ISyncWait[]): Us {
  const { start, dur, lane, work } = model.slices;
  let total = 0;
  const seen = new Set<SliceIndex>();
  // A copy call that is itself a blocking range is already split into wait and copy.
  const inAnyWait = (i: SliceIndex): boolean =>
    waits.some(w => w.lane === lane[i] && start[i] < w.end && start[i] + dur[i] > w.start);
  for (const w of waits) {
    if (w.opSlice < 0) {
      continue;
    }
    const opStart = start[w.opSlice];
    const opEnd = opStart + dur[w.opSlice];
    // The lane's calls that start after the wait and inside the op.
    const after = firstSliceStartingAtOrAfter(model, w.lane, w.end);
    for (let i = after; i < model.slices.count && lane[i] === w.lane && start[i] < opEnd; i++) {
      if (work[i] === COPY && !seen.has(i) && !inAnyWait(i)) {
        seen.add(i);
        total += dur[i];
      }
    }
  }
  return total;
}

function end(model: ITraceModel, i: SliceIndex): Us {
  return model.slices.start[i] + model.slices.dur[i];
}

/** First slice index on `lane` (binary search; slices are sorted by lane). */
function firstSliceOfLane(model: ITraceModel, lane: LaneIndex): SliceIndex {
  return firstSliceStartingAtOrAfter(model, lane, -Infinity);
}

/**
 * First slice index on `lane` that starts at or after `t` (binary search:
 * slices are sorted by lane, then start); the index after the lane's slices
 * when none does.
 */
function firstSliceStartingAtOrAfter(model: ITraceModel, lane: LaneIndex, t: Us): SliceIndex {
  const { lane: laneOf, start } = model.slices;
  let lo = 0;
  let hi = model.slices.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (laneOf[mid] < lane || (laneOf[mid] === lane && start[mid] < t)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Fills `busyUs` and `deviceSlices`: device work queued before the range that ran during it. */
function measureDevice(
  model: ITraceModel,
  busy: IDeviceBusy,
  queuedAt: Float64Array,
  r: ISyncWait
): void {
  const { start, dur } = model.slices;
  const earlier = deviceSlicesOverlapping(busy, model, r.start, r.end).filter(
    // Unlinked device work (queuedAt = Infinity) is taken as queued earlier:
    // nothing the host did during the wait launched it.
    d => queuedAt[d] < r.start || queuedAt[d] === Infinity
  );
  r.deviceSlices = earlier;
  // Union of the clipped slices; they are in start order already.
  let total = 0;
  let curA = -Infinity;
  let curB = -Infinity;
  for (const d of earlier) {
    const a = Math.max(start[d], r.start);
    const b = Math.min(start[d] + dur[d], r.end);
    if (a > curB) {
      total += curB - curA > 0 ? curB - curA : 0;
      curA = a;
      curB = b;
    } else if (b > curB) {
      curB = b;
    }
  }
  total += curB - curA > 0 ? curB - curA : 0;
  r.busyUs = total;
}

/** Sums `value` into `map[key]`. */
function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** The key with the largest value, or undefined. */
function top(map: Map<string, number>): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const entry of map) {
    if (!best || entry[1] > best[1]) {
      best = entry;
    }
  }
  return best;
}

/**
 * The sync-wait check: how long the host waited on the device, in which
 * calls, and for which device work.
 *
 * Variants:
 * - `no-device`: the trace has no device lanes (CPU-only run): `ok`, nothing to measure.
 * - `none`: total wait below {@link MIN_TOTAL_WAIT_US}: `ok`; facts `waitUs`, `calls`.
 * - `waits`: severity by share of the trace span ({@link HIGH_WAIT_SHARE},
 *   {@link MEDIUM_WAIT_SHARE}). Facts: `waitUs`, `calls` (framework op calls
 *   that blocked, or bare blocking calls), `copyUs`, `busyUs` (device busy
 *   with earlier work during the waits), `spanShare` (0..1), `topCall` (op
 *   name with the most wait, '' if the waits sit in no op), `topCallUs`
 *   (duration of those op calls), `topWaitUs` (their wait), `topSync` (the
 *   blocking call inside them with the most wait), `waitedFor` (device op
 *   that overlapped the waits most), `waitedForUs`, `launchedBy` (the
 *   framework operator whose device work overlapped the waits most, '' when
 *   none is known: see `links.op`), `launchedByUs`, `deviceOps` (device
 *   slices waited for).
 *
 * `savingUs` is the total wait: an upper bound, reached only if the device
 * work waited for took no time or ran entirely while the host did other work.
 */
export function syncWait(model: ITraceModel): IFinding {
  const busy = deviceBusy(model);
  const base = { id: 'sync-wait', highlights: [], remedies: [] };
  if (!busy.hasDevice) {
    return {
      ...base,
      variant: 'no-device',
      severity: 'ok',
      savingUs: 0,
      facts: {}
    };
  }
  const waits = findSyncWaits(model);
  const { slices, names, lanes } = model;

  // Group by op call (one .item() with a sync and a memcpy is one call).
  const callKey = (w: ISyncWait, i: number): string =>
    w.opSlice >= 0 ? `op${w.opSlice}` : `range${i}`;
  const calls = new Set(waits.map(callKey));
  const waitUs = waits.reduce((sum, w) => sum + w.waitUs, 0);
  if (waitUs < MIN_TOTAL_WAIT_US) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { waitUs, calls: calls.size }
    };
  }

  const waitByOp = new Map<string, number>();
  const callUsByOp = new Map<string, number>();
  const seenCalls = new Set<string>();
  waits.forEach((w, i) => {
    add(waitByOp, w.op, w.waitUs);
    const key = callKey(w, i);
    if (!seenCalls.has(key)) {
      seenCalls.add(key);
      const callUs = w.opSlice >= 0 ? slices.dur[w.opSlice] : w.end - w.start;
      add(callUsByOp, w.op, callUs);
    }
  });
  const [topCall, topWaitUs] = top(waitByOp) ?? ['', 0];
  const waitBySync = new Map<string, number>();
  for (const w of waits) {
    if (w.op === topCall) {
      add(waitBySync, w.sync, w.waitUs);
    }
  }

  // What the device did meanwhile, by name, clipped to each wait.
  const busyByName = new Map<string, number>();
  const busyByWorkName = new Map<string, number>();
  // Per operator, the time ranges its device work ran during the waits (several streams and
  // communication planes overlap: their union is the time, not their sum).
  const rangesByOperator = new Map<string, { start: number[]; end: number[] }>();
  const deviceOps = new Set<SliceIndex>();
  for (const w of waits) {
    for (const d of w.deviceSlices) {
      deviceOps.add(d);
      const name = names[slices.name[d]];
      const us =
        Math.min(slices.start[d] + slices.dur[d], w.end) -
        Math.max(slices.start[d], w.start);
      add(busyByName, name, us);
      if (!DEVICE_WAIT.test(name)) {
        add(busyByWorkName, name, us);
        const op = model.links.op[d];
        if (op >= 0 && us > 0) {
          const from = Math.max(slices.start[d], w.start);
          const ranges = rangesByOperator.get(names[slices.name[op]]) ?? { start: [], end: [] };
          ranges.start.push(from);
          ranges.end.push(from + us);
          rangesByOperator.set(names[slices.name[op]], ranges);
        }
      }
    }
  }
  const [waitedFor, waitedForUs] = top(busyByWorkName) ??
    top(busyByName) ?? ['', 0];
  const busyByOperator = new Map(
    [...rangesByOperator].map(([op, { start, end }]) => {
      const byStart = start.map((_, k) => k).sort((a, b) => start[a] - start[b]);
      return [op, mergeSortedIntervals(byStart, start, end).totalUs];
    })
  );
  const [launchedBy, launchedByUs] = top(busyByOperator) ?? ['', 0];

  const spanShare = model.spanUs > 0 ? Math.min(1, waitUs / model.spanUs) : 0;
  const severity: Severity =
    spanShare >= HIGH_WAIT_SHARE
      ? 'high'
      : spanShare >= MEDIUM_WAIT_SHARE
        ? 'medium'
        : 'low';
  const highlights: IHighlight[] = [...waits]
    .sort((a, b) => b.waitUs - a.waitUs)
    .slice(0, MAX_HIGHLIGHTS)
    .map(w => ({
      start: w.start,
      end: w.end,
      lane: lanes[w.lane].label,
      name: w.op || w.sync
    }));

  return {
    ...base,
    variant: 'waits',
    severity,
    savingUs: waitUs,
    facts: {
      waitUs,
      calls: calls.size,
      copyUs: waits.reduce((sum, w) => sum + w.copyUs, 0) + hostCopiesAfterWaits(model, waits),
      busyUs: waits.reduce((sum, w) => sum + w.busyUs, 0),
      spanShare,
      topCall,
      topCallUs: callUsByOp.get(topCall) ?? 0,
      topWaitUs,
      topSync: (top(waitBySync) ?? [''])[0],
      waitedFor,
      waitedForUs,
      launchedBy,
      launchedByUs,
      deviceOps: deviceOps.size
    },
    highlights,
    remedies: [...(REMEDIES[model.backend] ?? [])]
  };
}
