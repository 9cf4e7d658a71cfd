/**
 * The `ascend-profiler` command-line tool: the same reader and checklist as
 * the notebook view, for a terminal, a script or CI.
 *
 *   ascend-profiler analyze PATH [--json]
 *   ascend-profiler analyze PATH --all [--json]
 *   ascend-profiler compare BEFORE AFTER [--json]
 *
 * PATH is a trace file (`trace_view.json`, `*.pt.trace.json`, plain or gzip)
 * or a folder holding one (a `*_ascend_pt` folder, its
 * `ASCEND_PROFILER_OUTPUT/`, a TensorBoard log folder).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { readModelStream } from './worker/analyzeBytes';
import { compareSnapshots, snapshotOf } from './analysis/compare';
import { summarize } from './analysis/summarize';
import type { ICounterSummary, IProfileSummary } from './analysis/summary';
import type { ITraceModel } from './trace/model';
import { ASCEND_OUTPUT_DIR, isSiblingFile, MAX_SIBLING_BYTES } from './trace/siblings';
import { withoutCompressedCopies } from './trace/locateTrace';
import { describeFinding } from './view/wording';
import { buildRemedyCell, remedyDetails } from './kernel/remedies';
import { formatShare, formatUs } from './view/format';
import { humanRunSet, type IAnalysedRun, inPathOrder, runSetReport } from './cliRunSet';
import type { TranslationBundle } from '@jupyterlab/translation';

/** Exit status when the input is not a readable trace. */
const EXIT_BAD_INPUT = 2;

/** Exit status for a usage error. */
const EXIT_USAGE = 64;

/** Pieces in which a trace file is read and inflated, bytes. */
const READ_CHUNK_BYTES = 2 ** 20;

/** Text read between two updates of the progress line on a terminal, bytes. */
const PROGRESS_STEP_BYTES = 64 * 2 ** 20;

/** Folders deeper than this below PATH are not searched for traces. */
const MAX_SEARCH_DEPTH = 4;

const USAGE = `usage: ascend-profiler analyze PATH [--json]
       ascend-profiler analyze PATH --all [--json]
       ascend-profiler compare BEFORE AFTER [--json]

PATH, BEFORE, AFTER  a trace file (trace_view.json, *.pt.trace.json, optionally .gz)
      or a folder that holds one (*_ascend_pt, ASCEND_PROFILER_OUTPUT, a log folder)
--all  every run under PATH (the ranks of a job, several captures) side by side:
      each run's times and top problem, and which run is slow and in what
compare  the two runs side by side (a GPU run against an NPU run, or before and after a fix):
      times, the operators that changed most, and each step's time
--json  print one JSON object (schema in the README) instead of text
`;

/** The JSON the `--json` flag prints (documented in the README). */
export interface ICliReport {
  /** File that was analysed. */
  trace: string;
  /** Producer kind. */
  backend: string;
  /** Trace span, µs. */
  span_us: number;
  /** Number of complete slices read. */
  events: number;
  /** Lanes in display order; `events`: their slices, plus their samples on counter lanes. */
  lanes: { kind: string; label: string; events: number }[];
  /** Counter series (hardware counters on Ascend), as the summary has them but for their shape. */
  counters: Omit<ICounterSummary, 'shape'>[];
  /** What the reader linked: see {@link ICliLinks}. */
  links: ICliLinks;
  /** Reader warnings. */
  warnings: string[];
  /** The checklist. */
  findings: ICliFinding[];
  /** Other traces found under PATH and not analysed. */
  other_traces: string[];
  /**
   * Versions recorded in or beside the trace (torch_npu and cann from an
   * Ascend folder's profiler_info*.json; torch, cuda_runtime... from Kineto).
   */
  versions: Record<string, string>;
  /** Environment variables recorded beside the trace (set ones only). */
  env: Record<string, string>;
  /** Rank of the run in a distributed job, decimal text as recorded; null when not recorded. */
  rank: string | null;
  /** Number of ranks of that job, decimal text as recorded; null when not recorded. */
  world_size: string | null;
}

/** The links the reader found, as counts (`links` of the JSON report). */
export interface ICliLinks {
  /** Host calls linked to the device work they launched (correlation, connection_id, torch_to_npu flows). */
  launches: number;
  /** Task-queue hand-offs, Enqueue → Dequeue@<op> (Ascend). */
  queue_hand_offs: number;
  /** Slices on device and communication lanes. */
  device_slices: number;
  /** …of them linked to the call that launched them. */
  device_slices_launched: number;
  /** …of them traced back to the framework operator they ran for. */
  device_slices_with_operator: number;
}

/** One checklist entry in the JSON report: the rule's numbers plus its words and its fix. */
export interface ICliFinding {
  /** Rule id (`sync-wait`, `host-bound`, ...). */
  id: string;
  /** Which message of the rule applies. */
  variant: string;
  /** `high` | `medium` | `low` | `ok` (a check that passed or does not apply). */
  severity: string;
  /** One line. */
  title: string;
  /** The evidence and what to do, in words. */
  detail: string;
  /** The evidence in numbers (and trace names). */
  evidence: Record<string, number | string>;
  /** Time ranges on the timeline that show it, µs from the trace origin. */
  highlights: IProfileSummary['findings'][number]['highlights'];
  /** Upper bound of the time the fix could save, µs. */
  saving_us: number;
  /** The settings that fix it, or null when the fix is a code change. */
  remedy: {
    ids: string[];
    /** The cell to run (as the notebook's Apply button inserts it). */
    code: string;
    /** The most it takes for all of them to act. */
    restart: 'none' | 'kernel' | 'process';
    /** Minimum versions, merged over the settings. */
    prerequisites: Record<string, string>;
  } | null;
  /** What the user should see after applying it. */
  after: string | null;
}

/** The JSON form of a finding. */
function cliFinding(finding: IProfileSummary['findings'][number]): ICliFinding {
  const text = describeFinding(finding, Private.plainTrans);
  const details = remedyDetails(finding.remedies);
  const code = buildRemedyCell(finding.remedies);
  const rank = { none: 0, kernel: 1, process: 2 } as const;
  return {
    id: finding.id,
    variant: finding.variant,
    severity: finding.severity,
    title: text.title,
    detail: text.detail,
    evidence: finding.facts,
    highlights: finding.highlights,
    saving_us: finding.savingUs,
    remedy:
      code === null
        ? null
        : {
            ids: details.map(d => d.id),
            code,
            restart: details.reduce<'none' | 'kernel' | 'process'>(
              (worst, d) => (rank[d.restart] > rank[worst] ? d.restart : worst),
              'none'
            ),
            prerequisites: Object.assign({}, ...details.map(d => d.requires))
          },
    after: text.after ?? null
  };
}

/**
 * Run the tool.
 *
 * @param argv Arguments after the program name.
 * @returns The exit status.
 */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const all = argv.includes('--all');
  const args = argv.filter(a => a !== '--json' && a !== '--all');
  const command = args[0];
  if (
    !(command === 'analyze' && args.length === 2) &&
    !(command === 'compare' && args.length === 3 && !all)
  ) {
    process.stderr.write(USAGE);
    return EXIT_USAGE;
  }
  if (all) {
    return analyzeAll(path.resolve(args[1]), json);
  }
  const analyses: IAnalysis[] = [];
  for (const target of args.slice(1)) {
    const analysis = await analyzePath(path.resolve(target));
    if (typeof analysis === 'string') {
      process.stderr.write(`ascend-profiler: ${analysis}\n`);
      return EXIT_BAD_INPUT;
    }
    analyses.push(analysis);
  }
  if (command === 'compare') {
    const report = compareReport(analyses[0], analyses[1]);
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : humanComparison(report));
    return 0;
  }
  const { report, summary } = analyses[0];
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : humanReport(report, summary));
  return 0;
}

/** `analyze PATH --all`: every run under PATH analysed, side by side. */
async function analyzeAll(root: string, json: boolean): Promise<number> {
  let traces: string[];
  try {
    traces = inPathOrder(findTraces(root));
  } catch (reason) {
    process.stderr.write(`ascend-profiler: ${(reason as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const runs: IAnalysedRun[] = [];
  const skipped: { trace: string; reason: string }[] = [];
  // One at a time: only one trace's model is in memory at once.
  for (const trace of traces) {
    const analysis = await analyzePath(trace);
    if (typeof analysis === 'string') {
      skipped.push({ trace, reason: analysis });
    } else {
      runs.push({ trace, summary: analysis.summary });
    }
  }
  if (runs.length === 0) {
    const why = skipped.map(s => `\n  ${s.reason}`).join('');
    process.stderr.write(
      `ascend-profiler: no readable trace file (trace_view.json, *.pt.trace.json[.gz]) under ${root}${why}\n`
    );
    return EXIT_BAD_INPUT;
  }
  const report = runSetReport(root, runs, skipped, Private.plainTrans);
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : humanRunSet(report, Private.plainTrans));
  return 0;
}

/** One trace read and analysed, with its report. */
interface IAnalysis {
  report: ICliReport;
  summary: IProfileSummary;
  model: ITraceModel;
}

/**
 * Find the trace at or under `target`, read it with its sibling files and run the checklist.
 *
 * @returns the analysis, or a sentence saying why there is none.
 */
async function analyzePath(target: string): Promise<IAnalysis | string> {
  let traces: string[];
  try {
    traces = findTraces(target);
  } catch (reason) {
    return (reason as Error).message;
  }
  if (traces.length === 0) {
    return `no trace file (trace_view.json, *.pt.trace.json[.gz]) under ${target}`;
  }
  const [trace, ...others] = traces;
  const siblingWarnings: string[] = [];
  const siblings = readSiblings(trace, siblingWarnings);
  let summary: IProfileSummary;
  let model: ITraceModel;
  try {
    // Streamed: the file is never in memory whole, so its size has no limit but the model's.
    model = await readModelStream(
      fs.createReadStream(trace, { highWaterMark: READ_CHUNK_BYTES }),
      Private.inflate,
      { siblings },
      { onProgress: Private.progressLine(trace) }
    );
    summary = summarize(model);
  } catch (reason) {
    const e = reason as { message?: string };
    return `${trace} could not be analysed: ${e.message ?? String(reason)}`;
  } finally {
    Private.clearProgressLine();
  }
  const report: ICliReport = {
    trace,
    backend: summary.backend,
    span_us: summary.spanUs,
    events: summary.events,
    lanes: summary.lanes.map(l => ({
      kind: l.kind,
      label: l.label,
      events: l.events + (l.kind === 'counter' ? (l.samples ?? 0) : 0)
    })),
    counters: (summary.counters ?? []).map(c => ({
      lane: c.lane,
      name: c.name,
      key: c.key,
      samples: c.samples,
      min: c.min,
      max: c.max,
      mean: c.mean
    })),
    links: Private.linkCounts(model),
    warnings: [...summary.warnings, ...siblingWarnings],
    findings: summary.findings.map(cliFinding),
    other_traces: others,
    versions: { ...model.meta.versions },
    env: { ...model.meta.env },
    rank: model.meta.rank ?? null,
    world_size: model.meta.worldSize ?? null
  };
  return { report, summary, model };
}

/** The JSON `compare --json` prints (documented in the README). */
export interface ICliComparison {
  /** The first run: its trace, backend and device. */
  before: { trace: string; backend: string; device: string };
  /** The second run. */
  after: { trace: string; backend: string; device: string };
  /** Whether the runs used different backends (device figures then differ in kind). */
  cross_device: boolean;
  /**
   * Times, µs: `span`, `deviceBusy`, `deviceIdle`, `syncWait`, `compile` (a trace records
   * no wall time of the code, so there is no `wall` row).
   */
  rows: { metric: string; before_us: number; after_us: number; delta_us: number; delta_share: number | null }[];
  /** Operators whose time changed most, µs; null where not among that run's top operators. */
  op_changes: { name: string; side: 'host' | 'device'; before_us: number | null; after_us: number | null }[];
  /** Recorded environment variables that differ: name → [before, after] ('' = unset). */
  settings_changed: Record<string, [string, string]>;
  /** Steps paired in order, with their duration and busy time, µs. */
  steps: { step: number; before_us: number; after_us: number; before_busy_us: number; after_busy_us: number }[];
}

/** Compare two analysed traces as the notebook's comparison does. */
function compareReport(before: IAnalysis, after: IAnalysis): ICliComparison {
  const snapshot = (a: IAnalysis) =>
    snapshotOf(a.summary, { startedAt: '', wallTimeS: Number.NaN, env: a.model.meta.env });
  const c = compareSnapshots(snapshot(before), snapshot(after));
  const side = (a: IAnalysis) => ({
    trace: a.report.trace,
    backend: a.summary.backend,
    device: a.summary.device
  });
  const stepsBefore = before.summary.stepActivity ?? [];
  const stepsAfter = after.summary.stepActivity ?? [];
  return {
    before: side(before),
    after: side(after),
    cross_device: c.crossDevice,
    rows: c.rows.map(r => ({
      metric: r.metric,
      before_us: r.before,
      after_us: r.after,
      delta_us: r.deltaUs,
      delta_share: r.deltaShare
    })),
    op_changes: c.opChanges.map(o => ({
      name: o.name,
      side: o.side,
      before_us: o.before,
      after_us: o.after
    })),
    settings_changed: c.envChanges,
    steps: stepsBefore.slice(0, stepsAfter.length).map((s, k) => ({
      step: k + 1,
      before_us: s.durUs,
      after_us: stepsAfter[k].durUs,
      before_busy_us: s.busyUs,
      after_busy_us: stepsAfter[k].busyUs
    }))
  };
}

/** The human-readable comparison. */
function humanComparison(report: ICliComparison): string {
  const signed = (us: number) => `${us > 0 ? '+' : us < 0 ? '-' : ''}${formatUs(Math.abs(us))}`;
  const lines = [
    `before    ${report.before.trace} (${report.before.backend})`,
    `after     ${report.after.trace} (${report.after.backend})`,
    ...report.rows.map(
      r =>
        `  ${r.metric.padEnd(11)} ${formatUs(r.before_us).padStart(10)} -> ${formatUs(r.after_us).padStart(10)}  ${signed(r.delta_us)}${
          r.delta_share === null ? '' : ` (${r.delta_share > 0 ? '+' : ''}${(r.delta_share * 100).toFixed(0)} %)`
        }`
    )
  ];
  if (report.steps.length > 0) {
    lines.push('steps (paired in order)');
    for (const s of report.steps) {
      lines.push(
        `  step ${String(s.step).padEnd(4)} ${formatUs(s.before_us).padStart(10)} -> ${formatUs(s.after_us).padStart(10)}  busy ${formatShare(s.before_busy_us / s.before_us)} -> ${formatShare(s.after_busy_us / s.after_us)}`
      );
    }
  }
  if (report.op_changes.length > 0) {
    lines.push('operators that changed most');
    for (const o of report.op_changes) {
      const us = (v: number | null) => (v === null ? 'not in top' : formatUs(v));
      lines.push(`  ${o.side.padEnd(6)} ${o.name}: ${us(o.before_us)} -> ${us(o.after_us)}`);
    }
  }
  for (const [name, [b, a]] of Object.entries(report.settings_changed)) {
    lines.push(`setting   ${name}: ${b || 'unset'} -> ${a || 'unset'}`);
  }
  if (report.cross_device) {
    lines.push(
      `note      different devices (${report.before.backend}, ${report.after.backend}): compare the times and steps; device figures differ in kind`
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Trace files at or under `target`, newest first. A file is taken as is. A
 * `X.gz` beside a plain `X` is left out, as the page leaves it out
 * ({@link withoutCompressedCopies}).
 *
 * @throws Error when `target` does not exist.
 */
export function findTraces(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) {
    throw new Error(`${target} does not exist`);
  }
  if (stat.isFile()) {
    return [target];
  }
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_SEARCH_DEPTH && !entry.name.startsWith('.')) {
        walk(full, depth + 1);
      } else if (entry.isFile() && Private.isTraceName(entry.name)) {
        found.push(full);
      }
    }
  };
  walk(target, 0);
  return withoutCompressedCopies(found, f => f)
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs || a.localeCompare(b));
}

/**
 * Text of the files torch_npu wrote beside an Ascend trace
 * (`*_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json[.gz]`), keyed by path
 * relative to the `*_ascend_pt` folder; empty for other traces.
 *
 * @param trace The trace file.
 * @param warnings Receives a sentence for each file that was too big or unreadable.
 */
export function readSiblings(trace: string, warnings: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const outputDir = path.dirname(trace);
  if (!Private.isTraceName(path.basename(trace)) || path.basename(outputDir) !== ASCEND_OUTPUT_DIR) {
    return files;
  }
  const runDir = path.dirname(outputDir);
  for (const [dir, prefix] of [
    [runDir, ''],
    [outputDir, `${ASCEND_OUTPUT_DIR}/`]
  ]) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (reason) {
      warnings.push(`${dir} could not be listed: ${(reason as Error).message}`);
      continue;
    }
    for (const entry of entries) {
      const relative = `${prefix}${entry.name}`;
      if (!entry.isFile() || !isSiblingFile(relative)) {
        continue;
      }
      const full = path.join(dir, entry.name);
      try {
        if (fs.statSync(full).size > MAX_SIBLING_BYTES) {
          warnings.push(`${relative} is larger than ${MAX_SIBLING_BYTES} bytes; it was not read.`);
          continue;
        }
        files[relative] = fs.readFileSync(full, 'utf8');
      } catch (reason) {
        warnings.push(`${relative} could not be read: ${(reason as Error).message}`);
      }
    }
  }
  return files;
}

/** The human-readable summary. */
function humanReport(report: ICliReport, summary: IProfileSummary): string {
  const lines = [
    `trace     ${report.trace}`,
    `backend   ${report.backend}${summary.device ? ` (${summary.device})` : ''}`,
    `span      ${formatUs(report.span_us)}, ${report.events} events`,
    `device    ${
      summary.hasDevice && summary.spanUs > 0
        ? `busy ${formatShare(summary.deviceBusyUs / summary.spanUs)}`
        : 'no device timeline'
    }`,
    ...Private.recorded('versions', report.versions),
    ...Private.recorded('env', report.env),
    ...Private.linksLine(report.links),
    ...Private.countersLine(report.counters),
    'lanes',
    ...report.lanes.map(l => `  ${l.kind.padEnd(13)} ${l.label} (${l.events})`),
    'checklist'
  ];
  for (const finding of report.findings) {
    const saving = finding.saving_us > 0 ? ` [up to ${formatUs(finding.saving_us)}]` : '';
    lines.push(`  [${finding.severity}] ${finding.title}${saving}`, `         ${finding.detail}`);
    if (finding.remedy) {
      lines.push(
        `         fix (${finding.remedy.restart === 'none' ? 'no restart' : `needs a ${finding.remedy.restart} restart`}): ${finding.remedy.ids.join(', ')}`
      );
    }
  }
  for (const warning of report.warnings) {
    lines.push(`warning: ${warning}`);
  }
  if (report.other_traces.length > 0) {
    lines.push(`also found (not analysed): ${report.other_traces.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

namespace Private {
  /** `links     411 of 413 device slices traced to their operator, ...`, or none without device slices. */
  export function linksLine(links: ICliLinks): string[] {
    if (links.device_slices === 0) {
      return [];
    }
    const queue = links.queue_hand_offs > 0 ? `, ${links.queue_hand_offs} task-queue hand-offs` : '';
    return [
      `links     ${links.device_slices_launched} of ${links.device_slices} device slices linked to their launch, ` +
        `${links.device_slices_with_operator} to their operator${queue}`
    ];
  }

  /** `counters 30 series, 7183 samples (AI Core Freq 1800 MHz)`, or none without counters. */
  export function countersLine(counters: ICliReport['counters']): string[] {
    if (counters.length === 0) {
      return [];
    }
    const samples = counters.reduce((n, c) => n + c.samples, 0);
    const clock = counters.find(c => c.name === 'AI Core Freq' && c.key === 'MHz');
    const [low, high] = clock ? [Math.round(clock.min), Math.round(clock.max)] : [0, 0];
    const clockText = clock ? ` (AI Core Freq ${low === high ? low : `${low}–${high}`} MHz)` : '';
    return [`counters  ${counters.length} series, ${samples} samples${clockText}`];
  }

  /** The `links` of the JSON report. */
  export function linkCounts(model: ITraceModel): ICliLinks {
    const { slices, lanes, links } = model;
    const launched = new Uint8Array(slices.count);
    links.to.forEach(i => (launched[i] = 1));
    const counts: ICliLinks = {
      launches: links.count,
      queue_hand_offs: links.queue.count,
      device_slices: 0,
      device_slices_launched: 0,
      device_slices_with_operator: 0
    };
    for (let i = 0; i < slices.count; i++) {
      const kind = lanes[slices.lane[i]].kind;
      if (kind === 'device' || kind === 'communication') {
        counts.device_slices++;
        counts.device_slices_launched += launched[i];
        counts.device_slices_with_operator += links.op[i] >= 0 ? 1 : 0;
      }
    }
    return counts;
  }

  /** Inflate a gzip stream chunk by chunk with zlib (an error on either side ends the iteration). */
  export async function* inflate(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const inflated = pipeline(
      Readable.from(chunks),
      zlib.createGunzip({ chunkSize: READ_CHUNK_BYTES }),
      () => undefined // errors reach the iteration below
    );
    for await (const piece of inflated) {
      yield piece as Buffer;
    }
  }

  /**
   * Progress of a long read on stderr, when it is a terminal (never in a pipe
   * or a log): one line, rewritten every {@link PROGRESS_STEP_BYTES} of text.
   */
  export function progressLine(trace: string): ((bytesRead: number) => void) | undefined {
    if (!process.stderr.isTTY) {
      return undefined;
    }
    let shown = 0;
    return bytesRead => {
      if (bytesRead - shown >= PROGRESS_STEP_BYTES) {
        shown = bytesRead;
        process.stderr.write(`\rreading ${path.basename(trace)}: ${(bytesRead / 1e6).toFixed(0)} MB of text`);
        progressShown = true;
      }
    };
  }

  /** Remove the progress line, if one was written. */
  export function clearProgressLine(): void {
    if (progressShown) {
      process.stderr.write('\r\x1b[K');
      progressShown = false;
    }
  }

  let progressShown = false;

  /** One `label    key value, key value` line, or none when nothing was recorded. */
  export function recorded(label: string, values: Record<string, string>): string[] {
    const entries = Object.entries(values);
    return entries.length === 0
      ? []
      : [`${label.padEnd(10)}${entries.map(([k, v]) => `${k} ${v}`).join(', ')}`];
  }

  /** Whether a file name is one of the trace names profilers write. */
  export function isTraceName(name: string): boolean {
    return (
      /^trace_view\.json(\.gz)?$/.test(name) || /\.pt\.trace\.json(\.gz)?$/.test(name)
    );
  }

  /** English wording with %1 placeholders filled in, as JupyterLab's null translator does. */
  const fill = (text: string, args: unknown[]): string =>
    text.replace(/%(\d+)/g, (m, n) => (args[Number(n) - 1] !== undefined ? String(args[Number(n) - 1]) : m));

  export const plainTrans = {
    __: (text: string, ...args: unknown[]) => fill(text, args),
    _n: (one: string, many: string, n: number, ...args: unknown[]) =>
      fill(n === 1 ? one : many, [n, ...args]),
    _p: (_ctx: string, text: string, ...args: unknown[]) => fill(text, args)
  } as unknown as TranslationBundle;
}
