import { describe, expect, it } from 'vitest';
import { TraceFormatError } from '../../src/trace/errors';
import type { ITraceModel } from '../../src/trace/model';
import { readTrace, readTraceStream } from '../../src/trace/readTrace';
import { PUBLIC_TRACE_FILES, bytesOf, publicTraceBytes } from './traceBytes';

/**
 * The model builder reads the usual events straight from bytes; every other
 * event goes through JSON.parse. Both ways must give the same model, to the
 * last bit: these tests read each input both ways and compare everything.
 */

/**
 * Read both ways, and with the default options (a small file: one whole
 * `JSON.parse` where it gives the same events); the same model, or the same
 * kind of error.
 */
function expectSameBothWays(bytes: Uint8Array): ITraceModel | TraceFormatError {
  const read = (byteReaderFrom?: number): ITraceModel | TraceFormatError => {
    try {
      return readTrace(bytes, byteReaderFrom === undefined ? {} : { byteReaderFrom });
    } catch (error) {
      if (error instanceof TraceFormatError) {
        return error;
      }
      throw error;
    }
  };
  const fromBytes = read(0);
  const fromObjects = read(Infinity);
  const byDefault = read();
  for (const other of [fromBytes, byDefault]) {
    if (fromObjects instanceof TraceFormatError) {
      expect(other).toBeInstanceOf(TraceFormatError);
      expect((other as TraceFormatError).kind).toBe(fromObjects.kind);
    } else {
      // toEqual compares typed arrays element by element, and 0 with -0 as different.
      expect(other).toEqual(fromObjects);
    }
  }
  return fromBytes;
}

/** A bare event array of event texts, with a process name so it reads as Ascend. */
function arrayOf(...events: string[]): Uint8Array {
  return bytesOf('[' + events.join(',\n') + ']');
}

/** One complete slice with the given fields replacing the defaults (raw JSON values). */
function slice(fields: Record<string, string>): string {
  const all: Record<string, string> = {
    ph: '"X"',
    name: '"op"',
    pid: '1',
    tid: '2',
    ts: '"1736408883704643.212"',
    dur: '1.5',
    ...fields
  };
  return '{' + Object.entries(all).map(([k, v]) => `"${k}": ${v}`).join(', ') + '}';
}

/** A second slice on the same lane, so that times and order have a reference. */
const NEIGHBOUR = slice({ name: '"neighbour"', ts: '"1736408883704640.5"', dur: '10' });

describe('reading events from bytes', () => {
  it.each(PUBLIC_TRACE_FILES)('reads %s to the model JSON.parse gives', relative => {
    const model = expectSameBothWays(publicTraceBytes(relative));
    expect(model).not.toBeInstanceOf(TraceFormatError);
  });

  it.each([
    // ts: strings, numbers short and long, and what is not a time.
    ['ts', ['"1736408883704643"', '"1736408883704643.2125678"', '"+12.5"', '"-12.5"', '" 12"', '"1e3"', '""', '"abc"', '"9007199254740993.5"', '"12345678901234567890"', '"\\u0031\\u0032.5"']],
    ['ts', ['1.5', '0', '0.0', '-0', '0.000001', '0.0000001', '0.00000096', '-5.25', '12.000', '1712195495505543.25', '1712195495505543', '17121954955055432.5', '1.7e15', '1E-7', '999999999999999', '9007199254740993', 'null', 'true', '{}', '[]']],
    ['dur', ['0', '-1', '12.77012757357446', '53.7410625', '1e-7', '123456789012345678', '0.1234567890123456789012345', '"12.5"', '" 3 "', '""', '"x"', 'null', 'true', '[5]', '{}']],
    ['name', ['"a\\"b\\\\c\\/d\\u00e9\\n"', '"\u4e2d\u6587 é"', '"\ufeffbom"', '42', '1.0', '-0', '1e21', 'null', 'true', '{"a": 1}', '["a", "b"]', '"Dequeue@op"', '"hipLaunchKernel"']],
    ['pid', ['"1"', '1.0', '-0', '-7', '1e3', '12345678901234567890', '1234567890123456', 'null', '"Spans"', '"Sp\\u0061ns"', '"a/b"', 'true', '[1]']],
    ['tid', ['"stream 7"', '"7"', 'null', '0.5', '{}']],
    ['cat', ['"kernel"', '"gpu_user_annotation"', '"gpu_\\u0075ser_annotation"', '3', 'null', '"python_function"']],
    ['args', ['{"correlation": 7}', '{"correlation": null, "connection_id": 9}', '{"correlation": "7", "connection_id": 9}', '{"connection_id": 1.5e3}', '{"correlation": 1, "correlation": 2}', '{"Task Type": "EVENT_WAIT_SQE"}', '{"Task Type": "PCIE\\u005fDMA_SQE"}', '{"Task Type": 3}', '[1, 2]', 'null', '"x"', '{"Input Dims": [[1, 2], [], [[3]]], "Call stack": "a;\\r\\nb", "n": {"x": [true, false, null, -1.5e-3]}, "correlation": 5}']]
  ] as [string, string[]][])('reads %s written in any form as JSON.parse does', (field, values) => {
    for (const value of values) {
      // Each form twice on two lanes: the second time every id is known, so
      // the WebAssembly reader makes the slice itself where it can.
      const once = [slice({ [field]: value }), slice({ [field]: value, tid: '3' })];
      expectSameBothWays(arrayOf(NEIGHBOUR, ...once, ...once, NEIGHBOUR));
    }
  });

  it('reads flows, instants and events it leaves to JSON.parse in file order', () => {
    const bytes = arrayOf(
      '{"ph": "M", "name": "process_name", "pid": 200, "args": {"name": "Ascend Hardware"}}',
      '{"ph": "M", "name": "thread_name", "pid": 200, "tid": 2, "args": {"name": "Stream 2"}}',
      slice({ name: '"aten::add"', ts: '"1736408883702792.080"', dur: '5' }),
      '{"ph": "s", "name": "torch_to_npu", "id": 1736408883704643212, "pid": 1, "tid": 2, "ts": "1736408883702792.080", "cat": "async_npu"}',
      '{"ph": "f", "name": "torch_to_npu", "id": 1736408883704643212, "pid": 200, "tid": 2, "ts": "1736408883704643.212", "cat": "async_npu", "bp": "e"}',
      '{"ph": "s", "name": "x", "id": "abc", "pid": 1, "tid": 2, "ts": "1736408883702792.080", "cat": "async\\u005fnpu"}',
      '{"ph": "f", "name": "x", "id": "abc", "pid": 200, "tid": 2, "ts": "1736408883704643.212", "cat": "async_npu"}',
      '{"ph": "s", "name": "torch_to_npu", "id": 12, "pid": 1, "tid": 2, "ts": "1736408883702792.080"}',
      '{"ph": "f", "name": "torch_to_npu", "id": 12.0, "pid": 200, "tid": 2, "ts": "1736408883704643.212"}',
      '{"ph": "s", "name": "torch_to_npu", "id": null, "pid": 1, "tid": 2, "ts": "1736408883702792.080"}',
      '{"ph": "f", "name": "torch_to_npu", "pid": 200, "tid": 2, "ts": "1736408883704643.212"}',
      '{"ph": "t", "name": "torch_to_npu", "id": 3, "pid": 1, "tid": 2, "ts": "1736408883702792.080"}',
      '{"name": "HostToDevice936", "ph": "s", "cat": "HostToDevice", "id": "936", "pid": 300, "tid": 2, "ts": "1736408883694795.840"}',
      '{"ph": "s", "cat": "Host\\u0054oDevice", "id": "937", "pid": 301, "tid": 2, "ts": "1736408883694795.840"}',
      slice({ pid: '200', tid: '2', name: '"trans_TransData_0"', ts: '"1736408883704643.212"', dur: '53.7410625', args: '{"Task Type": "AI_CORE", "connection_id": 953}' }),
      slice({ pid: '300', tid: '2', name: '"Node@launch"', ts: '"1736408883704625.030"', dur: '31.46', args: '{"connection_id": 953}' }),
      '{"ph": "i", "s": "g", "name": "end", "pid": 1, "tid": 2, "ts": "1736408883600000"}',
      '{"ph": "i", "s": "\\u0067", "name": "end", "pid": 1, "tid": 2, "ts": "1736408883600001"}',
      '{"ph": "I", "s": "t", "name": "mark", "pid": 1, "tid": 2, "ts": "1736408883600002"}',
      '{"ph": "i", "name": "mark", "pid": "Traces", "tid": 2, "ts": "1736408883600003"}',
      '{"ph": "i", "name": "mark", "pid": 1, "tid": 2, "ts": "bad"}',
      '{"ph": "B", "name": "outer", "pid": 1, "tid": 5, "ts": "1736408883704000", "args": {"correlation": 3}}',
      slice({ tid: '5', name: '"inner"', ts: '"1736408883704001"', dur: '1' }),
      '{"ph": "E", "pid": 1, "tid": 5, "ts": "1736408883704010"}',
      '{"ph": "C", "name": "HBM", "pid": 1, "tid": 0, "ts": "1736408883704010", "args": {"Read(MB/s)": 0.0}}',
      '{"p\\u0068": "X", "name": "escaped key", "pid": 1, "tid": 2, "ts": "1736408883704643", "dur": 1}',
      '{"ph": "M", "ph": "X", "name": "last ph wins", "pid": 1, "tid": 2, "ts": "1736408883704644", "dur": 1}',
      '{"ph": "\\u0058", "name": "escaped ph", "pid": 1, "tid": 2, "ts": "1736408883704645", "dur": 1}',
      '{"ph": "XX", "name": "long ph", "pid": 1, "tid": 2, "ts": "1736408883704645", "dur": 1}',
      '{"ph": 1, "name": "numeric ph"}',
      '{}',
      '{"name": "no ph"}',
      '7',
      '"text"',
      'null',
      '[{"ph": "X"}]',
      slice({ name: '"last"', ts: '"1736408883704999"' })
    );
    const model = expectSameBothWays(bytes) as ITraceModel;
    expect(model.links.count).toBeGreaterThan(0);
    expect(model.names).toContain('last ph wins');
  });

  it('reads whitespace, unicode and invalid UTF-8 as JSON.parse after the decoder does', () => {
    const parts = [
      bytesOf('[\r\n\t{ "ph" :"X" ,\t"name":"'),
      new Uint8Array([0xe2, 0x82, 0x41, 0xff, 0xc3]), // broken sequences and a lone lead byte
      bytesOf('", "pid" : 1 , "tid":1, "ts" : "1736408883704643.212" , "dur":1 }\r\n ,\n'),
      bytesOf('{"ph":"X","name":"'),
      new Uint8Array([0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80]), // 中 and an emoji
      bytesOf('","pid":1,"tid":1,"ts":"1736408883704644","dur":2}]  ')
    ];
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    expectSameBothWays(bytes);
  });

  it.each([
    ['a raw control character', slice({ name: '"a\tb"' })],
    ['an invalid escape', slice({ name: '"C:\\Users"' })],
    ['a bad \\u escape', slice({ name: '"\\u12G4"' })],
    ['a trailing comma inside an event', '{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": 5, "dur": 1,}'],
    ['a trailing comma inside args', slice({ args: '{"correlation": 1,}' })],
    ['a number with a leading zero', slice({ dur: '01' })],
    ['a bare dot', slice({ dur: '1.' })],
    ['a single-quoted string', slice({ name: "'a'" })],
    ['a missing colon', '{"ph" "X"}'],
    ['an unquoted key', '{ph: "X"}'],
    ['NaN', slice({ dur: 'NaN' })],
    ['two events without a comma', slice({}) + ' ' + slice({})],
    ['garbage after an event', slice({}) + ' x']
  ])('leaves %s to JSON.parse and its repairs', (_, broken) => {
    expectSameBothWays(arrayOf(NEIGHBOUR, broken, slice({ name: '"after"' })));
    expectSameBothWays(arrayOf(broken));
  });

  it('keeps the repairs of a trailing comma and a cut-off array', () => {
    const text = '[' + NEIGHBOUR + ',\n' + slice({ name: '"b"' }) + ',\n]';
    expect((expectSameBothWays(bytesOf(text)) as ITraceModel).warnings).toEqual([
      'Removed 1 trailing comma before a closing bracket.'
    ]);
    for (const cut of [10, 150, text.length - 5, text.length - 2]) {
      expectSameBothWays(bytesOf(text.slice(0, cut)));
    }
  });

  it('looks for a trace event among the first 100 items, also when they are read in runs', () => {
    const item = '{"name": "no ph", "pid": 1}';
    const events = [NEIGHBOUR, NEIGHBOUR, slice({ name: '"other"' })];
    const late = expectSameBothWays(arrayOf(...Array<string>(100).fill(item), ...events));
    expect(late).toBeInstanceOf(TraceFormatError);
    expect((late as TraceFormatError).kind).toBe('not-a-trace');
    const early = expectSameBothWays(arrayOf(...Array<string>(99).fill(item), ...events));
    expect(early).not.toBeInstanceOf(TraceFormatError);
    const counters = '{"ph": "C", "name": "HBM", "pid": 1, "tid": 0, "ts": 5, "args": {"Read": 0}}';
    expect(expectSameBothWays(arrayOf(...Array<string>(150).fill(counters), ...events))).not.toBeInstanceOf(
      TraceFormatError
    );
  });

  it('rejects an empty item between two commas', () => {
    const error = expectSameBothWays(bytesOf('[' + NEIGHBOUR + ',,' + NEIGHBOUR + ']'));
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).kind).toBe('not-json');
  });

  it('gives the same model however the stream is cut', async () => {
    const events: string[] = [];
    for (let i = 0; i < 300; i++) {
      events.push(
        slice({
          name: i % 7 === 0 ? `"${'frame;\\r\\n'.repeat(40)}${i}"` : `"op${i % 13}"`,
          tid: String(i % 3),
          ts: `"${1736408883704643 + i}.${i % 1000}"`,
          dur: i % 5 === 0 ? '"2.5"' : '0.25',
          args: i % 11 === 0 ? '{"Input Dims": [[2, 3]], "correlation": ' + i + '}' : '{}'
        })
      );
    }
    const bytes = arrayOf(...events);
    const reference = readTrace(bytes, { byteReaderFrom: Infinity });
    for (const size of [1, 2, 5, 64, 1000, 4096]) {
      const chunks: Uint8Array[] = [];
      for (let off = 0; off < bytes.length; off += size) {
        chunks.push(bytes.subarray(off, off + size));
      }
      expect(
        await readTraceStream(chunks, { batchBytes: 333, byteReaderFrom: 0 }),
        `chunks of ${size}`
      ).toEqual(reference);
    }
    // From bytes after an offset: the events before it are parsed.
    for (const from of [1, 500, 5000, bytes.length - 100]) {
      expect(readTrace(bytes, { byteReaderFrom: from }), `from ${from}`).toEqual(reference);
    }
  });
});
