/**
 * The trace event reader, in AssemblyScript, compiled to WebAssembly by
 * `scripts/buildWasm.js` and driven by `src/trace/wasmEventReader.ts`.
 * Compiled code is fast from its first call, where JavaScript runs slowly
 * until V8 has optimised it. Four jobs, in the order of this file:
 *
 * 1. **Fields** ({@link read}): the fields the model reads in one event
 *    object, straight from its UTF-8 bytes, checking the whole object is
 *    strict JSON. Same grammar, results and return codes as the TypeScript
 *    reader (`src/trace/eventBytes.ts`, `jsonBytes.ts`); the unit tests
 *    compare the two field by field on every event of every public trace.
 * 2. **Byte keys**: the ids of names, categories, pids and tids met before,
 *    found by their bytes (as `byteKeys.ts`); the model builder gives the ids
 *    ({@link remember}).
 * 3. **Complete slices** ({@link STAGE}): the usual `X` event, whose ids and
 *    lane are all known, made here with the model builder's arithmetic.
 * 4. **Runs** ({@link readRun}): many such events, and events the model
 *    ignores, in one call.
 *
 * Memory: the caller copies the scan buffer to {@link buffer}; positions
 * passed and returned are indices into that buffer. Each field's record is
 * at {@link KIND}, {@link FORM} (bytes), {@link FROM}, {@link TO},
 * {@link DIGITS} and {@link IDS} (32-bit words), indexed by the field
 * numbers of `eventBytes.ts`. The key tables and the run's columns are
 * allocated between the records and the buffer, which moves up to make room.
 */

/** Where the records of the fields are. */
export const KIND: u32 = 1024;
export const FORM: u32 = 1056;
export const FROM: u32 = 1088;
export const TO: u32 = 1152;
export const DIGITS: u32 = 1216;
/** Index just after the last object read. */
export const OBJECT_END: u32 = 1280;
/**
 * For the keyed fields (name, cat, pid, tid, Task Type): the id remembered
 * for the field's bytes ({@link remember}), or -1.
 */
export const IDS: u32 = 1344;
/** Headers of the byte-key tables: slots, mask, count (three u32 each); then the lane table's. */
const TABLES: u32 = 1408;
const LANE_TABLE: u32 = TABLES + 3 * 12;
/**
 * The complete slice of the object just read, when it could be made here
 * ({@link STAGED} is not 0): start (whole µs, ps), duration and correlation
 * as f64, then name (-1 while unknown), lane, cat and Task Type ids as i32.
 */
export const STAGE: u32 = 1472;
/**
 * 1 when {@link STAGE} holds the slice of the object just read; 2 when it
 * does but for its name, met for the first time; else 0.
 */
export const STAGED: u32 = 1520;
/**
 * What the last {@link readRun} found: the separator after its last item,
 * the end of its last object, the index of its first item with a string
 * `ph` (-1: none), and how many slices it made.
 */
export const RUN_END: u32 = 1536;
export const RUN_OBJECT_END: u32 = 1540;
export const RUN_FIRST_PHASE: u32 = 1544;
export const RUN_SLICES: u32 = 1548;
/**
 * The item the last run stopped at, read but not taken (-1: none), and what
 * {@link read} returned for it: its fields are still in the records.
 */
export const RUN_STOP: u32 = 1552;
export const RUN_STOP_CODE: u32 = 1556;
/** How many flow ends the last {@link readRun} kept (see {@link runFlows}). */
export const RUN_FLOWS: u32 = 1560;
/**
 * The flow end of the object just read, when it could be kept here
 * ({@link FLOW_STAGED} is 1): time (whole µs, ps) as f64, then its kind
 * ({@link FLOW_START}, {@link FLOW_FINISH}, {@link HOST_TO_DEVICE_START}),
 * its raw lane (a host-to-device start: its pid id), and where its id's
 * text is in the buffer, from and to, as i32.
 */
const FLOW_STAGE: u32 = 1568;
const FLOW_STAGED: u32 = 1600;
/** Kinds of flow ends. */
const FLOW_START = 0;
const FLOW_FINISH = 1;
const HOST_TO_DEVICE_START = 2;
/** The cat id under which the lane of a flow's pid and tid is remembered: a flow's lane has no category. */
const FLOW_LANE_CAT: i32 = -1;
/**
 * The numeric values of the `args` of the object just read under keys other
 * than the known ones (`correlation`, ...): their count (over
 * {@link MAX_COUNTER_VALUES} when there were more, a key was not plain
 * ASCII or one quoteBigNumbers.ts may quote, or another value was not a
 * number), then for the first ones where the key (without its quotes) and the
 * number are in the buffer: key from, key to, number from, number to.
 */
const OTHER_ARGS: u32 = 1664;
/** Most values of one counter event staged here; an event with more is read by the model builder. */
const MAX_COUNTER_VALUES: i32 = 2;
/**
 * The counter event (`ph: "C"`) of the object just read, when it could be
 * made here ({@link COUNTER_STAGED} is 1): time (whole µs, ps) and its
 * values as f64 (four f64 in all), then its name and raw lane ids, its number
 * of values and where the key of each is in the buffer, from and to, as i32.
 */
const COUNTER_STAGE: u32 = 1728;
const COUNTER_STAGED: u32 = 1792;
/** How many counter events the last {@link readRun} kept (see {@link runCounters}). */
export const RUN_COUNTERS: u32 = 1796;
/**
 * Events of phases the model does not read, skipped in runs: a u32 count per
 * `ph` byte (index 0: no one-character `ph`). Flow events are not counted:
 * the model keeps the flows it links by and needs no other.
 */
export const SKIPPED_PHASES: u32 = 2048;
/** The cat id under which the lane of a counter's pid and tid is remembered. */
const COUNTER_LANE_CAT: i32 = -2;
/** Most slices, and most flow ends, one run keeps: their columns are allocated once. */
export const RUN_CAPACITY: u32 = 4096;
/** Where the columns of a run's slices are, in {@link STAGE} order: four f64 columns, then four i32 ones. */
export let runColumns: u32 = 0;
/** Where the columns of a run's flow ends are, in {@link FLOW_STAGE} order: two f64 columns, then four i32 ones. */
export let runFlows: u32 = 0;
/** Where the columns of a run's counter events are, in {@link COUNTER_STAGE} order: four f64 columns, then seven i32 ones. */
export let runCounters: u32 = 0;
/** Where the byte-key tables and their keys are allocated. */
const HEAP_START: u32 = 4096;
/**
 * Where the caller puts the bytes ({@link reserve}); moved up when the
 * tables need the room.
 */
export let buffer: u32 = 65536;

// Return codes (jsonBytes.ts, eventBytes.ts).
const NEED_MORE_BYTES = -1;
const NOT_STRICT_JSON = -2;
const ESCAPED_KEY = -3;
const MAX_NESTING = 64;

// Kinds.
const STRING: u8 = 1;
const NUMBER: u8 = 2;
const NULL: u8 = 3;
const BOOLEAN: u8 = 4;
const OBJECT: u8 = 5;
const ARRAY: u8 = 6;

// Fields.
const PH = 0;
const NAME = 1;
const CAT = 2;
const PID = 3;
const TID = 4;
const TS = 5;
const DUR = 6;
const ID = 7;
const SCOPE = 8;
const ARGS = 9;
const ARG_CORRELATION = 10;
const ARG_CONNECTION_ID = 11;
const ARG_TASK_TYPE = 12;
const ARG_CORRELATION_ID = 13;
const FIELD_COUNT = 14;

// String flags and number forms.
const STRING_HAS_ESCAPE: u8 = 1;
const STRING_HAS_NON_ASCII: u8 = 2;
const NUMBER_HAS_FRACTION: u8 = 1;
const NUMBER_HAS_EXPONENT: u8 = 2;

// Bytes.
const QUOTE: u8 = 34;
const BACKSLASH: u8 = 92;
const COMMA: u8 = 44;
const SPACE: u8 = 32;
const COLON: u8 = 58;
const MINUS: u8 = 45;
const PLUS: u8 = 43;
const DOT: u8 = 46;
const DIGIT_0: u8 = 48;
const DIGIT_9: u8 = 57;
const OPEN_BRACE: u8 = 123;
const CLOSE_BRACE: u8 = 125;
const OPEN_BRACKET: u8 = 91;
const CLOSE_BRACKET: u8 = 93;
const LOWER_E: u8 = 101;
const UPPER_E: u8 = 69;
const LOWER_U: u8 = 117;
const FIRST_PRINTABLE: u8 = 0x20;
const FIRST_NON_ASCII: u8 = 0x80;

/** Which key table {@link readObject} matches keys against. */
const EVENT_KEYS = 0;
const ARG_KEYS = 1;

// What the last scanString / scanNumber learned.
let stringFlags: u8 = 0;
let numberDigits: i32 = 0;
let numberForm: u8 = 0;

// @ts-ignore: decorator
@inline
function at(i: i32): u8 {
  return load<u8>(buffer + <u32>i);
}

// @ts-ignore: decorator
@inline
function isSpace(c: u8): bool {
  return c == 32 || c == 10 || c == 13 || c == 9;
}

// @ts-ignore: decorator
@inline
function isDigit(c: u8): bool {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHexDigit(c: u8): bool {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function skipSpace(i: i32, end: i32): i32 {
  while (i < end && isSpace(at(i))) {
    i++;
  }
  return i;
}

/**
 * Read the event object that opens at `start` and the separator after it.
 * Returns the separator's index (`,` or `]`), or a negative code.
 */
export function read(start: i32, end: i32): i32 {
  memory.fill(KIND, 0, FIELD_COUNT);
  store<i32>(OTHER_ARGS, 0);
  const i = readObject(start, end, EVENT_KEYS);
  if (i < 0) {
    return i;
  }
  store<i32>(OBJECT_END, i);
  lookUpKeys();
  const staged = stageCompleteSlice();
  store<i32>(STAGED, staged);
  store<i32>(FLOW_STAGED, staged == 0 && stageFlow() ? 1 : 0);
  store<i32>(COUNTER_STAGED, staged == 0 && stageCounter() ? 1 : 0);
  const sep = skipSpace(i, end);
  if (sep >= end) {
    return NEED_MORE_BYTES;
  }
  const c = at(sep);
  return c == COMMA || c == CLOSE_BRACKET ? sep : NOT_STRICT_JSON;
}

/** The field of the key `[from, to)` in `table`, or -1. */
function fieldOf(from: i32, to: i32, table: i32): i32 {
  const p = buffer + <u32>from;
  const length = to - from;
  if (table == EVENT_KEYS) {
    if (length == 2) {
      const w = load<u16>(p);
      if (w == 0x6870) return PH;
      if (w == 0x7374) return TS;
      if (w == 0x6469) return ID;
    } else if (length == 3) {
      const w = load<u16>(p);
      const last = load<u8>(p, 2);
      if (w == 0x6970 && last == 0x64) return PID;
      if (w == 0x6974 && last == 0x64) return TID;
      if (w == 0x6163 && last == 0x74) return CAT;
      if (w == 0x7564 && last == 0x72) return DUR;
    } else if (length == 4) {
      const w = load<u32>(p);
      if (w == 0x656d616e) return NAME;
      if (w == 0x73677261) return ARGS;
    } else if (length == 1) {
      if (load<u8>(p) == 0x73) return SCOPE;
    }
    return -1;
  }
  if (length == 11) {
    if (load<u64>(p) == 0x74616c6572726f63 && load<u32>(p, 7) == 0x6e6f6974) return ARG_CORRELATION;
  } else if (length == 13) {
    if (load<u64>(p) == 0x697463656e6e6f63 && load<u32>(p, 9) == 0x64695f6e) return ARG_CONNECTION_ID;
  } else if (length == 9) {
    if (load<u64>(p) == 0x707954206b736154 && load<u8>(p, 8) == 0x65) return ARG_TASK_TYPE;
  } else if (length == 14) {
    if (load<u64>(p) == 0x74616c6572726f63 && load<u16>(p, 8) == 0x6f69 && load<u32>(p, 10) == 0x64695f6e) {
      return ARG_CORRELATION_ID;
    }
  }
  return -1;
}

/** Read the object at `i` into the fields of `table`; returns the index after it. */
function readObject(i: i32, end: i32, table: i32): i32 {
  i = openContainer(i, end, CLOSE_BRACE);
  while (i >= 0 && at(i - 1) != CLOSE_BRACE) {
    if (at(i) != QUOTE) {
      return NOT_STRICT_JSON;
    }
    const keyEnd = scanString(i, end);
    if (keyEnd < 0) {
      return keyEnd;
    }
    if ((stringFlags & STRING_HAS_ESCAPE) != 0) {
      return ESCAPED_KEY;
    }
    const ascii = (stringFlags & STRING_HAS_NON_ASCII) == 0;
    const field = fieldOf(i + 1, keyEnd - 1, table);
    if (field < 0 && table == ARG_KEYS) {
      i = readOtherArg(i + 1, keyEnd - 1, ascii, skipColon(keyEnd, end), end);
      if (i < 0) {
        return i;
      }
      i = nextInContainer(i, end, CLOSE_BRACE);
      continue;
    }
    i = skipColon(keyEnd, end);
    if (i < 0) {
      return i;
    }
    if (field < 0) {
      i = skipValue(i, end, 1);
    } else if (field == ARGS) {
      i = readArgs(i, end);
    } else {
      i = readValue(i, end, field);
    }
    if (i < 0) {
      return i;
    }
    i = nextInContainer(i, end, CLOSE_BRACE);
  }
  return i;
}

/** The value of `args`: its fields when it is an object (a later `args` replaces them). */
function readArgs(i: i32, end: i32): i32 {
  for (let f = ARG_CORRELATION; f < FIELD_COUNT; f++) {
    store<u8>(KIND + <u32>f, 0);
  }
  store<i32>(OTHER_ARGS, 0);
  if (i < end && at(i) == OPEN_BRACE) {
    store<u8>(KIND + ARGS, OBJECT);
    store<i32>(FROM + (ARGS << 2), i);
    const after = readObject(i, end, ARG_KEYS);
    store<i32>(TO + (ARGS << 2), after);
    return after;
  }
  return readValue(i, end, ARGS);
}

/**
 * Skip the value at `i` (-1: the colon was missing) of an `args` key
 * `[keyFrom, keyTo)` that is not a known one, noting where it is when it is a
 * number ({@link OTHER_ARGS}); returns the index after it.
 */
function readOtherArg(keyFrom: i32, keyTo: i32, ascii: bool, i: i32, end: i32): i32 {
  if (i < 0) {
    return i;
  }
  if (i >= end || !(at(i) == MINUS || isDigit(at(i)))) {
    // Not a number: a counter event with it is left to the model builder,
    // which sees which of two values under one key JSON.parse keeps.
    store<i32>(OTHER_ARGS, MAX_COUNTER_VALUES + 1);
    return skipValue(i, end, 1);
  }
  const after = scanNumber(i, end);
  const count = load<i32>(OTHER_ARGS);
  if (count < MAX_COUNTER_VALUES && ascii && !isQuotedWhenLong(keyFrom, keyTo)) {
    const entry = OTHER_ARGS + 4 + <u32>count * 16;
    store<i32>(entry, keyFrom);
    store<i32>(entry, keyTo, 4);
    store<i32>(entry, i, 8);
    store<i32>(entry, after, 12);
    store<i32>(OTHER_ARGS, count + 1);
  } else {
    store<i32>(OTHER_ARGS, MAX_COUNTER_VALUES + 1);
  }
  return after;
}

/**
 * Whether `[from, to)` is a key whose long numbers quoteBigNumbers.ts turns
 * into strings before `JSON.parse` (`ts`, `id`, `baseTimeNanoseconds`): a
 * counter event with one is left to the model builder.
 */
function isQuotedWhenLong(from: i32, to: i32): bool {
  const p = buffer + <u32>from;
  const length = to - from;
  if (length == 2) {
    const w = load<u16>(p);
    return w == 0x6469 || w == 0x7374; // id, ts
  }
  return length == 19 && load<u64>(p) == 0x656d695465736162; // baseTime...
}

/** Record the kind and place of the value at `i` in `field`; returns the index after it. */
function readValue(i: i32, end: i32, field: i32): i32 {
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  const c = at(i);
  const f = <u32>field;
  let after: i32;
  if (c == QUOTE) {
    after = scanString(i, end);
    store<u8>(KIND + f, STRING);
    store<i32>(FROM + (f << 2), i + 1);
    store<i32>(TO + (f << 2), after - 1);
    store<u8>(FORM + f, stringFlags);
  } else if (c == MINUS || isDigit(c)) {
    after = scanNumber(i, end);
    store<u8>(KIND + f, NUMBER);
    store<i32>(FROM + (f << 2), i);
    store<i32>(TO + (f << 2), after);
    store<u8>(FORM + f, numberForm);
    store<i32>(DIGITS + (f << 2), numberDigits);
  } else {
    after = skipValue(i, end, 1);
    store<u8>(
      KIND + f,
      c == OPEN_BRACE ? OBJECT : c == OPEN_BRACKET ? ARRAY : c == 110 ? NULL : BOOLEAN
    );
  }
  return after;
}

/**
 * Read the string whose opening quote is at `i`; returns the index after
 * the closing quote. Sixteen bytes at a time while no quote, backslash or
 * control character is among them: most of a trace's bytes are inside long
 * strings (call stacks, shapes).
 */
function scanString(i: i32, end: i32): i32 {
  let flags: u8 = 0;
  i++;
  const quotes = i8x16.splat(QUOTE);
  const backslashes = i8x16.splat(BACKSLASH);
  const printable = i8x16.splat(FIRST_PRINTABLE);
  while (i < end) {
    if (i + 16 <= end) {
      const v = v128.load(buffer + <u32>i);
      const stops = i8x16.bitmask(
        v128.or(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)), i8x16.lt_u(v, printable))
      );
      const high = i8x16.bitmask(v);
      if (stops == 0) {
        if (high != 0) {
          flags |= STRING_HAS_NON_ASCII;
        }
        i += 16;
        continue;
      }
      const k = ctz(stops);
      if ((high & ((1 << k) - 1)) != 0) {
        flags |= STRING_HAS_NON_ASCII;
      }
      i += k;
    }
    const c = at(i);
    if (c == QUOTE) {
      stringFlags = flags;
      return i + 1;
    }
    if (c == BACKSLASH) {
      if (i + 1 >= end) {
        return NEED_MORE_BYTES;
      }
      const e = at(i + 1);
      flags |= STRING_HAS_ESCAPE;
      if (e == LOWER_U) {
        if (i + 6 > end) {
          return NEED_MORE_BYTES;
        }
        for (let k = i + 2; k < i + 6; k++) {
          if (!isHexDigit(at(k))) {
            return NOT_STRICT_JSON;
          }
        }
        i += 6;
      } else if (
        e == QUOTE || e == BACKSLASH || e == 47 || e == 98 || e == 102 || e == 110 || e == 114 || e == 116
      ) {
        i += 2; // " \ / b f n r t
      } else {
        return NOT_STRICT_JSON;
      }
      continue;
    }
    if (c < FIRST_PRINTABLE) {
      return NOT_STRICT_JSON;
    }
    if (c >= FIRST_NON_ASCII) {
      flags |= STRING_HAS_NON_ASCII;
    }
    i++;
  }
  return NEED_MORE_BYTES;
}

/** The index of the first byte from `i` on that is not a digit, or `end`; sixteen bytes at a time. */
function skipDigits(i: i32, end: i32): i32 {
  const zeros = i8x16.splat(DIGIT_0);
  const nines = i8x16.splat(9);
  while (i + 16 <= end) {
    // Bytes below '0' wrap around to large values: one unsigned compare finds every non-digit.
    const v = i8x16.sub(v128.load(buffer + <u32>i), zeros);
    const others = i8x16.bitmask(i8x16.gt_u(v, nines));
    if (others != 0) {
      return i + ctz(others);
    }
    i += 16;
  }
  while (i < end && isDigit(at(i))) {
    i++;
  }
  return i;
}

/**
 * Read the number that starts at `i` by JSON's grammar; a number that
 * reaches the end of the buffer needs more bytes.
 */
function scanNumber(i: i32, end: i32): i32 {
  if (at(i) == MINUS) {
    i++;
  }
  const intStart = i;
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  if (at(i) == DIGIT_0) {
    i++;
  } else {
    i = skipDigits(i, end);
    if (i == intStart) {
      return NOT_STRICT_JSON;
    }
  }
  let digits = i - intStart;
  let form: u8 = 0;
  if (i < end && at(i) == DOT) {
    const fracStart = i + 1;
    i = skipDigits(fracStart, end);
    if (i == fracStart) {
      return i >= end ? NEED_MORE_BYTES : NOT_STRICT_JSON;
    }
    digits += i - fracStart;
    form |= NUMBER_HAS_FRACTION;
  }
  if (i < end && (at(i) == LOWER_E || at(i) == UPPER_E)) {
    i++;
    if (i < end && (at(i) == PLUS || at(i) == MINUS)) {
      i++;
    }
    const expStart = i;
    i = skipDigits(i, end);
    if (i == expStart) {
      return i >= end ? NEED_MORE_BYTES : NOT_STRICT_JSON;
    }
    form |= NUMBER_HAS_EXPONENT;
  }
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  numberDigits = digits;
  numberForm = form;
  return i;
}

/** Read `true`, `false` or `null` at `i`. */
function scanLiteral(i: i32, end: i32): i32 {
  const c = at(i);
  // The words' bytes, little-endian: "true", "fals" + "e", "null".
  const length = c == 116 ? 4 : c == 102 ? 5 : 4;
  const word: u64 = c == 116 ? 0x65757274 : c == 102 ? 0x65736c6166 : 0x6c6c756e;
  for (let k = 0; k < length; k++) {
    if (i + k >= end) {
      return NEED_MORE_BYTES;
    }
    if (<u64>at(i + k) != ((word >> (<u64>k << 3)) & 0xff)) {
      return NOT_STRICT_JSON;
    }
  }
  return i + length;
}

/** Check and skip the JSON value at `i`; `nesting` containers are open around it. */
function skipValue(i: i32, end: i32, nesting: i32): i32 {
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  const c = at(i);
  if (c == QUOTE) {
    return scanString(i, end);
  }
  if (c == MINUS || isDigit(c)) {
    return scanNumber(i, end);
  }
  if (c == OPEN_BRACE || c == OPEN_BRACKET) {
    return nesting >= MAX_NESTING ? NOT_STRICT_JSON : skipContainer(i, end, nesting + 1);
  }
  if (c == 116 || c == 102 || c == 110) {
    return scanLiteral(i, end);
  }
  return NOT_STRICT_JSON;
}

/** Into the container that opens at `i`: its first member, or the index after `close` when empty. */
function openContainer(i: i32, end: i32, close: u8): i32 {
  i = skipSpace(i + 1, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  return at(i) == close ? i + 1 : i;
}

/**
 * The index after `mark` at `i` and at most one space, when the byte there
 * is no space; else -1 (more spaces, or no `mark`: the general path).
 */
// @ts-ignore: decorator
@inline
function pastMark(i: i32, end: i32, mark: u8): i32 {
  if (i + 2 < end && at(i) == mark) {
    const c = at(i + 1);
    if (!isSpace(c)) {
      return i + 1;
    }
    if (c == SPACE && !isSpace(at(i + 2))) {
      return i + 2;
    }
  }
  return -1;
}

/** Past a member's name ending at `i`: the index of its value. */
function skipColon(i: i32, end: i32): i32 {
  const quick = pastMark(i, end, COLON); // the usual `:` or `: `, without a loop
  if (quick >= 0) {
    return quick;
  }
  i = skipSpace(i, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  return at(i) == COLON ? skipSpace(i + 1, end) : NOT_STRICT_JSON;
}

/** After a member or element ending at `i`: the next one, or the index after `close`. */
function nextInContainer(i: i32, end: i32, close: u8): i32 {
  const quick = pastMark(i, end, COMMA); // the usual `,` or `, `, without a loop
  if (quick >= 0) {
    return quick;
  }
  i = skipSpace(i, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  const c = at(i);
  if (c == close) {
    return i + 1;
  }
  if (c != COMMA) {
    return NOT_STRICT_JSON;
  }
  i = skipSpace(i + 1, end);
  return i >= end ? NEED_MORE_BYTES : i;
}

/** Skip the object or array that opens at `i`. */
function skipContainer(i: i32, end: i32, nesting: i32): i32 {
  const object = at(i) == OPEN_BRACE;
  const close = object ? CLOSE_BRACE : CLOSE_BRACKET;
  i = openContainer(i, end, close);
  while (i >= 0 && at(i - 1) != close) {
    if (object) {
      if (at(i) != QUOTE) {
        return NOT_STRICT_JSON;
      }
      i = scanString(i, end);
      if (i < 0) {
        return i;
      }
      i = skipColon(i, end);
      if (i < 0) {
        return i;
      }
    }
    i = skipValue(i, end, nesting);
    if (i < 0) {
      return i;
    }
    i = nextInContainer(i, end, close);
  }
  return i;
}

// --- Byte keys: the ids of strings met before, found by their bytes ------

/** Slots in a new table; a power of two. */
const INITIAL_SLOTS: u32 = 64;
/** Bytes of a slot: hash, key address, key length, id. */
const SLOT_BYTES: u32 = 16;
/** Bytes of a key that go into its hash, at most (spread over longer keys). */
const HASHED_BYTES: u32 = 32;
const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;
const NO_ID = -1;

/** The table of a keyed field: names, tags (cat, Task Type), pid and tid texts; -1 for others. */
function tableOf(field: i32): i32 {
  if (field == NAME) return 0;
  if (field == CAT || field == ARG_TASK_TYPE) return 1;
  if (field == PID || field == TID) return 2;
  return -1;
}

/** Memory for `bytes` bytes in all. */
function ensureMemory(bytes: u32): void {
  const have = (<u32>memory.size()) << 16;
  if (bytes > have) {
    memory.grow(<i32>((bytes - have + 0xffff) >> 16));
  }
}

/** Bytes after the buffer that may be loaded (never used): wide loads near its end. */
const SLACK: u32 = 16;

/** Bytes of buffer the caller holds. */
let bufferLength: u32 = 0;

/** Room for `length` bytes of buffer; returns where to copy them. */
export function reserve(length: u32): u32 {
  ensureMemory(buffer + length + SLACK);
  if (heapTop == HEAP_START) {
    // The tables first, before the buffer holds anything to move.
    for (let t: u32 = 0; t < 4; t++) {
      store<u32>(TABLES + t * 12, newSlots(INITIAL_SLOTS));
      store<u32>(TABLES + t * 12, INITIAL_SLOTS - 1, 4);
    }
    runColumns = alloc(RUN_CAPACITY * 48);
    runFlows = alloc(RUN_CAPACITY * 32);
    runCounters = alloc(RUN_CAPACITY * 60);
  }
  ensureMemory(buffer + length + SLACK);
  bufferLength = length;
  return buffer;
}

let heapTop: u32 = HEAP_START;

/** `bytes` bytes below the buffer, which moves up (contents and all) to make room. */
function alloc(bytes: u32): u32 {
  const at = heapTop;
  heapTop = (heapTop + bytes + 7) & ~7;
  if (heapTop > buffer) {
    const moved = (heapTop + (heapTop - HEAP_START) + 0xffff) & ~0xffff;
    ensureMemory(moved + bufferLength + SLACK);
    memory.copy(moved, buffer, bufferLength);
    buffer = moved;
  }
  return at;
}

function hashBytes(p: u32, length: u32): u32 {
  const step = length > HASHED_BYTES ? (length + HASHED_BYTES - 1) / HASHED_BYTES : 1;
  let h = (FNV_OFFSET ^ length) * FNV_PRIME;
  for (let k: u32 = 0; k < length; k += step) {
    h = (h ^ load<u8>(p + k)) * FNV_PRIME;
  }
  if (length > 0) {
    h = (h ^ load<u8>(p + length - 1)) * FNV_PRIME;
  }
  return h;
}

function newSlots(count: u32): u32 {
  const slots = alloc(count * SLOT_BYTES);
  memory.fill(slots, 0xff, count * SLOT_BYTES); // id -1: empty
  return slots;
}

/** The slot holding the key at `p` (`length` bytes, hash `h`) in table `t`, or the empty slot where it would go. */
function probe(t: u32, p: u32, length: u32, h: u32): u32 {
  const header = TABLES + t * 12;
  const slots = load<u32>(header);
  const mask = load<u32>(header, 4);
  let k = h & mask;
  let slot = slots + k * SLOT_BYTES;
  while (
    load<i32>(slot, 12) != NO_ID &&
    !(load<u32>(slot) == h && load<u32>(slot, 8) == length && memoryEquals(load<u32>(slot, 4), p, length))
  ) {
    k = (k + 1) & mask;
    slot = slots + k * SLOT_BYTES;
  }
  return slot;
}

function memoryEquals(a: u32, b: u32, length: u32): bool {
  let k: u32 = 0;
  for (; k + 8 <= length; k += 8) {
    if (load<u64>(a + k) != load<u64>(b + k)) return false;
  }
  for (; k < length; k++) {
    if (load<u8>(a + k) != load<u8>(b + k)) return false;
  }
  return true;
}

/**
 * Fill {@link IDS} for the keyed fields of the object just read, when the
 * model builder may ask for them: only slices, flows, instants and counters
 * read from bytes use ids.
 */
function lookUpKeys(): void {
  if (!mayUseIds()) {
    store<i32>(IDS + (NAME << 2), NO_ID);
    store<i32>(IDS + (CAT << 2), NO_ID);
    store<i32>(IDS + (PID << 2), NO_ID);
    store<i32>(IDS + (TID << 2), NO_ID);
    store<i32>(IDS + (ARG_TASK_TYPE << 2), NO_ID);
    return;
  }
  lookUpKey(NAME);
  lookUpKey(CAT);
  lookUpKey(PID);
  lookUpKey(TID);
  lookUpKey(ARG_TASK_TYPE);
}

/** Whether `ph` is one byte, unescaped, of an event the model builder reads from bytes: X, s, f, i, I, C. */
function mayUseIds(): bool {
  const kind = load<u8>(KIND + PH);
  const from = load<i32>(FROM + (PH << 2));
  if (kind != STRING || load<i32>(TO + (PH << 2)) - from != 1) {
    return false;
  }
  const ph = at(from);
  return ph == 0x58 || ph == 0x73 || ph == 0x66 || ph == 0x69 || ph == 0x49 || ph == 0x43; // X s f i I C
}

function lookUpKey(field: i32): void {
  const f = <u32>field;
  const kind = load<u8>(KIND + f);
  let id = NO_ID;
  if (kind == STRING || kind == NUMBER) {
    const p = buffer + <u32>load<i32>(FROM + (f << 2));
    const length = <u32>(load<i32>(TO + (f << 2)) - load<i32>(FROM + (f << 2)));
    id = load<i32>(probe(<u32>tableOf(field), p, length, hashBytes(p, length)), 12);
  }
  store<i32>(IDS + (f << 2), id);
}

/**
 * Remember `id` for the bytes of keyed `field` of the object just read: the
 * same bytes must always stand for the same string. May move the buffer.
 */
export function remember(field: i32, id: i32): void {
  const f = <u32>field;
  const t = <u32>tableOf(field);
  const from = <u32>load<i32>(FROM + (f << 2));
  const length = <u32>load<i32>(TO + (f << 2)) - from;
  const h = hashBytes(buffer + from, length);
  const slot = probe(t, buffer + from, length, h);
  if (load<i32>(slot, 12) != NO_ID) {
    store<i32>(IDS + (f << 2), load<i32>(slot, 12)); // another field had the same bytes
    return;
  }
  const key = alloc(length); // the buffer may move
  memory.copy(key, buffer + from, length);
  store<u32>(slot, h);
  store<u32>(slot, key, 4);
  store<u32>(slot, length, 8);
  store<i32>(slot, id, 12);
  store<i32>(IDS + (f << 2), id);
  const header = TABLES + t * 12;
  const count = load<u32>(header, 8) + 1;
  store<u32>(header, count, 8);
  const mask = load<u32>(header, 4);
  if (count * 2 > mask + 1) {
    grow(header, mask + 1);
  }
}

/** Double the slots of a table. */
function grow(header: u32, count: u32): void {
  const old = load<u32>(header);
  const slots = newSlots(count * 2);
  const mask = count * 2 - 1;
  for (let k: u32 = 0; k < count; k++) {
    const from = old + k * SLOT_BYTES;
    if (load<i32>(from, 12) == NO_ID) {
      continue;
    }
    let j = load<u32>(from) & mask;
    while (load<i32>(slots + j * SLOT_BYTES, 12) != NO_ID) {
      j = (j + 1) & mask;
    }
    memory.copy(slots + j * SLOT_BYTES, from, SLOT_BYTES);
  }
  store<u32>(header, slots);
  store<u32>(header, mask, 4);
}

// --- Complete slices made here --------------------------------------------
//
// The model builder's `_addCompleteBytes` for the usual `X` event, when every
// id it needs is known (met before) and every value has its plainest form:
// the same arithmetic, so the same doubles. Anything else is left to it.

const PH_COMPLETE: u8 = 0x58; // X
/** Most integer digits of a plain timestamp (2^53 has 16): exactTime.ts. */
const MAX_PLAIN_WHOLE_DIGITS = 16;
/** Most digits of an integer whose text is what `String(Number(text))` gives. */
const MAX_PLAIN_INTEGER_DIGITS = 15;
/** From this many characters (digits and dot) a `ts` number is kept as its text. */
const LONG_NUMBER_CHARS = 16;
const PS_PER_US: f64 = 1000000;
/** Largest integer below which `m * 10 + digit` stays exact in a double. */
const MAX_EXACT_MANTISSA: f64 = (9007199254740991.0 - 9) / 10;
const EXACT_POWERS_OF_TEN = 23;

function kindOf(field: i32): u8 {
  return load<u8>(KIND + <u32>field);
}

function fromOf(field: i32): i32 {
  return load<i32>(FROM + (<u32>field << 2));
}

function toOf(field: i32): i32 {
  return load<i32>(TO + (<u32>field << 2));
}

function idOf(field: i32): i32 {
  return load<i32>(IDS + (<u32>field << 2));
}

/** The id of a pid or tid found by its bytes where its text is its bytes (eventFieldValues isTextKey), else -1. */
function textKeyId(field: i32): i32 {
  const kind = kindOf(field);
  if (kind == STRING) {
    return idOf(field);
  }
  if (kind != NUMBER) {
    return NO_ID;
  }
  const from = fromOf(field);
  const plain =
    load<u8>(FORM + <u32>field) == 0 &&
    load<i32>(DIGITS + (<u32>field << 2)) <= MAX_PLAIN_INTEGER_DIGITS &&
    !(at(from) == MINUS && at(from + 1) == DIGIT_0);
  return plain ? idOf(field) : NO_ID;
}

// What plainTime read.
let timeWhole: f64 = 0;
let timePs: f64 = 0;

/** exactTime.ts readPlainTimeBytes: `\d{1,16}(\.\d+)?` as whole µs and ps. */
function plainTime(from: i32, to: i32): bool {
  let whole: f64 = 0;
  let i = from;
  for (; i < to; i++) {
    const c = at(i);
    if (!isDigit(c)) {
      break;
    }
    whole = whole * 10 + <f64>(c - DIGIT_0);
  }
  const wholeDigits = i - from;
  if (wholeDigits == 0 || wholeDigits > MAX_PLAIN_WHOLE_DIGITS) {
    return false;
  }
  let ps: f64 = 0;
  if (i < to) {
    if (at(i) != DOT || i + 1 == to) {
      return false;
    }
    let scale = PS_PER_US;
    for (i++; i < to; i++) {
      const c = at(i);
      if (!isDigit(c)) {
        return false;
      }
      if (scale > 1) {
        scale /= 10;
        ps += <f64>(c - DIGIT_0) * scale;
      }
    }
  }
  timeWhole = whole;
  timePs = ps;
  return true;
}

/** eventFieldValues time() of `ts`, for the forms read without the text; false for the others. */
function stageTime(): bool {
  const kind = kindOf(TS);
  const from = fromOf(TS);
  const to = toOf(TS);
  const form = load<u8>(FORM + TS);
  if (kind == STRING) {
    return (form & STRING_HAS_ESCAPE) == 0 && plainTime(from, to);
  }
  if (kind != NUMBER || (form & NUMBER_HAS_EXPONENT) != 0 || at(from) == MINUS || !plainTime(from, to)) {
    return false;
  }
  const fraction = (form & NUMBER_HAS_FRACTION) != 0;
  const long = load<i32>(DIGITS + (TS << 2)) + (fraction ? 1 : 0) >= LONG_NUMBER_CHARS;
  // A short number is a double first: below 1e-6 its text has an exponent.
  return long || timeWhole > 0 || timePs > 0 || !fraction;
}

let numberValue: f64 = 0;

/** jsonBytes.ts numberValue, for up to 16 digits without an exponent; false for the others. */
function plainNumber(field: i32): bool {
  return plainNumberAt(fromOf(field), toOf(field));
}

/** {@link plainNumber} of the number text `[from, to)`. */
function plainNumberAt(from: i32, to: i32): bool {
  const negative = at(from) == MINUS;
  let mantissa: f64 = 0;
  let fractionDigits = -1;
  for (let i = negative ? from + 1 : from; i < to; i++) {
    const c = at(i);
    if (c == DOT) {
      fractionDigits = 0;
      continue;
    }
    if (!isDigit(c) || mantissa > MAX_EXACT_MANTISSA) {
      return false;
    }
    mantissa = mantissa * 10 + <f64>(c - DIGIT_0);
    if (fractionDigits >= 0) {
      fractionDigits++;
    }
  }
  if (fractionDigits >= EXACT_POWERS_OF_TEN) {
    return false;
  }
  let value = mantissa;
  if (fractionDigits > 0) {
    let power: f64 = 1;
    for (let k = 0; k < fractionDigits; k++) {
      power *= 10; // exact up to 10^22
    }
    value = mantissa / power;
  }
  numberValue = negative ? -value : value;
  return true;
}

/**
 * Stage the complete slice of the object just read, if it has the usual
 * form and known ids: 1; 2 when all but its name are known (a name met for
 * the first time, without escapes: the caller interns it); else 0.
 */
function stageCompleteSlice(): i32 {
  if (
    kindOf(PH) != STRING ||
    toOf(PH) - fromOf(PH) != 1 ||
    at(fromOf(PH)) != PH_COMPLETE ||
    kindOf(NAME) != STRING
  ) {
    return 0;
  }
  const pid = textKeyId(PID);
  const tid = textKeyId(TID);
  const name = idOf(NAME);
  if (pid < 0 || tid < 0 || (name < 0 && hasEscape(NAME))) {
    return 0;
  }
  let cat = 0;
  if (kindOf(CAT) == STRING) {
    cat = idOf(CAT);
    if (cat < 0) {
      return 0;
    }
  }
  let dur: f64 = 0;
  const durKind = kindOf(DUR);
  if (durKind == NUMBER) {
    if (!plainNumber(DUR) || !(numberValue >= 0)) {
      return 0;
    }
    dur = numberValue;
  } else if (durKind != 0 && durKind != NULL) {
    return 0;
  }
  let corr: f64 = -1;
  let task = 0;
  if (kindOf(ARGS) == OBJECT) {
    // args.correlation ?? args.connection_id ?? args.correlation_id, as the model builder reads it.
    let c = ARG_CORRELATION;
    if (isNullish(c)) {
      c = ARG_CONNECTION_ID;
    }
    if (isNullish(c)) {
      c = ARG_CORRELATION_ID;
    }
    if (kindOf(c) == NUMBER) {
      if (!plainNumber(c)) {
        return 0;
      }
      corr = numberValue;
    }
    if (kindOf(ARG_TASK_TYPE) == STRING) {
      task = idOf(ARG_TASK_TYPE);
      if (task < 0) {
        return 0;
      }
    }
  }
  const lane = laneOf(pid, tid, cat);
  if (lane < 0 || !stageTime()) {
    return 0;
  }
  store<f64>(STAGE, timeWhole);
  store<f64>(STAGE, timePs, 8);
  store<f64>(STAGE, dur, 16);
  store<f64>(STAGE, corr, 24);
  store<i32>(STAGE, name, 32);
  store<i32>(STAGE, lane, 36);
  store<i32>(STAGE, cat, 40);
  store<i32>(STAGE, task, 44);
  return name < 0 ? 2 : 1;
}

/** The lane slot of (pid, tid, cat) ids, or the empty slot where it would go. */
function laneSlot(pid: i32, tid: i32, cat: i32): u32 {
  const slots = load<u32>(LANE_TABLE);
  const mask = load<u32>(LANE_TABLE, 4);
  let k = ((<u32>pid * 0x9e3779b1) ^ (<u32>tid * 0x85ebca77) ^ (<u32>cat * 0xc2b2ae3d)) & mask;
  let slot = slots + k * SLOT_BYTES;
  while (
    load<i32>(slot, 12) != NO_ID &&
    !(load<i32>(slot) == pid && load<i32>(slot, 4) == tid && load<i32>(slot, 8) == cat)
  ) {
    k = (k + 1) & mask;
    slot = slots + k * SLOT_BYTES;
  }
  return slot;
}

/** The raw lane remembered for slices of pid, tid and cat ids, or -1. */
function laneOf(pid: i32, tid: i32, cat: i32): i32 {
  return load<i32>(laneSlot(pid, tid, cat), 12);
}

/** Remember the raw lane of the slices of pid, tid and cat ids (interned texts). */
export function rememberLane(pid: i32, tid: i32, cat: i32, lane: i32): void {
  const slot = laneSlot(pid, tid, cat);
  if (load<i32>(slot, 12) != NO_ID) {
    return;
  }
  store<i32>(slot, pid);
  store<i32>(slot, tid, 4);
  store<i32>(slot, cat, 8);
  store<i32>(slot, lane, 12);
  const count = load<u32>(LANE_TABLE, 8) + 1;
  store<u32>(LANE_TABLE, count, 8);
  const size = load<u32>(LANE_TABLE, 4) + 1;
  if (count * 2 > size) {
    const old = load<u32>(LANE_TABLE);
    store<u32>(LANE_TABLE, newSlots(size * 2));
    store<u32>(LANE_TABLE, size * 2 - 1, 4);
    store<u32>(LANE_TABLE, 0, 8);
    for (let k: u32 = 0; k < size; k++) {
      const from = old + k * SLOT_BYTES;
      if (load<i32>(from, 12) != NO_ID) {
        rememberLane(load<i32>(from), load<i32>(from, 4), load<i32>(from, 8), load<i32>(from, 12));
      }
    }
  }
}

// --- Runs: many events per call -------------------------------------------

const PH_FLOW_START: u8 = 0x73; // s
const PH_FLOW_FINISH: u8 = 0x66; // f
const PH_FLOW_STEP: u8 = 0x74; // t
const PH_INSTANT: u8 = 0x69; // i
const PH_INSTANT_OLD: u8 = 0x49; // I
const PH_METADATA: u8 = 0x4d; // M
const PH_BEGIN: u8 = 0x42; // B
const PH_END: u8 = 0x45; // E
const PH_COUNTER: u8 = 0x43; // C

/**
 * Whether a field is a string without escapes of 9 to 12 ASCII bytes: `head`
 * its first eight, `tail` its last four (little-endian).
 */
function isWord(field: i32, length: i32, head: u64, tail: u32): bool {
  if (kindOf(field) != STRING || (load<u8>(FORM + <u32>field) & STRING_HAS_ESCAPE) != 0) {
    return false;
  }
  const from = fromOf(field);
  if (toOf(field) - from != length) {
    return false;
  }
  const p = buffer + <u32>from;
  return load<u64>(p) == head && load<u32>(p + <u32>(length - 4)) == tail;
}

/** Whether a field's string has an escape: the model builder compares such strings decoded. */
function hasEscape(field: i32): bool {
  return kindOf(field) == STRING && (load<u8>(FORM + <u32>field) & STRING_HAS_ESCAPE) != 0;
}

/** Whether a field is absent or null (`??` would pass it by). */
function isNullish(field: i32): bool {
  return kindOf(field) == 0 || kindOf(field) == NULL;
}

function isScalar(field: i32): bool {
  const kind = kindOf(field);
  return kind != BOOLEAN && kind != OBJECT && kind != ARRAY;
}

/**
 * Stage the flow end of the object just read if the model builder keeps it
 * (modelBuilder.ts `_readFlowBytes`: a host-to-device start, or an
 * `async_npu` / `torch_to_npu` start or finish), it has the usual form and
 * its ids and lane are known. Its id must be text whose string is its bytes:
 * a long number (kept as written), a plain non-negative integer, or an
 * ASCII string without escapes.
 */
function stageFlow(): bool {
  if (kindOf(PH) != STRING || hasEscape(PH) || toOf(PH) - fromOf(PH) != 1) {
    return false;
  }
  const ph = at(fromOf(PH));
  if (
    (ph != PH_FLOW_START && ph != PH_FLOW_FINISH) ||
    !isScalar(ID) ||
    !isScalar(PID) ||
    !isScalar(TID) ||
    hasEscape(CAT) ||
    hasEscape(NAME)
  ) {
    return false;
  }
  const pid = textKeyId(PID);
  if (pid < 0) {
    return false;
  }
  if (ph == PH_FLOW_START && isWord(CAT, 12, 0x65446f5474736f48, 0x65636976)) { // HostToDevice
    store<i32>(FLOW_STAGE, HOST_TO_DEVICE_START, 16);
    store<i32>(FLOW_STAGE, pid, 20);
    return true;
  }
  if (
    (!isWord(CAT, 9, 0x706e5f636e797361, 0x75706e5f) && // async_npu
      !isWord(NAME, 12, 0x6f745f6863726f74, 0x75706e5f)) || // torch_to_npu
    !isTextId(ID) ||
    !stageTime()
  ) {
    return false;
  }
  const tid = textKeyId(TID);
  const lane = tid < 0 ? NO_ID : laneOf(pid, tid, FLOW_LANE_CAT);
  if (lane < 0) {
    return false;
  }
  store<f64>(FLOW_STAGE, timeWhole);
  store<f64>(FLOW_STAGE, timePs, 8);
  store<i32>(FLOW_STAGE, ph == PH_FLOW_START ? FLOW_START : FLOW_FINISH, 16);
  store<i32>(FLOW_STAGE, lane, 20);
  store<i32>(FLOW_STAGE, fromOf(ID), 24);
  store<i32>(FLOW_STAGE, toOf(ID), 28);
  return true;
}

/**
 * Stage the counter event of the object just read if it has the usual form
 * (modelBuilder.ts `_addCounterBytes`): `ph` "C", a known name without `id`,
 * known pid, tid and lane, a plain time, and `args` holding only 1 to
 * {@link MAX_COUNTER_VALUES} numbers under plain keys, no two alike, and
 * none of the known `args` keys.
 */
function stageCounter(): bool {
  if (
    kindOf(PH) != STRING ||
    hasEscape(PH) ||
    toOf(PH) - fromOf(PH) != 1 ||
    at(fromOf(PH)) != PH_COUNTER ||
    kindOf(ID) != 0 ||
    kindOf(ARGS) != OBJECT
  ) {
    return false;
  }
  for (let f = ARG_CORRELATION; f < FIELD_COUNT; f++) {
    if (kindOf(f) != 0) {
      return false;
    }
  }
  const count = load<i32>(OTHER_ARGS);
  const name = kindOf(NAME) == STRING ? idOf(NAME) : NO_ID;
  const pid = textKeyId(PID);
  const tid = textKeyId(TID);
  if (count < 1 || count > MAX_COUNTER_VALUES || name < 0 || pid < 0 || tid < 0) {
    return false;
  }
  const lane = laneOf(pid, tid, COUNTER_LANE_CAT);
  if (lane < 0 || !stageTime()) {
    return false;
  }
  store<f64>(COUNTER_STAGE, timeWhole);
  store<f64>(COUNTER_STAGE, timePs, 8);
  for (let k = 0; k < count; k++) {
    const entry = OTHER_ARGS + 4 + <u32>k * 16;
    if (!plainNumberAt(load<i32>(entry, 8), load<i32>(entry, 12))) {
      return false;
    }
    store<f64>(COUNTER_STAGE + 16 + <u32>k * 8, numberValue);
    store<i32>(COUNTER_STAGE + 44 + <u32>k * 8, load<i32>(entry));
    store<i32>(COUNTER_STAGE + 48 + <u32>k * 8, load<i32>(entry, 4));
  }
  if (count == 2) {
    const from = load<i32>(OTHER_ARGS + 4);
    const length = load<i32>(OTHER_ARGS + 8) - from;
    const other = load<i32>(OTHER_ARGS + 20);
    if (
      length == load<i32>(OTHER_ARGS + 24) - other &&
      memoryEquals(buffer + <u32>from, buffer + <u32>other, <u32>length)
    ) {
      return false; // a repeated key: JSON.parse keeps only the last value
    }
  }
  store<i32>(COUNTER_STAGE, name, 32);
  store<i32>(COUNTER_STAGE, lane, 36);
  store<i32>(COUNTER_STAGE, count, 40);
  return true;
}

/** Whether the flow id `String(e.id)` of eventFieldValues.ts flowId is the field's bytes. */
function isTextId(field: i32): bool {
  const form = load<u8>(FORM + <u32>field);
  if (kindOf(field) == STRING) {
    return (form & (STRING_HAS_ESCAPE | STRING_HAS_NON_ASCII)) == 0;
  }
  if (kindOf(field) != NUMBER) {
    return false;
  }
  const digits = load<i32>(DIGITS + (<u32>field << 2));
  const long = digits + ((form & NUMBER_HAS_FRACTION) != 0 ? 1 : 0) >= LONG_NUMBER_CHARS;
  return long || (form == 0 && at(fromOf(field)) != MINUS);
}

/**
 * Whether the model builder would do nothing with the object just read
 * (modelBuilder.ts read and commit): an event it does not read (async,
 * samples, no `ph`), or a flow that is neither a host-to-device start
 * nor an `async_npu` / `torch_to_npu` one.
 */
function isIgnored(): bool {
  if (kindOf(PH) != STRING) {
    return true;
  }
  if (hasEscape(PH)) {
    return false;
  }
  if (toOf(PH) - fromOf(PH) != 1) {
    return true;
  }
  const ph = at(fromOf(PH));
  if (ph == PH_FLOW_START || ph == PH_FLOW_FINISH || ph == PH_FLOW_STEP) {
    if (!isScalar(ID) || !isScalar(PID) || !isScalar(TID)) {
      return false; // left to JSON.parse
    }
    if (ph == PH_FLOW_STEP) {
      return true;
    }
    if (hasEscape(CAT) || hasEscape(NAME)) {
      return false;
    }
    return (
      !(ph == PH_FLOW_START && isWord(CAT, 12, 0x65446f5474736f48, 0x65636976)) && // HostToDevice
      !isWord(CAT, 9, 0x706e5f636e797361, 0x75706e5f) && // async_npu
      !isWord(NAME, 12, 0x6f745f6863726f74, 0x75706e5f) // torch_to_npu
    );
  }
  return (
    ph != PH_COMPLETE &&
    ph != PH_INSTANT &&
    ph != PH_INSTANT_OLD &&
    ph != PH_METADATA &&
    ph != PH_BEGIN &&
    ph != PH_END &&
    ph != PH_COUNTER
  );
}

/** Count the ignored event just read in {@link SKIPPED_PHASES}, unless it is a flow event. */
function countSkipped(): void {
  let slot: u32 = 0;
  if (kindOf(PH) == STRING && toOf(PH) - fromOf(PH) == 1) {
    const ph = at(fromOf(PH));
    if (ph == PH_FLOW_START || ph == PH_FLOW_FINISH || ph == PH_FLOW_STEP) {
      return;
    }
    slot = <u32>ph;
  }
  const at4 = SKIPPED_PHASES + (slot << 2);
  store<u32>(at4, load<u32>(at4) + 1);
}

/**
 * Copy the staged record at `record` (`doubles` f64 values, then `ints`
 * i32 ones) into row `row` of the run columns at `columns`, each column
 * {@link RUN_CAPACITY} rows long.
 */
// @ts-ignore: decorator
@inline
function toRow(record: u32, doubles: u32, ints: u32, columns: u32, row: u32): void {
  for (let c: u32 = 0; c < doubles; c++) {
    store<f64>(columns + c * RUN_CAPACITY * 8 + row * 8, load<f64>(record + c * 8));
  }
  const ids = columns + doubles * RUN_CAPACITY * 8;
  for (let c: u32 = 0; c < ints; c++) {
    store<i32>(ids + c * RUN_CAPACITY * 4 + row * 4, load<i32>(record + doubles * 8 + c * 4));
  }
}

/**
 * Read the items from `start` on for as long as each is a slice staged here
 * or an event the model builder ignores, and is followed by a comma: the
 * slices go to the run's columns. Stops before the first other item, at the
 * end of the event array, at `end`, or when the columns are full.
 *
 * @returns the number of items read; see {@link RUN_END} and the others.
 */
export function readRun(start: i32, end: i32): i32 {
  let i = start;
  let items = 0;
  let slices: u32 = 0;
  let flows: u32 = 0;
  let counters: u32 = 0;
  store<i32>(RUN_FIRST_PHASE, -1);
  store<i32>(RUN_STOP, -1);
  while (
    i < end &&
    at(i) == OPEN_BRACE &&
    slices < RUN_CAPACITY &&
    flows < RUN_CAPACITY &&
    counters < RUN_CAPACITY
  ) {
    const sep = read(i, end);
    const staged = load<i32>(STAGED);
    const flow = load<i32>(FLOW_STAGED) == 1;
    const counter = load<i32>(COUNTER_STAGED) == 1;
    if (
      sep < 0 ||
      at(sep) != COMMA ||
      staged == 2 ||
      (staged == 0 && !flow && !counter && !isIgnored())
    ) {
      store<i32>(RUN_STOP, i);
      store<i32>(RUN_STOP_CODE, sep);
      break;
    }
    if (staged == 1) {
      toRow(STAGE, 4, 4, runColumns, slices++);
    }
    if (flow) {
      toRow(FLOW_STAGE, 2, 4, runFlows, flows++);
    }
    if (counter) {
      toRow(COUNTER_STAGE, 4, 7, runCounters, counters++);
    }
    if (staged == 0 && !flow && !counter) {
      countSkipped();
    }
    if (kindOf(PH) == STRING && load<i32>(RUN_FIRST_PHASE) < 0) {
      store<i32>(RUN_FIRST_PHASE, items);
    }
    items++;
    store<i32>(RUN_END, sep);
    store<i32>(RUN_OBJECT_END, load<i32>(OBJECT_END));
    i = skipSpace(sep + 1, end);
  }
  store<u32>(RUN_SLICES, slices);
  store<u32>(RUN_FLOWS, flows);
  store<u32>(RUN_COUNTERS, counters);
  return items;
}
