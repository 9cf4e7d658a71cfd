/**
 * Decide the kind, label and display order of every lane (one producer
 * thread), from the process/thread metadata and what the lane holds.
 * Ascend lanes are recognised by `process_name` (pids are never decoded);
 * Kineto GPU lanes by `process_labels` "GPU N" or by device categories.
 *
 * Pure module.
 */
import type { ILane, LaneKind } from './model';

/** What the reader learned about one lane while scanning the events. */
export interface IRawLane {
  /** `String(pid)`. */
  pid: string;
  /** `String(tid)`; '' for the synthetic GPU annotation lane. */
  tid: string;
  /** The synthetic lane holding a GPU's `gpu_user_annotation` slices. */
  annotations: boolean;
  /** Number of complete slices. */
  slices: number;
  /** Number of counter samples (`ph: "C"` values). */
  samples: number;
  /** Slices named `Dequeue@...` (task-queue consumer). */
  dequeues: number;
  /** Slices with a Kineto device category (kernel, gpu_memcpy, ...). */
  deviceSlices: number;
}

/** Process and thread metadata (`ph: "M"` events), keyed by pid or lane key. */
export interface ILaneMetadata {
  /** `process_name` by pid. */
  processNames: Map<string, string>;
  /** `process_labels` by pid. */
  processLabels: Map<string, string>;
  /** `process_sort_index` by pid. */
  processSort: Map<string, number>;
  /** `thread_name` by lane key `pid/tid`. */
  threadNames: Map<string, string>;
  /** `thread_sort_index` by lane key. */
  threadSort: Map<string, number>;
  /** Pids that start `HostToDevice` flows (CANN without process_name, Level0). */
  hostToDevicePids: Set<string>;
}

/** Resolved lanes. */
export interface IResolvedLanes {
  /** Lanes with at least one slice, in display order (`order` = index). */
  lanes: ILane[];
  /** Final lane index of each raw lane, -1 for lanes without slices. */
  laneOf: Int32Array;
}

/** Display rank of each lane kind. */
const KIND_RANK: Record<LaneKind, number> = {
  host: 0,
  dispatch: 1,
  device: 2,
  communication: 3,
  counter: 4,
  other: 5
};

/** Ascend processes whose events are sampled counters (`ph: "C"`). */
const ASCEND_COUNTER_PROCESSES = new Set([
  'AI Core Freq',
  'HBM',
  'LLC',
  'NPU MEM',
  'QoS',
  'Acc PMU',
  'Stars Soc Info',
  'Voltage Info',
  'SIO',
  'CCU'
]);

/** Process names only torch_npu writes; one of them marks a trace as Ascend. */
export const ASCEND_PROCESS_NAMES = new Set([
  'CANN',
  'Ascend Hardware',
  'HCCL',
  'Overlap Analysis',
  ...ASCEND_COUNTER_PROCESSES
]);

const GPU_LABEL = /^GPU\s*\d+/;

/**
 * The tid of the synthetic lane that holds a process's memory series (from
 * PyTorch's `[memory]` events: memory in use is per device, whichever thread
 * allocated or freed it).
 */
export const MEMORY_LANE_TID = '[memory]';

/** Lane key used everywhere: `String(pid) + "/" + String(tid)`. */
export function laneKey(pid: string, tid: string): string {
  return pid + '/' + tid;
}

/**
 * Give each raw lane a kind, a label and an order.
 *
 * @param raw - lanes as met in the events.
 * @param meta - process and thread metadata.
 * @param ascend - whether the trace is a torch_npu trace.
 */
export function resolveLanes(
  raw: readonly IRawLane[],
  meta: ILaneMetadata,
  ascend: boolean
): IResolvedLanes {
  const gpuPids = new Set<string>();
  if (!ascend) {
    for (const [pid, labels] of meta.processLabels) {
      if (GPU_LABEL.test(labels)) {
        gpuPids.add(pid);
      }
    }
    for (const lane of raw) {
      if (lane.deviceSlices > 0 || lane.annotations) {
        gpuPids.add(lane.pid);
      }
    }
  }
  const made: { lane: ILane; raw: number; key: ISortKey }[] = [];
  raw.forEach((r, index) => {
    if (r.slices === 0 && r.samples === 0) {
      return;
    }
    const key = laneKey(r.pid, r.tid);
    const processName = meta.processNames.get(r.pid) ?? '';
    const threadName = (meta.threadNames.get(key) ?? '').trim();
    const { kind, label } =
      r.slices === 0
        ? counterLane(r, processName, threadName)
        : ascend
          ? ascendLane(r, processName, threadName, meta)
          : kinetoLane(r, threadName, gpuPids.has(r.pid));
    made.push({
      raw: index,
      lane: { kind, label, pid: r.pid, tid: r.tid, processName, order: 0 },
      key: {
        rank: KIND_RANK[kind],
        processSort: meta.processSort.get(r.pid) ?? Infinity,
        pidNumber: numberIn(r.pid),
        threadSort: meta.threadSort.get(key) ?? Infinity,
        tidNumber: numberIn(r.tid),
        text: key
      }
    });
  });
  made.sort((a, b) => compareKeys(a.key, b.key));
  const laneOf = new Int32Array(raw.length).fill(-1);
  const lanes = made.map((m, order) => {
    laneOf[m.raw] = order;
    m.lane.order = order;
    return m.lane;
  });
  return { lanes, laneOf };
}

/**
 * A lane holding only counter samples: named after its process ("AI Core
 * Freq", "HBM"), and its thread where the producer named one.
 */
function counterLane(
  r: IRawLane,
  processName: string,
  threadName: string
): { kind: LaneKind; label: string } {
  const process = processName || `Process ${r.pid}`;
  if (r.tid === MEMORY_LANE_TID) {
    return { kind: 'counter', label: `${process} memory` };
  }
  return { kind: 'counter', label: threadName ? `${process} ${threadName}` : process };
}

function ascendLane(
  r: IRawLane,
  processName: string,
  threadName: string,
  meta: ILaneMetadata
): { kind: LaneKind; label: string } {
  const thread = threadName || `Thread ${r.tid}`;
  switch (processName) {
    case 'Python':
      // The task-queue consumer runs Dequeue@<op> slices on a Python thread.
      return r.dequeues * 2 > r.slices
        ? { kind: 'dispatch', label: `Task Queue Thread ${r.tid}` }
        : { kind: 'host', label: `Python Thread ${r.tid}` };
    case 'CANN':
      return { kind: 'dispatch', label: `CANN Thread ${r.tid}` };
    case 'Ascend Hardware':
      return {
        kind: 'device',
        label: /^Stream \S+$/.test(threadName)
          ? `Ascend Hardware ${threadName}`
          : `Ascend Hardware Stream ${r.tid}`
      };
    case 'HCCL':
      return { kind: 'communication', label: `HCCL ${thread}` };
    case 'Overlap Analysis':
      return { kind: 'other', label: `Overlap Analysis ${thread}` };
    case '':
      return meta.hostToDevicePids.has(r.pid)
        ? { kind: 'dispatch', label: `CANN Thread ${r.tid}` }
        : { kind: 'other', label: `Process ${r.pid} Thread ${r.tid}` };
    default:
      if (ASCEND_COUNTER_PROCESSES.has(processName)) {
        return { kind: 'counter', label: `${processName} ${thread}` };
      }
      if (processName.startsWith('Python')) {
        return { kind: 'host', label: `${processName} Thread ${r.tid}` };
      }
      return { kind: 'other', label: `${processName} ${thread}` };
  }
}

function kinetoLane(
  r: IRawLane,
  threadName: string,
  gpu: boolean
): { kind: LaneKind; label: string } {
  if (r.annotations) {
    return { kind: 'other', label: `GPU ${r.pid} annotations` };
  }
  if (gpu) {
    // Kineto names stream threads "stream 7 " and 2021 traces use tid "stream 7".
    const stream = r.tid.replace(/^stream\s+/i, '');
    const extra =
      threadName && !/^stream\s/i.test(threadName) ? ` (${threadName})` : '';
    return { kind: 'device', label: `GPU ${r.pid} stream ${stream}${extra}` };
  }
  // Kineto thread names read "thread 1262 (pt_autograd_0)": keep the inner name.
  const inner = /^thread\s+\S+\s+\((.*)\)$/i.exec(threadName);
  const name = inner ? inner[1] : threadName;
  const tid = r.tid.replace(/^thread\s+/i, '');
  return {
    kind: 'host',
    label: name ? `Thread ${tid} (${name})` : `Thread ${tid}`
  };
}

interface ISortKey {
  rank: number;
  processSort: number;
  pidNumber: number;
  threadSort: number;
  tidNumber: number;
  text: string;
}

function compareKeys(a: ISortKey, b: ISortKey): number {
  return (
    a.rank - b.rank ||
    compareNumbers(a.processSort, b.processSort) ||
    compareNumbers(a.pidNumber, b.pidNumber) ||
    compareNumbers(a.threadSort, b.threadSort) ||
    compareNumbers(a.tidNumber, b.tidNumber) ||
    (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)
  );
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The number in an id ("7", "stream 7", "-1"), or Infinity when there is none. */
function numberIn(id: string): number {
  const n = Number(id);
  if (id !== '' && Number.isFinite(n)) {
    return n;
  }
  const m = /-?\d+/.exec(id);
  return m ? Number(m[0]) : Infinity;
}
