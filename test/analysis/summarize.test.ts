import { describe, expect, it } from 'vitest';
import {
  displaySlices,
  MAX_TIMELINE_MARKS,
  summarize,
  TIMELINE_BUCKETS,
  TOP_OPS
} from '../../src/analysis/summarize';
import { SUMMARY_VERSION } from '../../src/analysis/summary';
import { makeTrace, type ISliceSpec } from './makeTrace';
import { publicModel, TRACES } from './publicModel';

function smallTrace() {
  return makeTrace({
    backend: 'cuda',
    device: 'NVIDIA A100',
    lanes: [
      { kind: 'host', label: 'Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', pid: '0', tid: '7' }
    ],
    slices: [
      { lane: 0, name: 'ProfilerStep#3', start: 0, dur: 8_000, work: 'step' },
      { lane: 0, name: 'aten::mm', start: 100, dur: 300, work: 'op' },
      { lane: 0, name: 'cudaLaunchKernel', start: 150, dur: 20, work: 'launch' },
      { lane: 0, name: 'aten::mm', start: 500, dur: 300, work: 'op' },
      { lane: 0, name: 'aten::relu', start: 900, dur: 100, work: 'op' },
      { lane: 1, name: 'gemm', start: 200, dur: 1_000, work: 'kernel' },
      { lane: 1, name: 'gemm', start: 1_201, dur: 1_000, work: 'kernel' },
      { lane: 1, name: 'relu', start: 2_202, dur: 5, work: 'kernel' },
      { lane: 1, name: 'relu', start: 7_000, dur: 10, work: 'kernel' }
    ],
    steps: [{ name: 'ProfilerStep#3', start: 0, dur: 8_000 }],
    warnings: ['a neutral fact']
  });
}

describe('summarize', () => {
  it('reports lanes with their events and busy time', () => {
    const s = summarize(smallTrace());
    expect(s.version).toBe(SUMMARY_VERSION);
    expect(s.backend).toBe('cuda');
    expect(s.device).toBe('NVIDIA A100');
    expect(s.spanUs).toBe(8_000);
    expect(s.events).toBe(9);
    expect(s.lanes).toEqual([
      { kind: 'host', label: 'Thread 1', events: 5, busyUs: 8_000 },
      { kind: 'device', label: 'GPU 0 stream 7', events: 4, busyUs: 2_015 }
    ]);
    expect(s.hasDevice).toBe(true);
    expect(s.deviceBusyUs).toBe(2_015);
    expect(s.steps).toEqual([{ name: 'ProfilerStep#3', start: 0, dur: 8_000 }]);
    expect(s.warnings).toEqual(['a neutral fact']);
  });

  it('merges slices closer than a bucket into one mark named after the longest', () => {
    const s = summarize(smallTrace());
    const device = s.marks.filter(m => m.lane === 1);
    // Bucket = 8000 / 800 = 10 µs: the 1 µs gaps merge, the 4.8 ms gap does not.
    expect(device).toEqual([
      { lane: 1, start: 200, end: 2_207, name: 'gemm', work: 'kernel', count: 3, busyUs: 2_005 },
      { lane: 1, start: 7_000, end: 7_010, name: 'relu', work: 'kernel', count: 1, busyUs: 10 }
    ]);
    // The step only wraps work: the host lane shows the ops inside it.
    const host = s.marks.filter(m => m.lane === 0).map(m => m.name);
    expect(host).not.toContain('ProfilerStep#3');
    expect(host.length).toBeGreaterThan(0);
  });

  it('lists top host ops without steps and top device work', () => {
    const s = summarize(smallTrace());
    expect(s.topOps.host).toEqual([
      { name: 'aten::mm', count: 2, totalUs: 600 },
      { name: 'aten::relu', count: 1, totalUs: 100 }
    ]);
    expect(s.topOps.device).toEqual([
      { name: 'gemm', count: 2, totalUs: 2_000 },
      { name: 'relu', count: 2, totalUs: 15 }
    ]);
  });

  it('puts the checklist in the summary', () => {
    expect(summarize(smallTrace()).findings.map(f => f.id)).toContain('sync-wait');
  });

  it('caps the marks when many lanes have many separated slices', () => {
    const spanUs = 1_000_000;
    const bucketUs = spanUs / TIMELINE_BUCKETS;
    const lanes = Array.from({ length: 12 }, (_, i) => ({
      kind: 'device' as const,
      label: `Stream ${i}`,
      tid: String(i)
    }));
    const slices: ISliceSpec[] = [];
    // 12 lanes × 400 slices two buckets apart: 4,800 marks at the first width.
    for (let lane = 0; lane < lanes.length; lane++) {
      for (let k = 0; k < 400; k++) {
        slices.push({ lane, name: `k${k % 7}`, start: k * 2 * bucketUs, dur: 1, work: 'kernel' });
      }
    }
    expect(slices.length).toBeGreaterThan(MAX_TIMELINE_MARKS);
    const s = summarize(makeTrace({ lanes, slices, spanUs }));
    expect(s.marks.length).toBeGreaterThan(0);
    expect(s.marks.length).toBeLessThanOrEqual(MAX_TIMELINE_MARKS);
    // Nothing is lost: the marks still count every slice and its busy time.
    expect(s.marks.reduce((n, m) => n + m.count, 0)).toBe(slices.length);
    expect(s.marks.reduce((n, m) => n + m.busyUs, 0)).toBe(slices.length);
  });

  it('keeps the top lists to TOP_OPS names', () => {
    const slices: ISliceSpec[] = Array.from({ length: 30 }, (_, k) => ({
      lane: 0,
      name: `aten::op${k}`,
      start: k * 10,
      dur: k + 1,
      work: 'op' as const
    }));
    const s = summarize(makeTrace({ lanes: [{ kind: 'host', label: 'Thread 1' }], slices }));
    expect(s.topOps.host).toHaveLength(TOP_OPS);
    expect(s.topOps.host[0].name).toBe('aten::op29');
    expect(s.hasDevice).toBe(false);
    expect(s.deviceBusyUs).toBe(0);
    expect(s.topOps.device).toEqual([]);
  });

  it('summarises an empty trace', () => {
    const s = summarize(makeTrace({ lanes: [], slices: [] }));
    expect(s.marks).toEqual([]);
    expect(s.events).toBe(0);
    expect(s.findings.find(f => f.id === 'sync-wait')?.variant).toBe('no-device');
    // Nothing to find in nothing: every check passes or does not apply.
    expect(s.findings.every(f => f.severity === 'ok')).toBe(true);
  });
});

describe('summarize on public traces', () => {
  it.each(Object.entries(TRACES))('keeps its invariants on %s', (_, file) => {
    const model = publicModel(file);
    const s = summarize(model);
    expect(s.events).toBe(model.slices.count);
    expect(s.marks.length).toBeLessThanOrEqual(MAX_TIMELINE_MARKS);
    // Every shown slice is in exactly one mark.
    let shown = 0;
    model.lanes.forEach((_, lane) => {
      const list: number[] = [];
      for (let i = 0; i < model.slices.count; i++) {
        if (model.slices.lane[i] === lane) {
          list.push(i);
        }
      }
      shown += displaySlices(model, list).length;
    });
    expect(s.marks.reduce((n, m) => n + m.count, 0)).toBe(shown);
    // No mark is a step or a Python frame.
    expect(s.marks.some(m => m.work === 'step' || m.work === 'python')).toBe(false);
    for (const lane of s.lanes) {
      expect(lane.busyUs).toBeLessThanOrEqual(s.spanUs + 1e-6);
    }
    expect(s.deviceBusyUs).toBeLessThanOrEqual(s.spanUs + 1e-6);
    expect(s.findings.length).toBeGreaterThan(0);
  });

  it('stays small for the largest public traces (35 MB of JSON each)', () => {
    for (const file of [TRACES.resnet50, TRACES.control]) {
      const bytes = new TextEncoder().encode(JSON.stringify(summarize(publicModel(file)))).length;
      expect(bytes).toBeLessThan(256 * 1024);
    }
  });

  it('shows the Ascend Level1 device and ranks the sync wait first', () => {
    const s = summarize(publicModel(TRACES.ascendLevel1));
    expect(s.backend).toBe('ascend');
    expect(s.hasDevice).toBe(true);
    expect(s.deviceBusyUs).toBeGreaterThan(0);
    expect(s.findings[0]).toMatchObject({ id: 'sync-wait', variant: 'waits', severity: 'high' });
    expect(s.topOps.host.map(o => o.name)).toContain('aten::item');
    expect(s.topOps.host.some(o => o.name.startsWith('ProfilerStep#'))).toBe(false);
  });

  it('counts the Ascend Level1 device work under the ATen operator that launched it', () => {
    const model = publicModel(TRACES.ascendLevel1);
    const byOperator = summarize(model).topOps.byOperator!;
    // The Conv2D kernels and the TransData casts around them were launched for aten::_convolution.
    const conv = byOperator.find(o => o.name === 'aten::_convolution');
    expect(conv).toBeDefined();
    let tasks = 0;
    let totalUs = 0;
    const { slices, lanes, names, links } = model;
    for (let i = 0; i < slices.count; i++) {
      const onDevice = lanes[slices.lane[i]].kind === 'device';
      if (onDevice && links.op[i] >= 0 && names[slices.name[links.op[i]]] === 'aten::_convolution') {
        tasks++;
        totalUs += slices.dur[i];
      }
    }
    expect(conv!.count).toBe(tasks);
    expect(conv!.totalUs).toBeCloseTo(totalUs, 6);
    expect(tasks).toBeGreaterThanOrEqual(14);
    expect(byOperator.map(o => o.totalUs)).toEqual([...byOperator.map(o => o.totalUs)].sort((a, b) => b - a));
  });

  it('summarises the Ascend Level1 counters: each series, and the samples on each counter lane', () => {
    const model = publicModel(TRACES.ascendLevel1);
    const s = summarize(model);
    expect(s.counters).toHaveLength(model.counters.series.length);
    const samples = s.counters!.reduce((n, c) => n + c.samples, 0);
    expect(samples).toBe(model.counters.time.length);
    expect(s.lanes.reduce((n, l) => n + (l.samples ?? 0), 0)).toBe(samples);
    expect(s.lanes.find(l => l.label === 'AI Core Freq')).toMatchObject({ kind: 'counter', events: 0, samples: 2 });
    for (const c of s.counters!) {
      expect(c.min).toBeLessThanOrEqual(c.mean + 1e-9);
      expect(c.mean).toBeLessThanOrEqual(c.max + 1e-9);
    }
    // NPU memory in use by the app: its mean lies inside its range and is weighted by time.
    const hbm = s.counters!.find(c => c.name === 'APP/HBM')!;
    expect(hbm).toMatchObject({ lane: 'NPU MEM', key: 'KB' });
    expect(hbm.max).toBeGreaterThan(1e6);
  });

  it('has no counters in a Kineto summary', () => {
    expect(summarize(publicModel(TRACES.dlrm)).counters).toBeUndefined();
  });

  it('says there is no device on the CPU-only trace', () => {
    const s = summarize(publicModel(TRACES.cpuOnly));
    expect(s.hasDevice).toBe(false);
    expect(s.deviceBusyUs).toBe(0);
    expect(s.topOps.device).toEqual([]);
    expect(s.findings.find(f => f.id === 'sync-wait')?.variant).toBe('no-device');
    // Without a device every check passes or does not apply; none invents a problem.
    expect(s.findings.filter(f => f.severity !== 'ok')).toEqual([]);
  });
});
