/**
 * switchesInEffect: which runtime-switch remedies the run already had.
 *
 * Why: the profiling cell records torch_npu's runtime switches as they stood
 * for the run (`jit_compile`, `allow_internal_format`). A finding must not
 * offer to "switch off online compilation" for a run in which it already was
 * off: the Apply button would change nothing, and the user would conclude the
 * advice failed. What remains in such a run has another cause, which the
 * finding then names instead.
 *
 * Pure module.
 */
import type { ITraceModel } from '../trace/model';

/** Remedy id → the recorded switch and the value the remedy sets. */
const SWITCH_OF_REMEDY: Readonly<Record<string, [switchName: string, value: boolean]>> = {
  'ascend-jit-compile-off': ['jit_compile', false],
  'ascend-internal-format-off': ['allow_internal_format', false]
};

/**
 * Whether the run already had the setting of remedy `id` (false when the
 * remedy sets no recorded switch, or the capture recorded none).
 */
export function remedyInEffect(model: ITraceModel, id: string): boolean {
  const entry = SWITCH_OF_REMEDY[id];
  return entry !== undefined && model.meta.switches?.[entry[0]] === entry[1];
}

/** `remedies` without those the run already had, in order. */
export function remediesNotInEffect(model: ITraceModel, remedies: string[]): string[] {
  return remedies.filter(id => !remedyInEffect(model, id));
}
