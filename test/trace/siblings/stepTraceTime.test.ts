import { describe, expect, it } from 'vitest';
import { parseStepTraceTime } from '../../../src/trace/siblings';
import { outputText } from './siblingFiles';

describe('parseStepTraceTime', () => {
  it('reads Level1 step 50 as documented: Computing 8,874, Communication 105,992, Free 25,744, Preparing 17,902 µs', () => {
    const steps = parseStepTraceTime(outputText('level1', 'step_trace_time.csv'));
    expect(steps).toHaveLength(1);
    const [step] = steps!;
    expect(step.step).toBe('50');
    expect(step.deviceId).toBeUndefined();
    expect(step.computing).toBeCloseTo(8873.756, 3);
    expect(step.communicationNotOverlapped).toBeCloseTo(101963.203, 3);
    expect(step.overlapped).toBeCloseTo(4028.675, 3);
    expect(step.communication).toBeCloseTo(105991.878, 3);
    expect(step.free).toBeCloseTo(25744.05, 3);
    expect(step.preparing).toBeCloseTo(17902.5, 3);
  });

  it('reads the Level0 and Level2 rows', () => {
    const [level0] = parseStepTraceTime(outputText('level0', 'step_trace_time.csv'))!;
    expect(level0.free).toBeCloseTo(25908.102, 3);
    expect(level0.preparing).toBe(19358);
    const [level2] = parseStepTraceTime(outputText('level2', 'step_trace_time.csv'))!;
    expect(level2.computing).toBeCloseTo(8868.24, 3);
    expect(level2.free).toBeCloseTo(25032.619, 3);
  });

  it('reads the newest variant with its leading Device_id column', () => {
    expect(parseStepTraceTime(outputText('stLevel2', 'step_trace_time.csv'))).toEqual([
      {
        step: '13',
        deviceId: '0',
        computing: expect.closeTo(231290.1, 3),
        communicationNotOverlapped: expect.closeTo(420174.26, 3),
        overlapped: 0,
        communication: expect.closeTo(420174.26, 3),
        free: expect.closeTo(158558.0, 3),
        preparing: 206.25
      }
    ]);
  });

  it('returns null for other files instead of throwing', () => {
    expect(parseStepTraceTime(outputText('level1', 'api_statistic.csv'))).toBeNull();
    expect(parseStepTraceTime(outputText('level1', 'communication.json'))).toBeNull();
    expect(parseStepTraceTime('')).toBeNull();
  });
});
