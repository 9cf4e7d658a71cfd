import { describe, expect, it } from 'vitest';
import { formatCounterValue } from '../../src/view/countersView';

describe('formatCounterValue', () => {
  it('shows values from 1000 on whole and smaller ones to four significant digits', () => {
    expect(formatCounterValue(1800)).toBe('1800');
    expect(formatCounterValue(2160232)).toBe('2160232');
    expect(formatCounterValue(2163512.6)).toBe('2163513');
    expect(formatCounterValue(0)).toBe('0');
    expect(formatCounterValue(12.3456)).toBe('12.35');
    expect(formatCounterValue(1799.9999999999998)).toBe('1800');
    expect(formatCounterValue(0.000123456)).toBe('0.0001235');
    expect(formatCounterValue(-3.5)).toBe('-3.5');
  });
});
