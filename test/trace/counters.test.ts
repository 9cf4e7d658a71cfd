import { describe, expect, it, vi } from 'vitest';
import { EventBytesReader } from '../../src/trace/eventBytes';
import type { ITraceModel } from '../../src/trace/model';
import { readTrace, readTraceStream } from '../../src/trace/readTrace';
import { bareTrace, bytesOf, publicTraceBytes } from './traceBytes';

const PY = 100;
const FREQ = 300;
const HBM = 301;

/** A torch_npu trace with two counter processes, as the Ascend profiler writes them (string ts, unit in the key). */
function ascendWithCounters(): object[] {
  return [
    { ph: 'M', name: 'process_name', pid: PY, tid: 0, args: { name: 'Python' } },
    { ph: 'M', name: 'process_name', pid: FREQ, tid: 0, args: { name: 'AI Core Freq' } },
    { ph: 'M', name: 'process_name', pid: HBM, tid: 0, args: { name: 'HBM' } },
    { ph: 'X', name: 'aten::mm', pid: PY, tid: 1, ts: '1736408883573900.000', dur: 50 },
    { name: 'AI Core Freq', ts: '1736408883573887.920', pid: FREQ, tid: 0, args: { MHz: 1800 }, ph: 'C' },
    { name: 'HBM 0/Read', ts: '1736408883573910.5', pid: HBM, tid: 0, args: { 'Read(MB/s)': 12.5 }, ph: 'C' },
    // Two values in one event (as Acc PMU writes them), and a value that is not a number.
    { name: 'read_bandwidth', ts: '1736408883573911', pid: HBM, tid: 0, args: { acc_id: 3, value: 0.25, note: 'x' }, ph: 'C' },
    { name: 'HBM 0/Read', ts: '1736408883573930.5', pid: HBM, tid: 0, args: { 'Read(MB/s)': 99 }, ph: 'C' },
    // Written out of order: the model keeps each series in time order.
    { name: 'HBM 0/Read', ts: '1736408883573920.5', pid: HBM, tid: 0, args: { 'Read(MB/s)': 40 }, ph: 'C' },
    { name: 'AI Core Freq', ts: '1736408883573990.080', pid: FREQ, tid: 0, args: { MHz: 800 }, ph: 'C' },
    // Counters without args, or with args that are not an object, hold no sample.
    { name: 'AI Core Freq', ts: '1736408883573995', pid: FREQ, tid: 0, ph: 'C' },
    { name: 'AI Core Freq', ts: '1736408883573996', pid: FREQ, tid: 0, args: [5], ph: 'C' }
  ];
}

/** Each series as "lane label | name | key: t=v, ...", times and values as read. */
function seriesText(model: ITraceModel): string[] {
  const { series, time, value } = model.counters;
  return series.map(s => {
    const samples = Array.from({ length: s.count }, (_, k) => `${time[s.first + k]}=${value[s.first + k]}`);
    return `${model.lanes[s.lane].label} | ${s.name} | ${s.key}: ${samples.join(', ')}`;
  });
}

/** The trace read whole, from bytes with the WebAssembly reader in pieces, and parsed in batches. */
function everyWay(bytes: Uint8Array): ITraceModel[] {
  return [
    readTrace(bytes),
    readTrace(bytes, { byteReaderFrom: 0, batchBytes: 64 }),
    readTrace(bytes, { byteReaderFrom: Infinity, batchBytes: 64 })
  ];
}

describe('counter events (ph "C")', () => {
  it('reads each numeric args value as a sample of its series, times exact from the origin', () => {
    const expected = [
      'AI Core Freq | AI Core Freq | MHz: -12.08=1800, 90.08=800',
      'HBM | HBM 0/Read | Read(MB/s): 10.5=12.5, 20.5=40, 30.5=99',
      'HBM | read_bandwidth | acc_id: 11=3',
      'HBM | read_bandwidth | value: 11=0.25'
    ];
    for (const model of everyWay(bareTrace(ascendWithCounters()))) {
      expect(seriesText(model)).toEqual(expected);
      // The slice still sets the origin; the first frequency sample comes before it.
      expect(model.meta.originUs).toBe('1736408883573900');
    }
  });

  it('gives counter-only processes lanes of kind counter, named after the process', () => {
    const [model] = everyWay(bareTrace(ascendWithCounters()));
    expect(model.lanes.map(l => [l.kind, l.label])).toEqual([
      ['host', 'Python Thread 1'],
      ['counter', 'AI Core Freq'],
      ['counter', 'HBM']
    ]);
  });

  it('reads the same samples with the TypeScript event reader', async () => {
    vi.resetModules();
    vi.doMock('../../src/trace/wasmEventReader', async original => ({
      ...(await original<typeof import('../../src/trace/wasmEventReader')>()),
      createEventBytesReader: () => new EventBytesReader()
    }));
    const { readTrace: readWithoutWasm } = await import('../../src/trace/readTrace');
    const bytes = bareTrace(ascendWithCounters());
    const reads = vi.spyOn(EventBytesReader.prototype, 'read');
    const model = readWithoutWasm(bytes, { byteReaderFrom: 0 });
    expect(reads).toHaveBeenCalled();
    reads.mockRestore();
    vi.doUnmock('../../src/trace/wasmEventReader');
    expect(seriesText(model)).toEqual(seriesText(readTrace(bytes)));
  });

  it('names a series after the event name and its id, and keeps a counter lane of a Kineto trace', () => {
    const trace = {
      traceEvents: [
        { ph: 'X', cat: 'cpu_op', name: 'aten::add', pid: 1, tid: 1, ts: 100, dur: 5 },
        { ph: 'C', name: 'queue', id: 7, pid: 9, tid: 0, ts: 101, args: { length: 4 } },
        { ph: 'C', name: 'queue', id: null, pid: 9, tid: 0, ts: 102, args: { length: 5 } }
      ]
    };
    // An id longer than a double holds is kept as written, as for flows.
    const long = JSON.stringify(trace).replace('"id":7', '"id":12345678901234567891');
    for (const model of everyWay(bytesOf(long))) {
      expect(seriesText(model)[1]).toBe('Process 9 | queue 12345678901234567891 | length: 1=4');
    }
    for (const model of everyWay(bytesOf(JSON.stringify(trace)))) {
      expect(seriesText(model)).toEqual(['Process 9 | queue | length: 2=5', 'Process 9 | queue 7 | length: 1=4']);
      expect(model.lanes.find(l => l.label === 'Process 9')?.kind).toBe('counter');
    }
  });

  it('reads counters of unusual forms as JSON.parse does, whichever way they are read', () => {
    // Each form comes after a plain event of the same name and lane, so the
    // WebAssembly reader knows their ids and could take them in a run.
    const forms = [
      '{"v": 1, "w": 2, "x": 3}', // more values than a run keeps
      '{"correlation": 5, "v": 1}', // a key the reader knows from slices
      '{"v": 1e3}', // an exponent
      '{"v": 12345678901234567890}', // more digits than a double holds exactly
      '{"v": -0.5, "w": -0}', // signs
      '{"温度": 41}', // a key that is not ASCII
      '{"v\\u0041": 7}', // an escaped key
      '{"v": 1.5}',
      '{"v": "12"}', // a string is not a sample
      '{"v": null, "w": true, "x": [1], "y": {"z": 1}}', // nor are these
      '{"v": 2, "v": "x"}', // JSON.parse keeps the last value of a key: no sample
      '{"id": 1234567890123456, "v": 1}' // a long id is kept as text: no sample
    ];
    let text = '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":"1.000","dur":1}';
    forms.forEach((args, k) => {
      const ts = (t: number) => `"${10 * k + t}.250"`;
      text += `,{"ph":"C","name":"c${k}","pid":2,"tid":0,"ts":${ts(0)},"args":{"v":0}}`;
      text += `,{"ph":"C","name":"c${k}","pid":2,"tid":0,"ts":${ts(1)},"args":${args}}`;
    });
    text += ']';
    const models = everyWay(new TextEncoder().encode(text));
    const expected = seriesText(readTrace(new TextEncoder().encode(text), { byteReaderFrom: Infinity }));
    for (const model of models) {
      expect(seriesText(model)).toEqual(expected);
    }
    expect(expected).toEqual([
      'Process 2 | c0 | v: -0.75=0, 0.25=1',
      'Process 2 | c0 | w: 0.25=2',
      'Process 2 | c0 | x: 0.25=3',
      'Process 2 | c1 | correlation: 10.25=5',
      'Process 2 | c1 | v: 9.25=0, 10.25=1',
      'Process 2 | c2 | v: 19.25=0, 20.25=1000',
      'Process 2 | c3 | v: 29.25=0, 30.25=12345678901234567000',
      'Process 2 | c4 | v: 39.25=0, 40.25=-0.5',
      'Process 2 | c4 | w: 40.25=0',
      'Process 2 | c5 | v: 49.25=0',
      'Process 2 | c5 | \u6e29\u5ea6: 50.25=41',
      'Process 2 | c6 | v: 59.25=0',
      'Process 2 | c6 | vA: 60.25=7',
      'Process 2 | c7 | v: 69.25=0, 70.25=1.5',
      'Process 2 | c8 | v: 79.25=0',
      'Process 2 | c9 | v: 89.25=0',
      'Process 2 | c10 | v: 99.25=0',
      'Process 2 | c11 | v: 109.25=0, 110.25=1'
    ]);
    // -0 stays -0 on every path.
    for (const model of models) {
      const w = model.counters.series.find(x => x.name === 'c4' && x.key === 'w')!;
      expect(Object.is(model.counters.value[w.first], -0)).toBe(true);
    }
  });

  it('keeps the last value of a repeated key, as JSON.parse does', () => {
    const text = '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":1,"dur":1},' +
      '{"ph":"C","name":"c","pid":2,"tid":0,"ts":1,"args":{"v":1}},' +
      '{"ph":"C","name":"c","pid":2,"tid":0,"ts":2,"args":{"v":2,"v":3}}]';
    for (const model of everyWay(new TextEncoder().encode(text))) {
      expect(seriesText(model)).toEqual(['Process 2 | c | v: 0=1, 1=3']);
    }
  });

  it.each([
    'ascend-msinsight/level0/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json',
    'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
    'ascend-msinsight/level2/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz'
  ])('reads every numeric counter value of %s, each exactly where the raw text puts it', file => {
    const bytes = publicTraceBytes(file);
    const model = readTrace(bytes);
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as {
      ph?: string;
      name: string;
      ts: string;
      pid: number;
      args?: Record<string, unknown>;
    }[];
    // Expected: per series (process name, event name, key), the samples' µs from the origin,
    // computed exactly in integer picoseconds from the decimal text.
    const processName = new Map(
      raw.filter(e => e.ph === 'M' && e.name === 'process_name').map(e => [e.pid, String(e.args?.name)])
    );
    const ps = (ts: string) => {
      const [whole, fraction = ''] = ts.split('.');
      return BigInt(whole) * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
    };
    const origin = ps(model.meta.originUs);
    const expected = new Map<string, string[]>();
    for (const e of raw) {
      if (e.ph !== 'C' || e.args === undefined) {
        continue;
      }
      for (const [key, value] of Object.entries(e.args)) {
        if (typeof value === 'number') {
          const series = `${processName.get(e.pid)} | ${e.name} | ${key}`;
          const sample = `${Number(ps(e.ts) - origin) / 1e6}=${value}`;
          expected.set(series, [...(expected.get(series) ?? []), sample]);
        }
      }
    }
    const read = new Map(
      seriesText(model).map(line => {
        const at = line.lastIndexOf(': ');
        return [line.slice(0, at), line.slice(at + 2).split(', ')];
      })
    );
    expect(read.size).toBe(expected.size);
    for (const [series, samples] of expected) {
      // The file writes each series in time order, so the model's order is the file's.
      expect(read.get(series), series).toEqual(samples);
    }
    expect(read.get('AI Core Freq | AI Core Freq | MHz')).toBeDefined();
  });

  it('says how many events of kinds it does not read it skipped, on every path, and not for flows', () => {
    const events: object[] = [{ ph: 'X', name: 'a', pid: 1, tid: 1, ts: 1, dur: 1 }];
    for (let k = 0; k < 50; k++) {
      events.push(
        { ph: 'X', name: 'a', pid: 1, tid: 1, ts: 10 + k, dur: 1 },
        { ph: 'b', cat: 'async', name: 'req', id: k, pid: 1, tid: 1, ts: 10 + k },
        { ph: 'e', cat: 'async', name: 'req', id: k, pid: 1, tid: 1, ts: 11 + k },
        { ph: 's', cat: 'ac2g', name: 'flow', id: k, pid: 1, tid: 1, ts: 10 + k }
      );
    }
    events.push(
      { ph: 'P', name: 'sample', pid: 1, tid: 1, ts: 99 },
      { name: 'no phase', pid: 1, tid: 1, ts: 99 },
      { ph: '\u00e9', name: 'a phase of two UTF-8 bytes', pid: 1, tid: 1, ts: 99 }
    );
    const expected =
      'Skipped 103 events of kinds the model does not read (without a one-character ph: 2, "P": 1, "b": 50, "e": 50; ' +
      '"b"/"e"/"n" are async events, "P" samples, "O" object snapshots).';
    for (const model of everyWay(bareTrace(events))) {
      expect(model.warnings).toEqual([expected]);
      expect(model.slices.count).toBe(51);
    }
  });

  it('turns PyTorch memory events into the memory in use per device, on a memory lane of the process', () => {
    const mem = (tid: number, ts: number, device: [number, number], allocated: number, reserved: number) => ({
      ph: 'i', cat: 'cpu_instant_event', s: 't', name: '[memory]', pid: 7, tid, ts,
      args: { 'Total Reserved': reserved, 'Total Allocated': allocated, Bytes: 1, 'Device Id': device[1], 'Device Type': device[0], Addr: 1 }
    });
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'process_name', pid: 7, tid: 0, args: { name: 'python' } },
        { ph: 'X', cat: 'cpu_op', name: 'aten::empty', pid: 7, tid: 1, ts: 100, dur: 50 },
        mem(1, 110, [1, 0], 512, 2048),
        // Freed on another thread: the same device's total.
        mem(2, 130, [1, 0], 0, 2048),
        mem(1, 120, [0, -1], 64, 0)
      ]
    };
    for (const model of everyWay(bytesOf(JSON.stringify(trace)))) {
      expect(seriesText(model)).toEqual([
        'python memory | Memory allocated (CPU) | B: 20=64',
        'python memory | Memory allocated (GPU 0) | B: 10=512, 30=0',
        'python memory | Memory reserved (CPU) | B: 20=0',
        'python memory | Memory reserved (GPU 0) | B: 10=2048, 30=2048'
      ]);
      expect(model.lanes.map(l => [l.kind, l.label])).toEqual([
        ['host', 'Thread 1'],
        ['counter', 'python memory']
      ]);
    }
  });

  it('sums the changes of 2021 memory events per device, in time order, across threads (kineto-tb-plugin resnet50)', () => {
    const bytes = publicTraceBytes('kineto-tb-plugin/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz');
    const model = readTrace(bytes);
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as {
      traceEvents: { name?: string; ts: number; args?: Record<string, number> }[];
    };
    const memory = raw.traceEvents.filter(e => e.name === '[memory]');
    const { series, value, time } = model.counters;
    for (const [deviceId, device] of [[-1, 'CPU'], [0, 'GPU 0']] as const) {
      const s = series.find(x => x.name === `Memory allocated since the trace start (${device})`)!;
      const changes = memory.filter(e => e.args!['Device Id'] === deviceId);
      expect(s.count).toBe(changes.length);
      expect(model.lanes[s.lane]).toMatchObject({ kind: 'counter', label: 'python memory' });
      // The last sample is the sum of every change; samples are in time order.
      expect(value[s.first + s.count - 1]).toBe(changes.reduce((sum, e) => sum + e.args!.Bytes, 0));
      for (let k = s.first + 1; k < s.first + s.count; k++) {
        expect(time[k]).toBeGreaterThanOrEqual(time[k - 1]);
      }
    }
    const gpu = series.find(x => x.name === 'Memory allocated since the trace start (GPU 0)')!;
    // Memory the model holds stays above zero once the weights are on the GPU.
    expect(Math.max(...value.subarray(gpu.first, gpu.first + gpu.count))).toBeGreaterThan(1e9);
  });

  it('reads the same counters from a real trace streamed in odd pieces, or cut off, as JSON.parse does', async () => {
    const bytes = publicTraceBytes('ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz');
    const reference = readTrace(bytes, { byteReaderFrom: Infinity });
    for (const size of [4099, 65537]) {
      const chunks: Uint8Array[] = [];
      for (let off = 0; off < bytes.length; off += size) {
        chunks.push(bytes.subarray(off, off + size));
      }
      const model = await readTraceStream(chunks, { byteReaderFrom: 0 });
      expect(model.counters, `pieces of ${size}`).toEqual(reference.counters);
    }
    for (const share of [0.3, 0.61, 0.97]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * share));
      const fromObjects = readTrace(cut, { byteReaderFrom: Infinity });
      expect(readTrace(cut, { byteReaderFrom: 0 }).counters, `cut at ${share}`).toEqual(fromObjects.counters);
      expect(fromObjects.warnings.join(' ')).toMatch(/ended|cut/i);
    }
  });

  it('finds no counters in the Kineto traces, which write none', () => {
    const model = readTrace(publicTraceBytes('hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz'));
    expect(model.counters.series).toEqual([]);
    expect(model.lanes.some(l => l.kind === 'counter')).toBe(false);
  });
});
