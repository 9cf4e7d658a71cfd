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

/** The settings the checklist can suggest, by id, in the order a remedy cell applies them. */
export const REMEDIES: Readonly<Record<string, IRemedy>> = Object.freeze({
  'ascend-task-queue-2': {
    id: 'ascend-task-queue-2',
    backend: 'ascend',
    title: 'Task queue level 2 (TASK_QUEUE_ENABLE=2)',
    // Read once into a static at the first NPU stream/queue use (OptionsManager.cpp), and
    // `import torch_npu` >= 6.0.RC3 in an interactive interpreter (Jupyter) forces it to "0".
    // Setting it after the import but before the first NPU op is the only way in a kernel
    // (tuning-rules.md §4.1; inferred from the lazy read, not verified on hardware).
    restart: 'kernel',
    comment: [
      'Task queue level 2: dispatches operators from a second thread and moves workspace work there,',
      'hiding host dispatch time. NEEDS A KERNEL RESTART: TASK_QUEUE_ENABLE is read once, at the first',
      'NPU use, and `import torch_npu` in Jupyter forces it to 0. So restart the kernel and run this',
      'cell first, before any NPU work (it is set after the import on purpose). Needs torch_npu',
      '>= 6.0.RC3 and binary operators (jit_compile=False); ASCEND_LAUNCH_BLOCKING=1 turns it off;',
      'it may raise peak NPU memory.'
    ],
    code: ['os.environ["TASK_QUEUE_ENABLE"] = "2"'],
    imports: ['os', 'torch', 'torch_npu'],
    requires: { torch_npu: '6.0.RC3' }
  },
  'ascend-jit-compile-off': {
    id: 'ascend-jit-compile-off',
    backend: 'ascend',
    title: 'Use pre-built binary operators (jit_compile=False)',
    restart: 'none',
    comment: [
      'Use the pre-built binary operators instead of compiling operators online for each new shape',
      '(the aclopCompile / aclopCompileAndExecute time). Takes effect at once, no restart; the first',
      'calls after it warm up again.'
    ],
    code: ['torch_npu.npu.set_compile_mode(jit_compile=False)'],
    imports: ['torch', 'torch_npu']
  },
  'ascend-internal-format-off': {
    id: 'ascend-internal-format-off',
    backend: 'ascend',
    title: 'Keep tensors in ND format (allow_internal_format=False)',
    restart: 'none',
    comment: [
      'Keep tensors in the standard ND layout instead of private NPU formats (NZ, 5HD), avoiding',
      'TransData conversions between operators. Takes effect at once, no restart; tensors already',
      'converted keep their format, so reload weights if they were moved to the NPU before.'
    ],
    code: ['torch_npu.npu.config.allow_internal_format = False'],
    imports: ['torch', 'torch_npu']
  },
  'cuda-tf32': {
    id: 'cuda-tf32',
    backend: 'cuda',
    title: 'Allow TF32 for float32 matmul and convolutions',
    restart: 'none',
    comment: [
      'Let float32 matmuls and cuDNN convolutions use TF32 tensor cores (Ampere and newer): much',
      'faster, with about 10 bits of mantissa. Takes effect at once, no restart.'
    ],
    code: [
      'torch.backends.cuda.matmul.allow_tf32 = True',
      'torch.backends.cudnn.allow_tf32 = True'
    ],
    imports: ['torch']
  },
  'cudnn-benchmark': {
    id: 'cudnn-benchmark',
    backend: 'cuda',
    title: 'Let cuDNN pick the fastest convolution algorithm',
    restart: 'none',
    comment: [
      'Let cuDNN time its convolution algorithms and keep the fastest for each input shape: pays',
      'off when shapes repeat, costs time whenever a new shape appears. Takes effect at once, no restart.'
    ],
    code: ['torch.backends.cudnn.benchmark = True'],
    imports: ['torch']
  }
} satisfies Record<string, IRemedy>);

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
