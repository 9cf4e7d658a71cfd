/**
 * `ascend-profiler analyze PATH --all`: every run found under PATH (the ranks
 * of a job, several captures) analysed and put side by side
 * (`analysis/runSet.ts`), as JSON or as a table. Node only, like `cli.ts`.
 */
import * as path from 'node:path';
import type { TranslationBundle } from '@jupyterlab/translation';
import { COMPONENTS, type Component, runSetOverview } from './analysis/runSet';
import type { IProfileSummary } from './analysis/summary';
import { ASCEND_OUTPUT_DIR } from './trace/siblings';
import { formatUs } from './view/format';
import { describeFinding } from './view/wording';
import { componentNames, describeRunSet } from './view/runSetText';

/** One run of `--all`, analysed. */
export interface IAnalysedRun {
  /** Its trace file. */
  trace: string;
  /** Its analysis. */
  summary: IProfileSummary;
}

/** The JSON `analyze PATH --all --json` prints (documented in the README). */
export interface ICliRunSet {
  /** The folder searched. */
  path: string;
  /** `ranks` (every run records a distinct rank) or `runs`. */
  kind: 'ranks' | 'runs';
  /** One entry per run, ranks in rank order. Times µs. */
  runs: ({
    label: string;
    trace: string;
    rank: string | null;
    backend: string;
    device: string;
    steps: number;
    problems: number;
    top_problem: { id: string; title: string; saving_us: number } | null;
  } & Record<`${SnakeComponent}_us`, number>)[];
  /** Which run is slow and in what; `run` and `compared_with` are labels, null when balanced. */
  verdict: {
    kind: string;
    run: string | null;
    compared_with: string | null;
    component: string | null;
    excess_us: number;
    excess_share: number | null;
    component_us: number;
    text: string;
  };
  /** Whether the runs used different backends. */
  mixed_backends: boolean;
  /** The job's size when some of its ranks were not found; else null. */
  world_size: number | null;
  /** Traces that could not be analysed, with the reason. */
  skipped: { trace: string; reason: string }[];
}

/** Component names as the JSON spells them. */
type SnakeComponent = 'step' | 'compute' | 'comm' | 'copy' | 'idle' | 'sync_wait' | 'compile';

const SNAKE: Record<Component, SnakeComponent> = {
  step: 'step',
  compute: 'compute',
  comm: 'comm',
  copy: 'copy',
  idle: 'idle',
  syncWait: 'sync_wait',
  compile: 'compile'
};

/** Traces in path order, numbers by value (`rank2` before `rank10`). */
export function inPathOrder(traces: readonly string[]): string[] {
  return [...traces].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/**
 * The name of a run under `root`: an Ascend run by its `*_ascend_pt` folder,
 * another trace by its path; relative to `root`, its base name when it is `root`.
 */
export function runLabel(root: string, trace: string): string {
  const outputDir = path.dirname(trace);
  const run = path.basename(outputDir) === ASCEND_OUTPUT_DIR ? path.dirname(outputDir) : trace;
  const relative = path.relative(root, run).split(path.sep).join('/');
  return relative === '' || relative === '..' || relative.startsWith('../') ? path.basename(run) : relative;
}

/** The report of the runs under `root`. */
export function runSetReport(
  root: string,
  runs: readonly IAnalysedRun[],
  skipped: ICliRunSet['skipped'],
  trans: TranslationBundle
): ICliRunSet {
  const entries = runs.map(r => ({ label: runLabel(root, r.trace), summary: r.summary }));
  const overview = runSetOverview(entries);
  const v = overview.verdict;
  const labelOf = (row: number) => (row >= 0 ? overview.rows[row].label : null);
  return {
    path: root,
    kind: overview.kind,
    runs: overview.rows.map(row => {
      const times = Object.fromEntries(
        COMPONENTS.map(c => [`${SNAKE[c]}_us`, row.times[c]])
      ) as Record<`${SnakeComponent}_us`, number>;
      return {
        label: row.label,
        trace: runs[row.entry].trace,
        rank: row.rank,
        backend: row.backend,
        device: row.device,
        steps: row.steps,
        ...times,
        problems: row.problems,
        top_problem: row.topProblem && {
          id: row.topProblem.id,
          title: describeFinding(row.topProblem, trans).title,
          saving_us: row.topProblem.savingUs
        }
      };
    }),
    verdict: {
      kind: v.kind,
      run: labelOf(v.row),
      compared_with: labelOf(v.fastRow),
      component: v.component === null ? null : SNAKE[v.component],
      excess_us: v.excessUs,
      excess_share: v.excessShare,
      component_us: v.componentUs,
      text: describeRunSet(overview, trans)
    },
    mixed_backends: overview.mixedBackends,
    world_size: overview.worldSize,
    skipped
  };
}

/** The report as a table, one run a line, then the verdict. */
export function humanRunSet(report: ICliRunSet, trans: TranslationBundle): string {
  const names = componentNames(trans);
  const shown = COMPONENTS.filter(c => report.runs.some(r => r[`${SNAKE[c]}_us`] > 0));
  const width = Math.max(4, ...report.runs.map(r => r.label.length));
  const widths = shown.map(c => Math.max(10, names[c].length) + 2);
  const cells = (texts: string[]) => texts.map((t, i) => t.padStart(widths[i])).join('');
  const lines = [
    `${report.runs.length} ${report.kind === 'ranks' ? 'ranks' : 'runs'} under ${report.path} (times per step)`,
    `${'run'.padEnd(width)}  ${report.kind === 'ranks' ? 'rank  ' : ''}${cells(shown.map(c => names[c]))}  top problem`
  ];
  for (const r of report.runs) {
    lines.push(
      `${r.label.padEnd(width)}  ${report.kind === 'ranks' ? String(r.rank).padEnd(6) : ''}${cells(shown.map(c => formatUs(r[`${SNAKE[c]}_us`])))}  ${r.top_problem ? r.top_problem.id : '-'}`
    );
  }
  lines.push(report.verdict.text);
  for (const s of report.skipped) {
    lines.push(`skipped: ${s.trace}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
