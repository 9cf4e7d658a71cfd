/**
 * Classify one slice into a {@link WorkKind} from its name, category, lane
 * kind and (Ascend Hardware) task type. The name lists come from
 * docs/trace-formats.md §1c.
 *
 * Pure module.
 */
import type { LaneKind, WorkKind } from './model';

/** Host calls that block until the device is done. */
const SYNC_PREFIXES = [
  'AscendCL@aclrtSynchronizeStream',
  'AscendCL@aclrtSynchronizeDevice',
  'AscendCL@aclrtSynchronizeEvent',
  'Runtime@StreamSynchronize',
  'Runtime@DeviceSynchronize',
  'Runtime@MemCopySync',
  'Runtime@StreamSyncTaskFinish',
  'cudaStreamSynchronize',
  'cudaDeviceSynchronize',
  'cudaEventSynchronize',
  'hipStreamSynchronize',
  'hipDeviceSynchronize',
  'hipEventSynchronize'
];

/** Host calls that copy or set memory. */
const COPY_PREFIXES = [
  'cudaMemcpy',
  'cudaMemset',
  'hipMemcpy',
  'hipMemset',
  'AscendCL@aclrtMemcpy',
  'AscendCL@aclrtMemset',
  'Runtime@Memcpy',
  'Runtime@Memset'
];

/** Host calls that launch a kernel. */
const LAUNCH_PREFIXES = [
  'cudaLaunchKernel',
  'cuLaunchKernel',
  'hipLaunchKernel',
  'hipExtModuleLaunchKernel',
  'hipModuleLaunchKernel',
  'Node@launch',
  'Runtime@KernelLaunch'
];

/** Online operator compilation on Ascend. */
const COMPILE_PREFIXES = ['AscendCL@aclopCompileAndExecute', 'AscendCL@opCompile'];

/** Other runtime-layer calls, by name (Ascend events have no `cat`). */
const RUNTIME_PREFIXES = ['AscendCL@', 'Runtime@', 'Hccl@', 'Node@'];

/** Kineto categories of runtime and driver API calls. */
const RUNTIME_CATEGORIES = new Set([
  'cuda_runtime',
  'cuda_driver',
  'Runtime',
  'xpu_runtime',
  'xpu_driver',
  'privateuse1_runtime',
  'privateuse1_driver'
]);

/** Kineto categories of device memory copies and sets (current and 2021 names). */
const DEVICE_COPY_CATEGORIES = new Set([
  'gpu_memcpy',
  'gpu_memset',
  'Memcpy',
  'Memset'
]);

/**
 * Ascend Hardware tasks in which a stream waits for an event or a notify from
 * another stream: the stream idles, it does not compute (a 65 ms EVENT_WAIT
 * on Stream 2 of the Level1 sample spans an allreduce on another stream).
 */
const DEVICE_WAIT_NAMES = new Set(['EVENT_WAIT', 'Notify Wait', 'Notify_Wait']);

/** Task types of the same waits, where the trace records them. */
const DEVICE_WAIT_TASK_TYPES = new Set(['EVENT_WAIT_SQE', 'Notify Wait']);

const STEP_NAME = /^ProfilerStep#\d+/;

/** Name of the task queue's producer slice: `Enqueue`, or `Enqueue@<op>` in newer torch_npu. */
export const ENQUEUE_PREFIX = 'Enqueue';

/** Name prefix of the task queue's consumer slice, `Dequeue@<op>`. */
export const DEQUEUE_PREFIX = 'Dequeue@';

/**
 * First characters of the call names above (and of `Enqueue`/`Dequeue@`):
 * a name starting with any other (`aten::…`, most of a trace's names) is
 * none of those calls, so {@link hostWork} skips their prefix lists. The
 * lists are walked once per distinct name, but mostly before V8 has
 * compiled the walk.
 */
const CALL_FIRST_CHARS = new Set(
  [...SYNC_PREFIXES, ...COPY_PREFIXES, ...LAUNCH_PREFIXES, ...COMPILE_PREFIXES, ...RUNTIME_PREFIXES, ENQUEUE_PREFIX, DEQUEUE_PREFIX].map(
    prefix => prefix.charCodeAt(0)
  )
);

function startsWithAny(name: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) {
    if (name.startsWith(prefix)) {
      return true;
    }
  }
  return false;
}

/** Whether a slice name is a profiler step marker (`ProfilerStep#N`). */
export function isStepName(name: string): boolean {
  return STEP_NAME.test(name);
}

/**
 * Kind of work of one slice.
 *
 * @param name - slice name.
 * @param cat - `cat` field, or '' when absent (all Ascend non-Python events).
 * @param laneKind - kind of the lane the slice is on.
 * @param taskType - Ascend Hardware `args["Task Type"]`, or ''.
 */
export function workKind(
  name: string,
  cat: string,
  laneKind: LaneKind,
  taskType: string
): WorkKind {
  switch (laneKind) {
    case 'communication':
      return 'comm';
    case 'device':
      return deviceWork(name, cat, taskType);
    case 'counter':
      return 'other';
    default:
      break;
  }
  if (cat === 'gpu_user_annotation') {
    // Copies of CPU annotations on the GPU timeline: not device work, not steps.
    return 'other';
  }
  const call = hostWork(name, cat);
  if (call !== null) {
    return call;
  }
  if (laneKind === 'other') {
    return 'other';
  }
  if (laneKind === 'dispatch' && name.indexOf('@') > 0) {
    return 'runtime';
  }
  return 'op';
}

function deviceWork(name: string, cat: string, taskType: string): WorkKind {
  if (
    cat === 'cuda_sync' ||
    DEVICE_WAIT_NAMES.has(name) ||
    DEVICE_WAIT_TASK_TYPES.has(taskType)
  ) {
    return 'sync';
  }
  if (
    DEVICE_COPY_CATEGORIES.has(cat) ||
    name === 'MEMCPY_ASYNC' ||
    taskType.indexOf('DMA') >= 0
  ) {
    return 'copy';
  }
  if (name.startsWith('hcom_') || /nccl/i.test(name)) {
    return 'comm';
  }
  return 'kernel';
}

/** Work kind a host-side slice has by its name or category alone, or null. */
function hostWork(name: string, cat: string): WorkKind | null {
  if (STEP_NAME.test(name)) {
    return 'step';
  }
  if (cat === 'python_function') {
    return 'python';
  }
  if (!CALL_FIRST_CHARS.has(name.charCodeAt(0))) {
    // No call name starts so: only the category can make it one.
    if (cat === 'cuda_sync') {
      return 'sync';
    }
    return RUNTIME_CATEGORIES.has(cat) ? 'runtime' : null;
  }
  if (name.startsWith(ENQUEUE_PREFIX) || name.startsWith(DEQUEUE_PREFIX)) {
    return 'queue';
  }
  if (startsWithAny(name, COMPILE_PREFIXES)) {
    return 'compile';
  }
  if (cat === 'cuda_sync' || startsWithAny(name, SYNC_PREFIXES)) {
    return 'sync';
  }
  if (startsWithAny(name, COPY_PREFIXES)) {
    return 'copy';
  }
  if (startsWithAny(name, LAUNCH_PREFIXES)) {
    return 'launch';
  }
  if (RUNTIME_CATEGORIES.has(cat) || startsWithAny(name, RUNTIME_PREFIXES)) {
    return 'runtime';
  }
  return null;
}
