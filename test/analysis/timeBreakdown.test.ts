import { describe, expect, it } from 'vitest';
import { timeBreakdown } from '../../src/analysis/timeBreakdown';
import { makeTrace } from './makeTrace';
import { publicModel, TRACES } from './publicModel';

describe('timeBreakdown', () => {
  it('partitions the span into compute, communication, copy and idle with compute first', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'device', label: 'stream 1' },
        { kind: 'communication', label: 'HCCL' }
      ],
      slices: [
        { lane: 0, start: 0, dur: 100, name: 'k1', work: 'kernel' },
        { lane: 1, start: 50, dur: 100, name: 'hcom', work: 'comm' },
        { lane: 0, start: 200, dur: 20, name: 'MEMCPY_ASYNC', work: 'copy' },
        { lane: 0, start: 990, dur: 10, name: 'k2', work: 'kernel' }
      ]
    });
    const b = timeBreakdown(model);
    expect(b.spanUs).toBe(1000);
    expect(b.computeUs).toBe(110);
    expect(b.commUs).toBe(50);
    expect(b.copyUs).toBe(20);
    expect(b.idleUs).toBe(820);
  });

  it('counts the whole span as idle without a device, and no device buckets', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Thread 1' }],
      slices: [{ lane: 0, start: 0, dur: 500, name: 'aten::mm', work: 'op' }]
    });
    const b = timeBreakdown(model);
    expect([b.computeUs, b.commUs, b.copyUs]).toEqual([0, 0, 0]);
    expect(b.idleUs).toBe(500);
  });

  it.each(Object.entries(TRACES))('sums its device buckets to the span on %s', (_, file) => {
    const b = timeBreakdown(publicModel(file));
    expect(b.computeUs + b.commUs + b.copyUs + b.idleUs).toBeCloseTo(b.spanUs, 3);
    const { idleCauses, ...times } = b;
    for (const v of [...Object.values(times), ...Object.values(idleCauses ?? {})]) {
      if (typeof v === 'number') {
        expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('shows the Ascend Level1 run waiting on communication and compiling online', () => {
    const b = timeBreakdown(publicModel(TRACES.ascendLevel1));
    expect(b.commUs).toBeGreaterThan(b.computeUs);
    expect(b.syncWaitUs).toBeGreaterThan(90_000);
    // 19 aclopCompileAndExecute calls, 14.0 ms in api_statistic.csv.
    expect(b.compileUs).toBeGreaterThan(10_000);
    expect(b.compileUs).toBeLessThan(15_000);
  });
});

describe('timeBreakdown idle causes', () => {
  it('splits the Level1 step idle into causes that add up to the idle inside the step', () => {
    const c = timeBreakdown(publicModel(TRACES.ascendLevel1)).idleCauses!;
    expect(c.windowSource).toBe('steps');
    expect(c.dispatchUs).toBeGreaterThan(0);
    expect(c.syncUs).toBeGreaterThan(0);
    const idle = c.dispatchUs + c.syncUs + c.kernelGapUs + c.otherUs;
    expect(idle).toBeGreaterThan(0);
    expect(idle).toBeLessThanOrEqual(c.windowUs);
  });

  it('has no idle causes without device work', () => {
    expect(timeBreakdown(publicModel(TRACES.cpuOnly)).idleCauses).toBeUndefined();
  });
});
