/**
 * counterSeries: what the counter samples of a trace say, series by series.
 *
 * A counter holds its value until the next sample, as Perfetto and
 * MindStudio Insight draw it (a step line): sample k's value holds over
 * [time[k], time[k + 1]), the last one's from its time on. Before the first
 * sample the value is unknown, and that time is left out of every mean.
 *
 *   samples   1800          800              1800
 *   held      |=============|================|=========...
 *
 * Pure module.
 */
import type { ICounterSeries, ITraceModel, Us } from '../trace/model';
import type { ICounterSummary } from './summary';

/** Most series the summary keeps (Ascend Level1/Level2 traces write about 30). */
export const MAX_SUMMARY_SERIES = 100;

/** Equal parts of the span in a series' shape ({@link counterShape}). */
export const SHAPE_POINTS = 64;

/**
 * The mean of a series' held value, each stretch weighted by `weight(a, b)`
 * (e.g. the time of [a, b) inside the span, or the device's busy time in
 * it); null when every weight is 0.
 *
 * @param model - the trace.
 * @param series - one of `model.counters.series`.
 * @param weight - the weight of the stretch [a, b), µs (b may be Infinity).
 */
export function weightedMean(
  model: ITraceModel,
  series: ICounterSeries,
  weight: (a: Us, b: Us) => number
): { mean: number; weight: number } | null {
  const { time, value } = model.counters;
  let sum = 0;
  let total = 0;
  for (let k = series.first; k < series.first + series.count; k++) {
    const next = k + 1 < series.first + series.count ? time[k + 1] : Infinity;
    const w = weight(time[k], next);
    if (w > 0) {
      sum += w * value[k];
      total += w;
    }
  }
  return total > 0 ? { mean: sum / total, weight: total } : null;
}

/** Length of [a, b) inside [from, to]. */
export function overlapUs(a: Us, b: Us, from: Us, to: Us): Us {
  return Math.max(0, Math.min(b, to) - Math.max(a, from));
}

/**
 * The series over the trace span, for a sparkline: the mean held value in
 * each of `points` equal parts of [0, spanUs] (time-weighted), or null in a
 * part where no sample had been taken yet. One pass over the samples.
 */
export function counterShape(
  model: ITraceModel,
  series: ICounterSeries,
  points = SHAPE_POINTS
): (number | null)[] {
  const { time, value } = model.counters;
  const span = model.spanUs;
  const sums = new Float64Array(points);
  const weights = new Float64Array(points);
  const width = span / points;
  const last = series.first + series.count - 1;
  for (let k = series.first; k <= last && width > 0; k++) {
    const from = Math.max(0, time[k]);
    const to = Math.min(span, k < last ? time[k + 1] : span);
    if (!(to > from)) {
      continue;
    }
    // The parts [from, to) covers: whole ones get `width`, the two ends a share.
    for (let p = Math.floor(from / width); p < points && p * width < to; p++) {
      const w = overlapUs(from, to, p * width, (p + 1) * width);
      sums[p] += w * value[k];
      weights[p] += w;
    }
  }
  return Array.from(sums, (sum, p) => (weights[p] > 0 ? sum / weights[p] : null));
}

/**
 * Each series in model order (up to {@link MAX_SUMMARY_SERIES}): its lane,
 * name and key, sample count, lowest and highest value, its mean over the
 * trace span (time-weighted; the plain mean of the samples when none holds
 * inside the span), and its shape over the span ({@link counterShape}).
 */
export function counterSummaries(model: ITraceModel): ICounterSummary[] {
  const { series, value } = model.counters;
  return series.slice(0, MAX_SUMMARY_SERIES).map(s => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let k = s.first; k < s.first + s.count; k++) {
      min = Math.min(min, value[k]);
      max = Math.max(max, value[k]);
      sum += value[k];
    }
    const overSpan = weightedMean(model, s, (a, b) => overlapUs(a, b, 0, model.spanUs));
    return {
      lane: model.lanes[s.lane].label,
      name: s.name,
      key: s.key,
      samples: s.count,
      min,
      max,
      mean: overSpan?.mean ?? sum / s.count,
      shape: counterShape(model, s)
    };
  });
}
