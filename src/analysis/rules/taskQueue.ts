/**
 * taskQueue: which task-queue level the profiled cell actually ran with.
 *
 * Measures: on an Ascend trace with framework data, whether the task queue
 * ran (`Enqueue` slices on the Python thread, `Dequeue@<op>` on the consumer
 * thread: level ≥ 1) or not (none: level 0, every operator dispatched inline
 * on the Python thread); level 2 when the capture recorded
 * TASK_QUEUE_ENABLE=2 and the queue ran. Plus the CANN dispatch time still
 * spent on the Python threads, which a higher level moves to the consumer
 * thread.
 * Why: since torch_npu 6.0.RC3, `import torch_npu` in Jupyter sets
 * TASK_QUEUE_ENABLE=0, whatever was exported before JupyterLab started, so a
 * notebook dispatches worse than the same script (docs/tuning-rules.md key
 * finding 1, §4.1, §6 #2). No other tool checks this.
 *
 *   level 0   python | op |dispatch| op |dispatch| op |dispatch|
 *             npu          |k|              |k|              |k|
 *   level ≥ 1 python | op |enq| op |enq| op |enq|
 *             queue       |dispatch|dispatch|dispatch|
 *             npu             |k|      |k|      |k|
 *
 * Level 2 cannot be told from level 1 in trace_view.json alone: the official
 * evidence is a WORKSPACE component in memory_record.csv (only written with
 * profile_memory=True); without that file the recorded environment is used.
 *
 * Pure module.
 */
import type { ITraceModel } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import { ENQUEUE_PREFIX } from '../../trace/workKind';
import type { IFinding, IHighlight, Severity } from '../finding';
import { deviceBusy } from '../deviceBusy';
import { hasCannApi, hasFrameworkOps } from '../ascendTrace';
import { isTorchNpuAtLeast6RC3 } from '../torchNpuVersion';

/**
 * Share of the run that the dispatch time on the Python threads (capped by
 * device idle time) must reach for a `high` finding. Source: msprof-analyze
 * priority (≥ 5 % of step time is high, docs/tuning-rules.md §2.1).
 */
export const HIGH_DISPATCH_SHARE = 0.05;

/**
 * …and for a `medium` finding. Source: msprof-analyze priority (≥ 3 % of
 * step time is medium, docs/tuning-rules.md §2.1).
 */
export const MEDIUM_DISPATCH_SHARE = 0.03;

/** Most highlights returned (longest dispatch calls first). */
export const MAX_HIGHLIGHTS = 50;

/** The torch_npu release that reads TASK_QUEUE_ENABLE as a level (docs/tuning-rules.md §4.1). */
export const LEVEL_2_SINCE = '6.0.RC3';

const QUEUE = WORK_KINDS.indexOf('queue');
const RUNTIME = WORK_KINDS.indexOf('runtime');
const LAUNCH = WORK_KINDS.indexOf('launch');

/** CANN dispatch calls on the Python threads. */
interface IDispatch {
  /** Total time, µs. */
  us: number;
  /** Number of calls. */
  calls: number;
  /** The longest calls, as highlights. */
  highlights: IHighlight[];
}

/**
 * Top-level CANN API calls that dispatch work (`runtime` and `launch` kinds)
 * on CANN lanes of Python threads: the lanes whose tid is that of a host
 * lane, not of the task-queue consumer. Blocking syncs, copies and compiles
 * are left out: a sync waits for the device and a copy for its data
 * whichever thread issues them, and compiles have their own rule.
 */
function pythonThreadDispatch(model: ITraceModel): IDispatch {
  const { slices, lanes, names } = model;
  const hostTids = new Set(
    lanes.filter(l => l.kind === 'host').map(l => l.tid)
  );
  const isPythonCann = lanes.map(
    l =>
      l.kind === 'dispatch' && l.processName !== 'Python' && hostTids.has(l.tid)
  );
  let us = 0;
  let calls = 0;
  const all: number[] = [];
  for (let i = 0; i < slices.count; i++) {
    const work = slices.work[i];
    if (
      !isPythonCann[slices.lane[i]] ||
      slices.depth[i] !== 0 ||
      (work !== RUNTIME && work !== LAUNCH)
    ) {
      continue;
    }
    us += slices.dur[i];
    calls++;
    all.push(i);
  }
  const highlights = all
    .sort((a, b) => slices.dur[b] - slices.dur[a])
    .slice(0, MAX_HIGHLIGHTS)
    .map(i => ({
      start: slices.start[i],
      end: slices.start[i] + slices.dur[i],
      lane: lanes[slices.lane[i]].label,
      name: names[slices.name[i]]
    }));
  return { us, calls, highlights };
}

/**
 * The task-queue check.
 *
 * Variants (all but `not-applicable` carry `level`, `envValue` = TASK_QUEUE_ENABLE as recorded or
 * '' when not recorded, `envRecorded` 1/0, `torchNpu` = version or '',
 * `versionOk` = `yes`|`no`|`unknown` for ≥ {@link LEVEL_2_SINCE},
 * `launchBlocking` 1 when ASCEND_LAUNCH_BLOCKING=1 was recorded):
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend`, or `no-host-ops`
 *   (the CPU activity was not profiled, so neither Enqueue nor ops show).
 * - `level-0`: no Enqueue/Dequeue. Facts also `cannData` 1/0 (Level1+
 *   profile, so dispatch time could be measured), `dispatchUs` (CANN
 *   dispatch calls on the Python threads), `dispatchCalls`, `idleUs` (device
 *   idle time in the run), `spanShare` (savingUs / span). Severity by
 *   `spanShare` ({@link HIGH_DISPATCH_SHARE}, {@link MEDIUM_DISPATCH_SHARE});
 *   `medium` when nothing could be measured (level 0 is worth fixing anyway).
 * - `level-1`: queue on, not level 2. Same facts plus
 *   `enqueues`; severity `low` (level 2 rebalances a part of the dispatch).
 * - `level-2` (`ok`): queue on, and memory_record.csv has a WORKSPACE
 *   component or (that file unread) TASK_QUEUE_ENABLE=2 was recorded. Facts
 *   `enqueues`.
 *
 * `levelSource` says what the level rests on: `trace` (Enqueue slices or
 * their absence), `memory-record` (WORKSPACE component present or not), `env`
 * (recorded TASK_QUEUE_ENABLE=2).
 *
 * Remedy `ascend-task-queue-2` (kernel restart) for levels 0 and 1 unless
 * torch_npu is known to be older than {@link LEVEL_2_SINCE} (then none: the
 * fix is an upgrade, or TASK_QUEUE_ENABLE=1 outside Jupyter).
 *
 * `savingUs` (levels 0 and 1): the CANN dispatch time on the Python threads,
 * capped by the device's idle time. A higher level moves that work to the
 * consumer thread, so the Python thread gains at most that time, and the run
 * can shorten at most by the time the device waited. 0 without CANN data.
 */
export function taskQueue(model: ITraceModel): IFinding {
  const base = { id: 'task-queue', highlights: [] as IHighlight[] };
  const envValue = model.meta.env.TASK_QUEUE_ENABLE ?? '';
  const torchNpu = model.meta.versions.torch_npu ?? '';
  const versionOk = isTorchNpuAtLeast6RC3(torchNpu);
  const common = {
    envValue,
    envRecorded: 'TASK_QUEUE_ENABLE' in model.meta.env ? 1 : 0,
    torchNpu,
    versionOk,
    launchBlocking: model.meta.env.ASCEND_LAUNCH_BLOCKING === '1' ? 1 : 0
  };
  if (model.backend !== 'ascend' || !hasFrameworkOps(model)) {
    return {
      ...base,
      variant: 'not-applicable',
      severity: 'ok',
      savingUs: 0,
      facts: {
        reason: model.backend !== 'ascend' ? 'not-ascend' : 'no-host-ops'
      },
      remedies: []
    };
  }

  let enqueues = 0;
  for (let i = 0; i < model.slices.count; i++) {
    if (
      model.slices.work[i] === QUEUE &&
      model.names[model.slices.name[i]].startsWith(ENQUEUE_PREFIX)
    ) {
      enqueues++;
    }
  }
  // Level 2 evidence: a WORKSPACE component in memory_record.csv (written only
  // with level 2, per the official profiler guide) when the reader read that
  // file; else the recorded TASK_QUEUE_ENABLE.
  const workspace = model.meta.ascend?.taskQueueWorkspace;
  let level: number;
  let levelSource: string;
  if (enqueues === 0) {
    level = 0;
    levelSource = 'trace';
  } else if (workspace !== undefined) {
    level = workspace ? 2 : 1;
    levelSource = 'memory-record';
  } else {
    level = envValue.trim() === '2' ? 2 : 1;
    levelSource = level === 2 ? 'env' : 'trace';
  }
  if (level === 2) {
    return {
      ...base,
      variant: 'level-2',
      severity: 'ok',
      savingUs: 0,
      facts: { ...common, level, levelSource, enqueues },
      remedies: []
    };
  }

  const cannData = hasCannApi(model);
  const dispatch = pythonThreadDispatch(model);
  const busy = deviceBusy(model);
  const idleUs = Math.max(0, model.spanUs - busy.union.totalUs);
  const savingUs = cannData ? Math.min(dispatch.us, idleUs) : 0;
  const spanShare = model.spanUs > 0 ? savingUs / model.spanUs : 0;
  let severity: Severity;
  if (level === 1) {
    severity = 'low';
  } else if (!cannData) {
    severity = 'medium';
  } else {
    severity =
      spanShare >= HIGH_DISPATCH_SHARE
        ? 'high'
        : spanShare >= MEDIUM_DISPATCH_SHARE
          ? 'medium'
          : 'low';
  }
  return {
    ...base,
    variant: level === 0 ? 'level-0' : 'level-1',
    severity,
    savingUs,
    facts: {
      ...common,
      level,
      levelSource,
      enqueues,
      cannData: cannData ? 1 : 0,
      dispatchUs: dispatch.us,
      dispatchCalls: dispatch.calls,
      idleUs,
      spanShare
    },
    highlights: dispatch.highlights,
    remedies: versionOk === 'no' ? [] : ['ascend-task-queue-2']
  };
}
