/**
 * gcPause: Python garbage-collection pauses, recorded or conjectured.
 *
 * Measures: (1) recorded GC slices: the torch_npu profiler writes them on a
 * "Python GC" lane when `experimental_config(gc_detect_threshold=…)` is set;
 * (2) when there are none, device idle gaps longer than
 * {@link MIN_CONJECTURED_GAP_US} during which the host issued almost no calls
 * (msprof-analyze "Conjectured GC", docs/tuning-rules.md §3.1), leaving out
 * the gaps before the first and after the last device work in the window.
 * Why: a full collection walks every live Python object; a model with many
 * of them (parameters, hooks, cached graphs) stops the whole host for tens of
 * milliseconds, so nothing gets queued and the device idles. `gc.freeze()`
 * after loading moves those objects out of the collector's way.
 *
 *   host   |ops|launch|            (nothing: GC)            |ops|launch|
 *   device        |==k==|                                          |==k==|
 *                       ^------- idle > 200 ms, no host calls -----^
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { deviceIdle, type IIdleGap } from '../deviceIdle';

/**
 * Total recorded GC time below which the check passes (µs). Source:
 * msprof-analyze GC Analysis counts each GC ≥ 1000 µs (docs/tuning-rules.md
 * §3.1); we apply the floor to the total.
 */
export const MIN_GC_US = 1_000;

/**
 * Shortest idle gap that may be a GC pause (µs). Source: msprof-analyze
 * Conjectured GC, 200 ms (`FREE_DURATION_FOR_GC_ANALYSIS`).
 */
export const MIN_CONJECTURED_GAP_US = 200_000;

/**
 * Most host calls per µs of gap for it to count as "almost no host activity".
 * Source: msprof-analyze Conjectured GC (0.0001/µs, one call per 10 ms).
 */
export const MAX_HOST_CALLS_PER_US = 0.0001;

/**
 * Most host-call time, as a share of the gap. Source: msprof-analyze
 * Conjectured GC (1 %).
 */
export const MAX_HOST_BUSY_SHARE = 0.01;

/** Share of the span from which recorded GC is `high`. Source: our choice, as sync-wait. */
export const HIGH_GC_SHARE = 0.2;

/**
 * …from which it is `medium`, below it `low`. Source: msprof-analyze advisor
 * priority (≥ 5 % of step time; docs/tuning-rules.md §2.1). A conjectured
 * finding is never above `medium`: it is a guess.
 */
export const MEDIUM_GC_SHARE = 0.05;

/** Most highlights returned. */
export const MAX_HIGHLIGHTS = 50;

/** Slice names that are GC pauses. */
const GC_NAME = /^(python\s+)?gc(\s|$|[:@(])|garbage[\s_-]?collect/i;

/** Lanes (or their process) that hold only GC pauses ("Python GC"). */
const GC_LANE = /(^|[^a-z])GC([^a-z]|$)/;

/** Host work kinds that count as host activity inside a gap. */
const HOST_CALL_KINDS = new Set(
  (
    ['op', 'runtime', 'launch', 'sync', 'copy', 'queue', 'compile'] as const
  ).map(w => WORK_KINDS.indexOf(w))
);

const REMEDIES = ['python-gc-freeze'];

/** Recorded GC slices (by name, or any slice on a GC lane). */
function gcSlices(model: ITraceModel): SliceIndex[] {
  const { slices, lanes, names } = model;
  const gcLane = lanes.map(
    l => GC_LANE.test(l.label) || GC_LANE.test(l.processName)
  );
  const gcName = names.map(name => GC_NAME.test(name));
  const out: SliceIndex[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (slices.depth[i] === 0 && (gcLane[slices.lane[i]] || gcName[slices.name[i]])) {
      out.push(i);
    }
  }
  return out;
}

/**
 * For each gap, the host calls starting inside it and their time clipped to
 * it. One pass over the slices: each host call is checked against only the
 * gaps it overlaps, found by bisection.
 *
 * @param gaps Sorted by start, disjoint.
 */
function hostActivityInGaps(
  model: ITraceModel,
  gaps: readonly IIdleGap[]
): { calls: number; us: Us }[] {
  const { slices, lanes } = model;
  const activity = gaps.map(() => ({ calls: 0, us: 0 }));
  if (gaps.length === 0) {
    return activity;
  }
  const hostLane = lanes.map(l => l.kind === 'host' || l.kind === 'dispatch');
  for (let i = 0; i < slices.count; i++) {
    if (!hostLane[slices.lane[i]] || !HOST_CALL_KINDS.has(slices.work[i])) {
      continue;
    }
    const start = slices.start[i];
    const end = start + slices.dur[i];
    // First gap that ends after the call starts.
    let lo = 0;
    let hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (gaps[mid].end > start) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    for (let k = lo; k < gaps.length && gaps[k].start < end; k++) {
      const { start: a, end: b } = gaps[k];
      // A call open across the whole gap (a sync) is activity too: clip it.
      activity[k].calls += start >= a ? 1 : 0;
      activity[k].us += Math.min(b, end) - Math.max(a, start);
    }
  }
  return activity;
}

/**
 * The GC check.
 *
 * Variants:
 * - `not-applicable` (`ok`): no recorded GC and no device activity to
 *   conjecture from (CPU-only run); facts {}.
 * - `none` (`ok`): no GC found; facts `gcEvents`, `gcUs` (recorded, below
 *   {@link MIN_GC_US}), `conjecturedGaps` (0).
 * - `recorded`: GC slices totalling ≥ {@link MIN_GC_US}; `low` / `medium` /
 *   `high` by share of the span. Facts `gcEvents`, `gcUs`, `maxGcUs`,
 *   `spanShare`.
 * - `conjectured`: no recorded GC, but idle gaps ≥
 *   {@link MIN_CONJECTURED_GAP_US} with almost no host calls; `low` or
 *   `medium`. Facts `conjecturedGaps`, `conjecturedUs`, `maxGapUs`,
 *   `spanShare`.
 *
 * `savingUs`: the GC time (recorded or conjectured), an upper bound:
 * `gc.freeze()` shortens collections, it does not remove them.
 */
export function gcPause(model: ITraceModel): IFinding {
  const base = { id: 'gc', highlights: [], remedies: [] };
  const { slices, lanes, names } = model;
  const share = (us: number): number =>
    model.spanUs > 0 ? Math.min(1, us / model.spanUs) : 0;
  const gc = gcSlices(model);
  const gcUs = gc.reduce((sum, i) => sum + slices.dur[i], 0);
  if (gcUs >= MIN_GC_US) {
    const spanShare = share(gcUs);
    const severity: Severity =
      spanShare >= HIGH_GC_SHARE
        ? 'high'
        : spanShare >= MEDIUM_GC_SHARE
          ? 'medium'
          : 'low';
    return {
      ...base,
      variant: 'recorded',
      severity,
      savingUs: gcUs,
      facts: {
        gcEvents: gc.length,
        gcUs,
        maxGcUs: Math.max(...gc.map(i => slices.dur[i])),
        spanShare
      },
      highlights: [...gc]
        .sort((a, b) => slices.dur[b] - slices.dur[a])
        .slice(0, MAX_HIGHLIGHTS)
        .map(i => ({
          start: slices.start[i],
          end: slices.start[i] + slices.dur[i],
          lane: lanes[slices.lane[i]].label,
          name: names[slices.name[i]]
        })),
      remedies: [...REMEDIES]
    };
  }
  const idle = deviceIdle(model);
  if (!idle) {
    return gc.length > 0
      ? {
          ...base,
          variant: 'none',
          severity: 'ok',
          savingUs: 0,
          facts: { gcEvents: gc.length, gcUs, conjecturedGaps: 0 }
        }
      : {
          ...base,
          variant: 'not-applicable',
          severity: 'ok',
          savingUs: 0,
          facts: {}
        };
  }
  // Leading and trailing gaps are setup and teardown (Nsight Systems'
  // gpu_gaps rule leaves them out too, docs/tuning-rules.md §5.4).
  const long =
    gc.length > 0
      ? []
      : idle.gaps.filter(
          g =>
            g.end - g.start >= MIN_CONJECTURED_GAP_US &&
            g.start > idle.windowStart &&
            g.end < idle.windowEnd
        );
  const host = hostActivityInGaps(model, long);
  const quiet = long.filter((g, k) => {
    const us = g.end - g.start;
    return (
      host[k].calls <= us * MAX_HOST_CALLS_PER_US &&
      host[k].us <= us * MAX_HOST_BUSY_SHARE
    );
  });
  if (quiet.length === 0) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { gcEvents: gc.length, gcUs, conjecturedGaps: 0 }
    };
  }
  const conjecturedUs = quiet.reduce((sum, g) => sum + (g.end - g.start), 0);
  const spanShare = share(conjecturedUs);
  const highlights: IHighlight[] = [...quiet]
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, MAX_HIGHLIGHTS)
    .map(g => ({ start: g.start, end: g.end, lane: '', name: '' }));
  return {
    ...base,
    variant: 'conjectured',
    severity: spanShare >= MEDIUM_GC_SHARE ? 'medium' : 'low',
    savingUs: conjecturedUs,
    facts: {
      conjecturedGaps: quiet.length,
      conjecturedUs,
      maxGapUs: Math.max(...quiet.map(g => g.end - g.start)),
      spanShare
    },
    highlights,
    remedies: [...REMEDIES]
  };
}
