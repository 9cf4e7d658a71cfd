/**
 * Which files to read when the user opens a trace file or a profiler folder
 * from the file browser: the trace itself, and for an Ascend run the sibling
 * files the checklist reads (see `siblings/index.ts`).
 *
 * The folder listing is injected (`ListFolder`), so this module stays pure:
 * the page lists through the Contents API, tests through a fake.
 */
import { ASCEND_OUTPUT_DIR, isSiblingFile, MAX_SIBLING_BYTES } from './siblings';

/** One entry of a folder listing (the fields of a Contents API model we use). */
export interface IFolderEntry {
  /** Base name. */
  name: string;
  /** Path relative to the server root, posix separators. */
  path: string;
  /** `directory`, `file`, `notebook`. */
  type: string;
  /** Size in bytes, when known. */
  size?: number | null;
  /** ISO 8601 modification time, when known. */
  last_modified?: string;
}

/** Lists a folder; rejects when it cannot. */
export type ListFolder = (path: string) => Promise<IFolderEntry[]>;

/** What to read to show one trace. */
export interface ITraceTarget {
  /** Server path of the trace file. */
  tracePath: string;
  /** Its size in bytes, when a listing said (the progress bar's total). */
  traceSize: number | null;
  /** The run folder (`*_ascend_pt`), or the folder holding the trace. */
  runDir: string;
  /**
   * Sibling files to read, server path by key relative to the run folder
   * ('profiler_info_0.json', 'ASCEND_PROFILER_OUTPUT/memory_record.csv'):
   * the keys the worker's `siblings` context expects. Empty for non-Ascend traces.
   */
  siblings: Record<string, string>;
  /** Sibling files left out because they are larger than MAX_SIBLING_BYTES. */
  tooLarge: string[];
  /** Other traces found beside the one picked (not analysed), server paths. */
  others: string[];
}

/** Base names of torch_npu's trace: `trace_view.json`, optionally gzip. */
export const TRACE_VIEW_PATTERN = '^trace_view\\.json(\\.gz)?$';

/** Extensions of PyTorch (Kineto) traces, longest match wins in the registry. */
export const PYTORCH_TRACE_EXTENSIONS: readonly string[] = ['.pt.trace.json', '.pt.trace.json.gz'];

const TRACE_VIEW_RE = new RegExp(TRACE_VIEW_PATTERN);

/** Whether a base name is one of the trace names profilers write. */
export function isTraceFileName(name: string): boolean {
  return TRACE_VIEW_RE.test(name) || /\.pt\.trace\.json(\.gz)?$/i.test(name);
}

/**
 * The items less each `X.gz` that has a plain `X` beside it: the profiler
 * wrote the plain file, the other is a copy of the same run.
 *
 * @param name The item's name or path (compared as given).
 */
export function withoutCompressedCopies<T>(items: readonly T[], name: (item: T) => string): T[] {
  const names = new Set(items.map(name));
  return items.filter(item => {
    const n = name(item);
    return !(n.endsWith('.gz') && names.has(n.slice(0, -'.gz'.length)));
  });
}

/** Whether a folder name looks like a torch_npu profile: `*_ascend_pt` or its ASCEND_PROFILER_OUTPUT. */
export function looksLikeProfileFolder(name: string): boolean {
  return name.endsWith('_ascend_pt') || name === ASCEND_OUTPUT_DIR;
}

/**
 * What to read for a trace file opened by path. Siblings are looked for only
 * when the file is `ASCEND_PROFILER_OUTPUT/trace_view.json[.gz]`; a folder
 * that cannot be listed just gives no siblings.
 *
 * @param tracePath Server path of the trace file.
 * @param list Lists a folder.
 * @param sizeHint The file's size, when the caller already knows it.
 */
export async function locateForFile(
  tracePath: string,
  list: ListFolder,
  sizeHint: number | null = null
): Promise<ITraceTarget> {
  const dir = dirname(tracePath);
  const target: ITraceTarget = {
    tracePath,
    traceSize: sizeHint,
    runDir: dir,
    siblings: {},
    tooLarge: [],
    others: []
  };
  if (!TRACE_VIEW_RE.test(basename(tracePath)) || basename(dir) !== ASCEND_OUTPUT_DIR) {
    return target;
  }
  target.runDir = dirname(dir);
  const [runEntries, outputEntries] = await Promise.all([
    list(target.runDir).catch(() => []),
    list(dir).catch(() => [])
  ]);
  const self = outputEntries.find(e => e.path === tracePath || e.name === basename(tracePath));
  if (target.traceSize === null && typeof self?.size === 'number') {
    target.traceSize = self.size;
  }
  addSiblings(target, runEntries, outputEntries);
  return target;
}

/**
 * What to read for a folder opened as a profile: a `*_ascend_pt` folder, its
 * ASCEND_PROFILER_OUTPUT, a folder with a trace file in it, or a folder with
 * `*_ascend_pt` runs in it (the first by name is picked, the others named).
 *
 * @param folder Server path of the folder ('' is the root).
 * @param list Lists a folder.
 * @returns null when no trace is there.
 * @throws what `list` throws for `folder` itself.
 */
export async function locateInFolder(
  folder: string,
  list: ListFolder
): Promise<ITraceTarget | null> {
  const entries = await list(folder);
  if (basename(folder) === ASCEND_OUTPUT_DIR) {
    const runDir = dirname(folder);
    return ascendTarget(runDir, await list(runDir).catch(() => []), entries);
  }
  const output = entries.find(e => e.type === 'directory' && e.name === ASCEND_OUTPUT_DIR);
  if (output) {
    const outputEntries = await list(output.path).catch(() => []);
    const target = ascendTarget(folder, entries, outputEntries);
    if (target) {
      return target;
    }
  }
  const traces = withoutCompressedCopies(
    entries.filter(e => e.type !== 'directory' && isTraceFileName(e.name)),
    e => e.name
  );
  if (traces.length > 0) {
    // The newest capture is the one the user most likely means.
    traces.sort(
      (a, b) =>
        (b.last_modified ?? '').localeCompare(a.last_modified ?? '') || a.name.localeCompare(b.name)
    );
    return {
      tracePath: traces[0].path,
      traceSize: traces[0].size ?? null,
      runDir: folder,
      siblings: {},
      tooLarge: [],
      others: traces.slice(1).map(t => t.path)
    };
  }
  const runs = entries
    .filter(e => e.type === 'directory' && looksLikeProfileFolder(e.name) && e.name !== ASCEND_OUTPUT_DIR)
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  for (const run of runs) {
    const target = await locateInFolder(run.path, list).catch(() => null);
    if (target) {
      target.others.push(...runs.filter(r => r !== run).map(r => r.path));
      return target;
    }
  }
  return null;
}

/** The Ascend target of a run folder, from its two listings; null without trace_view.json. */
function ascendTarget(
  runDir: string,
  runEntries: IFolderEntry[],
  outputEntries: IFolderEntry[]
): ITraceTarget | null {
  // Plain JSON first when both exist: it is what torch_npu wrote, the .gz a
  // copy of the same run, so not another run to offer.
  const traces = outputEntries
    .filter(e => e.type !== 'directory' && TRACE_VIEW_RE.test(e.name))
    .sort((a, b) => a.name.length - b.name.length);
  if (traces.length === 0) {
    return null;
  }
  const target: ITraceTarget = {
    tracePath: traces[0].path,
    traceSize: traces[0].size ?? null,
    runDir,
    siblings: {},
    tooLarge: [],
    others: []
  };
  addSiblings(target, runEntries, outputEntries);
  return target;
}

function addSiblings(
  target: ITraceTarget,
  runEntries: IFolderEntry[],
  outputEntries: IFolderEntry[]
): void {
  const consider = (entry: IFolderEntry, key: string) => {
    if (entry.type === 'directory' || !isSiblingFile(key)) {
      return;
    }
    if (typeof entry.size === 'number' && entry.size > MAX_SIBLING_BYTES) {
      target.tooLarge.push(key);
      return;
    }
    target.siblings[key] = entry.path;
  };
  runEntries.forEach(e => consider(e, e.name));
  outputEntries.forEach(e => consider(e, `${ASCEND_OUTPUT_DIR}/${e.name}`));
}

/** Last segment of a posix path. */
export function basename(path: string): string {
  const parts = path.split('/').filter(p => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : '';
}

/** Parent of a posix path ('' for the root and top-level names). */
export function dirname(path: string): string {
  const parts = path.split('/').filter(p => p !== '');
  return parts.slice(0, -1).join('/');
}

/**
 * Bytes so far and the total as short strings ("12.5 MB") and the share done
 * in whole percent (null when the total is unknown). Pure, for the progress bar.
 */
export function describeProgress(
  loaded: number,
  total: number | null
): { loaded: string; total: string | null; percent: number | null } {
  const known = total !== null && Number.isFinite(total) && total > 0;
  return {
    loaded: formatBytes(loaded),
    total: known ? formatBytes(total) : null,
    percent: known ? Math.min(100, Math.floor((loaded / total) * 100)) : null
  };
}

/** A byte count as a short string: "512 B", "12 KB", "3.4 MB", "1.25 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '?';
  }
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${Math.round(bytes / 1024)} KB`;
  }
  if (bytes < 1024 ** 3) {
    return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  }
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
