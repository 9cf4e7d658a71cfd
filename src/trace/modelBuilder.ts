/**
 * modelBuilder: trace events, in file order → {@link ITraceModel}.
 *
 * Events arrive two ways, interleaved in file order by the scanner: as
 * objects from `JSON.parse` ({@link IModelBuilder.add}), or read straight from
 * the bytes ({@link IModelBuilder.eventBytes}: complete slices, flows,
 * instants and counters of the usual shapes, without making their objects or
 * strings). From bytes, the WebAssembly event reader makes most complete
 * slices and counter events itself once it knows their ids and lane, one
 * event at a time or in runs, and this builder only appends them. All end
 * in the same growable columns, with the same interning order, so the model
 * does not depend on which way an event came.
 *
 * Steps at the end ({@link IModelBuilder.finish}): lanes get a kind, a label
 * and an order ({@link resolveLanes}); times are rebased exactly on the
 * earliest slice or instant; slices are sorted by lane then start and get a
 * work kind ({@link orderSlices}) and a depth ({@link assignDepths});
 * host → device links ({@link linkSlices}); steps; counter samples by series
 * ({@link CounterSamples}); a warning naming the kinds of events not read.
 *
 * Pure module.
 */
import {
  ABSENT,
  ARG_TASK_TYPE,
  ARGS,
  ARRAY,
  BOOLEAN,
  CAT,
  COUNTER_LANE_CAT,
  DUR,
  FLOW_LANE_CAT,
  FLOW_START,
  HOST_TO_DEVICE_START,
  IEventBytesReader,
  IEventRun,
  ID,
  NAME,
  NULL,
  NUMBER,
  OBJECT,
  PH,
  PID,
  SCOPE,
  STRING,
  TID,
  TS
} from './eventBytes';
import { CounterSamples } from './counterSamples';
import { EventFieldValues } from './eventFieldValues';
import { GatheredSlices, earliestStart } from './gatheredSlices';
import { IExactTime, formatExactUs, readExactTime, rebaseUs } from './exactTime';
import { NO_ID } from './byteKeys';
import { quoteBigNumbers } from './quoteBigNumbers';
import { InternedStrings } from './internedStrings';
import { STRING_HAS_ESCAPE, asciiText } from './jsonBytes';
import { INpuFlow, linkSlices } from './linkSlices';
import type { Backend, ITraceMeta, ITraceModel } from './model';
import { IGatheredSlices, ISlicesToFinish, findSteps, finishSlices } from './orderSlices';
import { RawLanes } from './rawLanes';
import { ASCEND_PROCESS_NAMES, ILaneMetadata, MEMORY_LANE_TID, laneKey, resolveLanes } from './resolveLanes';
import type { IEventByteSink } from './scanEvents';
import { deviceName, distributedRank, integerText, versionsOf } from './topLevelFacts';
import { createEventBytesReader } from './wasmEventReader';
import { finishSlicesInWasm } from './wasmSliceOrder';
import { DEQUEUE_PREFIX } from './workKind';

/** Kineto categories of work that runs on a GPU (current and 2021 names). */
const DEVICE_CATEGORIES = new Set([
  'kernel',
  'gpu_memcpy',
  'gpu_memset',
  'cuda_sync',
  'Kernel',
  'Memcpy',
  'Memset'
]);

/** Category of the synthetic lane of a GPU's user annotations. */
const ANNOTATION_CATEGORY = 'gpu_user_annotation';

/** Pids of Kineto's profiler span events: bookkeeping, not work. */
const SPAN_PIDS = new Set(['Spans', 'Traces']);


/** Texts the byte path compares fields with, and their bytes. */
const HOST_TO_DEVICE = 'HostToDevice';
const ASYNC_NPU = 'async_npu';
const TORCH_TO_NPU = 'torch_to_npu';
const GLOBAL_SCOPE = 'g';
/** Name of PyTorch's memory events (instants, `profile_memory=True`). */
const MEMORY_EVENT = '[memory]';
const BYTES_OF = new Map(
  [HOST_TO_DEVICE, ASYNC_NPU, TORCH_TO_NPU, GLOBAL_SCOPE, MEMORY_EVENT].map(text => [
    text,
    Uint8Array.from(text, ch => ch.charCodeAt(0))
  ])
);

/** `ph` values, as the byte of a one-character `ph` string. */
const PH_COMPLETE = 0x58; // X
const PH_FLOW_START = 0x73; // s
const PH_FLOW_FINISH = 0x66; // f
const PH_FLOW_STEP = 0x74; // t
const PH_INSTANT = 0x69; // i
const PH_INSTANT_OLD = 0x49; // I
const PH_METADATA = 0x4d; // M
const PH_BEGIN = 0x42; // B
const PH_END = 0x45; // E
const PH_COUNTER = 0x43; // C
/** Not an event the model reads (async, samples, no `ph`...). */
const PH_NOT_READ = 0;

/** Decodes the `args` of counter events read from bytes. */
const UTF8 = new TextDecoder();

/** Returned by the byte path for events it leaves to `JSON.parse`. */
const LEFT_TO_JSON_PARSE = -10;

type Json = Record<string, unknown>;

/** Turns the events of one trace into its model. */
export interface IModelBuilder {
  /** Take the next events parsed by `JSON.parse`, in file order. */
  add(events: unknown[]): void;
  /** Reads the usual events straight from bytes; see {@link IEventByteSink}. */
  readonly eventBytes: IEventByteSink;
  /**
   * Build the model once every event was added.
   *
   * @param top - the top-level object of a Kineto trace without its events; null for a bare array.
   * @param warnings - what the scanner repaired.
   */
  finish(top: Json | null, warnings: string[]): ITraceModel;
}

/** A `B` event waiting for its `E`. */
interface IOpenBegin {
  whole: number;
  ps: number;
  name: string;
  cat: string;
  args: unknown;
}

/** A builder holding the growable columns; events are not kept. */
export function createModelBuilder(): IModelBuilder {
  return new ModelBuilder();
}

/** Whether a field can be turned into text or a number the way the object path does. */
function isScalar(kind: number): boolean {
  return kind !== BOOLEAN && kind !== OBJECT && kind !== ARRAY;
}

class ModelBuilder implements IModelBuilder, IEventByteSink {
  constructor() {
    this.add = this.add.bind(this);
    this._tags.id(''); // tag 0: none
  }

  get eventBytes(): IEventByteSink {
    return this;
  }

  // --- Events parsed by JSON.parse ---------------------------------------

  add(events: unknown[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as Json;
      if (e === null || typeof e !== 'object') {
        continue;
      }
      const ph = e.ph;
      if (ph === 'X') {
        this._addCompleteObject(e);
      } else if (ph === 'M') {
        this._readMetadata(e);
      } else if (ph === 's' || ph === 'f' || ph === 't') {
        this._readFlowObject(e, ph);
      } else if (ph === 'i' || ph === 'I') {
        this._addInstantObject(e);
      } else if (ph === 'B' || ph === 'E') {
        this._addBeginEndObject(e, ph);
      } else if (ph === 'C') {
        this._addCounterObject(e);
      } else {
        // b/e/n (async), P (samples), O (objects) and others: counted, not read.
        // By its byte, as the byte path counts it: a one-byte (ASCII) ph, else 0.
        const code = typeof ph === 'string' && ph.length === 1 ? ph.charCodeAt(0) : 0;
        this._skipped[code < 128 ? code : 0]++;
      }
    }
  }

  /** `readExactTime(e.ts)`, counting the events without a readable one. */
  private _timeOfObject(e: Json): IExactTime | null {
    const t = readExactTime(e.ts);
    if (t === null) {
      this._badTimes++;
    }
    return t;
  }

  private _addCounterObject(e: Json): void {
    const args = e.args;
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      return;
    }
    const t = this._timeOfObject(e);
    if (t === null) {
      return;
    }
    const lane = this._lanes.byText(String(e.pid ?? ''), String(e.tid ?? ''), false);
    // Interned as the byte path does (the event reader finds names by id).
    const name = this._names.strings[this._names.id(String(e.name ?? ''))];
    const id = e.id ?? null;
    this._counters.addEvent(lane, id === null ? name : `${name} ${String(id)}`, args as Json, t.whole, t.ps);
  }

  private _addCompleteObject(e: Json): void {
    const pid = String(e.pid ?? '');
    if (SPAN_PIDS.has(pid)) {
      return;
    }
    const t = this._timeOfObject(e);
    if (t === null) {
      return;
    }
    const dur = e.dur === undefined ? 0 : Number(e.dur);
    this._addSliceObject(
      pid,
      String(e.tid ?? ''),
      t.whole,
      t.ps,
      dur,
      typeof e.name === 'string' ? e.name : String(e.name ?? ''),
      typeof e.cat === 'string' ? e.cat : '',
      e.args
    );
  }

  private _addInstantObject(e: Json): void {
    if (e.s === 'g' || SPAN_PIDS.has(String(e.pid ?? ''))) {
      return; // global profiler markers (Record Window End), not work
    }
    const t = this._timeOfObject(e);
    if (t === null) {
      return;
    }
    this._addInstant(t.whole, t.ps);
    if (e.name === MEMORY_EVENT && e.args !== null && typeof e.args === 'object' && !Array.isArray(e.args)) {
      const lane = this._lanes.byText(String(e.pid ?? ''), MEMORY_LANE_TID, false);
      this._counters.addMemoryEvent(lane, e.args as Json, t.whole, t.ps);
    }
  }

  private _addBeginEndObject(e: Json, ph: 'B' | 'E'): void {
    const pid = String(e.pid ?? '');
    const tid = String(e.tid ?? '');
    if (SPAN_PIDS.has(pid)) {
      return;
    }
    const t = this._timeOfObject(e);
    if (t === null) {
      return;
    }
    const cat = typeof e.cat === 'string' ? e.cat : '';
    const key = this._lanes.byText(pid, tid, false);
    let stack = this._openBegins.get(key);
    if (ph === 'B') {
      if (stack === undefined) {
        stack = [];
        this._openBegins.set(key, stack);
      }
      const name = typeof e.name === 'string' ? e.name : String(e.name ?? '');
      stack.push({ whole: t.whole, ps: t.ps, name, cat, args: e.args });
      return;
    }
    const b = stack?.pop();
    if (b === undefined) {
      this._unmatchedEnds++;
      return;
    }
    const dur = rebaseUs(t.whole, t.ps, b.whole, b.ps);
    const args = e.args !== undefined && b.args === undefined ? e.args : b.args;
    this._addSliceObject(pid, tid, b.whole, b.ps, dur, b.name, b.cat, args);
  }

  private _addSliceObject(
    pid: string,
    tid: string,
    whole: number,
    ps: number,
    dur: number,
    name: string,
    cat: string,
    args: unknown
  ): void {
    const lane = this._lanes.byText(pid, tid, cat === ANNOTATION_CATEGORY);
    let corr = -1;
    let task = 0;
    if (args !== null && typeof args === 'object') {
      const a = args as Json;
      const c = a.correlation ?? a.connection_id ?? a.correlation_id;
      if (typeof c === 'number') {
        corr = c;
      }
      const t = a['Task Type'];
      if (typeof t === 'string') {
        task = this._tags.id(t);
      }
    }
    this._addSlice(lane, whole, ps, dur, this._names.id(name), this._tags.id(cat), corr, task);
  }

  private _readMetadata(e: Json): void {
    const args = e.args as Json | undefined;
    if (args === undefined || args === null || typeof args !== 'object') {
      return;
    }
    const meta = this._meta;
    const pid = String(e.pid ?? '');
    switch (e.name) {
      case 'process_name':
        if (typeof args.name === 'string') {
          meta.processNames.set(pid, args.name);
        }
        break;
      case 'process_labels':
        if (typeof args.labels === 'string') {
          meta.processLabels.set(pid, args.labels);
        }
        break;
      case 'process_sort_index':
        if (typeof args.sort_index === 'number') {
          meta.processSort.set(pid, args.sort_index);
        }
        break;
      case 'thread_name':
        if (typeof args.name === 'string') {
          meta.threadNames.set(laneKey(pid, String(e.tid ?? '')), args.name);
        }
        break;
      case 'thread_sort_index':
        if (typeof args.sort_index === 'number') {
          meta.threadSort.set(laneKey(pid, String(e.tid ?? '')), args.sort_index);
        }
        break;
      default:
        break;
    }
  }

  private _readFlowObject(e: Json, ph: 's' | 'f' | 't'): void {
    const pid = String(e.pid ?? '');
    if (ph === 's' && e.cat === 'HostToDevice') {
      this._meta.hostToDevicePids.add(pid);
      return;
    }
    if (ph === 't' || (e.cat !== 'async_npu' && e.name !== 'torch_to_npu')) {
      return;
    }
    const t = readExactTime(e.ts);
    if (t === null || e.id === undefined) {
      return;
    }
    this._addNpuFlow(String(e.id), ph, this._lanes.byText(pid, String(e.tid ?? ''), false), t);
  }

  // --- Events read from bytes (IEventByteSink) ---------------------------

  get objectEnd(): number {
    return this._reader.objectEnd;
  }

  get hasPhase(): boolean {
    return this._reader.kind[PH] === STRING;
  }

  load(buf: Uint8Array, length: number): void {
    if (this._reader === undefined) {
      this._reader = createEventBytesReader();
      this._values = new EventFieldValues(this._reader);
    }
    this._reader.load(buf, length);
  }

  get run(): IEventRun {
    return this._reader.run;
  }

  readRun(buf: Uint8Array, start: number, end: number): number {
    const items = this._reader.readRun(buf, start, end);
    if (items > 0) {
      const run = this._reader.run;
      this._gathered.pushRun(run.values, run.ids, run.capacity, run.slices);
      if (run.flows > 0) {
        this._addRunFlows(buf, run);
      }
      if (run.counters > 0) {
        this._addRunCounters(buf, run);
      }
    }
    return items;
  }

  /** The flow ends of a run, as {@link _readFlowBytes} would add them. */
  private _addRunFlows(buf: Uint8Array, run: IEventRun): void {
    const { flowValues, flowFacts, capacity } = run;
    const t = this._time;
    for (let k = 0; k < run.flows; k++) {
      const kind = flowFacts[k];
      if (kind === HOST_TO_DEVICE_START) {
        this._meta.hostToDevicePids.add(this._idTexts.strings[flowFacts[capacity + k]]);
        continue;
      }
      const id = asciiText(buf, flowFacts[2 * capacity + k], flowFacts[3 * capacity + k]);
      t.whole = flowValues[k];
      t.ps = flowValues[capacity + k];
      this._addNpuFlow(id, kind === FLOW_START ? 's' : 'f', flowFacts[capacity + k], t);
    }
  }

  /** The counter events of a run, as {@link _addCounterBytes} would add them. */
  private _addRunCounters(buf: Uint8Array, run: IEventRun): void {
    const { counterValues, counterFacts, capacity } = run;
    const names = this._names.strings;
    const counters = this._counters;
    for (let k = 0; k < run.counters; k++) {
      const name = counterFacts[k];
      const lane = counterFacts[capacity + k];
      const values = counterFacts[2 * capacity + k];
      for (let j = 0; j < values; j++) {
        const series = counters.seriesIdOfBytes(
          lane,
          name,
          names,
          j,
          buf,
          counterFacts[(3 + 2 * j) * capacity + k],
          counterFacts[(4 + 2 * j) * capacity + k]
        );
        counters.add(
          series,
          counterValues[k],
          counterValues[capacity + k],
          counterValues[(2 + j) * capacity + k]
        );
      }
    }
  }

  read(buf: Uint8Array, start: number, end: number): number {
    const r = this._reader;
    const sep = r.read(buf, start, end);
    if (sep < 0) {
      return sep;
    }
    if (r.hasStagedSlice) {
      this._phase = PH_COMPLETE; // an X event of the usual form: its fields are scalars
      return sep;
    }
    const kind = r.kind;
    let phase = PH_NOT_READ;
    if (kind[PH] === STRING) {
      if ((r.form[PH] & STRING_HAS_ESCAPE) !== 0) {
        return LEFT_TO_JSON_PARSE;
      }
      phase = r.to[PH] - r.from[PH] === 1 ? buf[r.from[PH]] : PH_NOT_READ;
    }
    switch (phase) {
      case PH_METADATA:
      case PH_BEGIN:
      case PH_END:
        return LEFT_TO_JSON_PARSE; // few: metadata, and pairs kept as objects
      case PH_COUNTER:
        if (!isScalar(kind[NAME]) || !isScalar(kind[ID])) {
          return LEFT_TO_JSON_PARSE;
        }
        break;
      case PH_COMPLETE:
        if (!isScalar(kind[NAME]) || !isScalar(kind[DUR])) {
          return LEFT_TO_JSON_PARSE;
        }
        break;
      case PH_FLOW_START:
      case PH_FLOW_FINISH:
      case PH_FLOW_STEP:
        if (!isScalar(kind[ID])) {
          return LEFT_TO_JSON_PARSE;
        }
        break;
      case PH_INSTANT:
      case PH_INSTANT_OLD:
        break;
      default:
        this._phase = PH_NOT_READ;
        this._skippedPhase = phase;
        return sep;
    }
    if (!isScalar(kind[PID]) || !isScalar(kind[TID])) {
      return LEFT_TO_JSON_PARSE;
    }
    this._phase = phase;
    return sep;
  }

  commit(buf: Uint8Array): void {
    switch (this._phase) {
      case PH_COMPLETE:
        if (this._reader.hasStagedSlice) {
          this._addStagedSlice(buf);
        } else {
          this._addCompleteBytes(buf);
        }
        break;
      case PH_FLOW_START:
      case PH_FLOW_FINISH:
      case PH_FLOW_STEP:
        this._readFlowBytes(buf, this._phase);
        break;
      case PH_INSTANT:
      case PH_INSTANT_OLD:
        this._addInstantBytes(buf);
        break;
      case PH_COUNTER:
        this._addCounterBytes(buf);
        break;
      default:
        this._skipped[this._skippedPhase]++;
        break;
    }
  }

  private _addCompleteBytes(buf: Uint8Array): void {
    const r = this._reader;
    const v = this._values;
    const pid = this._idTextAt(buf, PID);
    if (this._spanPid[pid] === 1) {
      return;
    }
    const t = this._time;
    if (!v.time(buf, TS, t)) {
      this._badTimes++;
      return;
    }
    const tid = this._idTextAt(buf, TID);
    const name = this._internAt(this._names, buf, NAME);
    const cat = r.kind[CAT] === STRING ? this._internAt(this._tags, buf, CAT) : 0;
    let corr = -1;
    let task = 0;
    if (r.kind[ARGS] === OBJECT) {
      const c = v.correlationField();
      if (r.kind[c] === NUMBER) {
        corr = v.number(buf, c);
      }
      if (r.kind[ARG_TASK_TYPE] === STRING) {
        task = this._internAt(this._tags, buf, ARG_TASK_TYPE);
      }
    }
    const annotations = this._annotationTag[cat] === 1;
    const lane = this._lanes.byIds(pid, tid, annotations, this._idTexts.strings);
    r.rememberLane(pid, tid, cat, lane);
    this._addSlice(lane, t.whole, t.ps, v.duration(buf, DUR), name, cat, corr, task);
  }

  /** The slice the reader made of the last event, as {@link _addCompleteBytes} would. */
  private _addStagedSlice(buf: Uint8Array): void {
    let name = this._reader.stagedIds[0];
    if (name === NO_ID) {
      name = this._internAt(this._names, buf, NAME); // may grow the memory: views after it
    }
    const values = this._reader.stagedValues;
    const ids = this._reader.stagedIds;
    this._addSlice(ids[1], values[0], values[1], values[2], name, ids[2], values[3], ids[3]);
  }

  private _addInstantBytes(buf: Uint8Array): void {
    if (this._isText(buf, SCOPE, GLOBAL_SCOPE) || this._spanPid[this._idTextAt(buf, PID)] === 1) {
      return; // global profiler markers (Record Window End), not work
    }
    const t = this._time;
    if (!this._values.time(buf, TS, t)) {
      this._badTimes++;
      return;
    }
    this._addInstant(t.whole, t.ps);
    const r = this._reader;
    if (this._isText(buf, NAME, MEMORY_EVENT) && r.kind[ARGS] === OBJECT) {
      const lane = this._lanes.byText(this._idTexts.strings[this._idTextAt(buf, PID)], MEMORY_LANE_TID, false);
      this._counters.addMemoryEvent(lane, this._argsAt(buf), t.whole, t.ps);
    }
  }

  private _readFlowBytes(buf: Uint8Array, phase: number): void {
    const texts = this._idTexts.strings;
    if (phase === PH_FLOW_START && this._isText(buf, CAT, HOST_TO_DEVICE)) {
      this._meta.hostToDevicePids.add(texts[this._idTextAt(buf, PID)]);
      return;
    }
    if (
      phase === PH_FLOW_STEP ||
      (!this._isText(buf, CAT, ASYNC_NPU) && !this._isText(buf, NAME, TORCH_TO_NPU))
    ) {
      return;
    }
    const t = this._time;
    if (!this._values.time(buf, TS, t) || this._reader.kind[ID] === ABSENT) {
      return;
    }
    const pid = this._idTextAt(buf, PID);
    const tid = this._idTextAt(buf, TID);
    const lane = this._lanes.byIds(pid, tid, false, texts);
    this._reader.rememberLane(pid, tid, FLOW_LANE_CAT, lane);
    this._addNpuFlow(this._values.flowId(buf, ID), phase === PH_FLOW_START ? 's' : 'f', lane, t);
  }

  /**
   * A counter event read from bytes, as {@link _addCounterObject} reads it;
   * its `args` (a few numbers) are parsed with `JSON.parse`. Remembers its
   * lane, so that the event reader stages the next ones of the lane.
   */
  private _addCounterBytes(buf: Uint8Array): void {
    const r = this._reader;
    if (r.kind[ARGS] !== OBJECT) {
      return;
    }
    const t = this._time;
    if (!this._values.time(buf, TS, t)) {
      this._badTimes++;
      return;
    }
    const pid = this._idTextAt(buf, PID);
    const tid = this._idTextAt(buf, TID);
    const lane = this._lanes.byIds(pid, tid, false, this._idTexts.strings);
    r.rememberLane(pid, tid, COUNTER_LANE_CAT, lane);
    const name = this._names.strings[this._internAt(this._names, buf, NAME)];
    // flowId: `String(e.id)` with long numbers as written, as quoteBigNumbers keeps them.
    const id = r.kind[ID] === ABSENT || r.kind[ID] === NULL ? null : this._values.flowId(buf, ID);
    this._counters.addEvent(lane, id === null ? name : `${name} ${id}`, this._argsAt(buf), t.whole, t.ps);
  }

  /** The `args` object of the event just read, parsed as the `JSON.parse` path parses it. */
  private _argsAt(buf: Uint8Array): Json {
    const r = this._reader;
    return JSON.parse(quoteBigNumbers(UTF8.decode(buf.subarray(r.from[ARGS], r.to[ARGS])))) as Json;
  }

  private _isText(buf: Uint8Array, field: number, text: string): boolean {
    return this._values.is(buf, field, text, BYTES_OF.get(text)!);
  }

  /** `String(value ?? '')` of a pid or tid field, interned. */
  private _idTextAt(buf: Uint8Array, field: number): number {
    const v = this._values;
    if (!v.isTextKey(buf, field)) {
      return this._idTexts.id(v.idText(buf, field));
    }
    let id = this._reader.idOf(field);
    if (id === NO_ID) {
      id = this._idTexts.id(v.idText(buf, field));
      this._reader.remember(field, id);
    }
    return id;
  }

  /** A name (string, number, or '' when null) or a string tag, interned. */
  private _internAt(strings: InternedStrings, buf: Uint8Array, field: number): number {
    if (this._reader.kind[field] !== STRING) {
      return strings.id(this._values.idText(buf, field));
    }
    let id = this._reader.idOf(field);
    if (id === NO_ID) {
      id = strings.id(this._values.text(buf, field));
      this._reader.remember(field, id);
    }
    return id;
  }

  // --- Shared by both ways -----------------------------------------------

  private _addSlice(
    lane: number,
    whole: number,
    ps: number,
    dur: number,
    name: number,
    cat: number,
    corr: number,
    task: number
  ): void {
    if (!(dur >= 0)) {
      this._negativeDurs++;
      dur = 0;
    }
    this._gathered.push(whole, ps, dur, name, lane, cat, corr, task);
  }

  private _addInstant(whole: number, ps: number): void {
    this._noteTime(whole, ps);
    this._instantWhole.push(whole);
    this._instantPs.push(ps);
  }

  /** Keep the earliest start. */
  private _noteTime(whole: number, ps: number): void {
    if (whole < this._minWhole || (whole === this._minWhole && ps < this._minPs)) {
      this._minWhole = whole;
      this._minPs = ps;
    }
  }

  private _addNpuFlow(id: string, ph: 's' | 'f', lane: number, t: IExactTime): void {
    let flow = this._npuFlows.get(id);
    if (flow === undefined) {
      flow = {};
      this._npuFlows.set(id, flow);
    }
    flow[ph] = { lane, whole: t.whole, ps: t.ps };
  }

  // --- The model ---------------------------------------------------------

  finish(top: Json | null, scanWarnings: string[]): ITraceModel {
    const warnings = scanWarnings.concat(this._readWarnings());
    let ascend = top === null;
    for (const name of this._meta.processNames.values()) {
      if (ASCEND_PROCESS_NAMES.has(name)) {
        ascend = true;
      }
    }
    const gathered = this._gathered.columns();
    this._countLaneSlices(gathered);
    this._counters.samplesPerRawLane().forEach((samples, rawLane) => (this._lanes.lanes[rawLane].samples = samples));
    const { lanes, laneOf } = resolveLanes(this._lanes.lanes, this._meta, ascend);
    const first = earliestStart(gathered);
    this._noteTime(first.whole, first.ps);
    if (this._minWhole === Infinity) {
      this._minWhole = 0;
      this._minPs = 0;
    }
    const toFinish: ISlicesToFinish = {
      gathered,
      lanes,
      laneOf,
      names: this._names.strings,
      tags: this._tags.strings,
      originWhole: this._minWhole,
      originPs: this._minPs
    };
    const { slices, laneStart, hip, spanUs } =
      finishSlicesInWasm(toFinish) ?? finishSlices(toFinish);
    const names = this._names.strings;
    const links = linkSlices(
      slices,
      names,
      lanes,
      laneStart,
      laneOf,
      this._npuFlows,
      this._minWhole,
      this._minPs
    );

    const hasDevice = lanes.some(l => l.kind === 'device');
    let backend: Backend;
    if (ascend) {
      backend = 'ascend';
    } else if (hip) {
      backend = 'rocm';
    } else {
      backend = hasDevice ? 'cuda' : 'cpu';
    }
    const baseNs = top === null ? undefined : integerText(top.baseTimeNanoseconds);
    const meta: ITraceMeta = {
      device: ascend ? (hasDevice ? 'Ascend NPU' : '') : deviceName(top),
      versions: top === null ? {} : versionsOf(top),
      env: {},
      originUs: formatExactUs(this._minWhole, this._minPs, baseNs),
      ...distributedRank(top)
    };
    return {
      backend,
      names,
      lanes,
      slices,
      links,
      counters: this._counters.finish(laneOf, this._minWhole, this._minPs),
      steps: findSteps(slices, lanes, names),
      spanUs: this._spanUs(spanUs),
      meta,
      warnings
    };
  }

  /** The counts of each raw lane's slices that {@link resolveLanes} reads. */
  private _countLaneSlices(gathered: IGatheredSlices): void {
    const { lane, name, cat } = gathered;
    const raw = this._lanes.lanes;
    for (let i = 0; i < lane.length; i++) {
      const r = raw[lane[i]];
      r.slices++;
      r.dequeues += this._dequeueName[name[i]];
      r.deviceSlices += this._deviceTag[cat[i]];
    }
  }

  /** From the origin to the latest end of a slice (`sliceSpanUs`) or instant, µs. */
  private _spanUs(sliceSpanUs: number): number {
    let spanUs = sliceSpanUs;
    for (let i = 0; i < this._instantWhole.length; i++) {
      const s = rebaseUs(this._instantWhole[i], this._instantPs[i], this._minWhole, this._minPs);
      if (s > spanUs) {
        spanUs = s;
      }
    }
    return spanUs;
  }

  /** What the reader skipped or changed, as neutral facts. */
  private _readWarnings(): string[] {
    const warnings: string[] = [];
    let unmatchedBegins = 0;
    for (const stack of this._openBegins.values()) {
      unmatchedBegins += stack.length;
    }
    if (this._badTimes > 0) {
      warnings.push(`Skipped ${this._badTimes} events without a readable ts.`);
    }
    if (this._negativeDurs > 0) {
      warnings.push(`Read ${this._negativeDurs} negative or unreadable durations as 0.`);
    }
    if (unmatchedBegins > 0) {
      warnings.push(`Dropped ${unmatchedBegins} B events without a matching E.`);
    }
    if (this._unmatchedEnds > 0) {
      warnings.push(`Dropped ${this._unmatchedEnds} E events without a matching B.`);
    }
    const skipped = this._reader === undefined ? this._skipped : this._skipped.map((n, k) => n + this._reader.skippedInRuns[k]);
    const phases: string[] = [];
    let total = 0;
    skipped.forEach((n, code) => {
      if (n > 0) {
        phases.push(`${code === 0 ? 'without a one-character ph' : `"${String.fromCharCode(code)}"`}: ${n}`);
        total += n;
      }
    });
    if (total > 0) {
      warnings.push(
        `Skipped ${total} events of kinds the model does not read (${phases.join(', ')}; "b"/"e"/"n" are async events, "P" samples, "O" object snapshots).`
      );
    }
    return warnings;
  }

  // Reading events from bytes.
  /**
   * The event reader and the values of its fields, made at the first
   * {@link load}: a small file parsed whole needs neither (compiling the
   * WebAssembly reader costs ~1.5 ms).
   */
  private _reader!: IEventBytesReader;
  private _values!: EventFieldValues;
  /** What the last read event is, as its one-byte `ph`. */
  private _phase = PH_NOT_READ;
  /** Of the last read event when the model does not read it: its one-byte `ph`, or 0. */
  private _skippedPhase = 0;
  /** Events the model does not read, by one-byte `ph` (0: none or longer); flow events not counted. */
  private readonly _skipped = new Uint32Array(256);
  private readonly _time: IExactTime = { whole: 0, ps: 0 };

  // Interned strings, and by id the facts the reader needs about them.
  private readonly _dequeueName: number[] = [];
  private readonly _names = new InternedStrings(name =>
    this._dequeueName.push(name.startsWith(DEQUEUE_PREFIX) ? 1 : 0)
  );
  private readonly _deviceTag: number[] = [];
  private readonly _annotationTag: number[] = [];
  /** Categories and task types; 0 = none. */
  private readonly _tags = new InternedStrings(tag => {
    this._deviceTag.push(DEVICE_CATEGORIES.has(tag) ? 1 : 0);
    this._annotationTag.push(tag === ANNOTATION_CATEGORY ? 1 : 0);
  });
  private readonly _spanPid: number[] = [];
  /** Pid and tid texts. */
  private readonly _idTexts = new InternedStrings(text =>
    this._spanPid.push(SPAN_PIDS.has(text) ? 1 : 0)
  );

  private readonly _lanes = new RawLanes();
  private readonly _meta: ILaneMetadata = {
    processNames: new Map(),
    processLabels: new Map(),
    processSort: new Map(),
    threadNames: new Map(),
    threadSort: new Map(),
    hostToDevicePids: new Set()
  };

  /** Slices, in file order. */
  private readonly _gathered = new GatheredSlices();
  // Earliest start of the instants, then (at the end) of the slices too, exact.
  private _minWhole = Infinity;
  private _minPs = 0;
  private readonly _instantWhole: number[] = [];
  private readonly _instantPs: number[] = [];

  private _badTimes = 0;
  private _negativeDurs = 0;
  private _unmatchedEnds = 0;
  private readonly _openBegins = new Map<number, IOpenBegin[]>();
  private readonly _npuFlows = new Map<string, INpuFlow>();
  private readonly _counters = new CounterSamples();
}
