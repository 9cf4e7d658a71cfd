import { describe, expect, it } from 'vitest';
import {
  ACLGRAPH_REQUIRES,
  graphMode,
  MAX_LAUNCH_GAP_US,
  MIN_KERNELS
} from '../../../src/analysis/rules/graphMode';
import type { ISliceSpec } from '../makeTrace';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/**
 * `n` kernels of `kernelUs`, each launched by a call of `launchUs` that
 * starts when the previous kernel ends: the device idles for every launch.
 */
function launchBound(backend: 'cuda' | 'ascend', n: number, kernelUs: number, launchUs = 20) {
  const slices: ISliceSpec[] = [];
  const links: [string, string][] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    slices.push({ lane: 0, name: 'cudaLaunchKernel', start: t, dur: launchUs, work: 'launch', id: `l${i}` });
    slices.push({ lane: 1, name: `k${i % 3}`, start: t + launchUs, dur: kernelUs, work: 'kernel', id: `k${i}` });
    links.push([`l${i}`, `k${i}`]);
    t += launchUs + kernelUs;
  }
  return makeTrace({
    backend,
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices,
    links,
    steps: [{ name: 'ProfilerStep#1', start: 0, dur: t }]
  });
}

describe('graphMode', () => {
  it('suggests CUDA Graphs for many short kernels waiting on launches', () => {
    const finding = graphMode(launchBound('cuda', 100, 5));
    expect(finding.id).toBe('graph-mode');
    expect(finding.variant).toBe('candidate');
    expect(finding.facts.shortKernels).toBe(100);
    // The first gap opens the step (launch 0 at t = 0); every launch costs 20 µs of idle.
    expect(finding.savingUs).toBe(100 * 20);
    expect(finding.facts.launchGapShare).toBeCloseTo(20 / 25);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual(['cuda-graphs-compile']);
  });

  it('suggests aclgraph on Ascend, with its version and product limits as facts', () => {
    const model = launchBound('ascend', 100, 5);
    model.meta.versions = { torch_npu: '2.5.1', cann: '8.0.RC3' };
    model.meta.device = 'Ascend910B3';
    const finding = graphMode(model);
    expect(finding.remedies).toEqual(['ascend-graph-mode']);
    expect(finding.facts.requiresTorchNpu).toBe(ACLGRAPH_REQUIRES.torchNpu);
    expect(finding.facts.requiresCann).toBe('8.1.RC1');
    expect(finding.facts.products).toBe('Atlas A2, Atlas A3');
    expect(finding.facts.torchNpuVersion).toBe('2.5.1');
    expect(finding.facts.cannVersion).toBe('8.0.RC3');
    expect(finding.facts.device).toBe('Ascend910B3');
  });

  it('stays silent when kernels are long', () => {
    const finding = graphMode(launchBound('cuda', 100, 200));
    expect(finding.variant).toBe('ok');
    expect(finding.severity).toBe('ok');
    expect(finding.savingUs).toBe(0);
  });

  it('stays silent on too few kernels to be worth a capture', () => {
    expect(graphMode(launchBound('cuda', MIN_KERNELS - 1, 5)).variant).toBe('ok');
  });

  it('leaves gaps longer than MAX_LAUNCH_GAP_US (data loading) out of the estimate', () => {
    const finding = graphMode(launchBound('cuda', 100, 5, MAX_LAUNCH_GAP_US + 1));
    expect(finding.facts.launchGapUs).toBe(0);
    expect(finding.variant).toBe('ok');
  });

  it('says not-applicable on a CPU-only trace', () => {
    expect(graphMode(publicModel(TRACES.cpuOnly)).variant).toBe('not-applicable');
  });
});

describe('graphMode on public traces', () => {
  it('finds DLRM launch-bound: 94 % short kernels, 5.4 ms of launch gaps in a 14.5 ms step', () => {
    const finding = graphMode(publicModel(TRACES.dlrm));
    expect(finding.variant).toBe('candidate');
    expect(finding.severity).toBe('medium');
    expect(finding.facts.shortKernelShare).toBeCloseTo(222 / 237, 3);
    expect(finding.savingUs).toBeCloseTo(5_381, 0);
    expect(finding.remedies).toEqual(['cuda-graphs-compile']);
  });

  it('does not suggest it for resnet50, whose long idle is data loading', () => {
    const finding = graphMode(publicModel(TRACES.resnet50));
    expect(finding.variant).toBe('ok');
    expect(Number(finding.facts.launchGapShare)).toBeLessThan(0.1);
  });

  it('does not suggest it for the Ascend Level1 step, mostly waiting on syncs', () => {
    const finding = graphMode(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('ok');
    expect(finding.facts.requiresTorchNpu).toBe('7.0.0');
    expect(finding.facts.torchNpuVersion).toBe('');
  });
});
