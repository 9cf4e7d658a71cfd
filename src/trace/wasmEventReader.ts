/**
 * wasmEventReader: the event reader of `eventBytes.ts` compiled to
 * WebAssembly (source: `wasm/eventReader.ts`, built by
 * `scripts/buildWasm.js`). Same fields, same return codes; compiled code
 * runs fast from the first event, where the TypeScript reader is slow until
 * V8 has optimised it, and it scans strings sixteen bytes at a time.
 *
 * The scanner's buffer is copied into the module's memory at each
 * {@link IEventBytesReader.load} (about 1 MiB per piece of input: a small
 * cost next to reading it); the field records are views of that memory.
 *
 * Pure module.
 */
import { EventBytesReader, FIELD_COUNT, IEventBytesReader, IEventRun } from './eventBytes';
import { compileWasm } from './compileWasm';
import { EVENT_READER_WASM } from './eventReaderWasm';

/** What the compiled module exports. */
interface IEventReaderExports {
  memory: WebAssembly.Memory;
  read(start: number, end: number): number;
  reserve(length: number): number;
  remember(field: number, id: number): void;
  rememberLane(pid: number, tid: number, cat: number, lane: number): void;
  readRun(start: number, end: number): number;
  STAGE: WebAssembly.Global;
  STAGED: WebAssembly.Global;
  RUN_END: WebAssembly.Global;
  RUN_OBJECT_END: WebAssembly.Global;
  RUN_FIRST_PHASE: WebAssembly.Global;
  RUN_SLICES: WebAssembly.Global;
  RUN_STOP: WebAssembly.Global;
  RUN_FLOWS: WebAssembly.Global;
  runColumns: WebAssembly.Global;
  runFlows: WebAssembly.Global;
  RUN_COUNTERS: WebAssembly.Global;
  SKIPPED_PHASES: WebAssembly.Global;
  runCounters: WebAssembly.Global;
  RUN_CAPACITY: WebAssembly.Global;
  buffer: WebAssembly.Global;
  IDS: WebAssembly.Global;
  KIND: WebAssembly.Global;
  FORM: WebAssembly.Global;
  FROM: WebAssembly.Global;
  TO: WebAssembly.Global;
  DIGITS: WebAssembly.Global;
  OBJECT_END: WebAssembly.Global;
}

/** The event reader running in its own instance of the compiled module. */
export class WasmEventBytesReader implements IEventBytesReader {
  /** @param module - the compiled reader ({@link compiledEventReader}). */
  constructor(module: WebAssembly.Module) {
    this._exports = new WebAssembly.Instance(module, {}).exports as unknown as IEventReaderExports;
    this._exports.reserve(0);
    this._view();
  }

  kind!: Uint8Array;
  from!: Int32Array;
  to!: Int32Array;
  form!: Uint8Array;
  digits!: Int32Array;

  get objectEnd(): number {
    return this._objectEnd[0];
  }

  idOf(field: number): number {
    return this._ids[field];
  }

  remember(field: number, id: number): void {
    this._exports.remember(field, id);
    this._view(); // the memory may have grown
  }

  get hasStagedSlice(): boolean {
    return this._staged[0] !== 0;
  }

  skippedInRuns!: Uint32Array;

  stagedValues!: Float64Array;
  stagedIds!: Int32Array;

  rememberLane(pid: number, tid: number, cat: number, lane: number): void {
    this._exports.rememberLane(pid, tid, cat, lane);
    this._view(); // the memory may have grown
  }

  readRun(_buf: Uint8Array, start: number, end: number): number {
    if (start === this._stopAt[0] && end === this._stopEnd) {
      return 0; // the run would stop at once, at the item it stopped at last
    }
    this._stopEnd = end;
    return this._exports.readRun(start, end);
  }

  get run(): IEventRun {
    return this._run;
  }

  load(buf: Uint8Array, length: number): void {
    this._stopEnd = -1;
    const at = this._exports.reserve(length);
    this._view();
    this._bytes.set(length === buf.length ? buf : buf.subarray(0, length), at);
  }

  read(_buf: Uint8Array, start: number, end: number): number {
    if (start === this._stopAt[0] && end === this._stopEnd) {
      // The last run read this item and stopped there: its fields are in the records.
      this._stopAt[0] = -1;
      return this._stopAt[1];
    }
    return this._exports.read(start, end);
  }

  /** Views of the module's memory, made again when it grew (growing detaches them). */
  private _view(): void {
    const e = this._exports;
    const bytes = e.memory.buffer;
    if (bytes === this._memory) {
      return;
    }
    this._memory = bytes;
    this._bytes = new Uint8Array(bytes);
    this.kind = new Uint8Array(bytes, e.KIND.value as number, FIELD_COUNT);
    this.form = new Uint8Array(bytes, e.FORM.value as number, FIELD_COUNT);
    this.from = new Int32Array(bytes, e.FROM.value as number, FIELD_COUNT);
    this.to = new Int32Array(bytes, e.TO.value as number, FIELD_COUNT);
    this.digits = new Int32Array(bytes, e.DIGITS.value as number, FIELD_COUNT);
    this._ids = new Int32Array(bytes, e.IDS.value as number, FIELD_COUNT);
    this._objectEnd = new Int32Array(bytes, e.OBJECT_END.value as number, 1);
    this._staged = new Int32Array(bytes, e.STAGED.value as number, 1);
    this.stagedValues = new Float64Array(bytes, e.STAGE.value as number, 4);
    this.stagedIds = new Int32Array(bytes, (e.STAGE.value as number) + 32, 4);
    const columns = e.runColumns.value as number;
    const capacity = e.RUN_CAPACITY.value as number;
    const facts = new Int32Array(bytes, e.RUN_END.value as number, 4);
    const flowCount = new Int32Array(bytes, e.RUN_FLOWS.value as number, 1);
    const flowColumns = e.runFlows.value as number;
    const counterCount = new Int32Array(bytes, e.RUN_COUNTERS.value as number, 1);
    const counterColumns = e.runCounters.value as number;
    this._stopAt = new Int32Array(bytes, e.RUN_STOP.value as number, 2);
    this.skippedInRuns = new Uint32Array(bytes, e.SKIPPED_PHASES.value as number, 256);
    this._run = {
      get end() {
        return facts[0];
      },
      get objectEnd() {
        return facts[1];
      },
      get firstPhase() {
        return facts[2];
      },
      get slices() {
        return facts[3];
      },
      values: new Float64Array(bytes, columns, 4 * capacity),
      ids: new Int32Array(bytes, columns + 32 * capacity, 4 * capacity),
      get flows() {
        return flowCount[0];
      },
      flowValues: new Float64Array(bytes, flowColumns, 2 * capacity),
      flowFacts: new Int32Array(bytes, flowColumns + 16 * capacity, 4 * capacity),
      get counters() {
        return counterCount[0];
      },
      counterValues: new Float64Array(bytes, counterColumns, 4 * capacity),
      counterFacts: new Int32Array(bytes, counterColumns + 32 * capacity, 7 * capacity),
      capacity
    };
  }

  private readonly _exports: IEventReaderExports;
  private _memory: ArrayBuffer | null = null;
  private _bytes!: Uint8Array;
  private _ids!: Int32Array;
  private _objectEnd!: Int32Array;
  private _staged!: Int32Array;
  private _run!: IEventRun;
  /** The item the last run stopped at (-1: none) and the code of its read. */
  private _stopAt!: Int32Array;
  /** The `end` of the last run; -1 after a load. */
  private _stopEnd = -1;
}

/** The compiled module once compiled; null where it cannot be. */
let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled reader, or null where this runtime cannot compile it
 * (no WebAssembly, no SIMD, or a main thread that refuses synchronous
 * compiles). Compiled once.
 */
export function compiledEventReader(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = compileWasm(EVENT_READER_WASM);
  }
  return compiled;
}

/** The WebAssembly reader where it can run, else the TypeScript one. */
export function createEventBytesReader(): IEventBytesReader {
  const module = compiledEventReader();
  return module === null ? new EventBytesReader() : new WasmEventBytesReader(module);
}
