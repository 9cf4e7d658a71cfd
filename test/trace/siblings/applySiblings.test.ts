import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ITraceModel } from '../../../src/trace/model';
import { readTrace } from '../../../src/trace/readTrace';
import {
  applySiblings,
  isSiblingFile,
  SIBLING_FILE_NAMES,
  siblingKind
} from '../../../src/trace/siblings';
import { AscendRun, runDir, siblingText } from './siblingFiles';

/** A fresh model of the Level1 public trace (applySiblings changes it). */
function level1Model(): ITraceModel {
  const file = path.join(runDir('level1'), 'ASCEND_PROFILER_OUTPUT', 'trace_view.json.gz');
  return readTrace(zlib.gunzipSync(fs.readFileSync(file)));
}

/** Every file of a run that siblingKind says is worth reading, by relative path. */
function siblingsOf(run: AscendRun): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [dir, prefix] of [
    ['', ''],
    ['ASCEND_PROFILER_OUTPUT', 'ASCEND_PROFILER_OUTPUT/']
  ]) {
    for (const name of fs.readdirSync(path.join(runDir(run), dir))) {
      if (isSiblingFile(`${prefix}${name}`)) {
        files[`${prefix}${name}`] = siblingText(run, `${prefix}${name}`);
      }
    }
  }
  return files;
}

describe('siblingKind', () => {
  it('names the files of a *_ascend_pt folder worth fetching', () => {
    expect(siblingKind('profiler_info_0.json')).toBe('profiler_info');
    expect(siblingKind('profiler_info_12.json')).toBe('profiler_info');
    expect(siblingKind('profiler_info.json')).toBe('profiler_info');
    expect(siblingKind('profiler_metadata.json')).toBe('profiler_metadata');
    expect(siblingKind('ASCEND_PROFILER_OUTPUT/memory_record.csv')).toBe('memory_record');
    expect(siblingKind('ASCEND_PROFILER_OUTPUT\\kernel_details.csv')).toBe('kernel_details');
    expect(siblingKind('ASCEND_PROFILER_OUTPUT/trace_view.json')).toBeNull();
    expect(siblingKind('ASCEND_PROFILER_OUTPUT/operator_details.csv')).toBeNull();
    expect(siblingKind('memory_record.csv')).toBeNull();
    expect(siblingKind('PROF_000001/mindstudio_profiler_output/api_statistic.csv')).toBeNull();
    expect(SIBLING_FILE_NAMES.every(isSiblingFile)).toBe(true);
  });

  it('finds the six sibling files in the Level1 folder', () => {
    expect(Object.keys(siblingsOf('level1')).sort()).toEqual([
      'ASCEND_PROFILER_OUTPUT/api_statistic.csv',
      'ASCEND_PROFILER_OUTPUT/kernel_details.csv',
      'ASCEND_PROFILER_OUTPUT/memory_record.csv',
      'ASCEND_PROFILER_OUTPUT/step_trace_time.csv',
      'profiler_info_0.json',
      'profiler_metadata.json'
    ]);
  });
});

describe('applySiblings', () => {
  it('fills meta.ascend of the Level1 model from its folder', () => {
    const model = level1Model();
    applySiblings(model, siblingsOf('level1'));
    const ascend = model.meta.ascend!;
    expect(ascend.files).toHaveLength(6);
    expect(ascend.profilerConfig).toMatchObject({ level: 'Level1', withStack: true, rankId: '0' });
    expect(ascend.taskQueueWorkspace).toBe(false);
    expect(ascend.memory?.peakReservedMb).toBeCloseTo(2113.73, 2);
    expect(ascend.stepTrace?.[0]).toMatchObject({ step: '50', free: expect.closeTo(25744.05, 3) });
    expect(ascend.kernelSummary).toMatchObject({ tasks: 191, transData: { count: 57 } });
    expect(ascend.apiStatistic?.find(a => a.name === 'aclopCompileAndExecute')).toMatchObject({
      count: 19,
      totalUs: 14049.23
    });
    // All nine recorded variables were unset in this run.
    expect(model.meta.env).toEqual({});
    expect(model.warnings).toEqual([]);
  });

  it('merges torch_npu/CANN versions and set variables, keeping what the model already has', () => {
    const model = level1Model();
    model.meta.env.PYTORCH_NPU_ALLOC_CONF = 'from-the-kernel';
    applySiblings(model, {
      'profiler_info_0.json': siblingText('stLevel2', 'profiler_info_0.json'),
      'profiler_metadata.json': siblingText('stLevel2', 'profiler_metadata.json')
    });
    expect(model.meta.versions).toMatchObject({ torch_npu: '2.7.1', cann: '8.3.RC1' });
    expect(model.meta.env).toEqual({
      ASCEND_GLOBAL_LOG_LEVEL: '3',
      PYTORCH_NPU_ALLOC_CONF: 'from-the-kernel'
    });
    expect(model.meta.ascend?.distributed).toMatchObject({ world_size: 4 });
    expect(model.meta.ascend?.taskQueueWorkspace).toBeUndefined();
  });

  it('takes the rank from profiler_info (a string in newer torch_npu) and the job size from distributed_args', () => {
    const model = level1Model();
    expect(model.meta.rank).toBeUndefined();
    applySiblings(model, {
      'profiler_info_0.json': siblingText('stLevel2', 'profiler_info_0.json'),
      'profiler_metadata.json': siblingText('stLevel2', 'profiler_metadata.json')
    });
    expect(model.meta.rank).toBe('0');
    expect(model.meta.worldSize).toBe('4');
  });

  it('takes the lowest rank of several profiler_info files, counting ranks as numbers', () => {
    const model = level1Model();
    const info = (rank: number) => {
      const parsed = JSON.parse(siblingText('stLevel2', 'profiler_info_0.json'));
      parsed.rank_id = rank;
      return JSON.stringify(parsed);
    };
    applySiblings(model, { 'profiler_info_10.json': info(10), 'profiler_info_2.json': info(2) });
    expect(model.meta.rank).toBe('2');
  });

  it('reads a rank written as text in distributed_args, and no rank from text that is not a number', () => {
    const model = level1Model();
    const info = JSON.parse(siblingText('level1', 'profiler_info_0.json'));
    info.rank_id = 'n/a';
    const metadata = JSON.parse(siblingText('stLevel2', 'profiler_metadata.json'));
    metadata.distributed_args.rank = '3';
    applySiblings(model, {
      'profiler_info.json': JSON.stringify(info),
      'profiler_metadata.json': JSON.stringify(metadata)
    });
    expect(model.meta.rank).toBe('3');
    expect(model.meta.worldSize).toBe('4');
  });

  it('records no rank for a run outside a distributed job (rank_id -1)', () => {
    const model = level1Model();
    const info = JSON.parse(siblingText('level1', 'profiler_info_0.json'));
    info.rank_id = -1;
    applySiblings(model, { 'profiler_info.json': JSON.stringify(info) });
    expect(model.meta.ascend?.profilerConfig?.rankId).toBe('-1');
    expect(model.meta.rank).toBeUndefined();
  });

  it('accepts bare file names as keys', () => {
    const model = level1Model();
    applySiblings(model, {
      'memory_record.csv': siblingText('level1', 'ASCEND_PROFILER_OUTPUT/memory_record.csv'),
      'step_trace_time.csv': siblingText('stLevel2', 'ASCEND_PROFILER_OUTPUT/step_trace_time.csv')
    });
    expect(model.meta.ascend?.taskQueueWorkspace).toBe(false);
    expect(model.meta.ascend?.stepTrace?.[0]).toMatchObject({ step: '13', deviceId: '0' });
  });

  it('skips a file that is not of its kind with a warning, and leaves meta.ascend unset when nothing was read', () => {
    const model = level1Model();
    applySiblings(model, {
      'ASCEND_PROFILER_OUTPUT/kernel_details.csv': '<html>gateway timeout</html>',
      'ASCEND_PROFILER_OUTPUT/operator_details.csv': 'Name\n'
    });
    expect(model.meta.ascend).toBeUndefined();
    expect(model.warnings).toEqual([
      'ASCEND_PROFILER_OUTPUT/kernel_details.csv is not in the format of a torch_npu kernel_details file; it was skipped.'
    ]);
  });
});
