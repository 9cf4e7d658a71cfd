import { describe, expect, it } from 'vitest';
import {
  findSyncWaits,
  MIN_TOTAL_WAIT_US,
  syncWait
} from '../../../src/analysis/rules/syncWait';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/**
 * The Ascend `.item()` pattern, scaled down: the Python thread calls
 * aten::item, its CANN lane (same tid) blocks in a stream sync while an
 * allreduce queued earlier runs, then copies 4 bytes.
 */
function ascendItem() {
  return makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'host', label: 'Python Thread 100', pid: '100', tid: '100' },
      { kind: 'dispatch', label: 'CANN Thread 100', pid: '900', tid: '100' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '901', tid: '2' },
      { kind: 'communication', label: 'Group 0 Communication', pid: '902', tid: '0' }
    ],
    slices: [
      { lane: 0, name: 'ProfilerStep#1', start: 0, dur: 40_000, work: 'step' },
      { lane: 0, name: 'aten::add', start: 100, dur: 50, work: 'op' },
      { lane: 0, name: 'aten::item', start: 1_000, dur: 30_200, work: 'op' },
      { lane: 0, name: 'aten::_local_scalar_dense', start: 1_010, dur: 30_180, work: 'op' },
      { lane: 1, name: 'AscendCL@launch', start: 110, dur: 20, work: 'launch', id: 'launch' },
      { lane: 1, name: 'AscendCL@aclrtSynchronizeStreamWithTimeout', start: 1_050, dur: 30_000, work: 'sync' },
      { lane: 1, name: 'AscendCL@aclrtMemcpy', start: 31_060, dur: 60, work: 'copy', id: 'memcpy' },
      { lane: 2, name: 'EVENT_WAIT', start: 200, dur: 30_700, work: 'other' },
      { lane: 2, name: 'MEMCPY_ASYNC', start: 31_100, dur: 3, work: 'copy', id: 'devcopy' },
      { lane: 3, name: 'hcom_allReduce__586_0_1', start: 200, dur: 30_800, work: 'comm', id: 'hcom' }
    ],
    links: [
      ['launch', 'hcom'],
      ['memcpy', 'devcopy']
    ]
  });
}

/** The DLRM `.to('cpu')` pattern: cudaMemcpyAsync DtoH waits for a kernel, then a stream sync. */
function cudaTo(copyName = 'Memcpy DtoH (Device -> Pageable)') {
  return makeTrace({
    backend: 'cuda',
    lanes: [
      { kind: 'host', label: 'Python Thread 7', tid: '7' },
      { kind: 'device', label: 'GPU 0 stream 7', pid: '0', tid: '7' }
    ],
    slices: [
      { lane: 0, name: 'cudaLaunchKernel', start: 0, dur: 10, work: 'launch', id: 'launch' },
      { lane: 0, name: 'aten::to', start: 20, dur: 1_980, work: 'op' },
      { lane: 0, name: 'aten::_to_copy', start: 25, dur: 1_970, work: 'op' },
      { lane: 0, name: 'aten::copy_', start: 30, dur: 1_960, work: 'op' },
      { lane: 0, name: 'cudaMemcpyAsync', start: 40, dur: 1_880, work: 'copy', id: 'memcpy' },
      { lane: 0, name: 'cudaStreamSynchronize', start: 1_925, dur: 50, work: 'sync' },
      { lane: 1, name: 'volta_sgemm_128x64_nn', start: 15, dur: 1_900, work: 'kernel', id: 'gemm' },
      { lane: 1, name: copyName, start: 1_917, dur: 1, work: 'copy', id: 'devcopy' }
    ],
    links: [
      ['launch', 'gemm'],
      ['memcpy', 'devcopy']
    ]
  });
}

describe('syncWait', () => {
  it('reports when aten::item blocks in a CANN stream sync while an allreduce runs', () => {
    const finding = syncWait(ascendItem());
    expect(finding.id).toBe('sync-wait');
    expect(finding.variant).toBe('waits');
    expect(finding.facts.topCall).toBe('aten::item');
    expect(finding.facts.topSync).toBe('AscendCL@aclrtSynchronizeStreamWithTimeout');
    expect(finding.facts.topCallUs).toBe(30_200);
    // The sync, plus the memcpy call less its 3 µs device copy.
    expect(finding.facts.waitUs).toBe(30_000 + 57);
    expect(finding.facts.copyUs).toBe(3);
    // One .item() call, even with two blocking runtime calls in it.
    expect(finding.facts.calls).toBe(1);
    // The device-side EVENT_WAIT is a wait itself: the user wants what it waited for.
    expect(finding.facts.waitedFor).toBe('hcom_allReduce__586_0_1');
    expect(finding.facts.waitedForUs).toBe(29_950);
    expect(finding.facts.deviceOps).toBe(2);
    expect(finding.savingUs).toBe(finding.facts.waitUs);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual([
      'ascend-task-queue-2',
      'ascend-jit-compile-off',
      'ascend-internal-format-off'
    ]);
    expect(finding.highlights[0]).toEqual({
      start: 1_050,
      end: 31_050,
      lane: 'CANN Thread 100',
      name: 'aten::item'
    });
  });

  it('reports when cudaMemcpyAsync DtoH outlasts its device copy under aten::to', () => {
    const finding = syncWait(cudaTo());
    expect(finding.variant).toBe('waits');
    expect(finding.facts.topCall).toBe('aten::to');
    expect(finding.facts.topSync).toBe('cudaMemcpyAsync');
    expect(finding.facts.calls).toBe(1);
    expect(finding.facts.copyUs).toBe(1);
    expect(finding.facts.waitUs).toBe(1_880 - 1 + 50);
    expect(finding.facts.waitedFor).toBe('volta_sgemm_128x64_nn');
    expect(finding.remedies).toEqual(['cuda-tf32', 'cudnn-benchmark']);
  });

  it('does not take the copy launched by the waiting call for earlier work', () => {
    const [wait] = findSyncWaits(cudaTo()).filter(w => w.sync === 'cudaMemcpyAsync');
    expect(wait.busyUs).toBe(1_915 - 40);
    expect(wait.deviceSlices).toHaveLength(1);
  });

  it('stays silent on a long host-to-device copy (data loading, not waiting)', () => {
    const waits = findSyncWaits(cudaTo('Memcpy HtoD (Pageable -> Device)'));
    expect(waits.map(w => w.sync)).toEqual(['cudaStreamSynchronize']);
  });

  it('passes when the total wait is below MIN_TOTAL_WAIT_US', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
      ],
      slices: [
        { lane: 0, name: 'cudaEventSynchronize', start: 0, dur: 34, work: 'sync' },
        { lane: 1, name: 'gemm', start: 0, dur: 30, work: 'kernel' }
      ]
    });
    expect(34).toBeLessThan(MIN_TOTAL_WAIT_US);
    const finding = syncWait(model);
    expect(finding.variant).toBe('none');
    expect(finding.severity).toBe('ok');
    expect(finding.savingUs).toBe(0);
    expect(finding.facts).toEqual({ waitUs: 34, calls: 1 });
  });

  it('says no-device on a CPU-only trace', () => {
    const model = makeTrace({
      backend: 'cpu',
      lanes: [{ kind: 'host', label: 'Python Thread 1' }],
      slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 5_000, work: 'op' }]
    });
    const finding = syncWait(model);
    expect(finding.variant).toBe('no-device');
    expect(finding.severity).toBe('ok');
    expect(finding.savingUs).toBe(0);
  });

  it('counts nested blocking calls once (Level2 Runtime@ inside AscendCL@)', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: [
        { kind: 'host', label: 'Python Thread 5', tid: '5' },
        { kind: 'dispatch', label: 'CANN Thread 5', pid: '9', tid: '5' },
        { kind: 'device', label: 'Stream 2', pid: '10', tid: '2' }
      ],
      slices: [
        { lane: 0, name: 'aten::to', start: 0, dur: 5_000, work: 'op' },
        { lane: 1, name: 'AscendCL@aclrtSynchronizeStream', start: 10, dur: 4_000, work: 'sync' },
        { lane: 1, name: 'Runtime@StreamSynchronize', start: 20, dur: 3_900, work: 'sync' },
        { lane: 2, name: 'Conv2D', start: 0, dur: 3_000, work: 'kernel' }
      ]
    });
    const waits = findSyncWaits(model);
    expect(waits).toHaveLength(1);
    expect(waits[0].sync).toBe('AscendCL@aclrtSynchronizeStream');
    expect(waits[0].op).toBe('aten::to');
    expect(syncWait(model).facts.waitUs).toBe(4_000);
  });

  it('does not blame device work queued after the wait started', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'host', label: 'Python Thread 2', tid: '2' },
        { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
      ],
      slices: [
        { lane: 0, name: 'cudaDeviceSynchronize', start: 100, dur: 2_000, work: 'sync' },
        { lane: 1, name: 'cudaLaunchKernel', start: 500, dur: 5, work: 'launch', id: 'late' },
        { lane: 2, name: 'late_kernel', start: 510, dur: 1_000, work: 'kernel', id: 'k' }
      ],
      links: [['late', 'k']]
    });
    const finding = syncWait(model);
    expect(finding.variant).toBe('waits');
    expect(finding.facts.busyUs).toBe(0);
    expect(finding.facts.deviceOps).toBe(0);
    expect(finding.facts.waitedFor).toBe('');
    // No enclosing op: the view falls back on the call's own name.
    expect(finding.facts.topCall).toBe('');
    expect(finding.highlights[0].name).toBe('cudaDeviceSynchronize');
  });

  it('grades severity by the share of the span spent waiting', () => {
    const withSpan = (spanUs: number) =>
      syncWait(
        makeTrace({
          lanes: [
            { kind: 'host', label: 'Python Thread 1', tid: '1' },
            { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
          ],
          slices: [{ lane: 0, name: 'cudaStreamSynchronize', start: 0, dur: 2_000, work: 'sync' }],
          spanUs
        })
      );
    expect(withSpan(10_000).severity).toBe('high');
    expect(withSpan(20_000).severity).toBe('medium');
    expect(withSpan(100_000).severity).toBe('low');
    expect(withSpan(100_000).facts.spanShare).toBeCloseTo(0.02);
  });

  it('caps highlights at 50, largest waits first', () => {
    const slices = Array.from({ length: 80 }, (_, i) => ({
      lane: 0,
      name: 'cudaStreamSynchronize',
      start: i * 1_000,
      dur: 100 + i,
      work: 'sync' as const
    }));
    const finding = syncWait(
      makeTrace({
        lanes: [
          { kind: 'host', label: 'Python Thread 1', tid: '1' },
          { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
        ],
        slices
      })
    );
    expect(finding.highlights).toHaveLength(50);
    expect(finding.highlights[0].end - finding.highlights[0].start).toBe(179);
    expect(finding.facts.calls).toBe(80);
  });
});

describe('syncWait on public traces', () => {
  it('blames aten::item on an HCCL allreduce in the Ascend Level1 trace', () => {
    const model = publicModel(TRACES.ascendLevel1);
    const finding = syncWait(model);
    expect(finding.variant).toBe('waits');
    expect(finding.severity).toBe('high');
    expect(finding.facts.topCall).toBe('aten::item');
    expect(finding.facts.topSync).toBe('AscendCL@aclrtSynchronizeStreamWithTimeout');
    expect(String(finding.facts.waitedFor)).toMatch(/^hcom_allReduce/);
    // The allreduce kernels were launched for torch_npu's HcclAllreduce: most of the wait is its work,
    // counted once however many communication planes ran it at the same time.
    expect(finding.facts.launchedBy).toBe('HcclAllreduce');
    expect(Number(finding.facts.launchedByUs)).toBeGreaterThan(0.8 * Number(finding.facts.topWaitUs));
    expect(Number(finding.facts.launchedByUs)).toBeLessThanOrEqual(Number(finding.facts.waitUs));
    expect(finding.remedies[0]).toBe('ascend-task-queue-2');
    // The 91.7 ms sync under aten::item, on the CANN lane of the Python thread.
    const [item] = findSyncWaits(model).sort((a, b) => b.waitUs - a.waitUs);
    expect(item.op).toBe('aten::item');
    expect(item.waitUs).toBeCloseTo(91_682, 0);
    expect(item.busyUs / item.waitUs).toBeGreaterThan(0.9);
    expect(finding.highlights[0].lane).toBe(model.lanes[item.lane].label);
    expect(finding.highlights[0].lane).toMatch(/^CANN Thread/);
  });

  it('finds the 6.1 ms sync under aten::to in the Ascend Level1 trace', () => {
    const to = findSyncWaits(publicModel(TRACES.ascendLevel1)).filter(w => w.op === 'aten::to');
    expect(Math.max(...to.map(w => w.waitUs))).toBeCloseTo(6_090, 0);
  });

  it('counts the Level2 Runtime@ syncs inside AscendCL@ syncs once', () => {
    const waits = findSyncWaits(publicModel(TRACES.ascendLevel2));
    const [top] = [...waits].sort((a, b) => b.waitUs - a.waitUs);
    expect(top.op).toBe('aten::item');
    expect(top.sync).toBe('AscendCL@aclrtSynchronizeStreamWithTimeout');
    // No two waits of one thread overlap.
    const sorted = [...waits].sort((a, b) => a.start - b.start);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k].lane === sorted[k - 1].lane) {
        expect(sorted[k].start).toBeGreaterThanOrEqual(sorted[k - 1].end);
      }
    }
  });

  it('finds the DLRM .to(cpu): cudaMemcpyAsync waits 880 µs for a 1 µs copy', () => {
    const model = publicModel(TRACES.dlrm);
    const waits = findSyncWaits(model);
    const copy = waits.find(w => w.sync === 'cudaMemcpyAsync');
    expect(copy?.op).toBe('aten::to');
    expect(copy?.copyUs).toBe(1);
    expect(copy?.waitUs).toBeCloseTo(879, 0);
    expect(waits.some(w => w.sync === 'cudaStreamSynchronize')).toBe(true);
    const finding = syncWait(model);
    expect(finding.variant).toBe('waits');
    expect(finding.facts.launchedBy).toBe('nccl:all_to_all');
    expect(finding.remedies).toEqual(['cuda-tf32', 'cudnn-benchmark']);
  });

  it('finds cudaEventSynchronize in the hta event-sync trace, too short to report', () => {
    const model = publicModel(TRACES.eventSync);
    expect(findSyncWaits(model).map(w => w.sync)).toContain('cudaEventSynchronize');
    expect(syncWait(model).variant).toBe('none');
  });

  it('says no-device on the CPU-only trace', () => {
    expect(syncWait(publicModel(TRACES.cpuOnly)).variant).toBe('no-device');
  });

  it('stays silent on the Ascend Level0 trace, which has no CANN calls', () => {
    expect(syncWait(publicModel(TRACES.ascendLevel0)).variant).toBe('none');
  });
});

describe('syncWait copy time on the Ascend Level1 sample', () => {
  it('measures the 59 µs aclrtMemcpy after aten::item waited 92 ms, so the copy is not the suspect', () => {
    const f = syncWait(publicModel(TRACES.ascendLevel1));
    expect(f.facts.topCall).toBe('aten::item');
    // aten::item's memcpy is 59.32 µs (trace) — plus aten::to's own copy; both tiny next to the wait.
    expect(Number(f.facts.copyUs)).toBeGreaterThanOrEqual(59.32);
    expect(Number(f.facts.copyUs)).toBeLessThan(1000);
    expect(Number(f.facts.waitUs)).toBeGreaterThan(100 * Number(f.facts.copyUs));
  });
});
