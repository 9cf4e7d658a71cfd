/**
 * eventBytes: read one trace event object straight from its UTF-8 bytes,
 * keeping only where the fields the model uses are, so that no JS object and
 * no string is made for the rest (`args` of a torch op can hold kilobytes of
 * call stack). The model builder turns the fields into values.
 *
 * The whole object is checked to be strict JSON ({@link skipValue}): text that
 * `JSON.parse` would reject goes to the `JSON.parse` + repair path instead.
 *
 * Pure module.
 */
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  INumberScan,
  IStringScan,
  MINUS,
  NEED_MORE_BYTES,
  NOT_STRICT_JSON,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  STRING_HAS_ESCAPE,
  nextInContainer,
  openContainer,
  scanNumber,
  scanString,
  skipColon,
  skipSpace,
  skipValue
} from './jsonBytes';
import { ByteKeyTable, NO_ID } from './byteKeys';

/** What a field holds ({@link EventBytesReader.kind}); ABSENT when the event has no such key. */
export const ABSENT = 0;
/** A JSON string. */
export const STRING = 1;
/** A JSON number. */
export const NUMBER = 2;
/** `null`. */
export const NULL = 3;
/** `true` or `false`. */
export const BOOLEAN = 4;
/** A JSON object. */
export const OBJECT = 5;
/** A JSON array. */
export const ARRAY = 6;

/** Top-level fields of an event that the model reads, named after their keys. */
export const PH = 0;
export const NAME = 1;
export const CAT = 2;
export const PID = 3;
export const TID = 4;
export const TS = 5;
export const DUR = 6;
export const ID = 7;
/** `s`, the scope of an instant event (`"g"`: global). */
export const SCOPE = 8;
export const ARGS = 9;
/** Fields inside `args`. */
export const ARG_CORRELATION = 10;
export const ARG_CONNECTION_ID = 11;
export const ARG_TASK_TYPE = 12;
/** `correlation_id` of Ascend's `Enqueue` and `Dequeue@<op>` slices. */
export const ARG_CORRELATION_ID = 13;
/** Number of fields. */
export const FIELD_COUNT = 14;
/** First field inside `args`. */
const FIRST_ARG_FIELD = ARG_CORRELATION;

/** Bit of {@link EventBytesReader.numberForm}: the number has a fraction part. */
export const NUMBER_HAS_FRACTION = 1;
/** Bit of {@link EventBytesReader.numberForm}: the number has an exponent part. */
export const NUMBER_HAS_EXPONENT = 2;

/** The byte-key table of each keyed field: names; cat and Task Type; pid and tid. */
const KEY_TABLE_OF: readonly number[] = (() => {
  const tables = new Array<number>(FIELD_COUNT).fill(-1);
  tables[NAME] = 0;
  tables[CAT] = tables[ARG_TASK_TYPE] = 1;
  tables[PID] = tables[TID] = 2;
  return tables;
})();

/** Longest key a {@link KeyTable} can hold. */
const MAX_KEY_LENGTH = 31;

/**
 * The fields of some keys, found by the key's length and first byte (one
 * key per pair), then checked byte by byte.
 */
class KeyTable {
  constructor(names: Record<string, number>) {
    for (const [name, field] of Object.entries(names)) {
      const slot = KeyTable._slot(name.length, name.charCodeAt(0));
      if (name.length > MAX_KEY_LENGTH || this._fields[slot] !== -1) {
        throw new Error(`KeyTable cannot hold "${name}"`);
      }
      this._fields[slot] = field;
      this._bytes[slot] = Uint8Array.from(name, ch => ch.charCodeAt(0));
    }
  }

  /** Field of the key `buf[from..to)`, or -1. */
  fieldOf(buf: Uint8Array, from: number, to: number): number {
    const length = to - from;
    if (length > MAX_KEY_LENGTH || length === 0) {
      return -1;
    }
    const slot = KeyTable._slot(length, buf[from]);
    const field = this._fields[slot];
    if (field < 0) {
      return -1;
    }
    const key = this._bytes[slot];
    for (let k = 1; k < length; k++) {
      if (buf[from + k] !== key[k]) {
        return -1;
      }
    }
    return field;
  }

  private static _slot(length: number, first: number): number {
    return (length << 8) | first;
  }

  private readonly _fields = new Int8Array((MAX_KEY_LENGTH + 1) << 8).fill(-1);
  private readonly _bytes: Uint8Array[] = [];
}

const EVENT_KEYS = new KeyTable({
  ph: PH,
  name: NAME,
  cat: CAT,
  pid: PID,
  tid: TID,
  ts: TS,
  dur: DUR,
  id: ID,
  s: SCOPE,
  args: ARGS
});

const ARG_KEYS = new KeyTable({
  correlation: ARG_CORRELATION,
  connection_id: ARG_CONNECTION_ID,
  'Task Type': ARG_TASK_TYPE,
  correlation_id: ARG_CORRELATION_ID
});

/** Returned by {@link EventBytesReader.read} for a key written with an escape. */
export const ESCAPED_KEY = -3;

/**
 * Reads one event object and records, per field, its kind and where its
 * value is: for a string the bytes between the quotes, for a number its text.
 * One reader is reused for every event; its fields describe the last
 * {@link read} until the next one, and point into the buffer that was read.
 * Two readers do this, with the same results: {@link EventBytesReader} here,
 * and the WebAssembly one of `wasmEventReader.ts`.
 */
export interface IEventBytesReader {
  /** Kind of each field ({@link ABSENT}, {@link STRING}, ...). */
  readonly kind: Uint8Array;
  /**
   * Start of each field's value in the buffer (inside the quotes for
   * strings; the `{` of an `args` object).
   */
  readonly from: Int32Array;
  /** End of each field's value (before the closing quote for strings; after the `}` of an `args` object). */
  readonly to: Int32Array;
  /** For strings, the scan flags (`STRING_HAS_ESCAPE`, ...); for numbers, `NUMBER_HAS_*` bits. */
  readonly form: Uint8Array;
  /** For numbers, digits before and after the dot. */
  readonly digits: Int32Array;
  /** Index just after the object's closing brace. */
  readonly objectEnd: number;
  /**
   * For a keyed field of the last read (name, cat and Task Type, pid and
   * tid), the id {@link remember}ed for its bytes, or `NO_ID`.
   */
  idOf(field: number): number;
  /**
   * Remember `id` for the bytes of a keyed field of the last read, so that
   * {@link idOf} finds it for the same bytes later: the caller makes sure the
   * same bytes always stand for the same string. Names share one table,
   * cat and Task Type another, pid and tid a third.
   */
  remember(field: number, id: number): void;
  /**
   * Whether the last read also made the event's complete slice, in
   * {@link stagedValues} and {@link stagedIds}: an `X` event of the usual
   * form whose ids (cat, Task Type, pid, tid and lane; and its name, unless
   * that is met for the first time and has no escape) were all met before.
   * The WebAssembly reader does; the TypeScript one never does.
   */
  readonly hasStagedSlice: boolean;
  /** The staged slice's start (whole µs, ps), duration and correlation (-1: none). */
  readonly stagedValues: Float64Array;
  /** The staged slice's name (NO_ID: not met before), raw lane, cat and Task Type ids. */
  readonly stagedIds: Int32Array;
  /**
   * Remember the raw lane of slices with these pid, tid and cat ids (of
   * flows: {@link FLOW_LANE_CAT}; of counters: {@link COUNTER_LANE_CAT}),
   * for staging later slices, flow ends and counter events.
   */
  rememberLane(pid: number, tid: number, cat: number, lane: number): void;
  /**
   * Read the items from `buf[start]` on for as long as each one is a
   * complete slice, a flow end or a counter event it can stage, or an event
   * the model builder ignores, and is followed by a comma; their slices, flow
   * ends and counter values go to the run's columns. The TypeScript reader reads none.
   *
   * @returns the number of items read ({@link run} tells the rest).
   */
  readRun(buf: Uint8Array, start: number, end: number): number;
  /** What the last {@link readRun} found. */
  readonly run: IEventRun;
  /**
   * Events of phases the model does not read that runs went past, counted
   * by their one-byte `ph` (index 0: none, or a longer one); flow events are
   * not counted.
   */
  readonly skippedInRuns: Uint32Array;
  /**
   * Take the bytes `buf[0..length)`: later {@link read} calls on `buf` see
   * them, until the next `load` (the scanner calls it whenever its buffer
   * changed).
   */
  load(buf: Uint8Array, length: number): void;
  /**
   * Read the object that opens at `buf[start]` (a `{`) and the separator
   * after it.
   *
   * @returns the index of the separator (a `,` or the `]` that closes the
   *   event array); `NEED_MORE_BYTES` when `end` comes first;
   *   `NOT_STRICT_JSON` when the text is not strict JSON or another byte
   *   follows the object; {@link ESCAPED_KEY} when a key has an escape (its
   *   name is only known after decoding).
   */
  read(buf: Uint8Array, start: number, end: number): number;
}

/** Kinds of the flow ends of a run ({@link IEventRun.flowFacts}). */
export const FLOW_START = 0;
export const FLOW_FINISH = 1;
export const HOST_TO_DEVICE_START = 2;
/**
 * The cat id under which {@link IEventBytesReader.rememberLane} keeps the
 * lane of a flow's pid and tid: a flow's lane has no category.
 */
export const FLOW_LANE_CAT = -1;
/** The cat id under which the lane of a counter event's pid and tid is kept. */
export const COUNTER_LANE_CAT = -2;

/** What a run of events read at once ({@link IEventBytesReader.readRun}) found. */
export interface IEventRun {
  /** Index of the comma after its last item. */
  readonly end: number;
  /** Index just after its last object. */
  readonly objectEnd: number;
  /** Index in the run of its first item with a string `ph`, or -1. */
  readonly firstPhase: number;
  /** Slices made. */
  readonly slices: number;
  /**
   * Column `c` of the slices' values (start whole µs, ps, duration,
   * correlation), slice `k` at `values[c * capacity + k]`.
   */
  readonly values: Float64Array;
  /** Column `c` of the slices' ids (name, raw lane, cat, Task Type), as {@link values}. */
  readonly ids: Int32Array;
  /** Flow ends kept: the `async_npu` / `torch_to_npu` ones and host-to-device starts. */
  readonly flows: number;
  /** Column `c` of the flow ends' times (whole µs, ps), flow `k` at `flowValues[c * capacity + k]`. */
  readonly flowValues: Float64Array;
  /**
   * Column `c` of the flow ends' facts, as {@link flowValues}: kind
   * ({@link FLOW_START}, {@link FLOW_FINISH}, {@link HOST_TO_DEVICE_START}),
   * raw lane (of a host-to-device start: its pid id), and where the text of
   * its id is in the buffer (from, to).
   */
  readonly flowFacts: Int32Array;
  /**
   * Counter events kept: those of the usual form (`ph` "C", a name met
   * before, no `id`, one or two numbers in `args` under plain keys).
   */
  readonly counters: number;
  /**
   * Column `c` of the counter events' numbers (time whole µs, ps, first
   * value, second value), event `k` at `counterValues[c * capacity + k]`.
   */
  readonly counterValues: Float64Array;
  /**
   * Column `c` of the counter events' facts, as {@link counterValues}: name
   * id, raw lane, number of values (1 or 2), and where the key of each value
   * is in the buffer (from, to; ASCII without escapes).
   */
  readonly counterFacts: Int32Array;
  /** Rows of each column. */
  readonly capacity: number;
}

/** The reader in TypeScript: used where WebAssembly cannot be compiled. */
export class EventBytesReader implements IEventBytesReader {
  /** Kind of each field ({@link ABSENT}, {@link STRING}, ...). */
  readonly kind = new Uint8Array(FIELD_COUNT);
  /** Start of each field's value in the buffer (inside the quotes for strings). */
  readonly from = new Int32Array(FIELD_COUNT);
  /** End of each field's value (before the closing quote for strings). */
  readonly to = new Int32Array(FIELD_COUNT);
  /** For strings, the scan flags (`STRING_HAS_ESCAPE`, ...); for numbers, `NUMBER_HAS_*` bits. */
  readonly form = new Uint8Array(FIELD_COUNT);
  /** For numbers, digits before and after the dot. */
  readonly digits = new Int32Array(FIELD_COUNT);
  /** Index just after the object's closing brace. */
  objectEnd = 0;

  /** Nothing to do: this reader reads `buf` itself. */
  load(): void {
    // The bytes are read where they are.
  }

  readonly hasStagedSlice = false;
  readonly stagedValues = new Float64Array(4);
  readonly stagedIds = new Int32Array(4);

  /** Nothing to do: this reader stages no slice. */
  rememberLane(): void {
    // Slices are made by the model builder.
  }

  /** None: this reader reads one event at a time. */
  readRun(): number {
    return 0;
  }

  readonly skippedInRuns = new Uint32Array(256);

  readonly run: IEventRun = {
    end: 0,
    objectEnd: 0,
    firstPhase: -1,
    slices: 0,
    values: new Float64Array(0),
    ids: new Int32Array(0),
    flows: 0,
    flowValues: new Float64Array(0),
    flowFacts: new Int32Array(0),
    counters: 0,
    counterValues: new Float64Array(0),
    counterFacts: new Int32Array(0),
    capacity: 0
  };

  idOf(field: number): number {
    return this._keys[KEY_TABLE_OF[field]].get(this._buf, this.from[field], this.to[field]);
  }

  remember(field: number, id: number): void {
    const table = this._keys[KEY_TABLE_OF[field]];
    const from = this.from[field];
    const to = this.to[field];
    if (table.get(this._buf, from, to) === NO_ID) {
      table.set(this._buf, from, to, id);
    }
  }

  read(buf: Uint8Array, start: number, end: number): number {
    this._buf = buf;
    this.kind.fill(ABSENT);
    const i = this._readObject(buf, start, end, EVENT_KEYS);
    if (i < 0) {
      return i;
    }
    this.objectEnd = i;
    const sep = skipSpace(buf, i, end);
    if (sep >= end) {
      return NEED_MORE_BYTES;
    }
    const c = buf[sep];
    return c === COMMA || c === CLOSE_BRACKET ? sep : NOT_STRICT_JSON;
  }

  /** Read the object at `i` into the fields of `table`; returns the index after it. */
  private _readObject(buf: Uint8Array, i: number, end: number, table: KeyTable): number {
    const scan = this._scan;
    i = openContainer(buf, i, end, CLOSE_BRACE);
    while (i >= 0 && buf[i - 1] !== CLOSE_BRACE) {
      if (buf[i] !== QUOTE) {
        return NOT_STRICT_JSON;
      }
      const keyEnd = scanString(buf, i, end, scan);
      if (keyEnd < 0) {
        return keyEnd;
      }
      if ((scan.flags & STRING_HAS_ESCAPE) !== 0) {
        return ESCAPED_KEY;
      }
      const field = table.fieldOf(buf, i + 1, keyEnd - 1);
      i = skipColon(buf, keyEnd, end);
      if (i < 0) {
        return i;
      }
      if (field < 0) {
        i = skipValue(buf, i, end, 1);
      } else if (field === ARGS) {
        i = this._readArgs(buf, i, end);
      } else {
        i = this._readValue(buf, i, end, field);
      }
      if (i < 0) {
        return i;
      }
      i = nextInContainer(buf, i, end, CLOSE_BRACE);
    }
    return i;
  }

  /** The value of `args`: its fields when it is an object (a later `args` replaces them). */
  private _readArgs(buf: Uint8Array, i: number, end: number): number {
    for (let f = FIRST_ARG_FIELD; f < FIELD_COUNT; f++) {
      this.kind[f] = ABSENT;
    }
    if (i < end && buf[i] === OPEN_BRACE) {
      this.kind[ARGS] = OBJECT;
      this.from[ARGS] = i;
      const after = this._readObject(buf, i, end, ARG_KEYS);
      this.to[ARGS] = after;
      return after;
    }
    return this._readValue(buf, i, end, ARGS);
  }

  /** Record the kind and place of the value at `i` in `field`; returns the index after it. */
  private _readValue(buf: Uint8Array, i: number, end: number, field: number): number {
    if (i >= end) {
      return NEED_MORE_BYTES;
    }
    const c = buf[i];
    let after: number;
    if (c === QUOTE) {
      after = scanString(buf, i, end, this._scan);
      this.kind[field] = STRING;
      this.from[field] = i + 1;
      this.to[field] = after - 1;
      this.form[field] = this._scan.flags;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const number = this._number;
      after = scanNumber(buf, i, end, number);
      this.kind[field] = NUMBER;
      this.from[field] = i;
      this.to[field] = after;
      this.form[field] =
        (number.fraction ? NUMBER_HAS_FRACTION : 0) |
        (number.exponent ? NUMBER_HAS_EXPONENT : 0);
      this.digits[field] = number.digits;
    } else {
      after = skipValue(buf, i, end, 1);
      this.kind[field] =
        c === OPEN_BRACE
          ? OBJECT
          : c === OPEN_BRACKET
            ? ARRAY
            : c === 110 // n
              ? NULL
              : BOOLEAN;
    }
    return after;
  }

  /** The buffer of the last read. */
  private _buf: Uint8Array = new Uint8Array(0);
  private readonly _keys = [new ByteKeyTable(), new ByteKeyTable(), new ByteKeyTable()];
  private readonly _scan: IStringScan = { flags: 0 };
  private readonly _number: INumberScan = { digits: 0, fraction: false, exponent: false };
}
