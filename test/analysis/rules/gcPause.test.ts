import { describe, expect, it } from 'vitest';
import { gcPause, MIN_CONJECTURED_GAP_US } from '../../../src/analysis/rules/gcPause';
import type { ISliceSpec } from '../makeTrace';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/** Kernels before and after a 300 ms idle gap, with `hostCalls` launches inside it. */
function quietGap(hostCalls: number) {
  const slices: ISliceSpec[] = [
    { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 5, work: 'launch', id: 'l1' },
    { lane: 0, name: 'cudaLaunchKernel', start: 300_050, dur: 5, work: 'launch', id: 'l2' },
    { lane: 1, name: 'k1', start: 10, dur: 40, work: 'kernel', id: 'k1' },
    { lane: 1, name: 'k2', start: 300_060, dur: 40, work: 'kernel', id: 'k2' }
  ];
  for (let i = 0; i < hostCalls; i++) {
    slices.push({ lane: 0, name: 'cudaMemsetAsync', start: 1_000 + i * 5_000, dur: 5, work: 'copy' });
  }
  return makeTrace({
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices,
    links: [
      ['l1', 'k1'],
      ['l2', 'k2']
    ]
  });
}

describe('gcPause', () => {
  it('reports recorded GC slices from the torch_npu Python GC lane', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'other', label: 'Python GC', tid: '2' }
      ],
      slices: [
        { lane: 0, name: 'aten::mm', start: 0, dur: 10_000, work: 'op' },
        { lane: 1, name: 'GC', start: 2_000, dur: 3_000 },
        { lane: 1, name: 'GC', start: 7_000, dur: 1_000 }
      ]
    });
    const finding = gcPause(model);
    expect(finding.id).toBe('gc');
    expect(finding.variant).toBe('recorded');
    expect(finding.facts.gcEvents).toBe(2);
    expect(finding.facts.gcUs).toBe(4_000);
    expect(finding.facts.maxGcUs).toBe(3_000);
    expect(finding.savingUs).toBe(4_000);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual(['python-gc-freeze']);
  });

  it('conjectures GC in a 300 ms idle gap with almost no host calls', () => {
    const finding = gcPause(quietGap(1));
    expect(finding.variant).toBe('conjectured');
    expect(finding.facts.conjecturedGaps).toBe(1);
    expect(finding.savingUs).toBe(300_010);
    expect(300_010).toBeGreaterThan(MIN_CONJECTURED_GAP_US);
    expect(finding.remedies).toEqual(['python-gc-freeze']);
  });

  it('does not conjecture GC when the host kept issuing calls in the gap', () => {
    // 60 calls in 300 ms: two per 10 ms, above msprof-analyze's one.
    expect(gcPause(quietGap(60)).variant).toBe('none');
  });

  it('judges each quiet gap by the host calls that overlap it, a long wait counting in every gap it spans', () => {
    // Kernels k1, k2, k3 with two ~300 ms idle gaps between them.
    const twoGaps = (host: ISliceSpec[]) =>
      makeTrace({
        lanes: [
          { kind: 'host', label: 'Python Thread 1', tid: '1' },
          { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
        ],
        slices: [
          { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 5, work: 'launch', id: 'l1' },
          { lane: 0, name: 'cudaLaunchKernel', start: 300_050, dur: 5, work: 'launch', id: 'l2' },
          { lane: 0, name: 'cudaLaunchKernel', start: 600_190, dur: 5, work: 'launch', id: 'l3' },
          { lane: 1, name: 'k1', start: 10, dur: 40, work: 'kernel', id: 'k1' },
          { lane: 1, name: 'k2', start: 300_060, dur: 40, work: 'kernel', id: 'k2' },
          { lane: 1, name: 'k3', start: 600_200, dur: 40, work: 'kernel', id: 'k3' },
          ...host
        ],
        links: [
          ['l1', 'k1'],
          ['l2', 'k2'],
          ['l3', 'k3']
        ]
      });
    const both = gcPause(twoGaps([]));
    expect(both.variant).toBe('conjectured');
    expect(both.facts.conjecturedGaps).toBe(2);
    expect(both.savingUs).toBe(300_010 + 300_100);

    // 60 calls inside the second gap only: the first is still quiet.
    const busySecond = Array.from({ length: 60 }, (_, i): ISliceSpec => ({
      lane: 0, name: 'cudaMemsetAsync', start: 301_000 + i * 4_000, dur: 5, work: 'copy'
    }));
    const first = gcPause(twoGaps(busySecond));
    expect(first.facts.conjecturedGaps).toBe(1);
    expect(first.savingUs).toBe(300_010);
    expect(first.highlights[0]).toMatchObject({ start: 50, end: 300_060 });

    // One synchronize from inside the first gap to inside the second: busy in both.
    const wait: ISliceSpec = { lane: 0, name: 'cudaDeviceSynchronize', start: 200_000, dur: 400_000, work: 'sync' };
    expect(gcPause(twoGaps([wait])).variant).toBe('none');
  });

  it('does not take a python frame name for a GC pause', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Python Thread 1', tid: '1' }],
      slices: [
        { lane: 0, name: 'torch_npu/profiler/profiler_interface.py(109): start_gc_detect', start: 0, dur: 5_000, work: 'python' }
      ]
    });
    expect(gcPause(model).variant).toBe('not-applicable');
  });
});

describe('gcPause on public traces', () => {
  it.each(['ascendLevel0', 'ascendLevel1', 'dlrm', 'resnet50'] as const)('finds no GC in %s', key => {
    expect(gcPause(publicModel(TRACES[key])).variant).toBe('none');
  });

  it('does not take the triton trace\'s 13 s trailing idle for GC', () => {
    expect(gcPause(publicModel(TRACES.triton)).variant).toBe('none');
  });

  it('says not-applicable on the CPU-only trace', () => {
    expect(gcPause(publicModel(TRACES.cpuOnly)).variant).toBe('not-applicable');
  });
});
