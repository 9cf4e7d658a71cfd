/**
 * The trace model: what every reader produces and every analysis consumes.
 *
 * Columnar and compact, so a trace of millions of events fits in memory:
 * complete slices live in parallel typed arrays, strings are interned once,
 * and lanes (host threads, dispatch threads, device streams, ...) carry a kind
 * and the label users know from MindStudio Insight, Perfetto or TensorBoard.
 *
 * Pure module: no DOM, no `@jupyterlab/*`, no `@lumino/*`, no Node built-ins.
 */

/** Microseconds, relative to the first event of the trace unless said otherwise. */
export type Us = number;

/** Index into {@link ITraceModel.names}. */
export type NameId = number;

/** Index into {@link ITraceModel.lanes}. */
export type LaneIndex = number;

/** Index into the slice columns of {@link ITraceSlices}. */
export type SliceIndex = number;

/** Which kind of producer wrote the trace. */
export type Backend = 'ascend' | 'cuda' | 'rocm' | 'cpu';

/**
 * What a lane shows.
 *
 * - `host`: a host thread running framework code (torch ops, Python).
 * - `dispatch`: host-side runtime calls that reach the device (Ascend CANN
 *   `AscendCL@...`/`Node@launch`, the task-queue consumer thread).
 * - `device`: a device stream (Ascend Hardware stream, GPU stream).
 * - `communication`: collective communication (HCCL, NCCL planes).
 * - `counter`: sampled values (AI Core Freq, HBM, ...).
 * - `other`: analysis lanes of the producer (Overlap Analysis) and anything unknown.
 */
export type LaneKind =
  | 'host'
  | 'dispatch'
  | 'device'
  | 'communication'
  | 'counter'
  | 'other';

/**
 * What kind of work one slice is, used to colour the timeline and to pick
 * slices in rules without string matching twice.
 */
export type WorkKind =
  | 'op' // framework operator (aten::*, cpu_op, user annotation)
  | 'python' // python_function frames
  | 'runtime' // runtime / CANN API call that is not a sync or a copy
  | 'launch' // kernel launch call (cudaLaunchKernel, Node@launch)
  | 'sync' // a call that blocks the host on the device
  | 'copy' // memcpy/memset on host or device
  | 'kernel' // device compute
  | 'comm' // collective communication
  | 'queue' // task-queue Enqueue / Dequeue
  | 'compile' // online operator / graph compilation
  | 'step' // ProfilerStep#N
  | 'other';

/** One lane of the timeline. */
export interface ILane {
  /** What the lane shows. */
  kind: LaneKind;
  /** Label users know: "Python Thread 3016828", "CANN Thread 3099702", "Ascend Hardware Stream 2", "GPU 0 stream 7". */
  label: string;
  /** Producer's process id, as written (number or string). */
  pid: string;
  /** Producer's thread id, as written (number or string). */
  tid: string;
  /** Producer's process name, or '' when the trace has none. */
  processName: string;
  /** Sort key: lanes are listed host, dispatch, device, communication, counter, other, then by this. */
  order: number;
}

/**
 * Complete slices (`ph: X`, and `B`/`E` pairs), sorted by lane then start.
 * All columns have `count` entries.
 */
export interface ITraceSlices {
  /** Number of slices. */
  count: number;
  /** Start, µs from the trace origin, computed exactly from the source text. */
  start: Float64Array;
  /** Duration, µs. */
  dur: Float64Array;
  /** Interned name. */
  name: Int32Array;
  /** Lane the slice is on. */
  lane: Int32Array;
  /** Kind of work. Values index {@link WORK_KINDS}. */
  work: Uint8Array;
  /**
   * Nesting depth on its lane (0 = top level). Overlapping slices that do not
   * nest are stacked on the next free depth.
   */
  depth: Uint16Array;
  /**
   * Correlation key that joins a host call with device work, or -1:
   * Kineto `args.correlation`, Ascend `args.connection_id`; on Ascend's
   * `Enqueue` and `Dequeue@<op>` slices, the `args.correlation_id` that
   * pairs them (another numbering: see {@link ITraceLinks.queue}).
   */
  correlation: Float64Array;
}

/** All work kinds, in the order used by {@link ITraceSlices.work}. */
export const WORK_KINDS: readonly WorkKind[] = [
  'op',
  'python',
  'runtime',
  'launch',
  'sync',
  'copy',
  'kernel',
  'comm',
  'queue',
  'compile',
  'step',
  'other'
];

/** Pairs of slices: `from[k]` is linked to `to[k]`. */
export interface ISliceLinks {
  /** Number of links. */
  count: number;
  /** The slice the link starts at. */
  from: Int32Array;
  /** The slice it leads to. */
  to: Int32Array;
}

/**
 * A host call linked to the device work it launched (or waited on), and the
 * chain back to the framework operator the user called.
 *
 *   Python thread  |aten::add ⊃ Enqueue|            queue: Enqueue → Dequeue@add
 *   consumer thread        |Dequeue@add ⊃ AscendCL@aclnnAdd|   (time containment, same tid)
 *   device                                |==aclnnAdd kernel==|  (connection_id)
 *
 * `from`/`to` are the last hop: runtime call, CANN API or launch → device
 * slice (kernel, memcpy, ...), or a framework operator → device slice where a
 * `torch_to_npu` flow goes straight from one to the other.
 */
export interface ITraceLinks extends ISliceLinks {
  /**
   * Task-queue hand-offs (Ascend with TASK_QUEUE_ENABLE ≥ 1): the `Enqueue`
   * slice on the thread that called the operator → the `Dequeue@<op>` slice on
   * the queue's consumer thread that ran it, paired by `args.correlation_id`.
   */
  queue: ISliceLinks;
  /**
   * For each slice, the framework operator (a host slice of work `op`, such
   * as `aten::add`: the innermost one) on whose behalf it ran, or -1 where
   * unknown. Set on the calls of `from` and on the device work they launched:
   * a call inside an operator on its thread (time containment) ran for it;
   * a call inside a `Dequeue@<op>` ran for the operator around its `Enqueue`.
   */
  op: Int32Array;
}

/**
 * One counter series: the values of one `args` key of the `ph: "C"` events
 * of one name on one lane, such as "AI Core Freq" in `MHz` or "HBM 0/Read"
 * in `Read(MB/s)` (Ascend puts the unit in the key).
 */
export interface ICounterSeries {
  /** The lane of the process (and thread) that wrote the samples. */
  lane: LaneIndex;
  /** The events' `name`, followed by their `id` when they have one. Untrusted text. */
  name: string;
  /** The `args` key holding the values: a unit on Ascend ("MHz", "KB"), else often "value". Untrusted text. */
  key: string;
  /** Index of the series' first sample in the columns of {@link ITraceCounters}. */
  first: number;
  /** Number of samples. */
  count: number;
}

/**
 * Sampled values (`ph: "C"` events: Ascend's AI Core frequency, HBM and LLC
 * bandwidth, NPU memory, QoS...). Each numeric `args` value of an event is
 * one sample of its series; other values are not samples. PyTorch's
 * `[memory]` instants add the memory allocated and reserved per device. The
 * columns hold the samples of each series together, in time order.
 */
export interface ITraceCounters {
  /** The series, by lane order, then name, then key. */
  series: ICounterSeries[];
  /**
   * Time of each sample, µs from the trace origin, computed exactly like
   * slice starts. The origin is the first slice or instant, so a sample taken
   * before it is negative (and one after the last slice is past `spanUs`).
   */
  time: Float64Array;
  /** Value of each sample, as written. */
  value: Float64Array;
}

/** A profiler step window (`ProfilerStep#N`). */
export interface IStep {
  /** Step name as written, e.g. "ProfilerStep#0". */
  name: string;
  /** Start, µs from origin. */
  start: Us;
  /** Duration, µs. */
  dur: Us;
}

/** Facts about the capture that rules and the header need. */
export interface ITraceMeta {
  /** Device name when the trace records one ("NVIDIA A100-...", "Ascend"). */
  device: string;
  /** Versions recorded in or beside the trace: torch, torch_npu, cann, cuda_runtime, ... */
  versions: Record<string, string>;
  /** Environment variables recorded beside the trace (Ascend profiler_metadata.json ENV_VARIABLES). */
  env: Record<string, string>;
  /** Absolute time of the trace origin in µs since the epoch, as a decimal string (exact). */
  originUs: string;
  /**
   * Rank of the process in a distributed job, decimal text: Kineto's
   * `distributedInfo.rank`, or for Ascend `rank_id` of profiler_info (set by
   * `applySiblings`); absent when the run records none.
   */
  rank?: string;
  /** Number of ranks of that job, decimal text (`world_size`); absent when not recorded. */
  worldSize?: string;
  /**
   * Runtime switches as the profiling cell recorded them for this run (torch_npu
   * `jit_compile`, `allow_internal_format`); absent when the capture recorded none.
   */
  switches?: Record<string, boolean>;
  /**
   * Facts from the files torch_npu writes beside `trace_view.json` in a
   * `*_ascend_pt` folder (filled by `applySiblings` in `siblings/`); absent
   * when none were read. Each part is absent when its file was not read.
   */
  ascend?: IAscendSiblings;
}

/**
 * Profiler settings recorded in `profiler_info[_{rank}].json`, normalised
 * across torch_npu versions.
 */
export interface IAscendProfilerConfig {
  /** `_profiler_level`: "Level0", "Level1", "Level2", "Level_none". */
  level?: string;
  /** `activities` as written: "ProfilerActivity.CPU", "ProfilerActivity.NPU". */
  activities: string[];
  /** `record_shapes`. */
  recordShapes?: boolean;
  /** `with_stack` (Python call stacks). */
  withStack?: boolean;
  /** `profile_memory` (memory_record.csv and operator_memory.csv exist only then). */
  profileMemory?: boolean;
  /** `_aic_metrics`, e.g. "ACL_AICORE_PIPE_UTILIZATION". */
  aicMetrics?: string;
  /** `rank_id` as text (written as a number by older torch_npu, as a string by newer). */
  rankId?: string;
  /** `_export_type` as a list (a single string in older torch_npu): "text", "db". */
  exportType: string[];
  /** `torch_npu_version` (newer torch_npu only). */
  torchNpuVersion?: string;
  /** `cann_version` (newer torch_npu only). */
  cannVersion?: string;
}

/** Per-step time split of `step_trace_time.csv`, µs. */
export interface IAscendStepTime {
  /** Step id as written ("50"). */
  step: string;
  /** `Device_id` when the file has that column (newer torch_npu). */
  deviceId?: string;
  /** Device computing time. */
  computing: Us;
  /** Communication not hidden behind computing. */
  communicationNotOverlapped: Us;
  /** Communication hidden behind computing. */
  overlapped: Us;
  /** All communication. */
  communication: Us;
  /** Device idle time. */
  free: Us;
  /** From the step start to the first device task (host preparation). */
  preparing: Us;
}

/** Count and total duration of a group of device tasks. */
export interface IAscendTaskTotal {
  /** Number of tasks. */
  count: number;
  /** Summed `Duration(us)`. */
  totalUs: Us;
}

/** Aggregate of `kernel_details.csv` (the file itself has one row per device task and can be large). */
export interface IAscendKernelSummary {
  /** Number of task rows. */
  tasks: number;
  /** Summed `Duration(us)` of all tasks. */
  totalUs: Us;
  /** Summed `Wait Time(us)`: idle gaps before tasks on their streams. */
  waitUs: Us;
  /** Per `Accelerator Core` ("AI_CORE", "AI_VECTOR_CORE", "AI_CPU", "HCCL", "N/A" in Level0), longest first. */
  byCore: (IAscendTaskTotal & { core: string })[];
  /** Per op `Type` ("TransData", "Conv2D", "N/A" in Level0), longest first. */
  byType: (IAscendTaskTotal & { type: string })[];
  /** Tasks on the AI CPU (slow fallback operators). */
  aiCpu: IAscendTaskTotal;
  /** TransData tasks (format conversions, often avoidable with `allow_internal_format=False`). */
  transData: IAscendTaskTotal;
  /** `OP State` counts; absent when the file has no such column (Level0). */
  opState?: { dynamic: number; static: number };
  /** Whether the file has Level0's reduced columns (no OP State; Type and most cores are N/A). */
  reduced: boolean;
}

/** One CANN API of `api_statistic.csv`. */
export interface IAscendApiStat {
  /** `API Name`, e.g. "aclopCompileAndExecute". */
  name: string;
  /** `Level`: "acl", "runtime", "hccl", "communication", "node", ... */
  level: string;
  /** Number of calls. */
  count: number;
  /** Summed call time, µs. */
  totalUs: Us;
}

/** Memory facts of `memory_record.csv`. */
export interface IAscendMemory {
  /** Components recorded ("PTA", "GE", "PTA+GE", "APP", "WORKSPACE"). */
  components: string[];
  /** Highest `Total Allocated(MB)` of any row, or undefined when no row has one. */
  peakAllocatedMb?: number;
  /** Highest `Total Reserved(MB)` of any row, or undefined when no row has one. */
  peakReservedMb?: number;
}

/** What the Ascend sibling files of one trace say (see {@link ITraceMeta.ascend}). */
export interface IAscendSiblings {
  /** Relative names of the sibling files that were read and understood. */
  files: string[];
  /** Settings of the profiler run (profiler_info*.json). */
  profilerConfig?: IAscendProfilerConfig;
  /**
   * Whether memory_record.csv has a `WORKSPACE` component, which torch_npu
   * writes only with TASK_QUEUE_ENABLE=2; absent when memory_record.csv was not read.
   */
  taskQueueWorkspace?: boolean;
  /** Memory peaks and components (memory_record.csv). */
  memory?: IAscendMemory;
  /** Per-step time split (step_trace_time.csv), in file order. */
  stepTrace?: IAscendStepTime[];
  /** Device task aggregate (kernel_details.csv). */
  kernelSummary?: IAscendKernelSummary;
  /** CANN API statistics (api_statistic.csv, Level1 and Level2), longest total first. */
  apiStatistic?: IAscendApiStat[];
  /** `distributed_args` of profiler_metadata.json (rank, world_size, parallel sizes) in distributed jobs. */
  distributed?: Record<string, string | number | boolean>;
}

/** The whole model of one trace. */
export interface ITraceModel {
  /** Producer kind. */
  backend: Backend;
  /** Interned strings (slice names). */
  names: string[];
  /** Lanes, sorted as they should be shown. */
  lanes: ILane[];
  /** Complete slices. */
  slices: ITraceSlices;
  /** Host → device links. */
  links: ITraceLinks;
  /** Sampled values (counters). */
  counters: ITraceCounters;
  /** Profiler steps, in time order. */
  steps: IStep[];
  /** Time from the first event's start to the last event's end, µs. */
  spanUs: Us;
  /** Capture facts. */
  meta: ITraceMeta;
  /**
   * Things the reader had to repair or skip, as neutral facts
   * ("input ended inside the event array; 12 events were kept before the cut").
   */
  warnings: string[];
}
