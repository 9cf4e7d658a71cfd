import { describe, expect, it } from 'vitest';
import { deviceIdle, MAX_KERNEL_GAP_US } from '../../../src/analysis/deviceIdle';
import { hostBound } from '../../../src/analysis/rules/hostBound';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/**
 * One 10 ms step: k1 launched early; the host then runs Python for 3 ms and
 * launches k2 inside the gap (dispatch); k3 was queued before k2 ended and
 * follows 2 µs later (back-to-back); a sync overlaps the gap before k4.
 */
function mixed(backend: 'cuda' | 'ascend' = 'cuda') {
  return makeTrace({
    backend,
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices: [
      { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 10, work: 'launch', id: 'l1' },
      { lane: 0, name: 'python_work', start: 20, dur: 3_000, work: 'python' },
      { lane: 0, name: 'cudaLaunchKernel', start: 3_100, dur: 20, work: 'launch', id: 'l2' },
      { lane: 0, name: 'cudaLaunchKernel', start: 3_130, dur: 6, work: 'launch', id: 'l3' },
      { lane: 0, name: 'cudaStreamSynchronize', start: 3_630, dur: 800, work: 'sync' },
      { lane: 0, name: 'cudaLaunchKernel', start: 4_500, dur: 8, work: 'launch', id: 'l4' },
      { lane: 1, name: 'k1', start: 10, dur: 100, work: 'kernel', id: 'k1' },
      { lane: 1, name: 'k2', start: 3_120, dur: 500, work: 'kernel', id: 'k2' },
      { lane: 1, name: 'k3', start: 3_622, dur: 5, work: 'kernel', id: 'k3' },
      { lane: 1, name: 'k4', start: 4_510, dur: 490, work: 'kernel', id: 'k4' }
    ],
    links: [
      ['l1', 'k1'],
      ['l2', 'k2'],
      ['l3', 'k3'],
      ['l4', 'k4']
    ],
    steps: [{ name: 'ProfilerStep#1', start: 0, dur: 5_000 }]
  });
}

describe('deviceIdle', () => {
  it('splits idle time into causes that add up to the idle total', () => {
    const idle = deviceIdle(mixed())!;
    expect(idle.windowSource).toBe('steps');
    expect(idle.windowStart).toBe(0);
    expect(idle.windowEnd).toBe(5_000);
    // Before k1 (10 µs) and before k2 (3,010 µs): launches started inside the gaps.
    expect(idle.byCause.dispatch).toBe(10 + 3_010);
    expect(idle.byCause.kernelGap).toBe(2);
    expect(2).toBeLessThanOrEqual(MAX_KERNEL_GAP_US);
    // k3 ends at 3,627; the sync spans the gap up to k4 at 4,510.
    expect(idle.byCause.sync).toBe(4_510 - 3_627);
    expect(idle.byCause.other).toBe(0);
    const sum = Object.values(idle.byCause).reduce((a, b) => a + b, 0);
    expect(sum).toBe(idle.idleUs);
    expect(idle.busyUs + idle.idleUs).toBe(5_000);
    expect(idle.kernels).toBe(4);
    expect(idle.shortKernels).toBe(1);
    expect(idle.launch.calls).toBe(4);
    expect(idle.launch.medianUs).toBe(9);
  });

  it('uses first to last device activity without steps', () => {
    const model = mixed();
    model.steps = [];
    const idle = deviceIdle(model)!;
    expect(idle.windowSource).toBe('device');
    expect(idle.windowStart).toBe(10);
    expect(idle.windowEnd).toBe(5_000);
  });

  it('calls a gap "other" when the next kernel was queued before it', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
      ],
      slices: [
        { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 5, work: 'launch', id: 'l1' },
        { lane: 0, name: 'cudaLaunchKernel', start: 6, dur: 5, work: 'launch', id: 'l2' },
        { lane: 1, name: 'k1', start: 10, dur: 100, work: 'kernel', id: 'k1' },
        { lane: 1, name: 'k2', start: 400, dur: 100, work: 'kernel', id: 'k2' }
      ],
      links: [
        ['l1', 'k1'],
        ['l2', 'k2']
      ]
    });
    expect(deviceIdle(model)!.byCause).toEqual({ dispatch: 0, sync: 0, kernelGap: 0, other: 290 });
  });
});

describe('hostBound', () => {
  it('reports the device waiting for the host, with the Ascend ladder', () => {
    const finding = hostBound(mixed('ascend'));
    expect(finding.id).toBe('host-bound');
    expect(finding.variant).toBe('host-bound');
    expect(finding.savingUs).toBe(3_020);
    expect(finding.facts.dispatchShare).toBeCloseTo(3_020 / 5_000);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual(['ascend-jit-compile-off', 'ascend-task-queue-2']);
    expect(finding.highlights[0]).toEqual({ start: 110, end: 3_120, lane: '', name: 'k2' });
  });

  it('suggests no setting on CUDA (graph replay is the graph-mode entry)', () => {
    expect(hostBound(mixed('cuda')).remedies).toEqual([]);
  });

  it('passes when the device is kept busy', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
      ],
      slices: [
        { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 5, work: 'launch', id: 'l1' },
        { lane: 0, name: 'cudaLaunchKernel', start: 6, dur: 5, work: 'launch', id: 'l2' },
        { lane: 1, name: 'k1', start: 10, dur: 10_000, work: 'kernel', id: 'k1' },
        { lane: 1, name: 'k2', start: 10_011, dur: 10_000, work: 'kernel', id: 'k2' }
      ],
      links: [
        ['l1', 'k1'],
        ['l2', 'k2']
      ]
    });
    const finding = hostBound(model);
    expect(finding.variant).toBe('ok');
    expect(finding.severity).toBe('ok');
    expect(finding.savingUs).toBe(0);
    expect(finding.facts.kernelGapUs).toBe(1);
  });

  it('says not-applicable on a CPU-only trace', () => {
    const finding = hostBound(publicModel(TRACES.cpuOnly));
    expect(finding.variant).toBe('not-applicable');
    expect(finding.severity).toBe('ok');
  });
});

describe('hostBound on public traces', () => {
  it.each(Object.entries(TRACES).filter(([k]) => k !== 'cpuOnly'))(
    'its breakdown adds up to the idle time in %s',
    (_, path) => {
      const f = hostBound(publicModel(path)).facts;
      const sum = ['dispatchUs', 'syncUs', 'kernelGapUs', 'otherUs']
        .map(k => Number(f[k]))
        .reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(Number(f.idleUs), 3);
      expect(Number(f.busyUs) + Number(f.idleUs)).toBeCloseTo(Number(f.windowUs), 3);
    }
  );

  it('finds the Ascend Level1 step split between dispatch and sync idle', () => {
    const finding = hostBound(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('host-bound');
    expect(finding.severity).toBe('medium');
    expect(finding.facts.windowSource).toBe('steps');
    expect(finding.facts.windowUs).toBeCloseTo(155_985.8, 1);
    expect(finding.facts.dispatchUs).toBeCloseTo(19_945, -1);
    expect(finding.facts.syncUs).toBeCloseTo(20_171, -1);
    // Task queue on: 159 Enqueue/Dequeue pairs, Dequeue median ~18 µs (docs/trace-formats.md §1c).
    expect(finding.facts.enqueueCalls).toBe(159);
    expect(finding.facts.dequeueCalls).toBe(159);
    expect(finding.facts.dequeueMedianUs).toBeCloseTo(17.7, 1);
    expect(finding.facts.launchCalls).toBe(191);
  });

  it('finds DLRM launch-bound: 222 of 237 kernels short, 46 % of the step waiting for launches', () => {
    const finding = hostBound(publicModel(TRACES.dlrm));
    expect(finding.severity).toBe('high');
    expect(finding.facts.shortKernels).toBe(222);
    expect(finding.facts.kernels).toBe(237);
    expect(finding.facts.dispatchShare).toBeCloseTo(0.464, 2);
    expect(finding.facts.launchMedianUs).toBe(5);
  });

  it('passes ns_resolution: its 5 steps keep the GPU 97 % busy', () => {
    const finding = hostBound(publicModel(TRACES.nsResolution));
    expect(finding.facts.steps).toBe(5);
    expect(finding.variant).toBe('ok');
    expect(Number(finding.facts.idleUs) / Number(finding.facts.windowUs)).toBeLessThan(0.03);
  });
});
