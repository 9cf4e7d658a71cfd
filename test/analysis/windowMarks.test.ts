import { describe, expect, it } from 'vitest';
import { displaySlices, slicesByLane } from '../../src/analysis/summarize';
import {
  buildLodIndex,
  DEFAULT_MARK_BUDGET,
  lodWindow,
  markTransferList,
  marksOfColumns,
  windowCovers,
  windowMarks,
  WINDOW_SPANS
} from '../../src/analysis/windowMarks';
import { makeTrace, type ISliceSpec } from './makeTrace';
import { publicModel, TRACES } from './publicModel';

/** A host lane with a step around ops, and a device lane with a long kernel and many short ones. */
function trace() {
  const slices: ISliceSpec[] = [
    { lane: 0, name: 'ProfilerStep#0', start: 0, dur: 100_000, work: 'step' },
    { lane: 0, name: 'aten::mm', start: 1_000, dur: 3_000, work: 'op' },
    { lane: 0, name: 'aten::addmm', start: 1_500, dur: 500, work: 'op' },
    { lane: 0, name: 'aten::relu', start: 50_000, dur: 100, work: 'op' },
    // Starts long before any window in the middle of the run, ends after it.
    { lane: 1, name: 'allreduce', start: 0, dur: 60_000, work: 'comm' }
  ];
  for (let k = 0; k < 1000; k++) {
    slices.push({ lane: 1, name: `k${k % 7}`, start: 60_000 + k * 10, dur: 8, work: 'kernel' });
  }
  return makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'host', label: 'Python Thread 1' },
      { kind: 'device', label: 'Ascend Hardware Stream 2' }
    ],
    slices,
    spanUs: 100_000
  });
}

describe('lodWindow', () => {
  it('covers three visible spans at a power-of-two resolution no coarser than a pixel', () => {
    const w = lodWindow(40_000, 41_000, 800, 100_000);
    expect(Math.log2(w.bucketUs) % 1).toBe(0);
    expect(w.bucketUs).toBeLessThanOrEqual(1000 / 800);
    expect(w.bucketUs).toBeGreaterThan(1000 / 800 / 2);
    expect(w.fromUs).toBeLessThanOrEqual(39_000);
    expect(w.toUs).toBeGreaterThanOrEqual(42_000);
    expect(w.toUs - w.fromUs).toBeLessThan(WINDOW_SPANS * 1000 + 2 * w.bucketUs);
  });

  it('does not reach past the run', () => {
    const w = lodWindow(0, 10_000, 800, 12_000);
    expect(w.fromUs).toBe(0);
    expect(w.toUs).toBeLessThanOrEqual(12_000 + w.bucketUs);
  });

  it('serves small pans from the answer on the page, but not zooms', () => {
    const w = lodWindow(40_000, 41_000, 800, 100_000);
    expect(windowCovers(w, 40_500, 41_500, 800, 100_000)).toBe(true);
    expect(windowCovers(w, 39_200, 40_200, 800, 100_000)).toBe(true);
    expect(windowCovers(w, 42_500, 43_500, 800, 100_000)).toBe(false);
    expect(windowCovers(w, 40_000, 40_400, 800, 100_000)).toBe(false);
    expect(windowCovers(w, 30_000, 50_000, 800, 100_000)).toBe(false);
  });
});

describe('windowMarks', () => {
  it('shows real slices when zoomed in, including a long one that started earlier', () => {
    const index = buildLodIndex(trace());
    const marks = marksOfColumns(windowMarks(index, 59_000, 60_100, 800));
    const device = marks.filter(m => m.lane === 1);
    expect(device[0]).toMatchObject({ name: 'allreduce', start: 0, end: 60_000, count: 1, work: 'comm' });
    expect(device.slice(1, 4).map(m => [m.name, m.start, m.end])).toEqual([
      ['k0', 60_000, 60_008],
      ['k1', 60_010, 60_018],
      ['k2', 60_020, 60_028]
    ]);
    expect(marks.every(m => m.count === 1)).toBe(true);
  });

  it('applies the overview display rules: no step or Python bars, nested ops under their parent', () => {
    const index = buildLodIndex(trace());
    const host = marksOfColumns(windowMarks(index, 0, 5_000, 800)).filter(m => m.lane === 0);
    expect(host.map(m => m.name)).toEqual(['aten::mm']);
  });

  it('merges to at most the mark budget when the window holds more slices, losing none', () => {
    const index = buildLodIndex(trace());
    const columns = windowMarks(index, 0, 100_000, 800, 50);
    expect(columns.count).toBeLessThanOrEqual(50);
    const marks = marksOfColumns(columns);
    // 2 host ops + 1 allreduce + 1000 kernels are all in some mark.
    expect(marks.reduce((n, m) => n + m.count, 0)).toBe(1003);
    const device = marks.filter(m => m.lane === 1);
    expect(device[0].start).toBe(0);
    expect(device[device.length - 1].end).toBe(60_000 + 999 * 10 + 8);
    expect(device.every(m => m.busyUs <= m.end - m.start)).toBe(true);
  });

  it('returns nothing for a lane without work in the window', () => {
    const index = buildLodIndex(trace());
    const marks = marksOfColumns(windowMarks(index, 20_000, 20_100, 800));
    expect(marks.map(m => [m.lane, m.name])).toEqual([[1, 'allreduce']]);
  });

  it('sends only the names it uses, in transferable columns', () => {
    const index = buildLodIndex(trace());
    const columns = windowMarks(index, 60_000, 60_025, 800);
    // The answer covers one visible span (25 µs) each side too: k0..k4.
    expect(columns.names.sort()).toEqual(['allreduce', 'k0', 'k1', 'k2', 'k3', 'k4']);
    const buffers = markTransferList(columns);
    expect(buffers).toHaveLength(8);
    expect(buffers.every(b => b instanceof ArrayBuffer)).toBe(true);
  });

  it('says which ATen operator launched each real device slice of the Ascend Level1 trace', () => {
    const model = publicModel(TRACES.ascendLevel1);
    const index = buildLodIndex(model);
    const conv = model.names.indexOf('Conv2D1');
    const slice = model.slices.name.indexOf(conv);
    const start = model.slices.start[slice];
    const marks = marksOfColumns(windowMarks(index, start - 1, start + model.slices.dur[slice] + 1, 1200));
    const mark = marks.find(m => m.name === 'Conv2D1' && m.count === 1);
    expect(mark?.launchedBy).toBe('aten::_convolution');
    // Host work launched nothing: no operator is named for it.
    expect(marks.filter(m => m.work === 'op').every(m => m.launchedBy === undefined)).toBe(true);
  });

  it.each([TRACES.ascendLevel1, TRACES.resnet50])(
    'covers every shown slice of %s once at the full view, within the budget',
    file => {
      const model = publicModel(file);
      const shown = slicesByLane(model).reduce(
        (n, list) => n + displaySlices(model, list).length,
        0
      );
      const columns = windowMarks(buildLodIndex(model), 0, model.spanUs, 1600);
      expect(columns.count).toBeLessThanOrEqual(DEFAULT_MARK_BUDGET);
      const marks = marksOfColumns(columns);
      expect(marks.reduce((n, m) => n + m.count, 0)).toBe(shown);
      expect(marks.some(m => m.work === 'step' || m.work === 'python')).toBe(false);
    }
  );
});
