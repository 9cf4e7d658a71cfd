/**
 * runSet: several runs read together, side by side — the ranks of one
 * distributed job (a cluster folder with one `*_ascend_pt` per rank, a
 * TensorBoard log folder with one trace per worker), or several captures of
 * the same code — and which of them is slow, and in what.
 *
 * Each run is analysed on its own (its own device, its own checklist), so no
 * device timeline is ever merged with another's. What this module adds is the
 * comparison across runs:
 *
 * - **Ranks of one job** step together: a collective makes every rank wait for
 *   the slowest, so all spans are about equal and the slow rank is not the one
 *   with the longest span. It is the one that computes longest, while the
 *   others spend that difference waiting in communication. msprof-analyze's
 *   `slow_rank` recipe flags a step component whose spread across ranks,
 *   `(max − min) / mean`, is above 5 %; we do the same for compute first (the
 *   cause), then for the other components (a slow link, a host-bound rank).
 * - **Separate runs** do not wait for each other: the slowest is the one with
 *   the longest step, and the component that grew most explains it.
 *
 * Pure module.
 */
import type { Backend, Us } from '../trace/model';
import type { IFinding } from './finding';
import type { IProfileSummary } from './summary';

/**
 * Spread across runs, `(max − min) / mean`, above which a component counts as
 * unbalanced: msprof-analyze cluster_analyse `slow_rank` (tuning-rules.md §3.4).
 */
export const SPREAD_THRESHOLD = 0.05;

/**
 * Compute differences smaller than this share of the mean step are not worth
 * naming, whatever their spread. The other components of ranks must differ by
 * {@link SPREAD_THRESHOLD} of the mean step (a 40 µs compile on one rank and 0
 * on another is an infinite spread of nothing).
 */
export const MIN_SHARE_OF_STEP = 0.01;

/** The parts of a run's time that are compared across runs. */
export const COMPONENTS = ['step', 'compute', 'comm', 'copy', 'idle', 'syncWait', 'compile'] as const;

/** One of {@link COMPONENTS}: `step` is the median step (the span without steps). */
export type Component = (typeof COMPONENTS)[number];

/** One run given to {@link runSetOverview}. */
export interface IRunSetEntry {
  /** Name the user knows the run by (its folder or file, relative to the opened folder). */
  label: string;
  /** The run's analysis. */
  summary: IProfileSummary;
}

/** One run's row of the table. All times µs. */
export interface IRunSetRow {
  /** Index of the run in the entries given to {@link runSetOverview}. */
  entry: number;
  /** {@link IRunSetEntry.label}. Untrusted text (a path). */
  label: string;
  /** Rank in its job, as recorded; null when the run records none. */
  rank: string | null;
  /** Producer kind. */
  backend: Backend;
  /** Device name, or ''. */
  device: string;
  /** Profiler steps recorded (0: the span is one step). */
  steps: number;
  /**
   * Each component, µs: the median step; then, per step (the run's totals
   * divided by its number of steps), the device's compute, communication and
   * copies, its idle time inside the steps (not before the first or after the
   * last, where a warm-up would count), and the host's waits and compiles. A
   * run without steps is one step: its span.
   */
  times: Record<Component, Us>;
  /** Whether the run has a device timeline. */
  hasDevice: boolean;
  /** Number of problems its checklist found. */
  problems: number;
  /** Its first problem (the one whose fix could save most), or null when none. */
  topProblem: IFinding | null;
}

/** How one component spreads across the runs. */
export interface IComponentSpread {
  /** Which component. */
  component: Component;
  /** Smallest value, µs. */
  min: Us;
  /** The row that has {@link IComponentSpread.min} (the first of equals). */
  minRow: number;
  /** Largest value, µs. */
  max: Us;
  /** The row that has {@link IComponentSpread.max} (the first of equals). */
  maxRow: number;
  /** Mean over the runs, µs. */
  mean: Us;
  /** `(max − min) / mean`; 0 when the mean is 0. */
  spread: number;
}

/**
 * What the comparison says, in ids and numbers (the view and the CLI word it):
 *
 * - `slow-rank`: `row` computes `excessUs` longer than the rank that computes
 *   least (`fastRow`); the others wait for it (`component` is `compute`);
 * - `unbalanced`: compute is balanced, but `row` spends `excessUs` more in
 *   `component` (communication: a slow link or a late collective; idle or host
 *   waits: that rank's host is slower, see its checklist) than `fastRow`;
 * - `slowest-run`: separate runs; `row`'s step is `excessUs` longer than
 *   `fastRow`'s; of the parts of the device's time (compute, communication,
 *   copies, idle), `component` grew most (`componentUs` more; null without a
 *   device);
 * - `balanced`: no component spreads beyond {@link SPREAD_THRESHOLD}.
 */
export interface IRunSetVerdict {
  /** See above. */
  kind: 'slow-rank' | 'unbalanced' | 'slowest-run' | 'balanced';
  /** The slow run's row; -1 when balanced. */
  row: number;
  /** The row it is measured against; -1 when balanced. */
  fastRow: number;
  /** The component that differs (for `slowest-run`, the one that grew most). */
  component: Component | null;
  /** How much more the slow run has: of `component`, or of its step for `slowest-run`, µs. */
  excessUs: Us;
  /** `excessUs` over the fast run's value; null when that is 0. */
  excessShare: number | null;
  /** For `slowest-run`: how much of the excess `component` accounts for, µs; else equal to `excessUs`. */
  componentUs: Us;
}

/** The runs side by side. */
export interface IRunSetOverview {
  /**
   * `ranks` when every run records a rank, no two the same, and those that
   * record the job's size record the same one; else `runs`.
   */
  kind: 'ranks' | 'runs';
  /** One row per run, in rank order for ranks, else in the order given. */
  rows: IRunSetRow[];
  /** Labels of the runs that recorded no profiler step (their span stands for their step). */
  withoutSteps: string[];
  /** How each component spreads (only those some run has). */
  spreads: IComponentSpread[];
  /** What is slow. */
  verdict: IRunSetVerdict;
  /** Whether the runs used different backends (compare their times with care). */
  mixedBackends: boolean;
  /**
   * For ranks: the job's size when every run records the same `world_size`
   * and it is larger than the number of runs read (some ranks are missing); else null.
   */
  worldSize: number | null;
}

/**
 * Put several analysed runs side by side and say which is slow.
 *
 * @param entries Two or more runs (one gives a table of one, `balanced`).
 */
export function runSetOverview(entries: readonly IRunSetEntry[]): IRunSetOverview {
  const unsorted = entries.map(Private.rowOf);
  const ranks = unsorted.map(r => r.rank);
  const sizes = new Set(entries.map(e => e.summary.worldSize).filter(w => w !== undefined));
  const isRanks =
    unsorted.length > 0 &&
    ranks.every(r => r !== null) &&
    new Set(ranks).size === ranks.length &&
    sizes.size <= 1;
  const rows = isRanks
    ? [...unsorted].sort((a, b) => Number(a.rank) - Number(b.rank) || a.label.localeCompare(b.label))
    : unsorted;
  const spreads = COMPONENTS.map(c => Private.spreadOf(rows, c)).filter(s => s.max > 0);
  const everyRecordsSize = entries.every(e => e.summary.worldSize !== undefined);
  const size = everyRecordsSize && sizes.size === 1 ? Number([...sizes][0]) : NaN;
  return {
    kind: isRanks ? 'ranks' : 'runs',
    rows,
    withoutSteps: rows.filter(r => r.steps === 0).map(r => r.label),
    spreads,
    verdict: isRanks ? Private.rankVerdict(rows, spreads) : Private.runVerdict(rows, spreads),
    mixedBackends: new Set(rows.map(r => r.backend)).size > 1,
    worldSize: isRanks && Number.isInteger(size) && size > rows.length ? size : null
  };
}

namespace Private {
  /** The verdict when no component is unbalanced. */
  const BALANCED: IRunSetVerdict = {
    kind: 'balanced',
    row: -1,
    fastRow: -1,
    component: null,
    excessUs: 0,
    excessShare: null,
    componentUs: 0
  };

  /** The components that partition the device's time (timeBreakdown). */
  const DEVICE_PARTITION: Component[] = ['compute', 'comm', 'copy', 'idle'];

  /** Components looked at for ranks once compute is balanced, causes before symptoms. */
  const RANK_SECONDARY: Component[] = ['idle', 'syncWait', 'compile', 'comm', 'copy'];

  /** The table row of one run. */
  export function rowOf(entry: IRunSetEntry, index: number): IRunSetRow {
    const s = entry.summary;
    const b = s.breakdown;
    const problems = s.findings.filter(f => f.severity !== 'ok');
    // Per step, so that runs that recorded different numbers of steps compare.
    const steps = Math.max(1, s.steps.length);
    const causes = b?.idleCauses;
    // Idle inside the steps: what the device did not do while the code ran.
    const idleUs =
      causes && causes.windowSource === 'steps'
        ? causes.dispatchUs + causes.syncUs + causes.kernelGapUs + causes.otherUs
        : (b?.idleUs ?? Math.max(0, s.spanUs - s.deviceBusyUs));
    return {
      entry: index,
      label: entry.label,
      rank: s.rank ?? null,
      backend: s.backend,
      device: s.device,
      steps: s.steps.length,
      times: {
        step: medianStep(s),
        compute: (b?.computeUs ?? 0) / steps,
        comm: (b?.commUs ?? 0) / steps,
        copy: (b?.copyUs ?? 0) / steps,
        idle: s.hasDevice ? idleUs / steps : 0,
        syncWait: (b?.syncWaitUs ?? 0) / steps,
        compile: (b?.compileUs ?? 0) / steps
      },
      hasDevice: s.hasDevice,
      problems: problems.length,
      topProblem: problems[0] ?? null
    };
  }

  /** The median step duration, or the span when no step was recorded. */
  function medianStep(s: IProfileSummary): Us {
    const durs = s.steps.map(st => st.dur).sort((a, b) => a - b);
    if (durs.length === 0) {
      return s.spanUs;
    }
    const mid = durs.length >> 1;
    return durs.length % 2 === 1 ? durs[mid] : (durs[mid - 1] + durs[mid]) / 2;
  }

  /** How `component` spreads across `rows`. */
  export function spreadOf(rows: IRunSetRow[], component: Component): IComponentSpread {
    let minRow = 0;
    let maxRow = 0;
    let sum = 0;
    rows.forEach((row, i) => {
      const v = row.times[component];
      sum += v;
      if (v < rows[minRow].times[component]) {
        minRow = i;
      }
      if (v > rows[maxRow].times[component]) {
        maxRow = i;
      }
    });
    const min = rows.length > 0 ? rows[minRow].times[component] : 0;
    const max = rows.length > 0 ? rows[maxRow].times[component] : 0;
    const mean = rows.length > 0 ? sum / rows.length : 0;
    return { component, min, minRow, max, maxRow, mean, spread: mean > 0 ? (max - min) / mean : 0 };
  }

  /** Whether a spread is large: above the threshold of its mean, and by at least `minUs`. */
  function unbalanced(s: IComponentSpread | undefined, minUs: Us): s is IComponentSpread {
    return s !== undefined && s.spread > SPREAD_THRESHOLD && s.max - s.min >= minUs;
  }

  /** The verdict of how `s` spreads: its largest run against its smallest. */
  function verdictOf(kind: IRunSetVerdict['kind'], s: IComponentSpread): IRunSetVerdict {
    const excess = s.max - s.min;
    return {
      kind,
      row: s.maxRow,
      fastRow: s.minRow,
      component: s.component,
      excessUs: excess,
      excessShare: s.min > 0 ? excess / s.min : null,
      componentUs: excess
    };
  }

  /** Ranks of one job: compute first (the cause), then the others by the time they differ. */
  export function rankVerdict(rows: IRunSetRow[], spreads: IComponentSpread[]): IRunSetVerdict {
    if (rows.length < 2) {
      return BALANCED;
    }
    const by = (c: Component) => spreads.find(s => s.component === c);
    const meanStep = by('step')?.mean ?? 0;
    const compute = by('compute');
    if (unbalanced(compute, MIN_SHARE_OF_STEP * meanStep)) {
      return verdictOf('slow-rank', compute);
    }
    // Fast ranks wait in communication for as long as the slowest computes
    // longer: a compute spread under the threshold shows there as a larger
    // spread of a smaller mean. Measured against the step, that echo stays
    // under the threshold; a difference of its own does not.
    const others = RANK_SECONDARY.map(by)
      .filter((s): s is IComponentSpread => unbalanced(s, SPREAD_THRESHOLD * meanStep))
      .sort((a, b) => b.max - b.min - (a.max - a.min));
    return others.length > 0 ? verdictOf('unbalanced', others[0]) : BALANCED;
  }

  /** Separate runs: the longest step against the shortest, and the component that grew most. */
  export function runVerdict(rows: IRunSetRow[], spreads: IComponentSpread[]): IRunSetVerdict {
    const step = spreads.find(s => s.component === 'step');
    if (rows.length < 2 || !unbalanced(step, 0)) {
      return BALANCED;
    }
    const slow = rows[step.maxRow].times;
    const fast = rows[step.minRow].times;
    // Only the parts of the device's time: they add up to about a step, so
    // their changes add up to about its change; host waits overlap them. A run
    // without a device has no such parts to compare.
    const bothDevices = rows[step.maxRow].hasDevice && rows[step.minRow].hasDevice;
    let grew: Component | null = null;
    for (const c of bothDevices ? DEVICE_PARTITION : []) {
      if (slow[c] - fast[c] > 0 && (grew === null || slow[c] - fast[c] > slow[grew] - fast[grew])) {
        grew = c;
      }
    }
    return {
      ...verdictOf('slowest-run', step),
      component: grew,
      componentUs: grew === null ? 0 : slow[grew] - fast[grew]
    };
  }
}
