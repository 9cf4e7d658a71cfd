/**
 * Ascend (torch_npu) settings the checklist can suggest. Semantics and restart
 * needs: tuning-rules.md §4 (Ascend/pytorch docs, OptionsManager.cpp, npu_config.py).
 */
import type { IRemedy } from '../remedies';

/** Ascend settings, by id, in the order a remedy cell applies them. */
export const ASCEND_REMEDIES: Record<string, IRemedy> = {

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
  }
};
