/**
 * Settings the checklist can suggest, and the Python cell that applies the ones the user picked.
 * Pure string building; nothing here talks to a kernel.
 *
 * Semantics and restart needs come from the shared notes `tuning-rules.md` §4 (official
 * Ascend/pytorch docs and torch_npu source: `OptionsManager.cpp`, `npu_config.py`) and from the
 * PyTorch docs for the CUDA switches
 * (https://pytorch.org/docs/stable/notes/cuda.html#tensorfloat-32-tf32-on-ampere-and-later-devices,
 * https://pytorch.org/docs/stable/backends.html).
 */

import { ASCEND_REMEDIES } from './remedies/ascend';
import { CUDA_REMEDIES } from './remedies/cuda';
import { GENERAL_REMEDIES } from './remedies/general';
import { GRAPH_REMEDIES } from './remedies/graph';

/**
 * What it takes for a setting to act:
 * - `none`: takes effect at once in the running kernel;
 * - `kernel`: restart the kernel and run the cell before any device work;
 * - `process`: only a new process started with the setting (not a notebook kernel) gets it.
 */
export type RemedyRestart = 'none' | 'kernel' | 'process';

/** The stack a remedy applies to; its cell imports torch_npu only for `ascend`. */
export type RemedyBackend = 'ascend' | 'cuda';

/** One setting the checklist can suggest. */
export interface IRemedy {
  /** Stable id, referenced by analysis rules. */
  id: string;
  /** Backend it is meant for. */
  backend: RemedyBackend;
  /** Short English title (the view translates its own wording). */
  title: string;
  /** Whether it needs a restart; see {@link RemedyRestart}. */
  restart: RemedyRestart;
  /** Python comment lines (without `# `) explaining what it does and when it acts. */
  comment: string[];
  /** Python statements that apply it. */
  code: string[];
  /** Modules the statements need, imported at the top of the cell. */
  imports: Array<'os' | 'torch' | 'torch_npu'>;
  /** Minimum versions it needs, when known (e.g. `{ torch_npu: '6.0.RC3' }`). */
  requires?: Record<string, string>;
}

/** First line of every remedy cell, so the frontend can recognise such cells. */
export const REMEDY_CELL_MARKER =
  '# ascend-profiler: settings suggested by the profile checklist (you can delete this cell)';

/**
 * The settings the checklist can suggest, by id, in the order a remedy cell applies them:
 * Ascend first (its cell must import torch_npu before TASK_QUEUE_ENABLE is set), then CUDA,
 * then graph mode (applied last: it wraps a model already set up) and general Python settings.
 */
export const REMEDIES: Readonly<Record<string, IRemedy>> = Object.freeze({
  ...ASCEND_REMEDIES,
  ...CUDA_REMEDIES,
  ...GRAPH_REMEDIES,
  ...GENERAL_REMEDIES
});

const IMPORT_ORDER: ReadonlyArray<IRemedy['imports'][number]> = ['os', 'torch', 'torch_npu'];

/**
 * Builds the Python cell that applies the given settings.
 *
 * Unknown ids are skipped and duplicates applied once; settings come in the order of
 * {@link REMEDIES}. The cell starts with {@link REMEDY_CELL_MARKER}, then a restart note when a
 * setting needs one, the imports it needs (`import torch_npu` only for Ascend settings, and
 * before the settings, since that import resets TASK_QUEUE_ENABLE), then each setting under a
 * comment saying what it does and whether it needs a restart.
 *
 * @param ids - remedy ids, as in {@link REMEDIES}.
 * @returns Python source, or null when no id is known.
 */
export function buildRemedyCell(ids: string[]): string | null {
  const wanted = new Set(ids);
  const picked = Object.values(REMEDIES).filter(r => wanted.has(r.id));
  if (picked.length === 0) {
    return null;
  }
  const lines = [REMEDY_CELL_MARKER];
  const restarts = picked.filter(r => r.restart !== 'none');
  if (restarts.length > 0) {
    lines.push(
      `# Some settings below act only in a fresh kernel (${restarts.map(r => r.id).join(', ')}):`,
      '# restart the kernel, run this cell first, then the rest of the notebook.'
    );
  }
  const imports = new Set(picked.flatMap(r => r.imports));
  lines.push(...IMPORT_ORDER.filter(m => imports.has(m)).map(m => `import ${m}`));
  for (const remedy of picked) {
    lines.push('', ...remedy.comment.map(c => `# ${c}`), ...remedy.code);
  }
  lines.push(
    '',
    `print("ascend-profiler: applied ${picked.map(r => r.id).join(', ')}")`,
    ''
  );
  return lines.join('\n');
}

/**
 * What each known remedy is (unknown ids are skipped), in the order a remedy
 * cell applies them: for the checklist to show before anything is applied.
 */
export function remedyDetails(ids: string[]): {
  id: string;
  title: string;
  restart: RemedyRestart;
  code: string[];
  requires: Record<string, string>;
}[] {
  const wanted = new Set(ids);
  return Object.values(REMEDIES)
    .filter(r => wanted.has(r.id))
    .map(r => ({
      id: r.id,
      title: r.title,
      restart: r.restart,
      code: [...r.code],
      requires: { ...(r.requires ?? {}) }
    }));
}
