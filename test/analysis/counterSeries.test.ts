import { describe, expect, it } from 'vitest';
import { counterShape, counterSummaries, MAX_SUMMARY_SERIES, weightedMean } from '../../src/analysis/counterSeries';
import { summarize } from '../../src/analysis/summarize';
import { makeTrace } from './makeTrace';

function memory(samples: [number, number][], spanUs = 100) {
  return makeTrace({
    backend: 'ascend',
    lanes: [{ kind: 'counter', label: 'NPU MEM' }],
    slices: [],
    spanUs,
    counters: [{ lane: 0, name: 'APP/HBM', key: 'KB', samples }]
  });
}

describe('counterSummaries', () => {
  it('weights each value by how long it held inside the span', () => {
    // 100 KB from before the origin to 50 µs, then 200 KB to the end (and past it).
    const [c] = counterSummaries(memory([[-10, 100], [50, 200], [400, 1000]]));
    expect(c).toMatchObject({ lane: 'NPU MEM', name: 'APP/HBM', key: 'KB', samples: 3, min: 100, max: 1000, mean: 150 });
    expect(c.shape).toHaveLength(64);
  });

  it('leaves out the time before the first sample', () => {
    expect(counterSummaries(memory([[80, 10], [90, 30]]))[0].mean).toBe(20);
  });

  it('falls back to the mean of the samples when none holds inside the span', () => {
    expect(counterSummaries(memory([[200, 10], [300, 30]]))[0].mean).toBe(20);
  });
});

describe('weightedMean', () => {
  it('returns the total weight with the mean, and null when nothing weighs', () => {
    const model = memory([[0, 4], [10, 8]]);
    const series = model.counters.series[0];
    // Weight only [5, 15): 5 µs of 4, 5 µs of 8.
    const window = (a: number, b: number) => Math.max(0, Math.min(b, 15) - Math.max(a, 5));
    expect(weightedMean(model, series, window)).toEqual({ mean: 6, weight: 10 });
    expect(weightedMean(model, series, () => 0)).toBeNull();
  });
});

describe('counterShape', () => {
  it('gives the mean held value of each equal part of the span, null before the first sample', () => {
    // Span 100 in 4 parts of 25: nothing before 30; 10 over [30, 60); 40 from 60 on.
    const model = memory([[30, 10], [60, 40]]);
    expect(counterShape(model, model.counters.series[0], 4)).toEqual([null, 10, (10 * 10 + 15 * 40) / 25, 40]);
  });

  it('sees a burst shorter than a part, as its share of that part', () => {
    const model = memory([[0, 0], [10, 100], [11, 0]]);
    expect(counterShape(model, model.counters.series[0], 4)).toEqual([4, 0, 0, 0]);
  });
});

describe('the summary of many counter series', () => {
  it('keeps the first series and says how many there were', () => {
    const total = MAX_SUMMARY_SERIES + 5;
    const model = makeTrace({
      backend: 'ascend',
      lanes: [{ kind: 'counter', label: 'PMU' }],
      slices: [],
      spanUs: 10,
      counters: Array.from({ length: total }, (_, k) => ({ lane: 0, name: `c${k}`, key: 'value', samples: [[0, k]] as [number, number][] }))
    });
    const s = summarize(model);
    expect(s.counters).toHaveLength(MAX_SUMMARY_SERIES);
    expect(s.warnings).toContain(`The summary lists the first ${MAX_SUMMARY_SERIES} of the trace's ${total} counter series.`);
  });
});
