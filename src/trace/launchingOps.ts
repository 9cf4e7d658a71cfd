/**
 * launchingOps: the framework operator (`aten::add`, a Kineto `cpu_op`) each
 * launch call, and the device work it launched, ran for.
 *
 * Neither format writes this link, so it is found by time containment on one
 * OS thread (docs/trace-formats.md §1, "Linking"): a call that lies inside an
 * operator on its thread ran for that operator. On Ascend the thread is
 * shared by lanes of two processes (the framework's `Python` lanes and CANN's
 * lanes carry the same OS tid), and with the task queue on, CANN's calls run
 * inside a `Dequeue@<op>` on the queue's consumer thread: they ran for the
 * operator around the `Enqueue` that `Dequeue` is paired with.
 *
 *   main thread      |aten::add ⊃ |Enqueue|      |
 *   consumer thread              |Dequeue@add ⊃ |AscendCL@aclnnAdd||
 *   device                                          |=aclnnAdd kernel=|
 *
 * The innermost enclosing ATen operator is taken: the one that made the call
 * (`aten::addmm` rather than the `aten::linear` around it), and on Ascend the
 * ATen operator rather than the device operator torch_npu records inside it
 * (`aten::_convolution` rather than `Conv2D`, named like the kernel anyway);
 * where no ATen operator encloses the call, the innermost operator.
 *
 * Pure module.
 */
import type { ILane, ISliceLinks, ITraceSlices } from './model';
import { WORK_KINDS } from './model';

const OP = WORK_KINDS.indexOf('op');

/** Name prefix of PyTorch's own operators. */
const ATEN_PREFIX = 'aten::';

/**
 * The operator of each launch call and of the device work it launched.
 *
 * @param slices - sorted by lane then start.
 * @param launches - launch call → device slice ({@link ITraceLinks}).
 * @param queue - Enqueue → Dequeue hand-offs.
 * @returns For each slice, the operator's slice index, or -1.
 */
export function launchingOps(
  slices: ITraceSlices,
  names: readonly string[],
  lanes: readonly ILane[],
  launches: ISliceLinks,
  queue: ISliceLinks
): Int32Array {
  const op = new Int32Array(slices.count).fill(-1);
  const { work } = slices;
  const isAten = (i: number): boolean => work[i] === OP && names[slices.name[i]].startsWith(ATEN_PREFIX);
  // The Dequeues of the hand-offs, and the Enqueue each ran for.
  const enqueueOf = new Map<number, number>();
  for (let k = 0; k < queue.count; k++) {
    enqueueOf.set(queue.to[k], queue.from[k]);
  }

  // What each launch call and each Enqueue lies in: an operator or a Dequeue.
  const launchCalls = new Set(launches.from);
  const enclosing = Private.innermostEnclosing(
    slices,
    lanes,
    new Set([...launchCalls, ...queue.from]),
    i => work[i] === OP || enqueueOf.has(i),
    isAten
  );
  const opOf = (call: number): number => {
    const around = enclosing.get(call) ?? -1;
    if (work[call] === OP) {
      // A torch_to_npu flow starts at an operator itself, often torch_npu's own
      // (`aclnnMm`) inside the ATen one.
      return isAten(call) || around < 0 || !isAten(around) ? call : around;
    }
    if (around < 0 || work[around] === OP) {
      return around;
    }
    const enqueue = enqueueOf.get(around);
    const outer = enqueue === undefined ? -1 : (enclosing.get(enqueue) ?? -1);
    return outer >= 0 && work[outer] === OP ? outer : -1;
  };
  for (const call of launchCalls) {
    op[call] = opOf(call);
  }
  for (let k = 0; k < launches.count; k++) {
    op[launches.to[k]] = op[launches.from[k]];
  }
  return op;
}

/** Whether a lane runs host code, where operators and launch calls are. */
function isHostLane(lane: ILane): boolean {
  return lane.kind === 'host' || lane.kind === 'dispatch';
}

namespace Private {
  /**
   * For each of `calls`, the innermost slice that encloses it (starts at or
   * before it and ends at or after it) among the slices `isEncloser` accepts
   * on the host lanes of the same OS thread (same tid), the innermost that
   * `isPreferred` accepts if any does; absent when none. One sweep per thread
   * over its enclosers and calls in start order, with a stack of the
   * enclosers still open.
   */
  export function innermostEnclosing(
    slices: ITraceSlices,
    lanes: readonly ILane[],
    calls: ReadonlySet<number>,
    isEncloser: (i: number) => boolean,
    isPreferred: (i: number) => boolean
  ): Map<number, number> {
    const { start, dur, depth, lane } = slices;
    // One entry per OS thread: the host lanes of any process with its tid.
    const threads = new Map<string, { enclosers: number[]; calls: number[] }>();
    const threadOfLane = lanes.map(l => {
      if (!isHostLane(l)) {
        return undefined;
      }
      let thread = threads.get(l.tid);
      if (thread === undefined) {
        thread = { enclosers: [], calls: [] };
        threads.set(l.tid, thread);
      }
      return thread;
    });
    for (const call of calls) {
      threadOfLane[lane[call]]?.calls.push(call);
    }
    for (let i = 0; i < slices.count; i++) {
      const thread = threadOfLane[lane[i]];
      if (thread !== undefined && thread.calls.length > 0 && isEncloser(i)) {
        thread.enclosers.push(i);
      }
    }
    const out = new Map<number, number>();
    for (const thread of threads.values()) {
      // Outer before inner at the same start, so the inner one ends on top.
      thread.enclosers.sort((a, b) => start[a] - start[b] || dur[b] - dur[a] || depth[a] - depth[b]);
      thread.calls.sort((a, b) => start[a] - start[b]);
      const open: number[] = [];
      let e = 0;
      for (const call of thread.calls) {
        const t = start[call];
        const end = t + dur[call];
        for (; e < thread.enclosers.length && start[thread.enclosers[e]] <= t; e++) {
          const x = thread.enclosers[e];
          // Enclosers that ended before this one starts enclose nothing later.
          while (open.length > 0 && start[open[open.length - 1]] + dur[open[open.length - 1]] <= start[x]) {
            open.pop();
          }
          open.push(x);
        }
        let innermost = -1;
        for (let k = open.length - 1; k >= 0; k--) {
          const x = open[k];
          if (x === call || start[x] + dur[x] < end) {
            continue;
          }
          if (innermost < 0) {
            innermost = x;
          }
          if (isPreferred(x)) {
            innermost = x;
            break;
          }
        }
        if (innermost >= 0) {
          out.set(call, innermost);
        }
      }
    }
    return out;
  }
}
