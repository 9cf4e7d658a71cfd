/**
 * Test helpers: the bytes of a public trace (inflated), and small built traces.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { isGzip } from '../../src/trace/gzip';
import { publicTrace } from '../publicTraces';

/** The public trace files (paths under public-traces/), Ascend and Kineto. */
export const PUBLIC_TRACE_FILES = [
  'ascend-msinsight/level0/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json',
  'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
  'ascend-msinsight/level2/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
  'ascend-msprof-analyze/timeline_advice/trace_view.json',
  'hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz',
  'hta/triton_example/triton_example.json.gz',
  'hta/critical_path/cuda_event_sync/event_sync_trace.json.gz',
  'hta/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz',
  'hta/critical_path/alexnet/benchmark_result_2869224_1695835535_trace.json.gz',
  'param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json',
  'hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz',
  'kineto-tb-plugin/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz',
  'hta/trace_diff/control/control.json.gz'
];

/** Decompressed bytes of a public trace, by its path under public-traces/. */
export function publicTraceBytes(relative: string): Uint8Array {
  const raw = fs.readFileSync(publicTrace(relative));
  return isGzip(raw) ? zlib.gunzipSync(raw) : raw;
}

/** UTF-8 bytes of a text. */
export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Bytes of a trace built from event objects, as a bare array (torch_npu style). */
export function bareTrace(events: object[]): Uint8Array {
  return bytesOf(JSON.stringify(events));
}
