/**
 * Exact timestamps. torch_npu writes `ts` as a decimal string of epoch µs
 * with 3 decimals ("1736408883704643.212"); Kineto writes epoch µs with
 * decimals. A double holds such values only to ~0.25 µs, which creates fake
 * overlaps on device streams (Ascend/pytorch issue #133). So a timestamp is
 * split into whole µs (an exact integer below 2^53) and a fraction in
 * picoseconds, and only the difference to the trace origin becomes a double.
 *
 * Pure module.
 */

/** Picoseconds per microsecond: the resolution of the fraction part. */
export const PS_PER_US = 1_000_000;

/** Number of fraction digits kept (µs → ps). */
const FRACTION_DIGITS = 6;

/** A timestamp split for exact arithmetic: `whole + ps / PS_PER_US` µs. */
export interface IExactTime {
  /** Whole microseconds, floor of the value (exact integer). */
  whole: number;
  /** Fraction in picoseconds, 0 ≤ ps < {@link PS_PER_US}. */
  ps: number;
}

/**
 * Split a `ts` value (decimal string or JSON number) into whole µs and
 * picoseconds without going through a double of the absolute value.
 * Digits beyond the picosecond are truncated. Returns null for values that
 * are not numbers.
 */
export function readExactTime(value: unknown): IExactTime | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      return null;
    }
    // A short JSON number round-trips through its shortest decimal text, so
    // reading that text recovers the digits as written (2413669096090.1).
    return Number.isInteger(value)
      ? { whole: value, ps: 0 }
      : readExactTime(String(value));
  }
  if (typeof value !== 'string') {
    return null;
  }
  const dot = value.indexOf('.');
  if (value.indexOf('e') >= 0 || value.indexOf('E') >= 0) {
    const n = Number(value);
    return Number.isFinite(n) ? fromNumber(n) : null;
  }
  let intText = dot < 0 ? value : value.slice(0, dot);
  let fracText = dot < 0 ? '' : value.slice(dot + 1);
  let negative = false;
  if (intText.charCodeAt(0) === 45 /* - */) {
    negative = true;
    intText = intText.slice(1);
  } else if (intText.charCodeAt(0) === 43 /* + */) {
    intText = intText.slice(1);
  }
  const intAbs = intText.length === 0 ? 0 : Number(intText);
  if (fracText.length > FRACTION_DIGITS) {
    fracText = fracText.slice(0, FRACTION_DIGITS);
  }
  const fracAbs =
    fracText.length === 0
      ? 0
      : Number(fracText) * 10 ** (FRACTION_DIGITS - fracText.length);
  if (!Number.isFinite(intAbs) || !Number.isFinite(fracAbs)) {
    return null;
  }
  if (!negative) {
    return { whole: intAbs, ps: fracAbs };
  }
  return fracAbs > 0
    ? { whole: -intAbs - 1, ps: PS_PER_US - fracAbs }
    : { whole: -intAbs, ps: 0 };
}

function fromNumber(value: number): IExactTime {
  let whole = Math.floor(value);
  let ps = Math.round((value - whole) * PS_PER_US);
  if (ps >= PS_PER_US) {
    whole += 1;
    ps -= PS_PER_US;
  }
  return { whole, ps };
}

/**
 * Microseconds from `base` to `time`, as a double. The difference is formed
 * as an integer number of picoseconds first, so equal source strings give
 * equal results and the only rounding is the final division.
 */
export function rebaseUs(
  whole: number,
  ps: number,
  baseWhole: number,
  basePs: number
): number {
  return ((whole - baseWhole) * PS_PER_US + (ps - basePs)) / PS_PER_US;
}

/**
 * The exact decimal text of `whole + ps` µs, plus `baseNs` nanoseconds when
 * the trace's times are relative (Kineto `baseTimeNanoseconds`). Trailing
 * zeros of the fraction are dropped: "1736408883686740.71".
 */
export function formatExactUs(
  whole: number,
  ps: number,
  baseNs?: string
): string {
  const psPerUs = BigInt(PS_PER_US);
  let total = BigInt(whole) * psPerUs + BigInt(ps);
  if (baseNs !== undefined) {
    total += BigInt(baseNs) * BigInt(PS_PER_US / 1000);
  }
  const negative = total < BigInt(0);
  if (negative) {
    total = -total;
  }
  const intPart = (total / psPerUs).toString();
  const fracPart = (total % psPerUs)
    .toString()
    .padStart(FRACTION_DIGITS, '0')
    .replace(/0+$/, '');
  return (
    (negative ? '-' : '') + intPart + (fracPart.length > 0 ? '.' + fracPart : '')
  );
}

/** Most integer digits {@link readPlainTimeBytes} reads (2^53 has 16). */
const MAX_PLAIN_WHOLE_DIGITS = 16;

/**
 * Read a timestamp written as plain decimal digits, `\d{1,16}(\.\d+)?`
 * (epoch µs have 16 digits), straight from bytes (the inside of a `ts` string, or a number's text), the
 * way {@link readExactTime} reads the same text as a string: whole µs exact,
 * the first six fraction digits as picoseconds, later digits truncated.
 *
 * @param out - receives the time; untouched when the text has another form.
 * @returns whether the text was plain digits.
 */
export function readPlainTimeBytes(
  buf: Uint8Array,
  from: number,
  to: number,
  out: IExactTime
): boolean {
  let whole = 0;
  let i = from;
  for (; i < to; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) {
      break;
    }
    whole = whole * 10 + d;
  }
  const wholeDigits = i - from;
  // With at most 16 digits only the last step of the sum can round, so it
  // rounds as Number(text) does; 17 digits could round twice.
  if (wholeDigits === 0 || wholeDigits > MAX_PLAIN_WHOLE_DIGITS) {
    return false;
  }
  let ps = 0;
  if (i < to) {
    if (buf[i] !== 46 /* . */ || i + 1 === to) {
      return false;
    }
    let scale = PS_PER_US;
    for (i++; i < to; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) {
        return false;
      }
      if (scale > 1) {
        scale /= 10;
        ps += d * scale;
      }
    }
  }
  out.whole = whole;
  out.ps = ps;
  return true;
}
