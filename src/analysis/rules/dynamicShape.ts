/**
 * dynamicShape: every device operator ran as a dynamic-shape operator.
 *
 * Measures: the `OP State` column of kernel_details.csv (aggregated into
 * `meta.ascend.kernelSummary.opState` by `src/trace/siblings/`): how many
 * operators CANN ran as `dynamic` and how many as `static`, plus the online
 * compiles of the trace (`compile` slices on dispatch lanes).
 * Why: msprof-analyze (computation/op_compile/dynamic_shape_checker.py) flags
 * a run with *zero* static-shape operators: the whole model goes through
 * dynamic-shape operators, which under `jit_compile=True` are compiled
 * online for each new shape. The pre-built binary operators
 * (`set_compile_mode(jit_compile=False)`, with `allow_internal_format=False`)
 * handle dynamic shapes without compiling (docs/tuning-rules.md §3.3
 * Operator Dynamic Shape Issues).
 *
 *   kernel_details.csv   OP State: dynamic dynamic dynamic … (no "static")
 *   cann                 | aclopCompileAndExecute |    | aclopCompileAndExecute |
 *   device                                        |k|                          |k|
 *
 * Needs kernel_details.csv with its `OP State` column: Level1 or Level2
 * profiles (Level0 writes reduced columns without it), read beside the trace.
 *
 * Pure module.
 */
import type { ITraceModel } from '../../trace/model';
import type { IFinding, IHighlight, Severity } from '../finding';
import { compileHighlights, findCompileCalls } from './onlineCompile';

/**
 * The dynamic-shape check.
 *
 * Variants:
 * - `not-applicable` (`ok`): facts `reason`: `not-ascend`,
 *   `no-kernel-details` (kernel_details.csv was not read beside the trace) or
 *   `no-op-state` (the file has no `OP State` column, as in Level0, or no
 *   operator has a state), with `profilerLevel` (from profiler_info.json,
 *   '' when not read).
 * - `ok` (`ok`): at least one static-shape operator. Facts `dynamic`,
 *   `static`, `tasks` (all task rows of the file).
 * - `dynamic`: no static-shape operator. Facts `dynamic`, `static` (0),
 *   `tasks`, `compiles` (outermost online compile calls in the trace),
 *   `compileUs` (their time). Severity `medium` when the trace shows online
 *   compiles, else `low`: the msprof-analyze condition holds, but nothing in
 *   this run paid for it.
 *
 * Remedies `ascend-jit-compile-off`, `ascend-internal-format-off` for
 * `dynamic`. `savingUs` is `compileUs`: the time the binary operators would
 * not spend compiling. Dynamic-shape operators cost nothing else we can
 * measure, so without compiles the bound is 0. The online-compile check
 * reports the same compiles; the two findings share one remedy, not two
 * savings.
 */
export function dynamicShape(model: ITraceModel): IFinding {
  const base = {
    id: 'dynamic-shape',
    highlights: [] as IHighlight[],
    remedies: [] as string[]
  };
  const notApplicable = (reason: string): IFinding => ({
    ...base,
    variant: 'not-applicable',
    severity: 'ok',
    savingUs: 0,
    facts: {
      reason,
      profilerLevel: model.meta.ascend?.profilerConfig?.level ?? ''
    }
  });
  if (model.backend !== 'ascend') {
    return notApplicable('not-ascend');
  }
  const summary = model.meta.ascend?.kernelSummary;
  if (!summary) {
    return notApplicable('no-kernel-details');
  }
  const state = summary.opState;
  // Rows with OP State "N/A" (memcpy, HCCL tasks) are neither; a file where
  // every row is N/A says nothing about shapes.
  if (!state || state.dynamic + state.static === 0) {
    return notApplicable('no-op-state');
  }
  if (state.static > 0) {
    return {
      ...base,
      variant: 'ok',
      severity: 'ok',
      savingUs: 0,
      facts: { dynamic: state.dynamic, static: state.static, tasks: summary.tasks }
    };
  }

  const { slices } = model;
  const calls = findCompileCalls(model);
  const compileUs = calls.reduce((sum, c) => sum + slices.dur[c.slice], 0);
  const severity: Severity = calls.length > 0 ? 'medium' : 'low';
  return {
    ...base,
    variant: 'dynamic',
    severity,
    savingUs: compileUs,
    facts: {
      dynamic: state.dynamic,
      static: 0,
      tasks: summary.tasks,
      compiles: calls.length,
      compileUs
    },
    highlights: compileHighlights(model, calls),
    remedies: ['ascend-jit-compile-off', 'ascend-internal-format-off']
  };
}
