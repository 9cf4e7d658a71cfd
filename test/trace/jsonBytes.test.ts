import { describe, expect, it } from 'vitest';
import {
  NEED_MORE_BYTES,
  NOT_STRICT_JSON,
  STRING_HAS_ESCAPE,
  STRING_HAS_NON_ASCII,
  numberValue,
  scanNumber,
  scanString,
  skipSpace,
  skipValue
} from '../../src/trace/jsonBytes';
import { bytesOf } from './traceBytes';

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Whether skipValue takes the whole text as one JSON value. */
function skipsWhole(text: string): boolean {
  const bytes = bytesOf(text + ' '); // a number needs the byte after it
  const at = skipSpace(bytes, 0, bytes.length);
  const end = skipValue(bytes, at, bytes.length);
  return end >= 0 && skipSpace(bytes, end, bytes.length) === bytes.length;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const PIECES = [
  '{', '}', '[', ']', ',', ':', '"a"', '"\\n"', '"\\u00e9"', '"\\x"', '"\\u12"', '"\t"', '"é"',
  '0', '-0', '01', '1.', '.5', '1.5', '1e5', '1E+5', '1e', '-', '--1', '2.5e-3', 'true', 'false',
  'null', 'nul', 'tru', ' ', '\n', '\r', '\t', '\u00a0', '"\\"', '"\\\\"', "'a'"
];

describe('skipValue', () => {
  it.each([
    ['{"a": [1, -2.5e-3, true, false, null, {"b": "c\\"d\\u00e9"}], "e": {}}', true],
    ['[]', true],
    ['{}', true],
    ['"\\/\\b\\f\\n\\r\\t"', true],
    ['{"a": 1,}', false],
    ['[1,]', false],
    ['{"a" 1}', false],
    ['{a: 1}', false],
    ['"a\tb"', false],
    ['"C:\\Users"', false],
    ['"\\u12G4"', false],
    ['01', false],
    ['1.', false],
    ['NaN', false],
    ["'a'", false]
  ])('takes %s as strict JSON: %s', (text, strict) => {
    expect(skipsWhole(text)).toBe(strict);
    expect(parses(text)).toBe(strict);
  });

  it('accepts exactly what JSON.parse accepts (random texts)', () => {
    const random = randomSource(7);
    for (let n = 0; n < 20000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 8);
      for (let k = 0; k < length; k++) {
        text += PIECES[Math.floor(random() * PIECES.length)];
      }
      expect(skipsWhole(text), text).toBe(parses(text));
    }
  });

  it('needs more bytes for a value cut anywhere, and never reads past the end', () => {
    const text = '{"a": [1, -2.5e-3, true, null, {"b": "c\\"d\\u00e9"}], "e": "x"}';
    const bytes = bytesOf(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(skipValue(bytes, 0, cut), `cut at ${cut}`).toBe(NEED_MORE_BYTES);
    }
    expect(skipValue(bytes, 0, bytes.length)).toBe(bytes.length);
  });

  it('leaves values nested deeper than 64 to JSON.parse', () => {
    expect(skipsWhole('['.repeat(64) + ']'.repeat(64))).toBe(true);
    const deep = bytesOf('['.repeat(65) + ']'.repeat(65));
    expect(skipValue(deep, 0, deep.length)).toBe(NOT_STRICT_JSON);
  });
});

describe('scanString', () => {
  it('says whether a string has escapes or bytes above ASCII', () => {
    const scan = { flags: 0 };
    for (const [text, flags] of [
      ['"plain"', 0],
      ['"a\\nb"', STRING_HAS_ESCAPE],
      ['"café"', STRING_HAS_NON_ASCII],
      ['"\\u00e9 é"', STRING_HAS_ESCAPE | STRING_HAS_NON_ASCII]
    ] as [string, number][]) {
      const bytes = bytesOf(text);
      expect(scanString(bytes, 0, bytes.length, scan)).toBe(bytes.length);
      expect(scan.flags, text).toBe(flags);
    }
  });
});

describe('scanString, whatever the alignment of its bytes', () => {
  it.each([
    ['a quote', '"', 'end'],
    ['an escape', '\\n', 0],
    ['a control character', '\t', NOT_STRICT_JSON],
    ['a byte above ASCII', 'é', 0],
    ['a bad escape', '\\x', NOT_STRICT_JSON]
  ] as [string, string, number | 'end'][])('finds %s at any place', (_, special, expected) => {
    const scan = { flags: 0 };
    for (let lead = 0; lead < 4; lead++) {
      for (let at = 0; at < 24; at++) {
        const body = 'x'.repeat(at) + special + 'y'.repeat(24 - at);
        const bytes = bytesOf(' '.repeat(lead) + '"' + body + '"');
        const result = scanString(bytes, lead, bytes.length, scan);
        if (expected === 'end') {
          expect(result).toBe(lead + 1 + at + 1);
        } else if (expected === NOT_STRICT_JSON) {
          expect(result).toBe(NOT_STRICT_JSON);
        } else {
          expect(result).toBe(bytes.length);
        }
        expect(scanString(bytes, lead, bytes.length - 1, scan)).toBe(
          expected === 'end' ? lead + 1 + at + 1 : expected === NOT_STRICT_JSON ? NOT_STRICT_JSON : NEED_MORE_BYTES
        );
      }
    }
  });
});

describe('numberValue', () => {
  const valueOf = (text: string): number => {
    const bytes = bytesOf(text + ',');
    const scan = { digits: 0, fraction: false, exponent: false };
    expect(scanNumber(bytes, 0, bytes.length, scan)).toBe(text.length);
    return numberValue(bytes, 0, text.length);
  };

  it.each([
    '0', '-0', '7', '-7', '1.5', '12.77012757357446', '53.7410625', '0.1', '0.000001',
    '9007199254740991', '9007199254740993', '123456789012345678901', '1e21', '2.5e-3', '-1E+2',
    '0.1234567890123456789012345', '1736408883704643.212', '4294967295'
  ])('reads %s as JSON.parse does', text => {
    expect(Object.is(valueOf(text), JSON.parse(text))).toBe(true);
  });

  it('reads random decimals as JSON.parse does', () => {
    const random = randomSource(11);
    for (let n = 0; n < 20000; n++) {
      const whole = String(Math.floor(random() * 10 ** Math.floor(random() * 17)));
      const fraction = String(Math.floor(random() * 10 ** Math.floor(random() * 12)));
      const text = (random() < 0.2 ? '-' : '') + whole + (random() < 0.7 ? '.' + fraction : '');
      expect(valueOf(text), text).toBe(JSON.parse(text));
    }
  });
});
