import { describe, expect, it } from 'vitest';
import { parseMemoryRecord } from '../../../src/trace/siblings';
import { outputText, siblingText } from './siblingFiles';

describe('parseMemoryRecord', () => {
  it('finds no WORKSPACE component in the public runs (TASK_QUEUE_ENABLE was not 2)', () => {
    for (const run of ['level0', 'level1', 'level2'] as const) {
      const memory = parseMemoryRecord(outputText(run, 'memory_record.csv'));
      expect(memory?.workspace).toBe(false);
      expect(memory?.components).toEqual(['APP', 'GE', 'PTA', 'PTA+GE']);
    }
  });

  it('reports the Level1 peaks, skipping the empty Allocated cells of APP rows', () => {
    expect(parseMemoryRecord(outputText('level1', 'memory_record.csv'))).toMatchObject({
      peakAllocatedMb: 1261.04296875,
      peakReservedMb: 2113.73046875
    });
  });

  it('sees a WORKSPACE component, as torch_npu writes it under TASK_QUEUE_ENABLE=2', () => {
    // The Level1 file with one WORKSPACE row added, written the way torch_npu writes rows.
    const text = `${outputText('level1', 'memory_record.csv')}WORKSPACE,1736408883694300.150\t,4.0,4.0,4.0,897357296,NPU:0\r\n`;
    const memory = parseMemoryRecord(text);
    expect(memory?.workspace).toBe(true);
    expect(memory?.components).toContain('WORKSPACE');
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseMemoryRecord(outputText('level1', 'step_trace_time.csv'))).toBeNull();
    expect(parseMemoryRecord(siblingText('level1', 'profiler_info_0.json'))).toBeNull();
    expect(parseMemoryRecord('')).toBeNull();
  });
});
