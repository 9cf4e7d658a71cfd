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
  },

  // Environment variables below: torch_npu and CANN read each once, when they start (a static in
  // OptionsManager.cpp, allocator or CANN init; tuning-rules.md §4.4), so each needs a kernel
  // restart and must run before the first NPU operation. None of them is reset by
  // `import torch_npu` (only TASK_QUEUE_ENABLE is), so setting them after that import, as the cell
  // does when it also sets the task queue, is fine; they import `os` only, so on their own the
  // cell can run before torch_npu is imported at all.
  'ascend-launch-blocking-off': {
    id: 'ascend-launch-blocking-off',
    backend: 'ascend',
    title: 'Asynchronous launches (ASCEND_LAUNCH_BLOCKING=0)',
    // Read once into a static by CheckBlockingEnable() (OptionsManager.cpp).
    restart: 'kernel',
    comment: [
      'Launch operators asynchronously: ASCEND_LAUNCH_BLOCKING=1 makes every launch wait for the',
      'device and turns the task queue off; keep it for debugging only. NEEDS A KERNEL RESTART: it is',
      'read once, at the first NPU operation, so restart the kernel and run this cell first.'
    ],
    code: ['os.environ["ASCEND_LAUNCH_BLOCKING"] = "0"'],
    imports: ['os']
  },
  'ascend-log-level-error': {
    id: 'ascend-log-level-error',
    backend: 'ascend',
    title: 'Log errors only (ASCEND_GLOBAL_LOG_LEVEL=3)',
    // CANN's logger reads it when it starts (inferred; CANN source not checked).
    restart: 'kernel',
    comment: [
      'Log errors only: debug, info and warning logging (levels 0-2) slow down operator dispatch.',
      'NEEDS A KERNEL RESTART: CANN reads it when it starts, so restart the kernel and run this cell',
      'before any NPU work. If the log level does not change, export it before starting JupyterLab.'
    ],
    code: ['os.environ["ASCEND_GLOBAL_LOG_LEVEL"] = "3"'],
    imports: ['os']
  },
  'ascend-aclnn-cache-limit': {
    id: 'ascend-aclnn-cache-limit',
    backend: 'ascend',
    title: 'Larger aclnn cache (ACLNN_CACHE_LIMIT=100000)',
    // Read when the aclnn layer starts (inferred; tuning-rules.md §4.4).
    restart: 'kernel',
    comment: [
      'Keep more aclnn operator executors cached (the msprof-analyze suggestion for host-bound runs),',
      'at the cost of some host memory. NEEDS A KERNEL RESTART: read when CANN starts, so restart the',
      'kernel and run this cell before any NPU work.'
    ],
    code: ['os.environ["ACLNN_CACHE_LIMIT"] = "100000"'],
    imports: ['os']
  },
  'ascend-host-cache-capacity': {
    id: 'ascend-host-cache-capacity',
    backend: 'ascend',
    title: 'Host cache for dynamic shapes (HOST_CACHE_CAPACITY=20)',
    // Read when CANN starts (inferred; tuning-rules.md §4.4).
    restart: 'kernel',
    comment: [
      'Cache operator preparation for dynamic shapes on the host (the msprof-analyze suggestion),',
      'at the cost of some host memory. NEEDS A KERNEL RESTART: read when CANN starts, so restart the',
      'kernel and run this cell before any NPU work.'
    ],
    code: ['os.environ["HOST_CACHE_CAPACITY"] = "20"'],
    imports: ['os']
  },
  'ascend-alloc-expandable': {
    id: 'ascend-alloc-expandable',
    backend: 'ascend',
    title: 'Expandable memory segments (PYTORCH_NPU_ALLOC_CONF)',
    // Read when the caching allocator is configured (NPUAllocatorConfig.cpp), at first use.
    restart: 'kernel',
    comment: [
      'Let the NPU caching allocator grow segments instead of allocating new blocks, which cuts',
      'memory-allocation calls and fragmentation. Keeps your other PYTORCH_NPU_ALLOC_CONF options.',
      'NEEDS A KERNEL RESTART: read when the allocator starts, so restart the kernel and run this',
      'cell before any NPU work.'
    ],
    code: [
      'os.environ["PYTORCH_NPU_ALLOC_CONF"] = ",".join(',
      '    [o for o in os.environ.get("PYTORCH_NPU_ALLOC_CONF", "").split(",")',
      '     if o.strip() and not o.strip().startswith("expandable_segments")]',
      '    + ["expandable_segments:True"])'
    ],
    imports: ['os']
  },
  'ascend-cpu-affinity': {
    id: 'ascend-cpu-affinity',
    backend: 'ascend',
    title: 'Bind dispatch threads to cores (CPU_AFFINITY_CONF=2)',
    // Read when threads are bound at device init (OptionsManager.cpp; restart inferred, §4.4).
    restart: 'kernel',
    comment: [
      'Bind the main thread and the task-queue thread to their own cores (fine-grained mode 2, the',
      'mode the torch_npu docs recommend), so dispatch does not migrate between cores. May hurt when',
      'other busy threads share those cores. Needs torch_npu >= 6.0.RC3. NEEDS A KERNEL RESTART: read',
      'when the device starts, so restart the kernel and run this cell before any NPU work.'
    ],
    code: ['os.environ["CPU_AFFINITY_CONF"] = "2"'],
    imports: ['os'],
    requires: { torch_npu: '6.0.RC3' }
  }
};
