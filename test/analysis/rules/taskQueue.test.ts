import { describe, expect, it } from 'vitest';
import { taskQueue } from '../../../src/analysis/rules/taskQueue';
import type { ITraceModel } from '../../../src/trace/model';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/**
 * Level 0 with CANN data: the Python thread's own CANN lane dispatches each
 * op (200 µs of aclnn calls per op, 4 ops) while the device idles between
 * 100 µs kernels.
 */
function level0(env: Record<string, string> = {}, versions: Record<string, string> = {}): ITraceModel {
  const slices = [];
  for (let k = 0; k < 4; k++) {
    const t = k * 1_000;
    slices.push(
      { lane: 0, name: 'aten::add', start: t, dur: 300, work: 'op' as const },
      { lane: 1, name: 'AscendCL@aclnnAddGetWorkspaceSize', start: t + 10, dur: 120, work: 'runtime' as const },
      { lane: 1, name: 'AscendCL@aclnnAdd', start: t + 140, dur: 80, work: 'runtime' as const },
      { lane: 1, name: 'Runtime@KernelLaunch', start: t + 150, dur: 20, work: 'launch' as const },
      { lane: 2, name: 'Add', start: t + 250, dur: 100, work: 'kernel' as const }
    );
  }
  // A sync and a copy on the same lane: not dispatch work a higher level moves.
  slices.push(
    { lane: 1, name: 'AscendCL@aclrtSynchronizeStream', start: 4_000, dur: 500, work: 'sync' as const },
    { lane: 1, name: 'AscendCL@aclrtMemcpy', start: 4_600, dur: 50, work: 'copy' as const }
  );
  const model = makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'host', label: 'Python Thread 100', pid: '100', tid: '100', processName: 'Python' },
      { kind: 'dispatch', label: 'CANN Thread 100', pid: '900', tid: '100', processName: 'CANN' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '901', tid: '2' }
    ],
    slices
  });
  Object.assign(model.meta.env, env);
  Object.assign(model.meta.versions, versions);
  return model;
}

/** Level ≥ 1: Enqueue on the Python thread, Dequeue@ and the CANN calls on the consumer thread. */
function level1(env: Record<string, string> = {}): ITraceModel {
  const model = makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'host', label: 'Python Thread 100', pid: '100', tid: '100', processName: 'Python' },
      { kind: 'dispatch', label: 'Task Queue Thread 200', pid: '100', tid: '200', processName: 'Python' },
      { kind: 'dispatch', label: 'CANN Thread 200', pid: '900', tid: '200', processName: 'CANN' },
      { kind: 'dispatch', label: 'CANN Thread 100', pid: '900', tid: '100', processName: 'CANN' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '901', tid: '2' }
    ],
    slices: [
      { lane: 0, name: 'aten::add', start: 0, dur: 50, work: 'op' },
      { lane: 0, name: 'Enqueue', start: 20, dur: 10, work: 'queue' },
      { lane: 1, name: 'Dequeue@aclnnAdd', start: 40, dur: 300, work: 'queue' },
      { lane: 2, name: 'AscendCL@aclnnAdd', start: 50, dur: 250, work: 'runtime' },
      { lane: 3, name: 'AscendCL@aclrtMallocAlign32', start: 25, dur: 40, work: 'runtime' },
      { lane: 4, name: 'Add', start: 320, dur: 100, work: 'kernel' }
    ],
    spanUs: 1_000
  });
  Object.assign(model.meta.env, env);
  return model;
}

describe('taskQueue', () => {
  it('reports level 0 when no operator went through the queue', () => {
    const finding = taskQueue(level0({ TASK_QUEUE_ENABLE: '0' }, { torch_npu: '2.1.0.post10' }));
    expect(finding.id).toBe('task-queue');
    expect(finding.variant).toBe('level-0');
    expect(finding.facts.level).toBe(0);
    expect(finding.facts.levelSource).toBe('trace');
    // The Jupyter trap: import torch_npu set it to 0.
    expect(finding.facts.envValue).toBe('0');
    expect(finding.facts.envRecorded).toBe(1);
    expect(finding.facts.versionOk).toBe('yes');
    // 4 × (120 + 80) µs top-level aclnn calls; the launch nested inside is not counted twice,
    // and the sync and the copy are not dispatch.
    expect(finding.facts.dispatchUs).toBe(800);
    expect(finding.facts.dispatchCalls).toBe(8);
    // Capped by device idle time: span 4650 − 400 busy.
    expect(finding.facts.idleUs).toBe(4_250);
    expect(finding.savingUs).toBe(800);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual(['ascend-task-queue-2']);
    expect(finding.highlights[0].name).toBe('AscendCL@aclnnAddGetWorkspaceSize');
    expect(finding.highlights[0].lane).toBe('CANN Thread 100');
  });

  it('caps the saving at the device idle time', () => {
    // A long kernel keeps the device busy for nearly the whole span.
    const busy = makeTrace({
      backend: 'ascend',
      lanes: [
        { kind: 'host', label: 'Python Thread 1', tid: '1' },
        { kind: 'dispatch', label: 'CANN Thread 1', pid: '9', tid: '1', processName: 'CANN' },
        { kind: 'device', label: 'Stream 2', pid: '10', tid: '2' }
      ],
      slices: [
        { lane: 0, name: 'aten::mm', start: 0, dur: 1_000, work: 'op' },
        { lane: 1, name: 'AscendCL@aclnnMm', start: 0, dur: 900, work: 'runtime' },
        { lane: 2, name: 'MatMul', start: 0, dur: 950, work: 'kernel' }
      ]
    });
    const finding = taskQueue(busy);
    expect(finding.facts.dispatchUs).toBe(900);
    expect(finding.facts.idleUs).toBe(50);
    expect(finding.savingUs).toBe(50);
  });

  it('still advises level 2 when the torch_npu version is unknown, and says so', () => {
    const finding = taskQueue(level0());
    expect(finding.facts.versionOk).toBe('unknown');
    expect(finding.facts.torchNpu).toBe('');
    expect(finding.remedies).toEqual(['ascend-task-queue-2']);
  });

  it('does not advise level 2 to a torch_npu older than 6.0.RC3', () => {
    const finding = taskQueue(level0({}, { torch_npu: '2.1.0.post6' }));
    expect(finding.variant).toBe('level-0');
    expect(finding.facts.versionOk).toBe('no');
    expect(finding.remedies).toEqual([]);
  });

  it('notes ASCEND_LAUNCH_BLOCKING=1, which turns the queue off', () => {
    expect(taskQueue(level0({ ASCEND_LAUNCH_BLOCKING: '1' })).facts.launchBlocking).toBe(1);
  });

  it('reports level 1 when the queue ran and TASK_QUEUE_ENABLE is not 2', () => {
    const finding = taskQueue(level1({ TASK_QUEUE_ENABLE: '1' }));
    expect(finding.variant).toBe('level-1');
    expect(finding.facts.level).toBe(1);
    expect(finding.facts.enqueues).toBe(1);
    // Only the Python thread's CANN call; the consumer thread's aclnnAdd already runs beside it.
    expect(finding.facts.dispatchUs).toBe(40);
    expect(finding.severity).toBe('low');
    expect(finding.remedies).toEqual(['ascend-task-queue-2']);
  });

  it('passes at level 2 when TASK_QUEUE_ENABLE=2 was recorded and the queue ran', () => {
    const finding = taskQueue(level1({ TASK_QUEUE_ENABLE: '2' }));
    expect(finding.variant).toBe('level-2');
    expect(finding.severity).toBe('ok');
    expect(finding.facts.levelSource).toBe('env');
    expect(finding.savingUs).toBe(0);
    expect(finding.remedies).toEqual([]);
  });

  it('believes memory_record.csv over the recorded environment when it was read', () => {
    const model = level1({ TASK_QUEUE_ENABLE: '2' });
    model.meta.ascend = { files: ['memory_record.csv'], taskQueueWorkspace: false };
    const finding = taskQueue(model);
    expect(finding.variant).toBe('level-1');
    expect(finding.facts.levelSource).toBe('memory-record');
    model.meta.ascend.taskQueueWorkspace = true;
    model.meta.env.TASK_QUEUE_ENABLE = '1';
    expect(taskQueue(model).variant).toBe('level-2');
  });

  it('reports level 0 when TASK_QUEUE_ENABLE=2 was recorded but nothing was queued (set too late)', () => {
    const finding = taskQueue(level0({ TASK_QUEUE_ENABLE: '2' }));
    expect(finding.variant).toBe('level-0');
    expect(finding.facts.envValue).toBe('2');
  });

  it('does not apply without framework ops or off Ascend', () => {
    const noOps = makeTrace({
      backend: 'ascend',
      lanes: [{ kind: 'device', label: 'Stream 2' }],
      slices: [{ lane: 0, name: 'Add', start: 0, dur: 10, work: 'kernel' }]
    });
    expect(taskQueue(noOps).variant).toBe('not-applicable');
    expect(taskQueue(noOps).facts.reason).toBe('no-host-ops');
    const cuda = makeTrace({
      lanes: [{ kind: 'host', label: 'Thread 1' }],
      slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 10, work: 'op' }]
    });
    expect(taskQueue(cuda).facts.reason).toBe('not-ascend');
  });
});

describe('taskQueue on public traces', () => {
  it('sees the queue running in the Level1 trace: 159 Enqueue, level 1', () => {
    const finding = taskQueue(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('level-1');
    expect(finding.facts.enqueues).toBe(159);
    expect(finding.facts.cannData).toBe(1);
    // CANN calls left on the two Python threads' CANN lanes (3096504, 3105075).
    expect(finding.facts.dispatchUs).toBeCloseTo(972.8, 0);
    expect(finding.savingUs).toBeCloseTo(972.8, 0);
  });

  it('sees the queue in the Level0 trace too: Enqueue/Dequeue are framework events', () => {
    const finding = taskQueue(publicModel(TRACES.ascendLevel0));
    expect(finding.variant).toBe('level-1');
    expect(finding.facts.enqueues).toBe(159);
    expect(finding.facts.cannData).toBe(0);
    expect(finding.savingUs).toBe(0);
  });

  it('sees the queue in the 2024 sample', () => {
    const finding = taskQueue(publicModel(TRACES.ascend2024));
    expect(finding.variant).toBe('level-1');
    expect(finding.facts.enqueues).toBe(148);
  });

  it('does not apply to the CUDA DLRM trace', () => {
    expect(taskQueue(publicModel(TRACES.dlrm)).variant).toBe('not-applicable');
  });
});
