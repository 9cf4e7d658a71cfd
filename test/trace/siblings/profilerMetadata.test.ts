import { describe, expect, it } from 'vitest';
import { parseProfilerMetadata } from '../../../src/trace/siblings';
import { outputText, siblingText } from './siblingFiles';

describe('parseProfilerMetadata', () => {
  it('leaves out the variables torch_npu recorded as unset (empty strings)', () => {
    for (const run of ['level0', 'level1', 'level2'] as const) {
      expect(parseProfilerMetadata(siblingText(run, 'profiler_metadata.json'))).toEqual({ env: {} });
    }
  });

  it('keeps the set variables and the distributed arguments of a 4-rank job', () => {
    const metadata = parseProfilerMetadata(siblingText('stLevel2', 'profiler_metadata.json'));
    expect(metadata?.env).toEqual({
      ASCEND_GLOBAL_LOG_LEVEL: '3',
      PYTORCH_NPU_ALLOC_CONF: 'expandable_segments:True'
    });
    expect(metadata?.distributed).toMatchObject({
      rank: 0,
      world_size: 4,
      pipeline_model_parallel_size: 2,
      data_parallel_size: 2,
      sequence_parallel: false
    });
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseProfilerMetadata(siblingText('level1', 'profiler_info_0.json'))).toBeNull();
    expect(parseProfilerMetadata(outputText('level1', 'memory_record.csv'))).toBeNull();
    expect(parseProfilerMetadata('{"ENV_VARIABLES": [1]}')).toBeNull();
  });
});
