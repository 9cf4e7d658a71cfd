import { afterEach, describe, expect, it, vi } from 'vitest';
import { TraceFormatError, TraceReadCancelledError } from '../../src/trace/errors';
import type { ITraceModel } from '../../src/trace/model';
import { readTrace, readTraceStream } from '../../src/trace/readTrace';
import { DEFAULT_BATCH_BYTES } from '../../src/trace/scanEvents';
import { PUBLIC_TRACE_FILES, bytesOf, publicTraceBytes } from './traceBytes';


/** The bytes cut into chunks of `size` (the last one shorter). */
function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += size) {
    out.push(bytes.subarray(off, off + size));
  }
  return out;
}

/** FNV-1a over the bytes of some float columns: equal hashes, equal values. */
function hashColumns(...columns: ArrayLike<number>[]): number {
  let h = 0x811c9dc5;
  for (const column of columns) {
    const bytes = new Uint8Array(Float64Array.from(column).buffer);
    for (let i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], 0x01000193);
    }
  }
  return h >>> 0;
}

/** What a user compares between two reads of one file. */
function fingerprint(model: ITraceModel): object {
  return {
    backend: model.backend,
    slices: model.slices.count,
    lanes: model.lanes.map(l => `${l.kind}:${l.label}`),
    links: model.links.count,
    steps: model.steps,
    spanUs: model.spanUs,
    meta: model.meta,
    warnings: model.warnings,
    names: model.slices.count === 0 ? [] : Array.from(model.slices.name, id => model.names[id]),
    times: hashColumns(model.slices.start, model.slices.dur, model.slices.depth),
    linkEnds: hashColumns(model.links.from, model.links.to)
  };
}

/**
 * A small trace with every awkward byte a chunk boundary can split: escaped
 * quotes and backslashes, \u escapes, raw multi-byte UTF-8, brackets inside
 * strings, long ids, decimals, nested args, and top-level keys before and
 * after the event array.
 */
const AWKWARD_KINETO =
  '\ufeff{"schemaVersion": 1, "distributedInfo": {"traceEvents": 3, "nccl_version": "2.18"}, "note": "traceEvents",\n' +
  ' "traceEvents": [\n' +
  '  {"ph": "X", "cat": "cpu_op", "name": "say \\"hi\\" \\\\ [{}] caf\\u00e9 中文 é", "pid": 1, "tid": 1, "ts": 1712195495505543.25, "dur": 3.5, "args": {"Input Dims": [[2, 3], []], "correlation": 7}},\n' +
  '  {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1, "tid": 1, "ts": 1712195495505544.5, "dur": 1, "args": {"correlation": 42}},\n' +
  '  {"ph": "X", "cat": "kernel", "name": "gemm\\\\", "pid": 0, "tid": 7, "ts": 1712195495505546, "dur": 10, "args": {"correlation": 42}},\n' +
  '  {"ph": "s", "cat": "ac2g", "name": "ac2g", "id": 17361954955055432129, "pid": 1, "tid": 1, "ts": 1712195495505544.5},\n' +
  '  {"ph": "M", "name": "thread_name", "pid": 0, "tid": 7, "args": {"name": "stream 7"}}\n' +
  ' ],\n' +
  ' "deviceProperties": [{"id": 0, "name": "NVIDIA H100 \\"SXM\\""}], "baseTimeNanoseconds": 1727743122000000001}\n';

const AWKWARD_ASCEND =
  '[{"ph": "M", "name": "process_name", "pid": 200, "tid": 0, "args": {"name": "Ascend Hardware"}},\n' +
  '{"ph": "X", "name": "C:\\\\path\\\\x.py(1): f", "pid": 100, "tid": 1, "ts": "1736408883704643.212", "dur": 0.5},\n' +
  '{"ph": "X", "name": "Add\\u0041", "pid": 200, "tid": 2, "ts": "1736408883704643.713", "dur": 1.25, "args": {"Task Type": "AI_CORE"}},\n' +
  '{"ph": "f", "bp": "e", "name": "torch_to_npu", "cat": "async_npu", "id": 1736408883704643213, "pid": 200, "tid": 2, "ts": "1736408883704643.713"}\n' +
  ']';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readTraceStream', () => {
  it.each(PUBLIC_TRACE_FILES)('reads %s to the same model as one whole-file JSON.parse', async relative => {
    const bytes = publicTraceBytes(relative);
    // One batch holding the whole event array: the former whole-string path.
    const whole = readTrace(bytes, { batchBytes: bytes.length + 1 });
    // Odd chunk sizes and small batches: many cuts, many boundaries.
    const streamed = await readTraceStream(chunksOf(bytes, 65521), {
      batchBytes: 16 * 1024
    });
    expect(fingerprint(streamed)).toEqual(fingerprint(whole));
    expect(fingerprint(readTrace(bytes))).toEqual(fingerprint(whole));
    // Default options: held and parsed whole when small.
    expect(fingerprint(await readTraceStream(chunksOf(bytes, 65521)))).toEqual(fingerprint(whole));
  });

  it.each([
    ['a Kineto object', AWKWARD_KINETO],
    ['a torch_npu array', AWKWARD_ASCEND],
    ['an array with a trailing comma', AWKWARD_ASCEND.slice(0, -1) + ',\n]'],
    ['events appended to an empty list (a leading comma)', '[ ,\n' + AWKWARD_ASCEND.slice(1)],
    ['a cut-off array', AWKWARD_ASCEND.slice(0, -40)],
    ['a cut-off Kineto object', AWKWARD_KINETO.slice(0, 700)],
    ['raw control characters and bad escapes', '[{"ph": "X", "name": "C:\\Users\\a\tb", "pid": 1, "tid": 1, "ts": 5, "dur": 1},\n{"ph": "X", "name": "ok", "pid": 1, "tid": 1, "ts": 6, "dur": 1}]']
  ])('gives the same model for %s wherever the chunks are cut', async (_, text) => {
    const bytes = bytesOf(text);
    const reference = fingerprint(readTrace(bytes, { batchBytes: bytes.length + 1 }));
    for (let cut = 0; cut <= bytes.length; cut++) {
      // Two chunks cut at every byte (inside strings, escapes, UTF-8
      // sequences, numbers, between events), and batches of one event each.
      const model = await readTraceStream(
        [bytes.subarray(0, cut), bytes.subarray(cut)],
        { batchBytes: 1, byteReaderFrom: cut % 2 === 0 ? 0 : Infinity }
      );
      expect(fingerprint(model), `cut at byte ${cut}`).toEqual(reference);
    }
    for (const byteReaderFrom of [0, Infinity]) {
      const byteByByte = await readTraceStream(chunksOf(bytes, 1), { batchBytes: 7, byteReaderFrom });
      expect(fingerprint(byteByByte)).toEqual(reference);
    }
  });

  it.each([
    ['a Kineto object', AWKWARD_KINETO],
    ['a torch_npu array', AWKWARD_ASCEND],
    ['an array with a trailing comma', AWKWARD_ASCEND.slice(0, -1) + ',\n]'],
    ['events appended to an empty list (a leading comma)', '[,' + AWKWARD_ASCEND.slice(1)],
    ['a cut-off Kineto object', AWKWARD_KINETO.slice(0, 700)]
  ])('gives the scanned model for %s with default options, held whole or not', async (_, text) => {
    const bytes = bytesOf(text);
    // Scanned, every event parsed by JSON.parse: the reference.
    const reference = readTrace(bytes, { byteReaderFrom: Infinity });
    // Default options: a small file is parsed whole where that gives the same events.
    expect(readTrace(bytes)).toEqual(reference);
    for (const size of [1, 97, bytes.length]) {
      expect(await readTraceStream(chunksOf(bytes, size)), `chunks of ${size}`).toEqual(reference);
    }
  });

  it('keeps the top-level keys that come after the event array', async () => {
    const model = await readTraceStream([bytesOf(AWKWARD_KINETO)]);
    expect(model.meta.device).toBe('NVIDIA H100 "SXM"');
    expect(model.meta.versions).toEqual({ nccl_version: '2.18' });
    // Kineto ts + baseTimeNanoseconds (read after the events), exact to the ns.
    expect(model.meta.originUs).toBe('3439938617505543.251');
    expect(model.names[model.slices.name[0]]).toBe('say "hi" \\ [{}] café 中文 é');
    expect(model.warnings).toEqual([]);
  });

  it('reports progress that only grows and ends at the byte count', async () => {
    const bytes = publicTraceBytes('ascend-msprof-analyze/timeline_advice/trace_view.json');
    const seen: number[] = [];
    await readTraceStream(chunksOf(bytes, 100003), { onProgress: n => seen.push(n) });
    expect(seen.length).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    }
    expect(seen[seen.length - 1]).toBe(bytes.length);

    const sync: number[] = [];
    readTrace(bytes, { onProgress: n => sync.push(n) });
    expect(sync[sync.length - 1]).toBe(bytes.length);
  });

  it('stops with a cancellation error when the signal fires, and closes the source', async () => {
    const bytes = publicTraceBytes('ascend-msprof-analyze/timeline_advice/trace_view.json');
    const controller = new AbortController();
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (const chunk of chunksOf(bytes, 4096)) {
          pulled++;
          if (pulled === 3) {
            controller.abort();
          }
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    const read = readTraceStream(source(), { signal: controller.signal });
    await expect(read).rejects.toBeInstanceOf(TraceReadCancelledError);
    await expect(read).rejects.toThrow('Reading the trace was cancelled.');
    expect(pulled).toBe(3);
    expect(closed).toBe(true);
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const bytes = bytesOf(AWKWARD_ASCEND);
    await expect(readTraceStream([bytes], { signal: controller.signal })).rejects.toBeInstanceOf(
      TraceReadCancelledError
    );
    expect(() => readTrace(bytes, { signal: controller.signal })).toThrow(TraceReadCancelledError);
  });

  it('never decodes more than one batch of text at a time', () => {
    // ~3 MB of events, some with long strings; the largest event is known.
    const events: string[] = [];
    let largest = 0;
    for (let i = 0; i < 12000; i++) {
      const e = JSON.stringify({
        ph: 'X',
        name: i % 97 === 0 ? 'stack;'.repeat(300) : `op${i}`,
        pid: 1,
        tid: 1,
        ts: `${1736408883704643 + i}.125`,
        dur: 0.5
      });
      largest = Math.max(largest, e.length);
      events.push(e);
    }
    const bytes = bytesOf('[' + events.join(',\n') + ']');
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    for (const batchBytes of [64 * 1024, DEFAULT_BATCH_BYTES]) {
      decode.mockClear();
      // Every event through JSON.parse: the batches are what is decoded.
      const model = readTrace(bytes, { batchBytes, byteReaderFrom: Infinity });
      expect(model.slices.count).toBe(12000);
      const lengths = decode.mock.calls.map(([input]) => (input as Uint8Array).byteLength);
      // A batch ends at the first comma past batchBytes: at most one more
      // event (with its separator), plus the two brackets.
      const bound = batchBytes + largest + 4;
      expect(Math.max(...lengths)).toBeLessThanOrEqual(bound);
      expect(lengths.length).toBeGreaterThanOrEqual(Math.floor(bytes.length / bound));
      // Every byte decoded once (plus a bracket per batch): no second copy.
      const decoded = lengths.reduce((a, b) => a + b, 0);
      expect(decoded).toBeLessThanOrEqual(bytes.length + 2 * lengths.length);
    }
    // Read from bytes, only the strings the model keeps are decoded, once each.
    decode.mockClear();
    expect(readTrace(bytes, { byteReaderFrom: 0 }).slices.count).toBe(12000);
    const lengths = decode.mock.calls.map(([input]) => (input as Uint8Array).byteLength);
    expect(Math.max(0, ...lengths)).toBeLessThanOrEqual(largest);
    expect(lengths.reduce((a, b) => a + b, 0)).toBeLessThan(bytes.length / 100);
  });

  it('rejects gzip, HTML and broken JSON from a stream as it does from bytes', async () => {
    for (const text of ['<!DOCTYPE html>\n<html></html>', '[{"ph": "X", "name": nope}]', '  \n', '[{"ph": "X"']) {
      const bytes = bytesOf(text);
      let expected: TraceFormatError | undefined;
      try {
        readTrace(bytes);
      } catch (error) {
        expected = error as TraceFormatError;
      }
      expect(expected).toBeInstanceOf(TraceFormatError);
      await expect(readTraceStream(chunksOf(bytes, 3))).rejects.toMatchObject({
        kind: expected!.kind,
        message: expected!.message
      });
    }
    await expect(readTraceStream([new Uint8Array([0x1f]), new Uint8Array([0x8b, 8, 0])])).rejects.toThrow(
      'The file is gzip-compressed data, not JSON text.'
    );
  });
});
