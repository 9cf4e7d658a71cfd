import { describe, expect, it } from 'vitest';
import {
  busyOverlapUs,
  deviceBusy,
  deviceSlicesOverlapping
} from '../../src/analysis/deviceBusy';
import { makeTrace } from './makeTrace';
import { publicModel, TRACES } from './publicModel';

/** Two streams and a communication lane; a host lane that must be ignored. */
function trace() {
  return makeTrace({
    lanes: [
      { kind: 'host', label: 'Python Thread 1' },
      { kind: 'device', label: 'Stream 2' },
      { kind: 'device', label: 'Stream 4' },
      { kind: 'communication', label: 'Group 0 Communication' }
    ],
    slices: [
      { lane: 0, name: 'aten::mm', start: 0, dur: 1000, work: 'op' },
      { lane: 1, name: 'k1', start: 0, dur: 10, work: 'kernel' },
      { lane: 1, name: 'k2', start: 30, dur: 20, work: 'kernel' },
      { lane: 2, name: 'k3', start: 5, dur: 10, work: 'kernel' },
      { lane: 3, name: 'hcom_allReduce', start: 45, dur: 25, work: 'comm' },
      { lane: 1, name: 'k4', start: 100, dur: 10, work: 'kernel' }
    ]
  });
}

describe('deviceBusy', () => {
  it('merges device and communication slices into sorted disjoint intervals', () => {
    const busy = deviceBusy(trace());
    expect(busy.hasDevice).toBe(true);
    expect(Array.from(busy.union.start)).toEqual([0, 30, 100]);
    expect(Array.from(busy.union.end)).toEqual([15, 70, 110]);
    expect(busy.union.totalUs).toBe(15 + 40 + 10);
  });

  it('is computed once per trace and shared by everything that asks for it', () => {
    const model = trace();
    expect(deviceBusy(model)).toBe(deviceBusy(model));
    expect(deviceBusy(trace())).not.toBe(deviceBusy(model));
  });

  it('measures the overlap of a range with the busy union', () => {
    const busy = deviceBusy(trace());
    expect(busyOverlapUs(busy.union, 0, 200)).toBe(65);
    expect(busyOverlapUs(busy.union, 10, 40)).toBe(5 + 10);
    expect(busyOverlapUs(busy.union, 75, 95)).toBe(0);
    expect(busyOverlapUs(busy.union, 60, 60)).toBe(0);
    expect(busyOverlapUs(busy.union, -50, 5)).toBe(5);
  });

  it('lists the device slices that overlap a range, in start order', () => {
    const model = trace();
    const busy = deviceBusy(model);
    const names = (a: number, b: number) =>
      deviceSlicesOverlapping(busy, model, a, b).map(i => model.names[model.slices.name[i]]);
    expect(names(12, 50)).toEqual(['k3', 'k2', 'hcom_allReduce']);
    expect(names(70, 100)).toEqual([]);
    expect(names(0, 1e9)).toEqual(['k1', 'k3', 'k2', 'hcom_allReduce', 'k4']);
  });

  it('finds a long early slice that covers a late range', () => {
    const model = makeTrace({
      lanes: [{ kind: 'device', label: 'Stream 0' }, { kind: 'device', label: 'Stream 1' }],
      slices: [
        { lane: 0, name: 'long', start: 0, dur: 1000, work: 'kernel' },
        { lane: 1, name: 'short', start: 10, dur: 1, work: 'kernel' }
      ]
    });
    const busy = deviceBusy(model);
    expect(deviceSlicesOverlapping(busy, model, 500, 600)).toHaveLength(1);
  });

  it('ignores annotations and sync mirrors on device lanes', () => {
    const model = makeTrace({
      lanes: [{ kind: 'device', label: 'GPU 0 stream 7' }],
      slices: [
        { lane: 0, name: 'ProfilerStep#1', start: 0, dur: 100, work: 'op' },
        { lane: 0, name: 'Stream Sync', start: 50, dur: 40, work: 'sync' },
        { lane: 0, name: 'gemm', start: 10, dur: 5, work: 'kernel' }
      ]
    });
    expect(deviceBusy(model).union.totalUs).toBe(5);
  });

  it('is empty on a trace without device lanes', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Python Thread 1' }],
      slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 10, work: 'op' }]
    });
    const busy = deviceBusy(model);
    expect(busy.hasDevice).toBe(false);
    expect(busy.union.totalUs).toBe(0);
    expect(busyOverlapUs(busy.union, 0, 10)).toBe(0);
    expect(deviceSlicesOverlapping(busy, model, 0, 10)).toEqual([]);
  });
});

describe('deviceBusy on public traces', () => {
  it.each([
    ['Ascend Level1', TRACES.ascendLevel1],
    ['DLRM', TRACES.dlrm]
  ])('agrees with a brute-force overlap on %s', (_, file) => {
    const model = publicModel(file);
    const busy = deviceBusy(model);
    const { start, dur } = model.slices;
    const span = model.spanUs;
    for (let q = 0; q < 20; q++) {
      // Deterministic ranges spread over the span.
      const a = (span * ((q * 37) % 100)) / 100;
      const b = a + (span * ((q * 13) % 30)) / 100;
      const overlapping = deviceSlicesOverlapping(busy, model, a, b);
      // Brute force: clip every listed slice and merge.
      const clipped = overlapping
        .map(i => [Math.max(start[i], a), Math.min(start[i] + dur[i], b)])
        .sort((x, y) => x[0] - y[0]);
      let total = 0;
      let end = -Infinity;
      for (const [s, e] of clipped) {
        total += Math.max(0, e - Math.max(s, end));
        end = Math.max(end, e);
      }
      expect(busyOverlapUs(busy.union, a, b)).toBeCloseTo(total, 6);
      // And nothing that overlaps is missed.
      let missed = 0;
      for (const i of busy.slices) {
        if (start[i] < b && start[i] + dur[i] > a && !overlapping.includes(i)) {
          missed++;
        }
      }
      expect(missed).toBe(0);
    }
  });

  it('is busy for part of the Ascend Level1 span and empty on the CPU-only trace', () => {
    const ascend = publicModel(TRACES.ascendLevel1);
    const total = deviceBusy(ascend).union.totalUs;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(ascend.spanUs);
    expect(deviceBusy(publicModel(TRACES.cpuOnly)).hasDevice).toBe(false);
  });
});
