import { describe, expect, it } from 'vitest';
import { launchBlocking, MIN_LAUNCHES } from '../../../src/analysis/rules/launchBlocking';
import type { ISliceSpec } from '../makeTrace';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/** Ascend ASCEND_LAUNCH_BLOCKING=1: aclnn call { Node@launch }, then a stream sync, `n` times. */
function ascendBlocking(n: number, syncEvery = 1) {
  const slices: ISliceSpec[] = [];
  for (let i = 0; i < n; i++) {
    const t = i * 1_000;
    slices.push({ lane: 0, name: 'AscendCL@aclnnAdd', start: t, dur: 30, work: 'runtime' });
    slices.push({ lane: 0, name: 'Node@launch', start: t + 5, dur: 10, work: 'launch' });
    if (i % syncEvery === 0) {
      slices.push({ lane: 0, name: 'AscendCL@aclrtSynchronizeStream', start: t + 40, dur: 200, work: 'sync' });
    }
    slices.push({ lane: 1, name: 'Add', start: t + 20, dur: 210, work: 'kernel' });
  }
  return makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'dispatch', label: 'CANN Thread 5', tid: '5' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', tid: '2' }
    ],
    slices
  });
}

/** CUDA_LAUNCH_BLOCKING=1: cudaLaunchKernel returns only after its kernel ends. */
function cudaBlocking(n: number, blocking: boolean) {
  const slices: ISliceSpec[] = [];
  const links: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const t = i * 1_000;
    slices.push({ lane: 0, name: 'cudaLaunchKernel', start: t, dur: blocking ? 120 : 8, work: 'launch', id: `l${i}` });
    slices.push({ lane: 1, name: 'gemm', start: t + 6, dur: 100, work: 'kernel', id: `k${i}` });
    links.push([`l${i}`, `k${i}`]);
  }
  return makeTrace({
    backend: 'cuda',
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices,
    links
  });
}

describe('launchBlocking', () => {
  it('reports a sync after every Ascend launch', () => {
    const finding = launchBlocking(ascendBlocking(20));
    expect(finding.id).toBe('launch-blocking');
    expect(finding.variant).toBe('blocking');
    expect(finding.severity).toBe('high');
    expect(finding.facts.launches).toBe(20);
    expect(finding.facts.syncAfterLaunch).toBe(20);
    expect(finding.facts.envVar).toBe('ASCEND_LAUNCH_BLOCKING');
    expect(finding.savingUs).toBe(20 * 200);
    expect(finding.remedies).toEqual(['ascend-launch-blocking-off']);
  });

  it('stays silent when only a third of the launches are followed by a sync', () => {
    const finding = launchBlocking(ascendBlocking(30, 3));
    expect(finding.facts.syncRatio).toBeCloseTo(1 / 3);
    expect(finding.variant).toBe('ok');
    expect(finding.savingUs).toBe(0);
  });

  it('reports CUDA launches that return only after their kernel', () => {
    const finding = launchBlocking(cudaBlocking(20, true));
    expect(finding.variant).toBe('blocking');
    expect(finding.facts.blockedLaunches).toBe(20);
    expect(finding.facts.longLaunches).toBe(20);
    expect(finding.savingUs).toBe(20 * 100);
    expect(finding.remedies).toEqual(['cuda-launch-blocking-off']);
  });

  it('stays silent on asynchronous CUDA launches', () => {
    expect(launchBlocking(cudaBlocking(20, false)).variant).toBe('ok');
  });

  it('needs MIN_LAUNCHES launches before trusting the ratio', () => {
    expect(launchBlocking(cudaBlocking(MIN_LAUNCHES - 1, true)).variant).toBe('ok');
  });

  it('reports the recorded variable even without launches', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: [{ kind: 'device', label: 'Ascend Hardware Stream 2', tid: '2' }],
      slices: [{ lane: 0, name: 'Add', start: 0, dur: 10, work: 'kernel' }]
    });
    model.meta.env = { ASCEND_LAUNCH_BLOCKING: '1' };
    const finding = launchBlocking(model);
    expect(finding.variant).toBe('blocking');
    expect(finding.facts.envValue).toBe('1');
  });

  it('says not-applicable on a CPU-only trace', () => {
    expect(launchBlocking(publicModel(TRACES.cpuOnly)).variant).toBe('not-applicable');
  });
});

describe('launchBlocking on public traces', () => {
  it('finds no launch blocking in the Ascend Level1 trace (191 Node@launch, no sync after any)', () => {
    const finding = launchBlocking(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('ok');
    expect(finding.facts.launches).toBe(191);
    expect(finding.facts.syncAfterLaunch).toBe(0);
  });

  it('counts Level2 Runtime@KernelLaunch inside Node@launch once', () => {
    expect(launchBlocking(publicModel(TRACES.ascendLevel2)).facts.launches).toBe(191);
  });

  it('cannot check the Ascend Level0 trace, which has no CANN launches', () => {
    expect(launchBlocking(publicModel(TRACES.ascendLevel0)).variant).toBe('not-applicable');
  });

  it('finds ns_resolution asynchronous: one cudaDeviceSynchronize after 4,350 launches', () => {
    const finding = launchBlocking(publicModel(TRACES.nsResolution));
    expect(finding.variant).toBe('ok');
    expect(finding.facts.launches).toBe(4_350);
    expect(finding.facts.syncAfterLaunch).toBe(1);
    expect(finding.facts.blockedLaunches).toBe(0);
  });
});
