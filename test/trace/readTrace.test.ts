import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../src/trace/errors';
import type { ITraceModel } from '../../src/trace/model';
import { WORK_KINDS } from '../../src/trace/model';
import { readTrace } from '../../src/trace/readTrace';
import { bareTrace, bytesOf } from './traceBytes';

const PY = 100;
const HW = 200;

/** Process metadata of a small torch_npu trace: Python pid 100, Ascend Hardware pid 200. */
const ASCEND_META = [
  { ph: 'M', name: 'process_name', pid: PY, tid: 0, args: { name: 'Python' } },
  { ph: 'M', name: 'process_name', pid: HW, tid: 0, args: { name: 'Ascend Hardware' } },
  { ph: 'M', name: 'thread_name', pid: HW, tid: 2, args: { name: 'Stream 2' } }
];

function x(name: string, ts: string | number, dur: number, pid: number | string = PY, tid: number | string = 1, extra: object = {}): object {
  return { ph: 'X', name, pid, tid, ts, dur, ...extra };
}

function names(model: ITraceModel): string[] {
  return Array.from(model.slices.name, id => model.names[id]);
}

function errorOf(bytes: Uint8Array): TraceFormatError {
  try {
    readTrace(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TraceFormatError);
    return error as TraceFormatError;
  }
  throw new Error('readTrace did not throw');
}

describe('readTrace', () => {
  it('rebases string timestamps exactly where parseFloat would merge them', () => {
    // 1.7e15 µs: a double steps by 0.25 µs, so .212 and .213 would collide.
    const model = readTrace(
      bareTrace([
        ...ASCEND_META,
        x('a', '1736408883704643.212', 0.001, HW, 2),
        x('b', '1736408883704643.213', 0.5, HW, 2),
        x('c', '1736408883704643.713', 1, HW, 2)
      ])
    );
    expect(Array.from(model.slices.start)).toEqual([0, 0.001, 0.501]);
    expect(Array.from(model.slices.depth)).toEqual([0, 0, 0]);
    expect(model.meta.originUs).toBe('1736408883704643.212');
    expect(model.spanUs).toBe(1.501);
  });

  it('takes the origin from the earliest slice or instant, not from metadata or counters', () => {
    const model = readTrace(
      bareTrace([
        { ph: 'C', name: 'AI Core Freq', pid: 300, tid: 0, ts: '5.000', args: { MHz: 1800 } },
        x('late', '20.500', 1),
        { ph: 'i', name: 'mark', pid: PY, tid: 1, ts: '10.250', s: 't' }
      ])
    );
    expect(model.meta.originUs).toBe('10.25');
    expect(model.slices.start[0]).toBe(10.25);
    expect(model.slices.count).toBe(1);
  });

  it('adds baseTimeNanoseconds to relative Kineto times in the origin', () => {
    const model = readTrace(
      bytesOf(
        '{"baseTimeNanoseconds": 1727743122000000001, "traceEvents": [' +
          '{"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 1, "ts": 2413669096090.1, "dur": 3}]}'
      )
    );
    expect(model.meta.originUs).toBe('1730156791096090.101');
    expect(model.backend).toBe('cpu');
  });

  it('turns B/E pairs into slices and skips instants, counters and metadata', () => {
    const model = readTrace(
      bareTrace([
        { ph: 'B', name: 'outer', pid: 1, tid: 1, ts: 0 },
        { ph: 'B', name: 'inner', pid: 1, tid: 1, ts: 2 },
        { ph: 'E', pid: 1, tid: 1, ts: 5 },
        { ph: 'E', pid: 1, tid: 1, ts: 10 },
        { ph: 'i', name: 'tick', pid: 1, tid: 1, ts: 3, s: 't' },
        { ph: 'C', name: 'mem', pid: 1, tid: 1, ts: 4, args: { v: 1 } }
      ])
    );
    expect(names(model)).toEqual(['outer', 'inner']);
    expect(Array.from(model.slices.dur)).toEqual([10, 3]);
    expect(Array.from(model.slices.depth)).toEqual([0, 1]);
  });

  it('stacks overlapping slices that do not nest on the next free depth', () => {
    const model = readTrace(
      bareTrace([
        ...ASCEND_META,
        x('a', '0.000', 10, HW, 2),
        x('b', '5.000', 10, HW, 2),
        x('c', '12.000', 10, HW, 2),
        x('d', '13.000', 1, HW, 2)
      ])
    );
    // a: 0; b overlaps a: 1; c overlaps b but a is over: 0; d nests in c, and
    // depth 1 is still taken by b until 15: 2.
    expect(Array.from(model.slices.depth)).toEqual([0, 1, 0, 2]);
  });

  it('sorts slices by lane then start, longer first on ties', () => {
    const model = readTrace(
      bareTrace([
        ...ASCEND_META,
        x('kernel', '1.000', 1, HW, 2),
        x('child', '0.000', 1),
        x('parent', '0.000', 5),
        x('later', '6.000', 1)
      ])
    );
    expect(names(model)).toEqual(['parent', 'child', 'later', 'kernel']);
    expect(model.lanes.map(l => l.label)).toEqual([
      'Python Thread 1',
      'Ascend Hardware Stream 2'
    ]);
    expect(Array.from(model.slices.depth)).toEqual([0, 1, 0, 0]);
  });

  it('recognises the task-queue consumer thread and unnamed CANN processes', () => {
    const model = readTrace(
      bareTrace([
        ...ASCEND_META,
        x('Enqueue', '0.000', 1, PY, 1),
        x('Dequeue@Add', '1.000', 3, PY, 7),
        x('aclnnAdd', '1.500', 1, 400, 7),
        { ph: 's', cat: 'HostToDevice', name: 'HostToDevice9', id: '9', pid: 400, tid: 7, ts: '1.500' },
        x('mystery', '2.000', 1, 500, 3)
      ])
    );
    expect(model.lanes.map(l => [l.kind, l.label])).toEqual([
      ['host', 'Python Thread 1'],
      ['dispatch', 'Task Queue Thread 7'],
      ['dispatch', 'CANN Thread 7'],
      ['other', 'Process 500 Thread 3']
    ]);
  });

  it('links torch_to_npu flows whose ids differ only beyond 2^53', () => {
    const flow = (ph: string, id: string, pid: number, tid: number, ts: string): string =>
      `{"ph": "${ph}", "bp": "e", "name": "torch_to_npu", "cat": "async_npu", "id": ${id}, "pid": ${pid}, "tid": ${tid}, "ts": "${ts}"}`;
    const events = [
      ...ASCEND_META.map(e => JSON.stringify(e)),
      JSON.stringify(x('aten::add', '0.000', 5)),
      JSON.stringify(x('aten::mul', '10.000', 5)),
      JSON.stringify(x('AddKernel', '20.000', 1, HW, 2)),
      JSON.stringify(x('MulKernel', '30.000', 1, HW, 2)),
      // JSON.parse would read both ids as 1736408883704643200.
      flow('s', '1736408883704643212', PY, 1, '0.000'),
      flow('s', '1736408883704643213', PY, 1, '10.000'),
      flow('f', '1736408883704643213', HW, 2, '30.000'),
      flow('f', '1736408883704643212', HW, 2, '20.000'),
      flow('f', '99', HW, 2, '20.000') // orphan
    ];
    const model = readTrace(bytesOf('[' + events.join(',\n') + ']'));
    const pairs = Array.from(model.links.from, (f, k) => [
      model.names[model.slices.name[f]],
      model.names[model.slices.name[model.links.to[k]]]
    ]).sort();
    expect(pairs).toEqual([
      ['aten::add', 'AddKernel'],
      ['aten::mul', 'MulKernel']
    ]);
  });

  it('links Kineto runtime calls to GPU work by correlation and keeps annotations apart', () => {
    const model = readTrace(
      bytesOf(
        JSON.stringify({
          deviceProperties: [{ id: 0, name: 'NVIDIA H100' }],
          cuda_runtime_version: 12040,
          traceEvents: [
            x('ProfilerStep#3', 0, 100, 7, 7, { cat: 'user_annotation' }),
            x('cudaLaunchKernel', 1, 5, 7, 7, { cat: 'cuda_runtime', args: { correlation: 42 } }),
            x('gemm', 8, 20, 0, 7, { cat: 'kernel', args: { correlation: 42 } }),
            x('ProfilerStep#3', 8, 90, 0, 7, { cat: 'gpu_user_annotation' }),
            { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7 ' } },
            { ph: 'M', name: 'thread_name', pid: 7, tid: 7, args: { name: 'thread 7 (python)' } },
            x('PyTorch Profiler (0)', 0, 200, 'Spans', 'PyTorch Profiler', { cat: 'Trace' })
          ]
        })
      )
    );
    expect(model.backend).toBe('cuda');
    expect(model.meta.device).toBe('NVIDIA H100');
    expect(model.meta.versions).toEqual({ cuda_runtime_version: '12040' });
    expect(model.lanes.map(l => [l.kind, l.label])).toEqual([
      ['host', 'Thread 7 (python)'],
      ['device', 'GPU 0 stream 7'],
      ['other', 'GPU 0 annotations']
    ]);
    expect(model.slices.count).toBe(4);
    expect(model.links.count).toBe(1);
    expect(model.names[model.slices.name[model.links.from[0]]]).toBe('cudaLaunchKernel');
    expect(model.names[model.slices.name[model.links.to[0]]]).toBe('gemm');
    expect(model.steps).toEqual([{ name: 'ProfilerStep#3', start: 0, dur: 100 }]);
    expect(model.slices.work[3]).toBe(WORK_KINDS.indexOf('other'));
  });

  it('removes a trailing comma before the closing bracket and says so', () => {
    const model = readTrace(bytesOf('[{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": "0.000", "dur": 1},\n]'));
    expect(model.slices.count).toBe(1);
    expect(model.warnings).toEqual([
      'Removed 1 trailing comma before a closing bracket.'
    ]);
  });

  it('removes the comma torch_npu leaves before its events when the framework part was empty', () => {
    // The framework part is written as `[` (its `]` cut off), then `,` + the device events.
    const text = '[,{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": "0.000", "dur": 1}]';
    for (const byteReaderFrom of [undefined, 0, Infinity]) {
      const model = readTrace(bytesOf(text), byteReaderFrom === undefined ? {} : { byteReaderFrom });
      expect(names(model)).toEqual(['a']);
      expect(model.warnings).toEqual([
        'Removed 1 comma before the first event (events appended to an empty list).'
      ]);
    }
  });

  it('keeps every complete event of a cut-off array and counts the dropped bytes', () => {
    const complete =
      '[{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": "0.000", "dur": 1},\n' +
      '{"ph": "X", "name": "b", "pid": 1, "tid": 1, "ts": "2.000", "dur": 1}';
    const tail = ',\n{"ph": "X", "name": "c", "pid": 1, "t';
    const model = readTrace(bytesOf(complete + tail));
    expect(names(model)).toEqual(['a', 'b']);
    expect(model.warnings).toEqual([
      `The input ended inside the event array; ${tail.length} bytes after the last complete event were dropped.`
    ]);
  });

  it('keeps the complete events of a cut-off Kineto object', () => {
    const tail = ', {"ph": "X", "na';
    const model = readTrace(
      bytesOf('{"schemaVersion": 1, "traceEvents": [{"ph": "X", "cat": "cpu_op", "name": "a", "pid": 1, "tid": 1, "ts": 5, "dur": 1}' + tail)
    );
    expect(names(model)).toEqual(['a']);
    expect(model.warnings).toEqual([
      `The input ended inside the event array; ${tail.length} bytes after the last complete event were dropped.`
    ]);
  });

  it('repairs raw control characters and invalid escapes inside strings', () => {
    const text =
      '[{"ph": "X", "name": "C:\\Users\\me\\work.py(12): step\tloop", "pid": 1, "tid": 1, "ts": "0.000", "dur": 1}]';
    const model = readTrace(bytesOf(text));
    expect(model.names[0]).toBe('C:\\Users\\me\\work.py(12): step\tloop');
    expect(model.warnings).toEqual([
      'Escaped 1 raw control character inside strings.',
      'Kept 3 invalid backslash escapes inside strings as literal backslashes.'
    ]);
  });

  it.each([
    ['empty bytes', new Uint8Array(0), 'empty', 'The file is empty.'],
    ['whitespace', bytesOf('  \n'), 'empty', 'The file holds only whitespace.'],
    ['an empty event array', bytesOf('[]'), 'empty', 'The trace holds no events.'],
    [
      'an event array that was opened and never written',
      bytesOf('[\n'),
      'empty',
      'The event array was opened but holds no event (the export stopped before writing one).'
    ],
    [
      'a notebook',
      bytesOf(JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 })),
      'not-a-trace',
      'The file is a JSON object without a traceEvents array (keys: cells, metadata, nbformat, nbformat_minor).'
    ],
    [
      'an HTML page',
      bytesOf('<!DOCTYPE html>\n<html><head><title>404</title></head></html>'),
      'not-json',
      'The file is HTML, not JSON.'
    ],
    [
      'a CSV file',
      bytesOf('Step Id,Name,Type\n50,trans_TransData_0,TransData\n50,Add,Add\n'),
      'not-json',
      'The file is CSV text, not JSON.'
    ],
    [
      'an array of numbers',
      bytesOf('[1, 2, 3]'),
      'not-a-trace',
      'The file is a JSON array of 3 items that are not trace events.'
    ],
    ['gzip bytes', new Uint8Array([0x1f, 0x8b, 8, 0]), 'not-json', 'The file is gzip-compressed data, not JSON text.']
  ])('rejects %s with a TraceFormatError', (_, bytes, kind, message) => {
    const error = errorOf(bytes);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
  });

  it('rejects broken JSON it cannot repair as not-json', () => {
    const error = errorOf(bytesOf('[{"ph": "X", "name": nope}]'));
    expect(error.kind).toBe('not-json');
    expect(error.message).toMatch(/^The file starts like JSON but is not valid JSON/);
  });
});
