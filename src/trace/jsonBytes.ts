/**
 * jsonBytes: strict JSON grammar checks on UTF-8 bytes, for the event reader
 * that reads the usual trace events without `JSON.parse` (`eventBytes.ts`).
 *
 * Each function starts at a byte of a buffer and returns the index just after
 * what it read, or {@link NEED_MORE_BYTES} when the buffer ends first, or
 * {@link NOT_STRICT_JSON} when `JSON.parse` would reject the text there. Being
 * exactly as strict as `JSON.parse` matters: text it rejects must go to the
 * `JSON.parse` + repair path, which counts the repairs it makes.
 *
 * Pure module.
 */

/** Returned when the buffer ends before the value does. */
export const NEED_MORE_BYTES = -1;

/** Returned when the bytes are not strict JSON (or nest deeper than {@link MAX_NESTING}). */
export const NOT_STRICT_JSON = -2;

/**
 * Deepest nesting skipped here. Deeper values are left to `JSON.parse`, so
 * that the recursion stays far from the stack limit.
 */
export const MAX_NESTING = 64;

/** Set in {@link IStringScan.flags} when the string holds a backslash escape. */
export const STRING_HAS_ESCAPE = 1;

/** Set in {@link IStringScan.flags} when the string holds bytes above ASCII. */
export const STRING_HAS_NON_ASCII = 2;

/** What {@link scanString} learned about the string it read. */
export interface IStringScan {
  /** {@link STRING_HAS_ESCAPE} and {@link STRING_HAS_NON_ASCII}, or 0. */
  flags: number;
}

/** What {@link scanNumber} learned about the number it read. */
export interface INumberScan {
  /** Digits before and after the dot, the sign and exponent not counted. */
  digits: number;
  /** Whether the number has a fraction part. */
  fraction: boolean;
  /** Whether the number has an exponent part. */
  exponent: boolean;
}

export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const COLON = 58;
export const MINUS = 45;
export const DOT = 46;
export const DIGIT_0 = 48;
export const DIGIT_9 = 57;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
const PLUS = 43;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_U = 117;
/** Bytes below this must be escaped inside JSON strings. */
const FIRST_PRINTABLE = 0x20;
/** Bytes from this one up belong to multi-byte UTF-8 sequences. */
const FIRST_NON_ASCII = 0x80;
/** 1 for the characters that may follow a backslash, besides `u`: `" \ / b f n r t`. */
const SIMPLE_ESCAPES = new Uint8Array(128);
for (const ch of '"\\/bfnrt') {
  SIMPLE_ESCAPES[ch.charCodeAt(0)] = 1;
}
/** Bytes of `true`, `false`, `null`. */
const LITERALS = ['true', 'false', 'null'].map(word =>
  Uint8Array.from(word, ch => ch.charCodeAt(0))
);

/** Whether a byte is JSON whitespace (space, tab, line feed, carriage return). */
export function isJsonSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** Index of the first non-whitespace byte at or after `i` (`end` when none). */
export function skipSpace(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isJsonSpace(buf[i])) {
    i++;
  }
  return i;
}

function isHexDigit(code: number): boolean {
  return (
    (code >= DIGIT_0 && code <= DIGIT_9) ||
    (code >= 65 && code <= 70) || // A-F
    (code >= 97 && code <= 102) // a-f
  );
}

/** Byte masks for the word test of {@link isPlainWord}. */
const HIGH_BITS = 0x80808080;
const ONES = 0x01010101;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const SPACES = 0x20202020;

/**
 * Whether none of the four bytes of `w` is a quote, a backslash, a control
 * character or above ASCII (bit tricks that find a byte below a bound, and
 * a zero byte after an XOR; never a false "plain").
 */
function isPlainWord(w: number): boolean {
  const quotes = w ^ QUOTES;
  const backslashes = w ^ BACKSLASHES;
  return (
    (((w - SPACES) & ~w) |
      ((quotes - ONES) & ~quotes) |
      ((backslashes - ONES) & ~backslashes) |
      w) &
      HIGH_BITS
  ) === 0;
}

/**
 * The last buffer scanned and its 32-bit view (null when not 4-byte aligned),
 * kept until another buffer is scanned: the scanner reuses one buffer.
 */
let lastBuffer: Uint8Array | null = null;
let lastWords: Uint32Array | null = null;

/** A 32-bit view of `buf` (word `k` holds bytes `4k..4k+3`), or null. */
function wordsOf(buf: Uint8Array): Uint32Array | null {
  if (buf !== lastBuffer) {
    lastBuffer = buf;
    lastWords =
      buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2) : null;
  }
  return lastWords;
}

/**
 * Read the string whose opening quote is at `i`. Control characters and
 * invalid escapes are not strict JSON; bytes above ASCII are not checked
 * (the decoder replaces malformed UTF-8, as it does for `JSON.parse`).
 *
 * @param scan - receives the string's flags.
 * @returns the index after the closing quote.
 */
export function scanString(
  buf: Uint8Array,
  i: number,
  end: number,
  scan: IStringScan
): number {
  let flags = 0;
  const words = wordsOf(buf);
  i++;
  while (i < end) {
    // Four plain bytes at a time where the buffer allows: most of a trace's
    // bytes are inside long strings (call stacks, shapes).
    if ((i & 3) === 0 && i + 4 <= end && words !== null && isPlainWord(words[i >> 2])) {
      i += 4;
      continue;
    }
    const c = buf[i];
    if (c === QUOTE) {
      scan.flags = flags;
      return i + 1;
    }
    if (c === BACKSLASH) {
      if (i + 1 >= end) {
        return NEED_MORE_BYTES;
      }
      const e = buf[i + 1];
      flags |= STRING_HAS_ESCAPE;
      if (e === LOWER_U) {
        if (i + 6 > end) {
          return NEED_MORE_BYTES;
        }
        for (let k = i + 2; k < i + 6; k++) {
          if (!isHexDigit(buf[k])) {
            return NOT_STRICT_JSON;
          }
        }
        i += 6;
      } else if (SIMPLE_ESCAPES[e] === 1) {
        i += 2;
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

/** Index after the digits at `i` (`i` itself when there are none). */
function skipDigits(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i];
    if (c < DIGIT_0 || c > DIGIT_9) {
      break;
    }
    i++;
  }
  return i;
}

/**
 * Read the number that starts at `i` (a digit or `-`), by JSON's grammar:
 * `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. A number that
 * reaches the end of the buffer needs more bytes: its next byte could
 * still be a digit.
 *
 * @param scan - receives the digit count and which parts the number has.
 */
export function scanNumber(
  buf: Uint8Array,
  i: number,
  end: number,
  scan: INumberScan
): number {
  if (buf[i] === MINUS) {
    i++;
  }
  const intStart = i;
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  if (buf[i] === DIGIT_0) {
    i++;
  } else {
    i = skipDigits(buf, i, end);
    if (i === intStart) {
      return NOT_STRICT_JSON;
    }
  }
  let digits = i - intStart;
  scan.fraction = false;
  scan.exponent = false;
  if (i < end && buf[i] === DOT) {
    const fracStart = i + 1;
    i = skipDigits(buf, fracStart, end);
    if (i === fracStart) {
      return i >= end ? NEED_MORE_BYTES : NOT_STRICT_JSON;
    }
    digits += i - fracStart;
    scan.fraction = true;
  }
  if (i < end && (buf[i] === LOWER_E || buf[i] === UPPER_E)) {
    i++;
    if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) {
      i++;
    }
    const expStart = i;
    i = skipDigits(buf, i, end);
    if (i === expStart) {
      return i >= end ? NEED_MORE_BYTES : NOT_STRICT_JSON;
    }
    scan.exponent = true;
  }
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  scan.digits = digits;
  return i;
}

/** Read `true`, `false` or `null` at `i`. */
function scanLiteral(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  const word = c === 116 ? LITERALS[0] : c === 102 ? LITERALS[1] : LITERALS[2];
  for (let k = 0; k < word.length; k++) {
    if (i + k >= end) {
      return NEED_MORE_BYTES;
    }
    if (buf[i + k] !== word[k]) {
      return NOT_STRICT_JSON;
    }
  }
  return i + word.length;
}

/** Scratch for the values skipped by {@link skipValue}. */
const skipped: IStringScan & INumberScan = {
  flags: 0,
  digits: 0,
  fraction: false,
  exponent: false
};

/**
 * Check and skip the JSON value that starts at `i` (no leading whitespace).
 *
 * @param nesting - containers already open around the value.
 */
export function skipValue(
  buf: Uint8Array,
  i: number,
  end: number,
  nesting = 0
): number {
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  const c = buf[i];
  if (c === QUOTE) {
    return scanString(buf, i, end, skipped);
  }
  if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
    return scanNumber(buf, i, end, skipped);
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    return nesting >= MAX_NESTING
      ? NOT_STRICT_JSON
      : skipContainer(buf, i, end, nesting + 1);
  }
  if (c === 116 || c === 102 || c === 110) {
    return scanLiteral(buf, i, end);
  }
  return NOT_STRICT_JSON;
}

/**
 * Into the object or array that opens at `i`: the index of its first member
 * or element, or the index after its closing `close` when it is empty
 * (then `buf[result - 1] === close`, which never holds otherwise).
 */
export function openContainer(buf: Uint8Array, i: number, end: number, close: number): number {
  i = skipSpace(buf, i + 1, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  return buf[i] === close ? i + 1 : i;
}

/**
 * Past the name of an object member, whose closing quote ends at `i`: the
 * index of its value, after the colon and the whitespace around it.
 */
export function skipColon(buf: Uint8Array, i: number, end: number): number {
  i = skipSpace(buf, i, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  return buf[i] === COLON ? skipSpace(buf, i + 1, end) : NOT_STRICT_JSON;
}

/**
 * After a member or element that ends at `i`: the index of the next one,
 * past the comma, or the index after the closing `close` (then
 * `buf[result - 1] === close`, which never holds otherwise).
 */
export function nextInContainer(buf: Uint8Array, i: number, end: number, close: number): number {
  i = skipSpace(buf, i, end);
  if (i >= end) {
    return NEED_MORE_BYTES;
  }
  const c = buf[i];
  if (c === close) {
    return i + 1;
  }
  if (c !== COMMA) {
    return NOT_STRICT_JSON;
  }
  i = skipSpace(buf, i + 1, end);
  return i >= end ? NEED_MORE_BYTES : i;
}

/** Skip the object or array that opens at `i`. */
function skipContainer(
  buf: Uint8Array,
  i: number,
  end: number,
  nesting: number
): number {
  const object = buf[i] === OPEN_BRACE;
  const close = object ? CLOSE_BRACE : CLOSE_BRACKET;
  i = openContainer(buf, i, end, close);
  while (i >= 0 && buf[i - 1] !== close) {
    if (object) {
      if (buf[i] !== QUOTE) {
        return NOT_STRICT_JSON;
      }
      i = scanString(buf, i, end, skipped);
      if (i < 0) {
        return i;
      }
      i = skipColon(buf, i, end);
      if (i < 0) {
        return i;
      }
    }
    i = skipValue(buf, i, end, nesting);
    if (i < 0) {
      return i;
    }
    i = nextInContainer(buf, i, end, close);
  }
  return i;
}

/** Largest integer below which `m * 10 + digit` stays exact in a double. */
const MAX_EXACT_MANTISSA = (Number.MAX_SAFE_INTEGER - 9) / 10;

/** Powers of ten that are exact doubles: 10^0 … 10^22. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The value `JSON.parse` gives the number text `buf[from..to)` (already
 * checked by {@link scanNumber}). Up to 16 digits without an exponent are
 * computed from the bytes: the digits form an exact integer and one division
 * by an exact power of ten rounds correctly, as `JSON.parse` does. Longer
 * numbers and exponents go through `Number` of the text.
 */
export function numberValue(buf: Uint8Array, from: number, to: number): number {
  const negative = buf[from] === MINUS;
  let mantissa = 0;
  let fractionDigits = -1;
  for (let i = negative ? from + 1 : from; i < to; i++) {
    const c = buf[i];
    if (c === DOT) {
      fractionDigits = 0;
      continue;
    }
    if (c < DIGIT_0 || c > DIGIT_9 || mantissa > MAX_EXACT_MANTISSA) {
      return Number(asciiText(buf, from, to)); // an exponent, or too many digits
    }
    mantissa = mantissa * 10 + (c - DIGIT_0);
    if (fractionDigits >= 0) {
      fractionDigits++;
    }
  }
  if (fractionDigits >= EXACT_POWERS_OF_TEN.length) {
    return Number(asciiText(buf, from, to));
  }
  const value = fractionDigits > 0 ? mantissa / EXACT_POWERS_OF_TEN[fractionDigits] : mantissa;
  return negative ? -value : value;
}

/** The text of ASCII bytes `buf[from..to)`: numbers and plain strings. */
export function asciiText(buf: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(
    null,
    buf.subarray(from, to) as unknown as number[]
  );
}
