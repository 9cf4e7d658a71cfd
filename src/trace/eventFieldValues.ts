/**
 * eventFieldValues: the values of the fields an {@link IEventBytesReader}
 * found, exactly as the object path computes them from `JSON.parse` (after
 * {@link quoteBigNumbers}) of the same text: `String(e.pid ?? '')`,
 * `Number(e.dur)`, `readExactTime(e.ts)`, `String(e.id)`... Every shortcut
 * taken from the bytes gives the same result as that path, and anything
 * unusual goes through the very functions the object path uses.
 *
 * Pure module.
 */
import {
  ABSENT,
  ARG_CONNECTION_ID,
  ARG_CORRELATION,
  ARG_CORRELATION_ID,
  IEventBytesReader,
  NULL,
  NUMBER,
  NUMBER_HAS_EXPONENT,
  NUMBER_HAS_FRACTION,
  STRING
} from './eventBytes';
import { IExactTime, readExactTime, readPlainTimeBytes } from './exactTime';
import {
  DIGIT_0,
  MINUS,
  STRING_HAS_ESCAPE,
  STRING_HAS_NON_ASCII,
  asciiText,
  numberValue
} from './jsonBytes';

/** Longest string made with `String.fromCharCode` rather than the decoder. */
const MAX_CHAR_CODE_STRING = 256;

/** Most digits of an integer whose text is what `String(Number(text))` gives. */
const MAX_PLAIN_INTEGER_DIGITS = 15;

/**
 * Characters (digits and dot) from which {@link quoteBigNumbers} keeps a
 * `ts` or `id` number as its exact text.
 */
const LONG_NUMBER_CHARS = 16;

/** Whether `quoteBigNumbers` turns a number with these digits into a string. */
function isLongNumber(digits: number, form: number): boolean {
  return digits + ((form & NUMBER_HAS_FRACTION) !== 0 ? 1 : 0) >= LONG_NUMBER_CHARS;
}

/** Values of the fields of the event an {@link IEventBytesReader} read last. */
export class EventFieldValues {
  /** @param reader - the reader whose fields are turned into values. */
  constructor(reader: IEventBytesReader) {
    this._reader = reader;
  }

  /** The string `JSON.parse` makes of a string field. */
  text(buf: Uint8Array, field: number): string {
    const r = this._reader;
    const from = r.from[field];
    const to = r.to[field];
    const form = r.form[field];
    if ((form & STRING_HAS_ESCAPE) !== 0) {
      return JSON.parse('"' + this._decoder.decode(buf.subarray(from, to)) + '"') as string;
    }
    if ((form & STRING_HAS_NON_ASCII) !== 0 || to - from > MAX_CHAR_CODE_STRING) {
      return this._decoder.decode(buf.subarray(from, to));
    }
    return asciiText(buf, from, to);
  }

  /** Whether a field is the string `text`; `bytes` are its ASCII bytes, compared first. */
  is(buf: Uint8Array, field: number, text: string, bytes: Uint8Array): boolean {
    const r = this._reader;
    if (r.kind[field] !== STRING) {
      return false;
    }
    if ((r.form[field] & STRING_HAS_ESCAPE) !== 0) {
      return this.text(buf, field) === text;
    }
    const from = r.from[field];
    if (r.to[field] - from !== bytes.length) {
      return false;
    }
    for (let k = 0; k < bytes.length; k++) {
      if (buf[from + k] !== bytes[k]) {
        return false;
      }
    }
    return true;
  }

  /** Value of a number field. */
  number(buf: Uint8Array, field: number): number {
    return numberValue(buf, this._reader.from[field], this._reader.to[field]);
  }

  /**
   * Whether `String(value)` of a string or number field depends on its bytes
   * alone and can be looked up by them: strings, and integers written as
   * `String` writes them (not `-0`, not beyond 15 digits).
   */
  isTextKey(buf: Uint8Array, field: number): boolean {
    const r = this._reader;
    const kind = r.kind[field];
    if (kind === STRING) {
      return true;
    }
    const from = r.from[field];
    return (
      kind === NUMBER &&
      r.form[field] === 0 &&
      r.digits[field] <= MAX_PLAIN_INTEGER_DIGITS &&
      !(buf[from] === MINUS && buf[from + 1] === DIGIT_0)
    );
  }

  /** `String(value ?? '')` of a string, number, null or absent field. */
  idText(buf: Uint8Array, field: number): string {
    switch (this._reader.kind[field]) {
      case STRING:
        return this.text(buf, field);
      case NUMBER:
        return String(this.number(buf, field));
      default:
        return '';
    }
  }

  /** `String(e.id)` of a flow: long numbers kept as written, `null` as "null". */
  flowId(buf: Uint8Array, field: number): string {
    const r = this._reader;
    if (r.kind[field] === NUMBER && isLongNumber(r.digits[field], r.form[field])) {
      return asciiText(buf, r.from[field], r.to[field]);
    }
    return r.kind[field] === NULL ? 'null' : this.idText(buf, field);
  }

  /** `Number(e.dur)`, 0 when absent, of a string, number or null field. */
  duration(buf: Uint8Array, field: number): number {
    switch (this._reader.kind[field]) {
      case NUMBER:
        return this.number(buf, field);
      case STRING:
        return Number(this.text(buf, field));
      default:
        return 0;
    }
  }

  /** Whether `a ?? b` passes over this field (absent or null). */
  isNullish(field: number): boolean {
    const kind = this._reader.kind[field];
    return kind === ABSENT || kind === NULL;
  }

  /**
   * The args field a slice's correlation is read from, as the object path
   * reads it: `args.correlation ?? args.connection_id ?? args.correlation_id`.
   */
  correlationField(): number {
    if (!this.isNullish(ARG_CORRELATION)) {
      return ARG_CORRELATION;
    }
    return this.isNullish(ARG_CONNECTION_ID) ? ARG_CORRELATION_ID : ARG_CONNECTION_ID;
  }

  /**
   * {@link readExactTime} of a `ts` field, into `out`.
   *
   * @returns false when the field is not a time (then `out` is untouched).
   */
  time(buf: Uint8Array, field: number, out: IExactTime): boolean {
    const r = this._reader;
    const from = r.from[field];
    const to = r.to[field];
    const form = r.form[field];
    let t: IExactTime | null;
    if (r.kind[field] === STRING) {
      if ((form & STRING_HAS_ESCAPE) === 0 && readPlainTimeBytes(buf, from, to, out)) {
        return true;
      }
      t = readExactTime(this.text(buf, field));
    } else if (r.kind[field] === NUMBER) {
      const long = isLongNumber(r.digits[field], form);
      if (
        (form & NUMBER_HAS_EXPONENT) === 0 &&
        buf[from] !== MINUS &&
        readPlainTimeBytes(buf, from, to, out) &&
        // A short number is a double first: below 1e-6 its text has an
        // exponent, which readExactTime rounds instead of truncating.
        (long || out.whole > 0 || out.ps > 0 || (form & NUMBER_HAS_FRACTION) === 0)
      ) {
        return true;
      }
      const text = asciiText(buf, from, to);
      t = readExactTime(long ? text : Number(text));
    } else {
      return false; // absent, null, boolean, object, array: not a time
    }
    if (t === null) {
      return false;
    }
    out.whole = t.whole;
    out.ps = t.ps;
    return true;
  }

  private readonly _reader: IEventBytesReader;
  /** Keeps a U+FEFF at the start of a string, as decoding the whole batch does. */
  private readonly _decoder = new TextDecoder('utf-8', { ignoreBOM: true });
}
