/**
 * The persisted summary of one profile: everything the view needs, nothing
 * that grows with the trace. It is saved in the notebook output, so the view
 * comes back when the notebook is reopened without the trace file.
 *
 * Pure module.
 */
import type { Backend, LaneKind, Us, WorkKind } from '../trace/model';
import type { IFinding } from './finding';
import type { ITimeBreakdown } from './timeBreakdown';
import type { IStepActivity } from './stepActivity';

/** Version of the summary shape; bump with the MIME type's `v1` when it changes incompatibly. */
export const SUMMARY_VERSION = 1;

/** One lane as shown in the timeline. */
export interface ISummaryLane {
  /** What the lane shows. */
  kind: LaneKind;
  /** Label users know. Untrusted text from the trace. */
  label: string;
  /** Number of slices on the lane. */
  events: number;
  /** Time covered by top-level slices, µs. */
  busyUs: Us;
  /** Number of counter samples on the lane; absent when it has none. */
  samples?: number;
}

/**
 * One counter series of the trace (`ITraceCounters`), summarised. A value
 * holds until the next sample.
 */
export interface ICounterSummary {
  /** Label of its lane ("AI Core Freq", "HBM"). Untrusted text. */
  lane: string;
  /** Counter name ("HBM 0/Read"). Untrusted text. */
  name: string;
  /** The `args` key of its values: the unit on Ascend ("MHz", "Read(MB/s)", "KB"). Untrusted text. */
  key: string;
  /** Number of samples. */
  samples: number;
  /** Lowest sample. */
  min: number;
  /** Highest sample. */
  max: number;
  /** Mean over the trace span, weighted by how long each value held (the samples' mean when none held inside it). */
  mean: number;
  /**
   * The mean held value in each of a few dozen equal parts of the span, for a
   * sparkline; null in parts before the first sample. Absent in summaries
   * saved before it existed.
   */
  shape?: (number | null)[];
}

/**
 * One timeline mark: a real slice, or several neighbouring slices of a lane
 * merged when they would be narrower than a pixel at the full view.
 */
export interface ITimelineMark {
  /** Index into {@link IProfileSummary.lanes}. */
  lane: number;
  /** Start, µs from origin. */
  start: Us;
  /** End, µs from origin. */
  end: Us;
  /** Name of the longest slice in the mark. Untrusted text. */
  name: string;
  /** Kind of work of that slice. */
  work: WorkKind;
  /** Number of slices merged into this mark. */
  count: number;
  /** Time covered by those slices, µs (≤ end - start). */
  busyUs: Us;
  /**
   * The framework operator that launched that slice (device work traced back
   * to its ATen operator); absent when none is known. Untrusted text.
   */
  launchedBy?: string;
}

/** Total time per operator name on one side. */
export interface IOpTotal {
  /** Operator or kernel name. Untrusted text. */
  name: string;
  /** Number of calls. */
  count: number;
  /** Total duration, µs. */
  totalUs: Us;
}

/** The summary of one profile. */
export interface IProfileSummary {
  /** {@link SUMMARY_VERSION}. */
  version: number;
  /** Producer kind. */
  backend: Backend;
  /** Device name, or '' when unknown. */
  device: string;
  /** Trace span, µs. */
  spanUs: Us;
  /**
   * Rank of the run in a distributed job and the job's number of ranks, as
   * recorded (`ITraceMeta.rank`, `worldSize`); absent for a run outside one.
   */
  rank?: string;
  /** See {@link IProfileSummary.rank}. */
  worldSize?: string;
  /** Number of complete slices read. */
  events: number;
  /** Union of device-lane busy time, µs (0 without device lanes). */
  deviceBusyUs: Us;
  /** Whether the trace has a device timeline at all. */
  hasDevice: boolean;
  /** Lanes in display order. */
  lanes: ISummaryLane[];
  /** Level-of-detail marks of the whole trace, capped in count. */
  marks: ITimelineMark[];
  /** Profiler steps. */
  steps: { name: string; start: Us; dur: Us }[];
  /** The checklist, ordered: findings by saving, then passed checks. */
  findings: IFinding[];
  /**
   * Where the time went (device partition of the span, host waits and
   * compiles). Absent in summaries saved before it existed.
   */
  breakdown?: ITimeBreakdown;
  /**
   * What the device did in each of the first steps, on a time axis from the
   * step's start. Absent in summaries saved before it existed.
   */
  stepActivity?: IStepActivity[];
  /**
   * Top operators by host time and kernels by device time; `byOperator`: the
   * device time of the work each framework operator launched (`count` is its
   * device slices), absent in summaries saved before it existed.
   */
  topOps: { host: IOpTotal[]; device: IOpTotal[]; byOperator?: IOpTotal[] };
  /**
   * The counter series (hardware counters on Ascend), in lane order; absent
   * when the trace has none, and in summaries saved before they were read.
   */
  counters?: ICounterSummary[];
  /** Reader warnings (neutral facts). */
  warnings: string[];
}
