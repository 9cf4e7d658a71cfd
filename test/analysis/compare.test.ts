import { describe, expect, it } from 'vitest';
import {
  addToHistory,
  compareSnapshots,
  MAX_HISTORY,
  snapshotOf,
  type IProfileSnapshot
} from '../../src/analysis/compare';
import { summarize } from '../../src/analysis/summarize';
import { publicModel, TRACES } from './publicModel';

function snap(startedAt: string, over: Partial<IProfileSnapshot> = {}): IProfileSnapshot {
  return {
    startedAt,
    backend: 'ascend',
    device: 'Ascend NPU',
    wallUs: 1_500_000,
    spanUs: 1_400_000,
    deviceBusyUs: 700_000,
    deviceIdleUs: 700_000,
    syncWaitUs: 600_000,
    compileUs: 100_000,
    env: {},
    problems: ['sync-wait'],
    topOps: [{ name: 'aten::linear', side: 'host', totalUs: 300_000 }],
    ...over
  };
}

describe('snapshotOf', () => {
  it('keeps the numbers of a real Ascend profile that a comparison needs', () => {
    const summary = summarize(publicModel(TRACES.ascendLevel1));
    const s = snapshotOf(summary, {
      startedAt: '2026-11-25T10:00:00',
      wallTimeS: 0.25,
      env: { TASK_QUEUE_ENABLE: '2', CPU_AFFINITY_CONF: null }
    });
    expect(s.wallUs).toBe(250_000);
    expect(s.backend).toBe('ascend');
    expect(s.syncWaitUs).toBeGreaterThan(90_000);
    expect(s.compileUs).toBeGreaterThan(10_000);
    expect(s.deviceBusyUs + s.deviceIdleUs).toBeCloseTo(s.spanUs, 3);
    expect(s.env).toEqual({ TASK_QUEUE_ENABLE: '2' });
    expect(s.problems).toContain('sync-wait');
    // Small enough to keep 20 of them in a cell's metadata.
    expect(JSON.stringify(s).length).toBeLessThan(4000);
  });
});

describe('snapshotOf a run that stopped early', () => {
  it('marks it partial, so it is not the default to compare with', () => {
    const summary = summarize(publicModel(TRACES.ascendLevel1));
    const run = { startedAt: 'a', wallTimeS: 0.1, env: {} };
    expect(snapshotOf(summary, { ...run, cellError: 'KeyboardInterrupt' }).partial).toBe(true);
    expect(snapshotOf(summary, { ...run, cellError: null }).partial).toBeUndefined();
  });
});

describe('compareSnapshots', () => {
  it('shows the seed case: Ascend 1.5 s before, 0.7 s after, with the setting that changed', () => {
    const before = snap('2026-11-25T10:00:00');
    const after = snap('2026-11-25T10:05:00', {
      wallUs: 700_000,
      syncWaitUs: 100_000,
      compileUs: 0,
      env: { TASK_QUEUE_ENABLE: '2' },
      topOps: [{ name: 'aten::linear', side: 'host', totalUs: 120_000 }]
    });
    const c = compareSnapshots(before, after);
    const wall = c.rows.find(r => r.metric === 'wall')!;
    expect(wall.deltaUs).toBe(-800_000);
    expect(wall.deltaShare).toBeCloseTo(-0.5333, 3);
    expect(c.rows.find(r => r.metric === 'compile')!.after).toBe(0);
    expect(c.envChanges).toEqual({ TASK_QUEUE_ENABLE: ['', '2'] });
    expect(c.opChanges).toEqual([
      { name: 'aten::linear', side: 'host', before: 300_000, after: 120_000 }
    ]);
    expect(c.crossDevice).toBe(false);
  });

  it('lists a runtime switch that changed (online compile off) with the environment changes', () => {
    const summary = summarize(publicModel(TRACES.ascendLevel1));
    const run = { wallTimeS: 0.2, env: { TASK_QUEUE_ENABLE: '2' } };
    const before = snapshotOf(summary, {
      ...run,
      startedAt: 'a',
      switches: { jit_compile: true, allow_internal_format: false }
    });
    const after = snapshotOf(summary, {
      ...run,
      startedAt: 'b',
      switches: { jit_compile: false, allow_internal_format: false }
    });
    expect(after.switches).toEqual({ jit_compile: 'false', allow_internal_format: 'false' });
    expect(compareSnapshots(before, after).envChanges).toEqual({ jit_compile: ['true', 'false'] });
    // A run that recorded no switches (CPU, CUDA) stores none, and is not said to differ.
    const cpu = snapshotOf(summary, { ...run, startedAt: 'c' });
    expect(cpu.switches).toBeUndefined();
    expect(compareSnapshots(cpu, after).envChanges).toEqual({});
  });

  it('says when the runs are on different devices (a GPU run against an NPU run)', () => {
    const c = compareSnapshots(snap('a', { backend: 'cuda' }), snap('b'));
    expect(c.crossDevice).toBe(true);
  });

  it('leaves out device rows for two CPU runs and the compile row where nothing compiled', () => {
    const cpu = (startedAt: string) =>
      snap(startedAt, {
        backend: 'cpu',
        hasDevice: false,
        deviceBusyUs: 0,
        deviceIdleUs: 1_400_000,
        syncWaitUs: 0,
        compileUs: 0
      });
    expect(compareSnapshots(cpu('a'), cpu('b')).rows.map(r => r.metric)).toEqual(['wall', 'span']);
    // Against an NPU run the device rows are back (a CPU run against an NPU run).
    const rows = compareSnapshots(cpu('a'), snap('b')).rows.map(r => r.metric);
    expect(rows).toEqual(['wall', 'span', 'deviceBusy', 'deviceIdle', 'syncWait', 'compile']);
  });

  it('names the profiler options that differ, only when both runs recorded theirs', () => {
    const summary = summarize(publicModel(TRACES.ascendLevel1));
    const run = { wallTimeS: 0.2, env: {} };
    const level1 = snapshotOf(summary, {
      ...run,
      startedAt: 'a',
      profiler: { level: 'Level1', warmup_runs: 0, recorded_runs: 1, with_stack: false }
    });
    const level2 = snapshotOf(summary, {
      ...run,
      startedAt: 'b',
      profiler: { level: 'Level2', warmup_runs: 2, recorded_runs: 1, with_stack: false }
    });
    expect(level1.profiler).toEqual({
      level: 'Level1',
      warmup_runs: '0',
      recorded_runs: '1',
      with_stack: 'false'
    });
    expect(compareSnapshots(level1, level2).profilerChanges).toEqual({
      level: ['Level1', 'Level2'],
      warmup_runs: ['0', '2']
    });
    const fromFile = snapshotOf(summary, { ...run, startedAt: '' });
    expect(compareSnapshots(fromFile, level2).profilerChanges).toEqual({});
  });

  it('says an operator missing from a run\'s top list is unknown there, not 0 µs', () => {
    const c = compareSnapshots(
      snap('a'),
      snap('b', {
        topOps: [
          { name: 'aten::linear', side: 'host', totalUs: 290_000 },
          { name: 'aten::item', side: 'host', totalUs: 90_000 }
        ]
      })
    );
    expect(c.opChanges[0]).toEqual({ name: 'aten::item', side: 'host', before: null, after: 90_000 });
    expect(c.opChanges[1]).toEqual({ name: 'aten::linear', side: 'host', before: 300_000, after: 290_000 });
  });

  it('has no wall row when neither run recorded its wall time (two trace files)', () => {
    const file = (startedAt: string) => snap(startedAt, { wallUs: Number.NaN });
    expect(compareSnapshots(file(''), file('')).rows.map(r => r.metric)).not.toContain('wall');
    // A file against a profiled cell keeps the row: one side is known.
    expect(compareSnapshots(file(''), snap('b')).rows.map(r => r.metric)).toContain('wall');
  });

  it('gives no relative change for a metric that was zero before', () => {
    const c = compareSnapshots(snap('a', { compileUs: 0 }), snap('b', { compileUs: 50 }));
    expect(c.rows.find(r => r.metric === 'compile')!.deltaShare).toBeNull();
  });
});

describe('addToHistory', () => {
  it('keeps runs in time order, replaces a re-recorded run and caps the length', () => {
    let h: IProfileSnapshot[] = [];
    for (let i = 0; i < MAX_HISTORY + 5; i++) {
      h = addToHistory(h, snap(`2026-11-25T10:${String(i).padStart(2, '0')}:00`));
    }
    expect(h).toHaveLength(MAX_HISTORY);
    expect(h[0].startedAt).toBe('2026-11-25T10:05:00');
    const again = addToHistory(h, snap(h[3].startedAt, { wallUs: 1 }));
    expect(again).toHaveLength(MAX_HISTORY);
    expect(again[3].wallUs).toBe(1);
  });
});
