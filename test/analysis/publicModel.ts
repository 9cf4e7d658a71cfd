/**
 * Reads a public trace into a model for analysis tests: gunzips when the
 * bytes say gzip, then runs the real reader. Models are cached per file, as
 * several tests look at the same trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { isGzip } from '../../src/trace/gzip';
import type { ITraceModel } from '../../src/trace/model';
import { readTrace } from '../../src/trace/readTrace';
import { applySiblings, ASCEND_OUTPUT_DIR, isSiblingFile } from '../../src/trace/siblings';
import { publicTrace } from '../publicTraces';

const cache = new Map<string, ITraceModel>();

/** The model of a public trace, from its path under test/fixtures/public-traces. */
export function publicModel(relative: string): ITraceModel {
  let model = cache.get(relative);
  if (!model) {
    let bytes: Uint8Array = fs.readFileSync(publicTrace(relative));
    if (isGzip(bytes)) {
      bytes = zlib.gunzipSync(bytes);
    }
    model = readTrace(bytes);
    cache.set(relative, model);
  }
  return model;
}

const withSiblingsCache = new Map<string, ITraceModel>();

/**
 * The model of a public Ascend trace (`…_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json[.gz]`)
 * with the sibling files of its folder applied (profiler_info, kernel_details.csv, …),
 * as the page does after fetching them. A copy: the model of {@link publicModel} keeps no
 * `meta.ascend`.
 */
export function publicModelWithSiblings(relative: string): ITraceModel {
  let model = withSiblingsCache.get(relative);
  if (!model) {
    const base = publicModel(relative);
    // applySiblings adds to meta.versions and meta.env in place: give it its own.
    model = {
      ...base,
      meta: { ...base.meta, versions: { ...base.meta.versions }, env: { ...base.meta.env } }
    };
    const run = path.dirname(path.dirname(publicTrace(relative)));
    const files: Record<string, string> = {};
    for (const prefix of ['', `${ASCEND_OUTPUT_DIR}/`]) {
      for (const name of fs.readdirSync(path.join(run, prefix))) {
        if (isSiblingFile(`${prefix}${name}`)) {
          files[`${prefix}${name}`] = fs.readFileSync(path.join(run, prefix, name), 'utf8');
        }
      }
    }
    applySiblings(model, files);
    withSiblingsCache.set(relative, model);
  }
  return model;
}

/** Public traces used by the analysis tests. */
export const TRACES = {
  ascendLevel0:
    'ascend-msinsight/level0/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json',
  ascendLevel1:
    'ascend-msinsight/level1/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
  ascendLevel2:
    'ascend-msinsight/level2/rank0_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz',
  ascend2024: 'ascend-msprof-analyze/timeline_advice/trace_view.json',
  cpuOnly: 'hta/cpu_only/rank-34.Jul_15_10_52_41.1074.pt.trace.json.gz',
  eventSync: 'hta/critical_path/cuda_event_sync/event_sync_trace.json.gz',
  alexnet:
    'hta/critical_path/alexnet/benchmark_result_2869224_1695835535_trace.json.gz',
  triton: 'hta/triton_example/triton_example.json.gz',
  amd: 'hta/amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz',
  nsResolution:
    'hta/ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz',
  control: 'hta/trace_diff/control/control.json.gz',
  resnet50:
    'kineto-tb-plugin/resnet50_num_workers_0/worker0.1623143089861.pt.trace.json.gz',
  dlrm: 'param-et-replay/dlrm_kineto/worker0_step_12.1694128201545.pt.trace.json'
} as const;
