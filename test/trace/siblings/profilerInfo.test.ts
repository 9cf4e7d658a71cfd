import { describe, expect, it } from 'vitest';
import { parseProfilerInfo } from '../../../src/trace/siblings';
import { outputText, siblingText } from './siblingFiles';

describe('parseProfilerInfo', () => {
  it('reads the Level1 settings of early-2025 torch_npu (rank_id a number, _export_type a string)', () => {
    expect(parseProfilerInfo(siblingText('level1', 'profiler_info_0.json'))).toEqual({
      level: 'Level1',
      activities: ['ProfilerActivity.CPU', 'ProfilerActivity.NPU'],
      recordShapes: true,
      withStack: true,
      profileMemory: true,
      aicMetrics: 'ACL_AICORE_PIPE_UTILIZATION',
      rankId: '0',
      exportType: ['text']
    });
  });

  it('tells the levels of the Level0 and Level2 runs apart', () => {
    expect(parseProfilerInfo(siblingText('level0', 'profiler_info_0.json'))).toMatchObject({
      level: 'Level0',
      aicMetrics: 'ACL_AICORE_NONE'
    });
    expect(parseProfilerInfo(siblingText('level2', 'profiler_info_0.json'))?.level).toBe('Level2');
  });

  it('reads versions, a string rank_id and a list _export_type from torch_npu 2.7.1', () => {
    const info = parseProfilerInfo(siblingText('stLevel2', 'profiler_info_0.json'));
    expect(info).toMatchObject({
      level: 'Level2',
      withStack: false,
      recordShapes: true,
      rankId: '0',
      exportType: ['text'],
      torchNpuVersion: '2.7.1',
      cannVersion: '8.3.RC1'
    });
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseProfilerInfo(siblingText('level1', 'profiler_metadata.json'))).toBeNull();
    expect(parseProfilerInfo(outputText('level1', 'step_trace_time.csv'))).toBeNull();
    expect(parseProfilerInfo('[1, 2]')).toBeNull();
    expect(parseProfilerInfo('')).toBeNull();
  });
});
