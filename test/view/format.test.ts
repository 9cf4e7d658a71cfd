import { describe, expect, it } from 'vitest';
import { formatShare, formatUs } from '../../src/view/format';

describe('formatUs', () => {
  it.each([
    [0, '0 µs'],
    [0.5, '0.50 µs'],
    [5, '5.0 µs'],
    [880, '880 µs'],
    [6090, '6.09 ms'],
    [91682.16, '91.7 ms'],
    [1_500_000, '1.50 s'],
    [Number.NaN, '–']
  ])('formats %s µs as %s', (us, text) => {
    expect(formatUs(us)).toBe(text);
  });
});

describe('formatShare', () => {
  it.each([
    [0, '0 %'],
    [0.042, '4.2 %'],
    [0.37, '37 %'],
    [1, '100 %']
  ])('formats %s as %s', (share, text) => {
    expect(formatShare(share)).toBe(text);
  });
});
