import { describe, expect, it } from 'vitest';
import { GatheredSlices, earliestStart } from '../../src/trace/gatheredSlices';

/** Slice `k` of the tests: every column a different function of k. */
function slice(k: number): [number, number, number, number, number, number, number, number] {
  return [1e15 + k, (k * 7919) % 1e6, k / 4, k % 97, k % 5, k % 3, k % 2 === 0 ? -1 : k, k % 4];
}

describe('GatheredSlices', () => {
  it('keeps slices appended one by one and by runs, in order, while it grows', () => {
    const gathered = new GatheredSlices();
    const capacity = 64;
    let k = 0;
    while (k < 5000) {
      if (k % 3 === 0) {
        // A run of up to `capacity` slices in the event reader's column layout.
        const n = Math.min(capacity, 5000 - k, 1 + (k % 50));
        const values = new Float64Array(4 * capacity).fill(NaN);
        const ids = new Int32Array(4 * capacity).fill(-7);
        for (let j = 0; j < n; j++) {
          const [whole, ps, dur, name, lane, cat, corr, task] = slice(k + j);
          [whole, ps, dur, corr].forEach((v, c) => (values[c * capacity + j] = v));
          [name, lane, cat, task].forEach((v, c) => (ids[c * capacity + j] = v));
        }
        gathered.pushRun(values, ids, capacity, n);
        k += n;
      } else {
        gathered.push(...slice(k));
        k++;
      }
    }
    expect(gathered.count).toBe(5000);
    const columns = gathered.columns();
    for (const k of [0, 1, 2, 3, 63, 64, 1023, 1024, 1025, 2500, 4999]) {
      const [whole, ps, dur, name, lane, cat, corr, task] = slice(k);
      const got = ['whole', 'ps', 'dur', 'name', 'lane', 'cat', 'corr', 'task'].map(
        c => columns[c as keyof typeof columns][k]
      );
      expect(got, `slice ${k}`).toEqual([whole, ps, dur, name, lane, cat, corr, task]);
    }
    expect(columns.whole.length).toBe(5000);
    expect(columns.dur.includes(NaN)).toBe(false); // nothing past a run's slices was copied
  });

  it('finds the earliest start exactly, picoseconds breaking ties', () => {
    const gathered = new GatheredSlices();
    gathered.push(1736408883686741, 0, 1, 0, 0, 0, -1, 0);
    gathered.push(1736408883686740, 900000, 1, 0, 0, 0, -1, 0);
    gathered.push(1736408883686740, 710000, 1, 0, 0, 0, -1, 0);
    expect(earliestStart(gathered.columns())).toEqual({ whole: 1736408883686740, ps: 710000 });
    expect(earliestStart(new GatheredSlices().columns()).whole).toBe(Infinity);
  });
});
