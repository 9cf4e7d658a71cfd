/**
 * onlineCompile: time spent compiling operators online (CANN JIT), and which
 * operators were compiled again and again.
 *
 * Measures: every outermost `compile` call on a dispatch lane
 * (`AscendCL@aclopCompileAndExecute`, with its nested `AscendCL@opCompile`
 * counted once), the operator it compiled (from the enclosing
 * `Dequeue@<op>`, or the framework op on the Python thread when the task
 * queue is off), its count and total time, the first compile of each
 * operator against the repeats, and the share of the run.
 * Why: with `jit_compile=True` CANN compiles an operator for every new shape
 * it meets; the host sits in the compile while the device idles. An operator
 * compiled many times means its input shapes keep changing. The binary
 * operators (`set_compile_mode(jit_compile=False)`) skip this
 * (docs/tuning-rules.md §3.1 Operator Dispatch, §4.2).
 *
 *   task queue | Dequeue@Conv2D ...........|  Dequeue@Conv2D .........|
 *   cann       | aclopCompileAndExecute .. |  aclopCompileAndExecute  |   ← same op again: new shape
 *   device     |                           |k|                        |k|
 *
 * `aclopCompileAndExecute` also launches the compiled operator, so its time
 * is an upper bound of the compile cost; `opCompileUs` (the nested
 * `AscendCL@opCompile`) is reported beside it.
 *
 * Needs CANN API data (profiler_level Level1 or Level2): a Level0 trace has
 * no compile slices even when compiles happened.
 *
 * Pure module.
 */
import type { ITraceModel, SliceIndex, Us } from '../../trace/model';
import { WORK_KINDS } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { hasCannApi, OperatorLookup } from '../ascendTrace';
import { remedyInEffect } from '../switchesInEffect';

/**
 * Compile calls from which the finding is `high`, whatever their time.
 * Source: msprof-analyze advisor `MAX_OP_COMPILE_NUM` = 20 (Operator Dispatch
 * Issues; MindStudio Insight "Operators Dispatch" uses the same number),
 * docs/tuning-rules.md §3.1.
 */
export const MANY_COMPILES = 20;

/**
 * Total compile time below which the check passes (µs). Source: our choice,
 * the same floor as sync-wait: a millisecond in a whole cell is not what
 * makes it slow.
 */
export const MIN_COMPILE_US = 1_000;

/**
 * Share of the run spent compiling from which fewer than
 * {@link MANY_COMPILES} compiles still make the finding `high`. Source: our
 * choice, as sync-wait's `HIGH_WAIT_SHARE` (the timeline_advice sample spends
 * 48 % of its step in 11 compiles).
 */
export const HIGH_COMPILE_SHARE = 0.2;

/**
 * Share of the run spent compiling from which the finding is `medium`.
 * Source: msprof-analyze priority (≥ 3 % of step time is medium,
 * docs/tuning-rules.md §2.1).
 */
export const MEDIUM_COMPILE_SHARE = 0.03;

/** Most highlights returned (longest compiles first). */
export const MAX_HIGHLIGHTS = 50;

const COMPILE = WORK_KINDS.indexOf('compile');

/** One outermost compile call. */
export interface ICompileCall {
  /** The `compile` slice. */
  slice: SliceIndex;
  /** Time of the nested `opCompile` calls (or of the call itself when it is one), µs. */
  opCompileUs: Us;
  /** Operator compiled, '' when the trace does not say. */
  op: string;
}

/** Per operator: compiles and time, in order of first compile. */
interface IOpCompiles {
  count: number;
  us: number;
  firstUs: number;
}

/**
 * The online-compile check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend` (compiles are a
 *   CANN thing) or `no-cann-data` (no CANN API slices: Level0 profile, so
 *   compiles cannot be seen; profile at Level1), with `profilerLevel`
 *   (from profiler_info.json, '' when not read).
 * - `none` (`ok`): no compile, or less than {@link MIN_COMPILE_US} in all.
 *   Facts `compiles`, `compileUs`.
 * - `compiles`: facts `compiles` (outermost compile calls), `compileUs`
 *   (their time), `opCompileUs` (time in the nested opCompile), `ops`
 *   (distinct operators), `repeatedOps` (operators compiled more than once),
 *   `repeatCompiles` (compiles after each operator's first), `firstUs`
 *   (time of each operator's first compile), `repeatUs` (time of the
 *   repeats), `topOp` (operator with the most compile time, '' if unknown),
 *   `topOpCompiles`, `topOpUs`, `spanShare` (0..1), `threshold`
 *   ({@link MANY_COMPILES}), `jitCompileOff` (1 when the run already had
 *   `jit_compile=False`, else 0; the checklist then drops that remedy, see
 *   `switchesInEffect`). Severity `high` from {@link MANY_COMPILES}
 *   compiles or {@link HIGH_COMPILE_SHARE} of the run, `medium` from
 *   {@link MEDIUM_COMPILE_SHARE}, else `low`.
 *
 * `savingUs` is `compileUs`: the most the binary operators could save, as
 * the call also launches the operator.
 */
export function onlineCompile(model: ITraceModel): IFinding {
  const base = {
    id: 'online-compile',
    highlights: [] as IHighlight[],
    remedies: [] as string[]
  };
  if (model.backend !== 'ascend') {
    return notApplicable(base, 'not-ascend');
  }
  const calls = findCompileCalls(model);
  if (calls.length === 0 && !hasCannApi(model)) {
    return {
      ...notApplicable(base, 'no-cann-data'),
      facts: {
        reason: 'no-cann-data',
        profilerLevel: model.meta.ascend?.profilerConfig?.level ?? ''
      }
    };
  }
  const { slices } = model;
  const compileUs = calls.reduce((sum, c) => sum + slices.dur[c.slice], 0);
  if (compileUs < MIN_COMPILE_US) {
    return {
      ...base,
      variant: 'none',
      severity: 'ok',
      savingUs: 0,
      facts: { compiles: calls.length, compileUs }
    };
  }

  const byOp = new Map<string, IOpCompiles>();
  for (const c of calls) {
    const us = slices.dur[c.slice];
    const entry = byOp.get(c.op);
    if (entry) {
      entry.count++;
      entry.us += us;
    } else {
      byOp.set(c.op, { count: 1, us, firstUs: us });
    }
  }
  // Calls whose operator is unknown are not "the same operator again".
  const known = [...byOp].filter(([op]) => op !== '');
  const unknown = byOp.get('');
  const firstUs =
    known.reduce((sum, [, e]) => sum + e.firstUs, 0) + (unknown?.us ?? 0);
  let top: [string, IOpCompiles] | undefined;
  for (const entry of byOp) {
    if (!top || entry[1].us > top[1].us) {
      top = entry;
    }
  }
  const spanShare =
    model.spanUs > 0 ? Math.min(1, compileUs / model.spanUs) : 0;
  const severity: Severity =
    calls.length >= MANY_COMPILES || spanShare >= HIGH_COMPILE_SHARE
      ? 'high'
      : spanShare >= MEDIUM_COMPILE_SHARE
        ? 'medium'
        : 'low';
  const highlights = compileHighlights(model, calls);

  return {
    ...base,
    variant: 'compiles',
    severity,
    savingUs: compileUs,
    facts: {
      compiles: calls.length,
      compileUs,
      opCompileUs: calls.reduce((sum, c) => sum + c.opCompileUs, 0),
      ops: known.length,
      repeatedOps: known.filter(([, e]) => e.count > 1).length,
      repeatCompiles: known.reduce((sum, [, e]) => sum + e.count - 1, 0),
      firstUs,
      repeatUs: compileUs - firstUs,
      topOp: top?.[0] ?? '',
      topOpCompiles: top?.[1].count ?? 0,
      topOpUs: top?.[1].us ?? 0,
      spanShare,
      threshold: MANY_COMPILES,
      // Recorded by the profiling cell: compiles left with binary operators on need another fix.
      jitCompileOff: remedyInEffect(model, 'ascend-jit-compile-off') ? 1 : 0
    },
    highlights,
    remedies: ['ascend-jit-compile-off', 'ascend-internal-format-off']
  };
}

/**
 * The longest {@link MAX_HIGHLIGHTS} compile calls as timeline highlights, named by the
 * operator they compiled (the call's own name when the trace does not say).
 */
export function compileHighlights(model: ITraceModel, calls: ICompileCall[]): IHighlight[] {
  const { slices, lanes, names } = model;
  return [...calls]
    .sort((a, b) => slices.dur[b.slice] - slices.dur[a.slice])
    .slice(0, MAX_HIGHLIGHTS)
    .map(c => ({
      start: slices.start[c.slice],
      end: slices.start[c.slice] + slices.dur[c.slice],
      lane: lanes[slices.lane[c.slice]].label,
      name: c.op || names[slices.name[c.slice]]
    }));
}

/**
 * Outermost compile calls on dispatch lanes, in lane then start order, with
 * the operator each compiled. A compile nested in another on the same lane
 * (`opCompile` inside `aclopCompileAndExecute`) adds its time to
 * `opCompileUs` of the outer call instead of counting again.
 */
export function findCompileCalls(model: ITraceModel): ICompileCall[] {
  const { slices, lanes, names } = model;
  const lookup = new OperatorLookup(model);
  const calls: ICompileCall[] = [];
  let outer: ICompileCall | null = null;
  let outerEnd = -Infinity;
  let outerLane = -1;
  for (let i = 0; i < slices.count; i++) {
    if (slices.work[i] !== COMPILE || lanes[slices.lane[i]].kind !== 'dispatch') {
      continue;
    }
    const isOpCompile = names[slices.name[i]].startsWith('AscendCL@opCompile');
    if (outer && slices.lane[i] === outerLane && slices.start[i] < outerEnd) {
      if (isOpCompile) {
        outer.opCompileUs += slices.dur[i];
      }
      continue;
    }
    outer = {
      slice: i,
      opCompileUs: isOpCompile ? slices.dur[i] : 0,
      op: lookup.operatorOf(i)
    };
    outerEnd = slices.start[i] + slices.dur[i];
    outerLane = slices.lane[i];
    calls.push(outer);
  }
  return calls;
}

function notApplicable(
  base: { id: string; highlights: IHighlight[]; remedies: string[] },
  reason: string
): IFinding {
  return {
    ...base,
    variant: 'not-applicable',
    severity: 'ok',
    savingUs: 0,
    facts: { reason }
  };
}
