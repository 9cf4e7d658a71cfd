/**
 * compare: the before/after table of two profiles of the same cell, the
 * user's real question ("did my fix work, and by how much?").
 *
 * A profile is kept as a small snapshot (a few hundred bytes) in the
 * profiling cell's metadata, so every run of a cell can be compared with any
 * earlier one, across devices too (a CPU or GPU run against an NPU run).
 *
 * Pure module.
 */
import type { IStepActivity } from './stepActivity';
import type { IProfileSummary } from './summary';

/** Most snapshots kept per profiling cell; older ones are dropped first. */
export const MAX_HISTORY = 20;

/** Operators kept per snapshot for the "top changes" rows. */
export const SNAPSHOT_TOP_OPS = 8;

/** The numbers of one profile that a comparison needs. All times µs. */
export interface IProfileSnapshot {
  /** When the run started (ISO 8601); identifies the run. */
  startedAt: string;
  /** Backend of the run. */
  backend: string;
  /** Device name. */
  device: string;
  /** Wall time of the profiled code. */
  wallUs: number;
  /** Trace span. */
  spanUs: number;
  /** Device busy (union of device work); 0 without a device. */
  deviceBusyUs: number;
  /** Whether the trace has a device timeline (absent in snapshots saved before it existed). */
  hasDevice?: boolean;
  /** Device idle within the span; the whole span without a device. */
  deviceIdleUs: number;
  /** Host blocked waiting for the device. */
  syncWaitUs: number;
  /** Online operator compilation. */
  compileUs: number;
  /** Environment settings the run recorded (only the set ones). */
  env: Record<string, string>;
  /**
   * Runtime switches as they stood for the run (torch_npu `jit_compile`,
   * `allow_internal_format`), "true"/"false"; absent when none were recorded.
   */
  switches?: Record<string, string>;
  /** Ids of the problems the checklist found. */
  problems: string[];
  /** Top operators by host time and device work by time. */
  topOps: { name: string; side: 'host' | 'device'; totalUs: number }[];
  /** What the device did in each step (absent in snapshots saved before it existed). */
  steps?: IStepActivity[];
  /**
   * The profiler options of the run (level, warm-up and recorded runs, ...), as text; absent for
   * traces opened from files and in snapshots saved before it existed.
   */
  profiler?: Record<string, string>;
  /**
   * True when the profiled code stopped early (an exception or an interrupt):
   * its times cover only part of the code.
   */
  partial?: boolean;
}

/** One row of the comparison table. */
export interface IComparisonRow {
  /** Metric id: wall, span, deviceBusy, deviceIdle, syncWait, compile. */
  metric: string;
  /** Value before, µs. */
  before: number;
  /** Value now, µs. */
  after: number;
  /** after - before, µs (negative = faster/less). */
  deltaUs: number;
  /** (after - before) / before, or null when before is 0. */
  deltaShare: number | null;
}

/** A comparison of two snapshots. */
export interface IComparison {
  /** The earlier run. */
  before: IProfileSnapshot;
  /** The later run. */
  after: IProfileSnapshot;
  /** Metric rows. */
  rows: IComparisonRow[];
  /**
   * Operators whose time changed most, largest change first; a side is null when the operator is
   * not among that run's top operators (it took less than they did, or did not run).
   */
  opChanges: { name: string; side: 'host' | 'device'; before: number | null; after: number | null }[];
  /**
   * Settings that differ, environment variables and runtime switches:
   * name → [before, after] ('' = unset or not recorded).
   */
  envChanges: Record<string, [string, string]>;
  /** Whether the runs used different backends (compare with care). */
  crossDevice: boolean;
  /**
   * Profiler options that differ (the runs were not measured the same way):
   * name → [before, after]; empty unless both runs recorded their options.
   */
  profilerChanges: Record<string, [string, string]>;
}

/**
 * The snapshot of a profile.
 *
 * @param summary The analysis of the run.
 * @param run What the profiling cell recorded: start time, wall time (s), env, runtime switches.
 */
export function snapshotOf(
  summary: IProfileSummary,
  run: {
    startedAt: string;
    wallTimeS: number;
    env: Record<string, string | null>;
    switches?: Record<string, boolean>;
    /** What stopped the code early, when something did. */
    cellError?: string | null;
    /** The profiler options the profiling cell used. */
    profiler?: Record<string, unknown>;
  }
): IProfileSnapshot {
  const b = summary.breakdown;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(run.env)) {
    if (value !== null && value !== undefined && value !== '') {
      env[name] = String(value);
    }
  }
  return {
    startedAt: run.startedAt,
    backend: summary.backend,
    device: summary.device,
    wallUs: run.wallTimeS * 1e6,
    spanUs: summary.spanUs,
    deviceBusyUs: summary.deviceBusyUs,
    hasDevice: summary.hasDevice,
    deviceIdleUs: b ? b.idleUs : Math.max(0, summary.spanUs - summary.deviceBusyUs),
    syncWaitUs: b?.syncWaitUs ?? 0,
    compileUs: b?.compileUs ?? 0,
    env,
    problems: summary.findings.filter(f => f.severity !== 'ok').map(f => f.id),
    topOps: [
      ...summary.topOps.host
        .slice(0, SNAPSHOT_TOP_OPS)
        .map(o => ({ name: o.name, side: 'host' as const, totalUs: o.totalUs })),
      ...summary.topOps.device
        .slice(0, SNAPSHOT_TOP_OPS)
        .map(o => ({ name: o.name, side: 'device' as const, totalUs: o.totalUs }))
    ],
    steps: summary.stepActivity,
    partial: run.cellError ? true : undefined,
    profiler: run.profiler ? Private.scalarsAsText(run.profiler) : undefined,
    switches:
      run.switches && Object.keys(run.switches).length > 0
        ? Object.fromEntries(Object.entries(run.switches).map(([k, v]) => [k, String(v)]))
        : undefined
  };
}

/**
 * Add a snapshot to a history: replaces an entry of the same run, keeps time
 * order, and drops the oldest beyond {@link MAX_HISTORY}.
 */
export function addToHistory(
  history: readonly IProfileSnapshot[],
  snapshot: IProfileSnapshot
): IProfileSnapshot[] {
  const next = history.filter(h => h.startedAt !== snapshot.startedAt);
  next.push(snapshot);
  next.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return next.slice(-MAX_HISTORY);
}

/** Whether a snapshot's run had a device timeline (older snapshots: whether the device was busy). */
function hasDeviceTimeline(snapshot: IProfileSnapshot): boolean {
  return snapshot.hasDevice ?? snapshot.deviceBusyUs > 0;
}

/**
 * Compare an earlier run with a later one. Rows: wall (unless neither run recorded it) and span;
 * device busy, device idle and host waits when either run had a device; online compile when
 * either run compiled.
 */
export function compareSnapshots(
  before: IProfileSnapshot,
  after: IProfileSnapshot
): IComparison {
  const device = hasDeviceTimeline(before) || hasDeviceTimeline(after);
  const metrics: (keyof IProfileSnapshot)[] = [
    'wallUs',
    'spanUs',
    // Without a device on either side these would only say "0 → 0" and "idle = span".
    ...(device ? (['deviceBusyUs', 'deviceIdleUs', 'syncWaitUs'] as const) : []),
    // Online compilation exists on Ascend only.
    ...(before.compileUs > 0 || after.compileUs > 0 ? (['compileUs'] as const) : [])
  ];
  const rows = metrics
    .map(key => {
      const b = before[key] as number;
      const a = after[key] as number;
      return {
        metric: key.replace(/Us$/, ''),
        before: b,
        after: a,
        deltaUs: a - b,
        deltaShare: b > 0 ? (a - b) / b : null
      };
    })
    // Two traces opened from files: neither recorded the wall time of the code.
    .filter(r => Number.isFinite(r.before) || Number.isFinite(r.after));
  const ops = new Map<string, IComparison['opChanges'][number]>();
  for (const [which, snap] of [
    ['before', before],
    ['after', after]
  ] as const) {
    for (const op of snap.topOps) {
      const key = `${op.side}\u0000${op.name}`;
      const entry = ops.get(key) ?? { name: op.name, side: op.side, before: null, after: null };
      entry[which] = op.totalUs;
      ops.set(key, entry);
    }
  }
  // Unknown sides count as 0 for the order: the change is at least that large.
  const change = (o: IComparison['opChanges'][number]) => Math.abs((o.after ?? 0) - (o.before ?? 0));
  const opChanges = [...ops.values()]
    .filter(o => o.before !== o.after)
    .sort((x, y) => change(y) - change(x))
    .slice(0, 5);
  // Switches only when both runs recorded them: CPU and CUDA runs, and older snapshots, have none.
  const bothSwitches = before.switches !== undefined && after.switches !== undefined;
  const envChanges = Private.differences(
    { ...before.env, ...(bothSwitches ? before.switches : {}) },
    { ...after.env, ...(bothSwitches ? after.switches : {}) }
  );
  return {
    before,
    after,
    rows,
    opChanges,
    envChanges,
    crossDevice: before.backend !== after.backend,
    profilerChanges:
      before.profiler && after.profiler ? Private.differences(before.profiler, after.profiler) : {}
  };
}

namespace Private {
  /** The string, number and boolean entries of `values`, as text. */
  export function scalarsAsText(values: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      if (['string', 'number', 'boolean'].includes(typeof value)) {
        out[name] = String(value);
      }
    }
    return out;
  }

  /** Entries that differ between `a` and `b`: name → [a's, b's] ('' when absent). */
  export function differences(
    a: Record<string, string>,
    b: Record<string, string>
  ): Record<string, [string, string]> {
    const out: Record<string, [string, string]> = {};
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if ((a[name] ?? '') !== (b[name] ?? '')) {
        out[name] = [a[name] ?? '', b[name] ?? ''];
      }
    }
    return out;
  }
}
