import { describe, expect, it, vi } from 'vitest';
import { NO_ID } from '../../src/trace/byteKeys';
import {
  ABSENT,
  ARG_TASK_TYPE,
  ARGS,
  CAT,
  DUR,
  EventBytesReader,
  FIELD_COUNT,
  IEventBytesReader,
  NAME,
  NUMBER,
  OBJECT,
  PH,
  PID,
  STRING,
  TID,
  TS
} from '../../src/trace/eventBytes';
import { EventFieldValues } from '../../src/trace/eventFieldValues';
import type { IExactTime } from '../../src/trace/exactTime';
import { readTrace } from '../../src/trace/readTrace';
import { WasmEventBytesReader, compiledEventReader } from '../../src/trace/wasmEventReader';
import { PUBLIC_TRACE_FILES, bytesOf, publicTraceBytes } from './traceBytes';

/**
 * The WebAssembly event reader must read every event exactly as the
 * TypeScript one does: same return code, same object end, same record for
 * every field, same ids found by bytes. These tests run both on every event
 * of every public trace, on every cut of some events, and on damaged copies.
 */

const KEYED_FIELDS = [NAME, CAT, PID, TID, ARG_TASK_TYPE];
const decoder = new TextDecoder();

function wasmReader(): WasmEventBytesReader {
  const module = compiledEventReader();
  expect(module, 'the WebAssembly reader compiles in Node').not.toBeNull();
  return new WasmEventBytesReader(module!);
}

/**
 * What a read found, as text: the return code, and the fields' records where
 * they mean something.
 */
function outcome(r: IEventBytesReader, buf: Uint8Array, start: number, end: number): string {
  const code = r.read(buf, start, end);
  if (code < 0) {
    return String(code);
  }
  let fields = `${code} ${r.objectEnd}`;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const kind = r.kind[f];
    fields +=
      kind === STRING || kind === NUMBER
        ? ` ${f}:${kind}[${r.from[f]},${r.to[f]}) ${r.form[f]} ${kind === NUMBER ? r.digits[f] : 0}`
        : ` ${f}:${kind}`;
  }
  return fields;
}

/** The return code of an {@link outcome}. */
function codeOf(outcome: string): number {
  return parseInt(outcome, 10);
}

/**
 * Ids by bytes, as the model builder uses them: the id found, or on a miss
 * the id of the decoded text (one numbering per table), remembered.
 */
class Interning {
  constructor(private readonly _reader: IEventBytesReader) {}

  /** The id of a keyed field's decoded text in its table (names; cat and Task Type; pid and tid). */
  textId(buf: Uint8Array, f: number): number {
    const r = this._reader;
    const table = f === NAME ? 0 : f === CAT || f === ARG_TASK_TYPE ? 1 : 2;
    return this._texts[table].get(decoder.decode(buf.subarray(r.from[f], r.to[f])))!;
  }

  /** The ids of the keyed fields, as text; a wrong id found by bytes is marked. */
  ids(buf: Uint8Array): string {
    const r = this._reader;
    return KEYED_FIELDS.map(f => {
      if (r.kind[f] !== STRING && r.kind[f] !== NUMBER) {
        return '-';
      }
      const found = r.idOf(f);
      const table = f === NAME ? 0 : f === CAT || f === ARG_TASK_TYPE ? 1 : 2;
      const text = decoder.decode(buf.subarray(r.from[f], r.to[f]));
      let id = this._texts[table].get(text);
      if (id === undefined) {
        id = this._texts[table].size;
        this._texts[table].set(text, id);
      }
      if (found === NO_ID) {
        r.remember(f, id);
        return r.idOf(f) === id ? `${id}` : `${id} not remembered`;
      }
      return found === id ? `${id}` : `${found} for "${text}" (${id})`;
    }).join(' ');
  }

  private readonly _texts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
}

/** `readTrace` from bytes, adding up `count` of every run the WebAssembly reader read. */
function readCountingRuns(
  bytes: Uint8Array,
  count: (run: WasmEventBytesReader['run']) => number
): { model: ReturnType<typeof readTrace>; inRuns: number } {
  let inRuns = 0;
  const readRun = WasmEventBytesReader.prototype.readRun;
  const spy = vi.spyOn(WasmEventBytesReader.prototype, 'readRun').mockImplementation(function (
    this: WasmEventBytesReader,
    ...args: Parameters<typeof readRun>
  ) {
    const items = readRun.apply(this, args);
    inRuns += items > 0 ? count(this.run) : 0;
    return items;
  });
  const model = readTrace(bytes, { byteReaderFrom: 0 });
  spy.mockRestore();
  return { model, inRuns };
}

/** Starts of the objects of the event array, as the scanner offers them. */
function objectStarts(buf: Uint8Array): number[] {
  const starts: number[] = [];
  const reader = new EventBytesReader();
  let i = buf.indexOf(0x5b) + 1; // the first [
  while (i > 0 && i < buf.length) {
    const open = buf.indexOf(0x7b, i);
    if (open < 0) {
      break;
    }
    const sep = reader.read(buf, open, buf.length);
    starts.push(open);
    i = sep >= 0 ? sep + 1 : open + 1;
  }
  return starts;
}

describe('WasmEventBytesReader', () => {
  it.each(PUBLIC_TRACE_FILES)('reads every event of %s as the TypeScript reader does', file => {
    const buf = publicTraceBytes(file);
    const ts = new EventBytesReader();
    const wasm = wasmReader();
    wasm.load(buf, buf.length);
    const tsIds = new Interning(ts);
    const wasmIds = new Interning(wasm);
    const starts = objectStarts(buf);
    expect(starts.length).toBeGreaterThan(0);
    let read = 0;
    const differences: string[] = [];
    for (const start of starts) {
      const expected = outcome(ts, buf, start, buf.length);
      const got = outcome(wasm, buf, start, buf.length);
      if (got !== expected) {
        differences.push(`event at byte ${start}: ${got} instead of ${expected}`);
      } else if (codeOf(expected) >= 0) {
        read++;
        const expectedIds = tsIds.ids(buf);
        const gotIds = wasmIds.ids(buf);
        if (gotIds !== expectedIds) {
          differences.push(`event at byte ${start}: ids ${gotIds} instead of ${expectedIds}`);
        }
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(read).toBeGreaterThan(starts.length * 0.9);
  });

  it('needs more bytes at every cut of an event, as the TypeScript reader does', () => {
    const text =
      '{"ph": "X", "name": "aten::add\\u00e9 é", "pid": 3170820512, "tid": -2, "ts": "1736408883704643.212",' +
      ' "dur": 1.5e-3, "cat": "kernel", "args": {"correlation": 12, "Task Type": "AI_CORE", "n": [null, true, false, {}],' +
      ' "connection_id": 7}, "id": 18446744073709551615, "s": "g"} ,';
    const buf = bytesOf(text);
    const ts = new EventBytesReader();
    const wasm = wasmReader();
    wasm.load(buf, buf.length);
    for (let cut = 1; cut <= buf.length; cut++) {
      expect(outcome(wasm, buf, 0, cut), `cut at ${cut}`).toBe(outcome(ts, buf, 0, cut));
    }
    expect(codeOf(outcome(wasm, buf, 0, buf.length))).toBe(buf.length - 1);
  });

  it('rejects or reads damaged events as the TypeScript reader does', () => {
    const good = bytesOf(
      '{"ph": "X", "name": "MatMul\\tV2", "pid": 1, "tid": 2, "ts": 12.5, "dur": 3, ' +
        '"args": {"Task Type": "AI_CORE", "Call stack": "a.py(1): f;\\r\\nb.py(2): g"}}]'
    );
    // Every byte replaced by each of the bytes JSON cares about, one at a time.
    const replacements = bytesOf('"\\{}[]:,-.0eE+ u\x01\x7fé').subarray(0, 20);
    const ts = new EventBytesReader();
    const wasm = wasmReader();
    const codes = new Set<number>();
    for (let at = 0; at < good.length; at++) {
      for (const byte of replacements) {
        const buf = good.slice();
        buf[at] = byte;
        wasm.load(buf, buf.length);
        const expected = outcome(ts, buf, 0, buf.length);
        expect(outcome(wasm, buf, 0, buf.length), `byte ${at} → ${byte}`).toBe(expected);
        codes.add(Math.min(0, codeOf(expected)));
      }
    }
    // Escaped keys, not JSON, more bytes needed, read: every outcome was met.
    expect([...codes].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0]);
  });

  it.each([
    'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
    'hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz'
  ])('makes the complete slices of %s whose ids it knows (all but a new name), with the values the model builder computes', file => {
    const buf = publicTraceBytes(file);
    const wasm = wasmReader();
    wasm.load(buf, buf.length);
    const values = new EventFieldValues(wasm);
    const interning = new Interning(wasm);
    const lanes = new Map<string, number>();
    const time: IExactTime = { whole: 0, ps: 0 };
    let complete = 0;
    let staged = 0;
    let stagedWithoutName = 0; // names met for the first time: the builder interns them
    const differences: string[] = [];
    for (const start of objectStarts(buf)) {
      const code = wasm.read(buf, start, buf.length);
      const isComplete =
        code >= 0 && wasm.kind[PH] === STRING && wasm.to[PH] - wasm.from[PH] === 1 && buf[wasm.from[PH]] === 0x58; // X
      const wasStaged = wasm.hasStagedSlice;
      if (code < 0 || !isComplete) {
        continue;
      }
      const nameKnown = wasm.idOf(NAME) !== NO_ID;
      complete++;
      const stagedValues = Array.from(wasm.stagedValues);
      const stagedIds = Array.from(wasm.stagedIds);
      interning.ids(buf); // remembers the ids met for the first time
      const pid = interning.textId(buf, PID);
      const tid = interning.textId(buf, TID);
      const cat = wasm.kind[CAT] === STRING ? interning.textId(buf, CAT) : 0;
      const key = `${pid} ${tid} ${cat}`;
      if (!lanes.has(key)) {
        lanes.set(key, lanes.size);
        wasm.rememberLane(pid, tid, cat, lanes.get(key)!);
      }
      if (!wasStaged) {
        continue;
      }
      staged++;
      stagedWithoutName += nameKnown ? 0 : 1;
      expect(values.time(buf, TS, time)).toBe(true);
      const c = values.correlationField();
      const correlation = wasm.kind[ARGS] === OBJECT && wasm.kind[c] === NUMBER ? values.number(buf, c) : -1;
      const expected = [time.whole, time.ps, values.duration(buf, DUR), correlation].join(' ') + ' | ' +
        [nameKnown ? interning.textId(buf, NAME) : NO_ID, lanes.get(key), cat, wasm.kind[ARG_TASK_TYPE] === STRING ? interning.textId(buf, ARG_TASK_TYPE) : 0].join(' ');
      const got = stagedValues.join(' ') + ' | ' + stagedIds.join(' ');
      if (got !== expected) {
        differences.push(`event at byte ${start}: ${got} instead of ${expected}`);
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(staged).toBeGreaterThan(complete * 0.75);
    expect(stagedWithoutName).toBeGreaterThan(0);
  });

  it('keeps finding ids by bytes while its tables grow and move the buffer', () => {
    const names = Array.from({ length: 5000 }, (_, k) => `kernel_${k}_${'x'.repeat(k % 300)}`);
    const events = [...names, ...names].map(
      (name, k) => `{"ph": "X", "name": "${name}", "pid": ${k % 7}, "tid": "t${k % 13}", "ts": ${k}, "dur": 1}`
    );
    const buf = bytesOf('[' + events.join(',') + ']');
    const ts = new EventBytesReader();
    const wasm = wasmReader();
    const tsIds = new Interning(ts);
    const wasmIds = new Interning(wasm);
    let start = 1;
    // Loaded piece by piece, as the scanner does, so the buffer moves between loads too.
    for (const event of events) {
      const end = start + bytesOf(event).length + 1;
      wasm.load(buf, end);
      expect(outcome(wasm, buf, start, end)).toBe(outcome(ts, buf, start, end));
      expect(wasmIds.ids(buf)).toBe(tsIds.ids(buf));
      start = end;
    }
    expect(wasm.kind[NAME]).toBe(STRING);
    expect(wasm.kind[CAT]).toBe(ABSENT);
  });

  it.each([
    'ascend-msinsight/level0/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json',
    'ascend-msinsight/level2/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz'
  ])('keeps the flow ends of %s in its runs, and the model links them as from JSON.parse', file => {
    const bytes = publicTraceBytes(file);
    const fromObjects = readTrace(bytes, { byteReaderFrom: Infinity });
    const { model, inRuns: flowEnds } = readCountingRuns(bytes, run => run.flows);
    expect(model).toEqual(fromObjects);
    expect(model.links.count).toBeGreaterThan(0);
    // Most torch_to_npu ends and host-to-device starts never reach JavaScript one by one.
    expect(flowEnds).toBeGreaterThan(500);
  });

  it('keeps the counter events of an Ascend trace in its runs, and the model has their samples as from JSON.parse', () => {
    const bytes = publicTraceBytes('ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz');
    const fromObjects = readTrace(bytes, { byteReaderFrom: Infinity });
    const { model, inRuns: counterEvents } = readCountingRuns(bytes, run => run.counters);
    expect(model.counters).toEqual(fromObjects.counters);
    const raw = JSON.parse(decoder.decode(bytes)) as { ph?: string }[];
    const counterEventsInFile = raw.filter(e => e.ph === 'C').length;
    // All but a few dozen (the first of each name, read one by one to learn
    // its ids, and those where a piece of input ends) are read in runs.
    expect(counterEvents).toBeGreaterThan(counterEventsInFile - 100);
    expect(counterEvents).toBeLessThan(counterEventsInFile);
  });
});
