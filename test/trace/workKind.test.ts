import { describe, expect, it } from 'vitest';
import { workKind } from '../../src/trace/workKind';
import type { LaneKind } from '../../src/trace/model';

describe('workKind', () => {
  it.each<[string, string, LaneKind, string, string]>([
    ['ProfilerStep#50', 'cpu_op', 'host', '', 'step'],
    ['torch/nn/modules/module.py(1520): _call_impl', 'python_function', 'host', '', 'python'],
    ['Enqueue', 'enqueue', 'host', '', 'queue'],
    ['Enqueue@aten::add', 'enqueue', 'host', '', 'queue'],
    ['Dequeue@Conv2D', 'dequeue', 'dispatch', '', 'queue'],
    ['AscendCL@aclopCompileAndExecute', '', 'dispatch', '', 'compile'],
    ['AscendCL@aclrtSynchronizeStreamWithTimeout', '', 'dispatch', '', 'sync'],
    ['Runtime@MemCopySync', '', 'dispatch', '', 'sync'],
    ['AscendCL@aclrtMemcpyAsync', '', 'dispatch', '', 'copy'],
    ['Node@launch', '', 'dispatch', '', 'launch'],
    ['Runtime@KernelLaunchWithHandle', '', 'dispatch', '', 'launch'],
    ['AscendCL@aclnnAddGetWorkspaceSize', '', 'dispatch', '', 'runtime'],
    ['cudaStreamSynchronize', 'cuda_runtime', 'host', '', 'sync'],
    ['hipDeviceSynchronize', 'cuda_runtime', 'host', '', 'sync'],
    ['cudaMemcpyAsync', 'cuda_runtime', 'host', '', 'copy'],
    ['cuLaunchKernel', 'cuda_driver', 'host', '', 'launch'],
    ['hipExtModuleLaunchKernel', 'cuda_runtime', 'host', '', 'launch'],
    ['cudaGetDevice', 'cuda_runtime', 'host', '', 'runtime'],
    ['aten::mm', 'cpu_op', 'host', '', 'op'],
    ['Memcpy DtoH (Device -> Pageable)', 'gpu_memcpy', 'device', '', 'copy'],
    ['Memset (Device)', 'Memset', 'device', '', 'copy'],
    ['Event Sync', 'cuda_sync', 'device', '', 'sync'],
    ['ncclKernel_AllReduce_RING_LL_Sum_float', 'kernel', 'device', '', 'comm'],
    ['void gemm<float>', 'kernel', 'device', '', 'kernel'],
    ['MEMCPY_ASYNC', '', 'device', 'PCIE_DMA_SQE', 'copy'],
    // A wait for a notify is a wait whatever queue it sits on: the stream idles.
    ['Notify Wait', '', 'device', 'SDMA_SQE', 'sync'],
    ['EVENT_WAIT', '', 'device', 'EVENT_WAIT_SQE', 'sync'],
    ['trans_TransData_0', '', 'device', 'AI_CORE', 'kernel'],
    ['hcom_allReduce__586_0_1', '', 'communication', '', 'comm'],
    ['Free', '', 'other', '', 'other'],
    ['ProfilerStep#3', 'gpu_user_annotation', 'other', '', 'other']
  ])('classifies %s (cat %s) on a %s lane', (name, cat, lane, task, expected) => {
    expect(workKind(name, cat, lane, task)).toBe(expected);
  });
});
