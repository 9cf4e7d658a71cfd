import { describe, expect, it } from 'vitest';
import {
  IExactTime,
  formatExactUs,
  readExactTime,
  readPlainTimeBytes,
  rebaseUs
} from '../../src/trace/exactTime';

describe('readExactTime', () => {
  it.each([
    ['1736408883704643.212', { whole: 1736408883704643, ps: 212000 }],
    ['1736408883704643', { whole: 1736408883704643, ps: 0 }],
    ['2413669096090.1', { whole: 2413669096090, ps: 100000 }],
    ['0.1234567', { whole: 0, ps: 123456 }],
    ['-5.25', { whole: -6, ps: 750000 }],
    [1694128201426674, { whole: 1694128201426674, ps: 0 }],
    [12.5, { whole: 12, ps: 500000 }],
    ['1.5e3', { whole: 1500, ps: 0 }]
  ])('splits %s into whole µs and picoseconds', (value, expected) => {
    expect(readExactTime(value)).toEqual(expected);
  });

  it.each([[undefined], [null], ['abc'], [{}]])('returns null for %s', value => {
    expect(readExactTime(value)).toBeNull();
  });
});

describe('rebaseUs', () => {
  it('gives the exact difference of two nanosecond timestamps', () => {
    const a = readExactTime('1736408883704643.212')!;
    const b = readExactTime('1736408883686740.710')!;
    expect(rebaseUs(a.whole, a.ps, b.whole, b.ps)).toBe(17902.502);
  });
});

describe('formatExactUs', () => {
  it('writes the absolute time without rounding and adds a nanosecond base', () => {
    expect(formatExactUs(1736408883704643, 212000)).toBe('1736408883704643.212');
    expect(formatExactUs(2413669096090, 100000, '1727743122000000000')).toBe(
      '1730156791096090.1'
    );
    expect(formatExactUs(-6, 750000)).toBe('-5.25');
    expect(formatExactUs(7, 0)).toBe('7');
  });
});

describe('readPlainTimeBytes', () => {
  const read = (text: string): IExactTime | null => {
    const out = { whole: -1, ps: -1 };
    const bytes = new TextEncoder().encode(text);
    return readPlainTimeBytes(bytes, 0, bytes.length, out) ? out : null;
  };

  it.each([
    '1736408883704643.212',
    '1736408883704643',
    '1712195495505543.2',
    '0.0000001',
    '12.1234567899',
    '9007199254740993.5',
    '9999999999999999.999999'
  ])('reads %s as readExactTime reads the same string', text => {
    expect(read(text)).toEqual(readExactTime(text));
  });

  it.each(['', '-1', '+1', '1.', '.5', '1e3', ' 1', '12345678901234567', '1.2.3'])(
    'leaves %j to readExactTime',
    text => {
      expect(read(text)).toBeNull();
    }
  );
});
