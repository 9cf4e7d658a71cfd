import { describe, expect, it } from 'vitest';
import type { ITraceModel, SliceIndex } from '../../src/trace/model';
import { WORK_KINDS } from '../../src/trace/model';
import { readTrace } from '../../src/trace/readTrace';
import { PUBLIC_TRACE_FILES, publicTraceBytes } from './traceBytes';

const ASCEND_L1 =
  'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz';

const OP = WORK_KINDS.indexOf('op');

const models = new Map<string, ITraceModel>();
function model(relative: string): ITraceModel {
  let m = models.get(relative);
  if (m === undefined) {
    m = readTrace(publicTraceBytes(relative));
    models.set(relative, m);
  }
  return m;
}

function readText(trace: object): ITraceModel {
  return readTrace(new TextEncoder().encode(JSON.stringify(trace)));
}

const nameOf = (m: ITraceModel, i: SliceIndex): string => m.names[m.slices.name[i]];
const endOf = (m: ITraceModel, i: SliceIndex): number => m.slices.start[i] + m.slices.dur[i];
const tidOf = (m: ITraceModel, i: SliceIndex): string => m.lanes[m.slices.lane[i]].tid;
const isHost = (m: ITraceModel, i: SliceIndex): boolean =>
  ['host', 'dispatch'].includes(m.lanes[m.slices.lane[i]].kind);

/** Host slices on the OS thread of `i` (any process) that enclose it, by brute force. */
function enclosing(m: ITraceModel, i: SliceIndex, accept: (j: SliceIndex) => boolean): SliceIndex[] {
  const out: SliceIndex[] = [];
  for (let j = 0; j < m.slices.count; j++) {
    if (
      j !== i &&
      accept(j) &&
      isHost(m, j) &&
      tidOf(m, j) === tidOf(m, i) &&
      m.slices.start[j] <= m.slices.start[i] &&
      endOf(m, j) >= endOf(m, i)
    ) {
      out.push(j);
    }
  }
  return out;
}

/** An Ascend run with the task queue on: the operator's thread, the queue's consumer thread in Python and CANN, a stream. */
function ascendQueued(): object[] {
  return [
    { ph: 'M', name: 'process_name', pid: 100, args: { name: 'Python' } },
    { ph: 'M', name: 'process_name', pid: 200, args: { name: 'CANN' } },
    { ph: 'M', name: 'process_name', pid: 300, args: { name: 'Ascend Hardware' } },
    { ph: 'X', name: 'aten::linear', pid: 100, tid: 1, ts: '1000.000', dur: 100, cat: 'cpu_op' },
    { ph: 'X', name: 'aten::addmm', pid: 100, tid: 1, ts: '1010.000', dur: 80, cat: 'cpu_op' },
    { ph: 'X', name: 'aclnnAddmm', pid: 100, tid: 1, ts: '1020.000', dur: 20, cat: 'cpu_op' },
    { ph: 'X', name: 'Enqueue', pid: 100, tid: 1, ts: '1025.000', dur: 5, cat: 'enqueue', args: { correlation_id: 7 } },
    { ph: 'X', name: 'Dequeue@aclnnAddmm', pid: 100, tid: 2, ts: '1050.000', dur: 30, cat: 'dequeue', args: { correlation_id: 7 } },
    // connection_id 7 is another numbering than the queue's correlation_id 7.
    { ph: 'X', name: 'AscendCL@aclnnAddmm', pid: 200, tid: 2, ts: '1055.000', dur: 15, args: { connection_id: 7 } },
    { ph: 'X', name: 'Node@launch', pid: 200, tid: 2, ts: '1060.000', dur: 5, args: { connection_id: 8 } },
    { ph: 'X', name: 'aclnnAddmm_MatMul', pid: 300, tid: 5, ts: '1100.000', dur: 10, args: { connection_id: 8, 'Task Type': 'AI_CORE' } },
    { ph: 'X', name: 'EVENT_RECORD', pid: 300, tid: 5, ts: '1111.000', dur: 1, args: { connection_id: 7, 'Task Type': 'EVENT_RECORD_SQE' } }
  ];
}

describe('links from the operator to the device work it launched', () => {
  it('follows an Ascend launch back through the task queue to the ATen operator that queued it', () => {
    const m = readText(ascendQueued());
    expect(m.links.queue.count).toBe(1);
    expect(nameOf(m, m.links.queue.from[0])).toBe('Enqueue');
    expect(nameOf(m, m.links.queue.to[0])).toBe('Dequeue@aclnnAddmm');
    const kernel = m.names.indexOf('aclnnAddmm_MatMul');
    const k = m.links.to.findIndex(i => m.slices.name[i] === kernel);
    expect(nameOf(m, m.links.from[k])).toBe('Node@launch');
    // The innermost ATen operator, not torch_npu's own record inside it nor aten::linear around it.
    expect(nameOf(m, m.links.op[m.links.to[k]])).toBe('aten::addmm');
    expect(nameOf(m, m.links.op[m.links.from[k]])).toBe('aten::addmm');
  });

  it('never takes a task-queue correlation_id for a launch connection_id', () => {
    const m = readText(ascendQueued());
    const record = m.names.indexOf('EVENT_RECORD');
    const k = m.links.to.findIndex(i => m.slices.name[i] === record);
    expect(nameOf(m, m.links.from[k])).toBe('AscendCL@aclnnAddmm');
    expect(m.links.from.every(i => !nameOf(m, i).startsWith('Enqueue'))).toBe(true);
  });

  it('takes the operator a Kineto launch lies in on its thread, and none for a launch outside every operator', () => {
    const m = readText({
      traceEvents: [
      { ph: 'X', cat: 'cpu_op', name: 'aten::mm', pid: 1, tid: 1, ts: 100, dur: 50 },
      { ph: 'X', cat: 'cuda_runtime', name: 'cudaLaunchKernel', pid: 1, tid: 1, ts: 110, dur: 5, args: { correlation: 5 } },
      { ph: 'X', cat: 'cuda_runtime', name: 'cudaLaunchKernel', pid: 1, tid: 1, ts: 200, dur: 5, args: { correlation: 6 } },
      { ph: 'X', cat: 'kernel', name: 'gemm', pid: 0, tid: 7, ts: 120, dur: 30, args: { correlation: 5 } },
      { ph: 'X', cat: 'kernel', name: 'fill', pid: 0, tid: 7, ts: 210, dur: 3, args: { correlation: 6 } }
      ]
    });
    const opOf = (kernel: string) => m.links.op[m.slices.name.indexOf(m.names.indexOf(kernel))];
    expect(nameOf(m, opOf('gemm'))).toBe('aten::mm');
    expect(opOf('fill')).toBe(-1);
  });

  it('pairs the 159 Enqueue and Dequeue slices of the Ascend Level1 trace by correlation_id', () => {
    const m = model(ASCEND_L1);
    expect(m.links.queue.count).toBe(159); // docs/trace-formats.md: 159 + 159
    for (let k = 0; k < m.links.queue.count; k++) {
      const enqueue = m.links.queue.from[k];
      const dequeue = m.links.queue.to[k];
      expect(nameOf(m, enqueue)).toBe('Enqueue');
      expect(nameOf(m, dequeue)).toMatch(/^Dequeue@/);
      expect(m.slices.correlation[enqueue]).toBe(m.slices.correlation[dequeue]);
      expect(m.slices.start[enqueue]).toBeLessThanOrEqual(m.slices.start[dequeue]);
      expect(tidOf(m, enqueue)).not.toBe(tidOf(m, dequeue)); // the caller's thread, then the consumer's
    }
  });

  it('gives the Level1 Conv2D kernels and the format casts around them to aten::_convolution', () => {
    // docs/trace-formats.md §4: the launches inside Dequeue@Conv2D, whose Enqueue is inside
    // aten::conv2d → aten::convolution → aten::_convolution → Conv2D.
    const m = model(ASCEND_L1);
    const launched: string[] = [];
    for (let k = 0; k < m.links.count; k++) {
      if (enclosing(m, m.links.from[k], j => nameOf(m, j) === 'Dequeue@Conv2D').length > 0) {
        launched.push(nameOf(m, m.links.to[k]));
        expect(nameOf(m, m.links.op[m.links.to[k]])).toBe('aten::_convolution');
      }
    }
    expect(launched.filter(n => /^Conv2D/.test(n)).length).toBeGreaterThanOrEqual(4);
    expect(launched.filter(n => /^trans_TransData/.test(n)).length).toBeGreaterThanOrEqual(10);
  });

  it.each(PUBLIC_TRACE_FILES)('gives the device work of %s the innermost ATen operator that made its launch', file => {
    const m = model(file);
    const dequeueToEnqueue = new Map<SliceIndex, SliceIndex>();
    for (let k = 0; k < m.links.queue.count; k++) {
      dequeueToEnqueue.set(m.links.queue.to[k], m.links.queue.from[k]);
    }
    let withOp = 0;
    // The brute-force check of containment runs on an even sample of at most ~300 links.
    const every = Math.ceil(m.links.count / 300);
    for (let k = 0; k < m.links.count; k++) {
      const launch = m.links.from[k];
      const op = m.links.op[m.links.to[k]];
      expect(op).toBe(m.links.op[launch]);
      if (op < 0) {
        continue;
      }
      withOp++;
      expect(m.slices.work[op]).toBe(OP);
      if (op === launch || k % every !== 0) {
        continue; // a torch_to_npu flow from an operator with no ATen operator around it
      }
      // Where the call ran for the operator: through the queue, the Enqueue on the caller's thread.
      const [dequeue] = enclosing(m, launch, j => dequeueToEnqueue.has(j));
      const point = dequeue === undefined ? launch : dequeueToEnqueue.get(dequeue)!;
      const around = enclosing(m, point, j => m.slices.work[j] === OP);
      expect(around).toContain(op);
      if (nameOf(m, op).startsWith('aten::')) {
        // Innermost: no ATen operator around the point lies inside it.
        // (Of two with the same bounds on one lane, the deeper one is inside.)
        const inside = (j: SliceIndex): boolean =>
          enclosing(m, j, x => x === op).length > 0 &&
          (m.slices.dur[j] < m.slices.dur[op] || m.slices.depth[j] > m.slices.depth[op]);
        const inner = around.filter(j => j !== op && nameOf(m, j).startsWith('aten::') && inside(j));
        expect(inner.map(j => nameOf(m, j))).toEqual([]);
      }
    }
    if (m.links.count >= 50) {
      expect(withOp).toBeGreaterThan(0.95 * m.links.count);
    }
  });
});
