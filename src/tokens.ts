/**
 * Ids, the MIME type, and the interfaces shared by the plugin, the renderer
 * and the kernel seam. Light on purpose: the worker and the CLI may import
 * types from here, so only type imports and plain constants live here.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import type { ISignal } from '@lumino/signaling';
import type { Backend } from './trace/model';
import type { IProfileSummary } from './analysis/summary';
import type { IProfileSnapshot } from './analysis/compare';

/**
 * The MIME type of our output bundle. `v1` tracks the shape of
 * {@link IProfileBundle}; bump it only when that shape changes incompatibly.
 */
export const MIME_TYPE = 'application/vnd.ascend-profiler.v1+json';

/** Id of the main plugin; also the id of its settings (schema/plugin.json). */
export const PLUGIN_ID = 'jupyterlab-ascend-profiler:plugin';

/** Translation domain of every user-visible string. */
export const TRANSLATION_DOMAIN = 'jupyterlab_ascend_profiler';

/** Command ids. */
export namespace CommandIDs {
  /** Insert a profiling cell below the active code cell and run it. */
  export const profileCell = 'ascend-profiler:profile-cell';
  /** Ask for the profiling options of one run, then profile the active cell. */
  export const profileCellWithOptions = 'ascend-profiler:profile-cell-with-options';
}

/** Settings of the profiling template (schema/plugin.json). */
export interface IProfilerSettings {
  /** Folder, relative to the notebook, under which each run gets its own folder. */
  outputDir: string;
  /** torch_npu profiler level. */
  profilerLevel: 'Level0' | 'Level1' | 'Level2';
  /** Record input shapes of operators. */
  recordShapes: boolean;
  /** Record Python call stacks (slower capture). */
  withStack: boolean;
  /** Record memory allocations, for the memory in use per device over the run (slower capture). */
  profileMemory: boolean;
  /**
   * Runs of the cell's code before the recorded ones, not recorded, so first-run compilation
   * (operator compile, torch.compile, caches) stays out of the trace. 0 = profile the first run.
   */
  warmupRuns: number;
  /** Recorded runs of the cell's code, one profiler step (`ProfilerStep#N`) each; at least 1. */
  recordedRuns: number;
  /** How many run folders to keep under {@link IProfilerSettings.outputDir}; 0 = keep all. */
  keepProfiles: number;
}

/** Defaults of {@link IProfilerSettings}. */
export const DEFAULT_SETTINGS: IProfilerSettings = {
  outputDir: 'ascend_profiler_runs',
  profilerLevel: 'Level1',
  recordShapes: true,
  withStack: false,
  profileMemory: false,
  warmupRuns: 0,
  recordedRuns: 1,
  keepProfiles: 10
};

/**
 * The bundle the profiling cell displays (written by the Python template),
 * plus what the renderer adds once the trace is analysed.
 */
export interface IProfileBundle {
  /** Shape version, 1. */
  version: number;
  /** Whether the profiler wrote a trace. */
  status: 'ok' | 'error';
  /** Why there is no trace, when `status` is `error`. */
  error: string | null;
  /** Backend the template picked at run time. */
  backend: Backend;
  /** Trace file, relative to the kernel's working folder (the notebook's folder), posix separators. */
  trace_path: string | null;
  /** Run folder, relative to the kernel's working folder. */
  run_dir: string;
  /** Size of the trace file in bytes. */
  trace_bytes: number | null;
  /**
   * Files beside an Ascend trace that the checklist reads (profiler_info, profiler_metadata,
   * memory_record.csv, ...), relative like `trace_path`. Absent in older bundles.
   */
  siblings?: string[];
  /**
   * `trace_path` as an absolute path as the kernel sees it, for reading the trace through the
   * kernel when the Jupyter server cannot serve it (see `src/kernel/kernelFiles.ts`). Absent in
   * older bundles; null when there is no trace.
   */
  trace_abs_path?: string | null;
  /** `siblings` as absolute paths as the kernel sees them, index-aligned with it. Absent in older bundles. */
  siblings_abs?: string[];
  /** Device name. */
  device: string;
  /** Versions: python, torch, torch_npu, cann, cuda. */
  versions: Record<string, string>;
  /** Environment variables as the kernel saw them after import (null = unset). */
  env: Record<string, string | null>;
  /** Wall time of one recorded run of the profiled code (the mean), device synchronised, seconds. */
  wall_time_s: number;
  /** Wall time of each recorded run, seconds. Absent in older bundles. */
  wall_times_s?: number[];
  /** The exception the user's code raised, if any. */
  cell_error: string | null;
  /** When the run started, ISO 8601. */
  started_at: string;
  /**
   * Ascend runtime switches as they stood for the run: `jit_compile`,
   * `allow_internal_format` (absent where unreadable or not Ascend).
   */
  npu_config?: Record<string, boolean>;
  /** Profiler settings used. */
  profiler: Record<string, unknown>;
  /** The analysis, added by the renderer and saved with the notebook. */
  summary?: IProfileSummary;
  /** Why the trace could not be analysed, added by the renderer. */
  analysis_error?: IAnalysisError;
}

/** A failure to read or analyse a trace, as plain data. */
export interface IAnalysisError {
  /** Machine-readable kind: `not-found`, `too-large`, `not-json`, `not-a-trace`, `empty`, `network`, `internal`. */
  kind: string;
  /** Neutral one-sentence statement of the facts. */
  message: string;
}

/** A profile kept elsewhere (another cell, another open trace) that this one can be compared with. */
export interface IOtherProfile {
  /** Where it is kept, as the user names it ("cell 3", "trace_view.json"). */
  label: string;
  /** The menu group it is listed under; the comparison's `othersTitle` when absent. */
  group?: string;
  /** The profile. */
  snapshot: IProfileSnapshot;
}

/**
 * What the renderer needs from the notebook around it. The plugin provides
 * one per notebook; outside a notebook there is none and the view hides the
 * actions that need it.
 */
export interface IProfileHost {
  /**
   * Read a small file (a sibling CSV or JSON of the trace) given its path
   * relative to the document, as bytes. When the server cannot serve it (the
   * kernel works outside the server root, or is remote), read `absPath`
   * through the notebook's kernel instead.
   *
   * @throws IAnalysisError-shaped errors (`not-found`, `network`, `kernel`).
   */
  readFile(
    resolver: IRenderMime.IResolver,
    path: string,
    absPath?: string | null
  ): Promise<ArrayBuffer>;
  /**
   * Read a trace file as the chunks that arrive, from the server or, as
   * {@link IProfileHost.readFile} does, through the kernel; so the trace is
   * parsed while it downloads and the page never holds it whole. The file is
   * opened (and a missing one reported) before this resolves.
   *
   * @param sizeHint - the file size when known (the bundle's `trace_bytes`).
   * @param onProgress - bytes read so far, and the total when known.
   * @param signal - stops the read (the output went away).
   * @throws IAnalysisError-shaped errors (`not-found`, `network`, `kernel`).
   */
  traceChunks(
    resolver: IRenderMime.IResolver,
    path: string,
    absPath: string | null | undefined,
    sizeHint: number | null,
    onProgress: (loaded: number, total: number | null) => void,
    signal?: AbortSignal
  ): Promise<AsyncIterable<Uint8Array>>;
  /**
   * Insert a code cell with the settings of the given remedies directly below
   * the cell whose output contains `node`. Returns false when no cell was found.
   */
  insertRemedyCell(node: HTMLElement, remedies: string[]): boolean;
  /**
   * Keep this run in the history of the profiling cell whose output contains
   * `node` (saved with the notebook) and return that history, oldest first;
   * null when the cell cannot be found (yet).
   */
  recordProfile(node: HTMLElement, snapshot: IProfileSnapshot): IProfileSnapshot[] | null;
  /**
   * The profiles kept by the other profiling cells of the notebook (to compare
   * with any of them), labelled by cell number; [] outside a notebook.
   */
  otherProfiles(node: HTMLElement): IOtherProfile[];
  /**
   * Emitted when a cell of the notebook keeps a new profile, so the other
   * outputs offer it to compare with; absent outside a notebook.
   */
  readonly profilesChanged?: ISignal<unknown, void>;
  /** Whether applying these remedies needs a new process (environment variables). */
  needsRestart(remedies: string[]): boolean;
  /** What each remedy is, for the checklist to show before anything is applied. */
  remedyDetails(remedies: string[]): IRemedyDetail[];
  /**
   * Restart the kernel with the settings in a cell at the top of the notebook,
   * run it up to the profiled cell and profile again. Absent where unavailable.
   */
  restartAndApply?(node: HTMLElement, remedies: string[]): Promise<boolean>;
  /**
   * Profile the cell in a child process of the kernel's interpreter started
   * with the settings. Absent where unavailable.
   */
  profileInFreshProcess?(node: HTMLElement, remedies: string[]): Promise<boolean>;
}

/** One suggested setting, as the checklist shows it. */
export interface IRemedyDetail {
  /** Remedy id. */
  id: string;
  /** Short English title. */
  title: string;
  /** What it takes to act: nothing, a kernel restart, a new process. */
  restart: 'none' | 'kernel' | 'process';
  /** The Python lines that apply it. */
  code: string[];
  /** Minimum versions it needs, when known. */
  requires: Record<string, string>;
}
