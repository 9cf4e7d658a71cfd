/**
 * ascendTrace: small questions the Ascend rules ask of a trace.
 *
 * - Does it hold CANN API data (`AscendCL@…`, `Node@…`, `Runtime@…` slices on
 *   dispatch lanes)? Only Level1 and Level2 profiles do; Level0 has the
 *   framework side (ops, Enqueue/Dequeue) and the device tasks only.
 * - Which operator was a CANN call working for? With the task queue on, a
 *   CANN call runs on the dequeue thread inside `Dequeue@<op>` (same tid as
 *   its CANN lane); without it, inside a framework op on the Python thread.
 *
 *   task queue | Dequeue@Conv2D ..............................|
 *   cann       |   aclopCompileAndExecute ..................|      (same tid)
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import { DEQUEUE_PREFIX } from '../trace/workKind';

/** Name prefixes of CANN API slices (docs/trace-formats.md §1c). */
const CANN_API = /^(AscendCL|Node|Runtime)@/;

const QUEUE = WORK_KINDS.indexOf('queue');
const OP = WORK_KINDS.indexOf('op');

/** Whether the trace holds CANN API slices (profiler_level Level1 or Level2). */
export function hasCannApi(model: ITraceModel): boolean {
  const { slices, lanes, names } = model;
  for (let i = 0; i < slices.count; i++) {
    if (
      lanes[slices.lane[i]].kind === 'dispatch' &&
      CANN_API.test(names[slices.name[i]])
    ) {
      return true;
    }
  }
  return false;
}

/** Whether the trace holds framework ops on a host lane (the CPU activity was profiled). */
export function hasFrameworkOps(model: ITraceModel): boolean {
  const { slices, lanes } = model;
  for (let i = 0; i < slices.count; i++) {
    if (slices.work[i] === OP && lanes[slices.lane[i]].kind === 'host') {
      return true;
    }
  }
  return false;
}

/**
 * Finds, for host-side slices, the operator they work for.
 *
 * Built once per trace (indexes the Dequeue and host op slices by tid), then
 * asked per slice.
 */
export class OperatorLookup {
  private readonly model: ITraceModel;
  /** `Dequeue@` slices by tid, in start order. */
  private readonly dequeues = new Map<string, SliceIndex[]>();
  /** Framework op slices of host lanes by tid, in start order. */
  private readonly ops = new Map<string, SliceIndex[]>();

  /** Indexes `model`. */
  constructor(model: ITraceModel) {
    this.model = model;
    const { slices, lanes, names } = model;
    for (let i = 0; i < slices.count; i++) {
      const work = slices.work[i];
      const lane = lanes[slices.lane[i]];
      let target: Map<string, SliceIndex[]> | null = null;
      if (work === QUEUE && names[slices.name[i]].startsWith(DEQUEUE_PREFIX)) {
        target = this.dequeues;
      } else if (work === OP && lane.kind === 'host') {
        target = this.ops;
      }
      if (!target) {
        continue;
      }
      const list = target.get(lane.tid);
      if (list) {
        list.push(i);
      } else {
        target.set(lane.tid, [i]);
      }
    }
    for (const map of [this.dequeues, this.ops]) {
      for (const list of map.values()) {
        list.sort((a, b) => slices.start[a] - slices.start[b]);
      }
    }
  }

  /**
   * The operator slice `i` works for: `<op>` of the enclosing `Dequeue@<op>`
   * on the same thread id, else the innermost framework op on a host lane of
   * that thread id that contains its start, else ''.
   */
  operatorOf(i: SliceIndex): string {
    const { slices, lanes, names } = this.model;
    const tid = lanes[slices.lane[i]].tid;
    const dequeue = this.latestContaining(this.dequeues.get(tid), i);
    if (dequeue >= 0) {
      return names[slices.name[dequeue]].slice(DEQUEUE_PREFIX.length);
    }
    const op = this.latestContaining(this.ops.get(tid), i);
    return op >= 0 ? names[slices.name[op]] : '';
  }

  /**
   * The latest-starting slice of `list` (sorted by start) that contains the
   * start of slice `i`: the innermost one, since slices of a thread nest.
   * Scans back from the bisection point; enclosing slices are near it.
   */
  private latestContaining(list: SliceIndex[] | undefined, i: SliceIndex): SliceIndex {
    if (!list) {
      return -1;
    }
    const { start, dur } = this.model.slices;
    const t = start[i];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (start[list[mid]] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (let k = lo - 1; k >= 0; k--) {
      const j = list[k];
      if (j !== i && start[j] + dur[j] > t) {
        return j;
      }
    }
    return -1;
  }
}
