import { describe, expect, it } from 'vitest';
import {
  dataloader,
  loaderKind,
  SLOW_LOAD_US
} from '../../../src/analysis/rules/dataloader';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

const SINGLE = 'enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__';
const MULTI = 'enumerate(DataLoader)#_MultiProcessingDataLoaderIter.__next__';

/** A loop of steps, each a DataLoader fetch of the given length then 1 ms of compute. */
function loop(fetches: number[], name = SINGLE, spanUs?: number) {
  let t = 0;
  return makeTrace({
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices: fetches.flatMap(dur => {
      const start = t;
      t += dur + 1_000;
      return [
        // with_stack=True: the Python frame wraps the op and must not count again.
        { lane: 0, name: 'torch/utils/data/dataloader.py(625): __next__', start, dur: dur + 2, work: 'python' as const },
        { lane: 0, name, start: start + 1, dur, work: 'op' as const },
        { lane: 1, name: 'gemm', start: start + dur + 10, dur: 900, work: 'kernel' as const }
      ];
    }),
    spanUs
  });
}

describe('dataloader', () => {
  it('reports DataLoader fetches over 10 ms', () => {
    const finding = dataloader(loop([30_000, 12_000, SLOW_LOAD_US, 500]));
    expect(finding.id).toBe('dataloader');
    expect(finding.variant).toBe('slow');
    expect(finding.facts.slow).toBe(2);
    expect(finding.facts.loads).toBe(4);
    expect(finding.facts.totalUs).toBe(42_000);
    expect(finding.facts.maxUs).toBe(30_000);
    expect(finding.facts.topName).toBe(SINGLE);
    expect(finding.facts.loader).toBe('single-process');
    expect(finding.facts.threshold).toBe(SLOW_LOAD_US);
    expect(finding.severity).toBe('high');
    expect(finding.savingUs).toBe(42_000);
    // A code change, not a setting.
    expect(finding.remedies).toEqual([]);
    expect(finding.highlights.map(h => h.end - h.start)).toEqual([30_000, 12_000]);
  });

  it('grades by the share of the run', () => {
    const share = (spanUs: number) => dataloader(loop([11_000], MULTI, spanUs)).severity;
    expect(share(200_000)).toBe('high');
    expect(share(300_000)).toBe('medium');
    expect(share(1_000_000)).toBe('low');
  });

  it('counts a DataLoader op nested in another once', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Thread 1' }],
      slices: [
        { lane: 0, name: MULTI, start: 0, dur: 20_000, work: 'op' },
        { lane: 0, name: MULTI, start: 5, dur: 19_990, work: 'op' }
      ]
    });
    expect(dataloader(model).facts).toMatchObject({ slow: 1, loads: 1, totalUs: 20_000 });
  });

  it('passes when every fetch is fast', () => {
    const finding = dataloader(loop([3_000, SLOW_LOAD_US]));
    expect(finding.variant).toBe('none');
    expect(finding.severity).toBe('ok');
    expect(finding.facts).toEqual({ loads: 2, maxUs: SLOW_LOAD_US, threshold: SLOW_LOAD_US });
  });

  it('ignores DataLoader names off the host or outside ops', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Python Thread 1' },
        { kind: 'device', label: 'GPU 0 stream 7' }
      ],
      slices: [
        { lane: 0, name: 'torch/utils/data/dataloader.py(625): __next__', start: 0, dur: 50_000, work: 'python' },
        { lane: 1, name: 'DataLoaderLookalikeKernel', start: 0, dur: 50_000, work: 'kernel' }
      ]
    });
    expect(dataloader(model).facts).toEqual({ loads: 0, maxUs: 0, threshold: SLOW_LOAD_US });
  });

  it('says how the iterator loads', () => {
    expect(loaderKind(SINGLE)).toBe('single-process');
    expect(loaderKind(MULTI)).toBe('multi-process');
    expect(loaderKind('MyDataloader')).toBe('');
  });
});

describe('dataloader on public traces', () => {
  it('flags the six 62–73 ms fetches of tb-plugin resnet50 (num_workers=0)', () => {
    const finding = dataloader(publicModel(TRACES.resnet50));
    expect(finding.variant).toBe('slow');
    expect(finding.facts.slow).toBe(6);
    // 68 694 + 68 777 + 73 418 + 71 425 + 70 844 + 62 633 µs.
    expect(finding.facts.totalUs).toBe(415_791);
    expect(finding.facts.maxUs).toBe(73_418);
    expect(finding.facts.topName).toBe(SINGLE);
    expect(finding.facts.loader).toBe('single-process');
    // 39 % of a 1.07 s trace.
    expect(finding.facts.spanShare).toBeCloseTo(0.39, 2);
    expect(finding.severity).toBe('high');
  });

  it('passes the HTA control trace (six fetches of 67–73 µs, worker processes)', () => {
    const finding = dataloader(publicModel(TRACES.control));
    expect(finding.variant).toBe('none');
    expect(finding.facts).toEqual({ loads: 6, maxUs: 73, threshold: SLOW_LOAD_US });
  });

  it('passes the Ascend samples, counting the op and not its Python frames', () => {
    // One 3.33 ms fetch; seven dataloader.py frames around and inside it.
    expect(dataloader(publicModel(TRACES.ascendLevel1)).facts).toEqual({
      loads: 1,
      maxUs: 3_332.4,
      threshold: SLOW_LOAD_US
    });
    // Two fetches, 1.30 ms and 17 µs.
    expect(dataloader(publicModel(TRACES.ascend2024)).facts).toMatchObject({ loads: 2, maxUs: 1_302.013 });
    expect(dataloader(publicModel(TRACES.cpuOnly)).facts.loads).toBe(0);
  });
});
