import { describe, expect, it } from 'vitest';
import { formatCounterValue, sparklinePoints } from '../../src/view/countersView';

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

describe('sparklinePoints', () => {
  it('draws each part as a step scaled to the series range, and breaks the line where there is no value', () => {
    expect(sparklinePoints([null, 0, 10, null, 5], 50, 12)).toEqual([
      '10.0,11.0 20.0,11.0 20.0,1.0 30.0,1.0',
      '40.0,6.0 50.0,6.0'
    ]);
  });

  it('draws a flat series across the middle, and nothing without values', () => {
    expect(sparklinePoints([7, 7], 20, 16)).toEqual(['0.0,8.0 10.0,8.0 10.0,8.0 20.0,8.0']);
    expect(sparklinePoints([null, null], 20, 16)).toEqual([]);
    // Means of equal values that differ in their last bits are flat too.
    expect(sparklinePoints([1800, 1799.9999999999998], 20, 16)).toEqual(['0.0,8.0 10.0,8.0 10.0,8.0 20.0,8.0']);
  });
});
