import type { TranslationBundle } from '@jupyterlab/translation';
import { describe, expect, it } from 'vitest';
import type { IFinding } from '../../src/analysis/finding';
import { aiCoreFreq } from '../../src/analysis/rules/aiCoreFreq';
import { aiCpu } from '../../src/analysis/rules/aiCpu';
import { envCheck } from '../../src/analysis/rules/envCheck';
import { formatCast } from '../../src/analysis/rules/formatCast';
import { onlineCompile } from '../../src/analysis/rules/onlineCompile';
import { taskQueue } from '../../src/analysis/rules/taskQueue';
import type { ITraceModel } from '../../src/trace/model';
import { aiCoreFreqText } from '../../src/view/findings/aiCoreFreqText';
import { aiCpuText } from '../../src/view/findings/aiCpuText';
import { envCheckText } from '../../src/view/findings/envCheckText';
import { formatCastText } from '../../src/view/findings/formatCastText';
import { onlineCompileText } from '../../src/view/findings/onlineCompileText';
import { taskQueueText } from '../../src/view/findings/taskQueueText';
import { makeTrace } from '../analysis/makeTrace';
import { publicModel, TRACES } from '../analysis/publicModel';

/** A bundle that fills %n placeholders, as the real one does. */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    text.replace(/%(\d+)/g, (_, n) => String(args[Number(n) - 1]))
} as unknown as TranslationBundle;

/** A copy of a public model with a recorded environment and versions. */
function withCapture(model: ITraceModel, env: Record<string, string>, versions: Record<string, string>): ITraceModel {
  return {
    ...model,
    meta: { ...model.meta, env: { ...env }, versions: { python: '3.10', ...versions } }
  };
}

const level0 = makeTrace({
  backend: 'ascend',
  lanes: [
    { kind: 'host', label: 'Python Thread 1', tid: '1', processName: 'Python' },
    { kind: 'dispatch', label: 'CANN Thread 1', pid: '9', tid: '1', processName: 'CANN' },
    { kind: 'device', label: 'Stream 2', pid: '10', tid: '2' }
  ],
  slices: [
    { lane: 0, name: 'aten::add', start: 0, dur: 300, work: 'op' },
    { lane: 1, name: 'AscendCL@aclnnAdd', start: 10, dur: 200, work: 'runtime' },
    { lane: 2, name: 'Add', start: 250, dur: 50, work: 'kernel' }
  ]
});
level0.meta.env.TASK_QUEUE_ENABLE = '0';
level0.meta.env.ASCEND_LAUNCH_BLOCKING = '1';

const l1 = () => publicModel(TRACES.ascendLevel1);

/** Level1's model with its AI Core clock halved from the second sample on. */
function throttled(): ITraceModel {
  const model = l1();
  const freq = model.counters.series.find(s => s.name === 'AI Core Freq')!;
  const value = model.counters.value.slice();
  value[freq.first] = 1800;
  value[freq.first + 1] = 900;
  const time = model.counters.time.slice();
  time[freq.first + 1] = model.spanUs / 2;
  return { ...model, counters: { ...model.counters, time, value } };
}
type Describer = (f: IFinding, t: TranslationBundle) => { title: string; detail: string; after?: string };
const cases: [string, Describer, IFinding][] = [
  ['online-compile compiles', onlineCompileText, onlineCompile(l1())],
  ['online-compile none', onlineCompileText, onlineCompile(makeTrace({ backend: 'ascend', lanes: [{ kind: 'dispatch', label: 'CANN' }], slices: [{ lane: 0, name: 'AscendCL@aclnnAdd', start: 0, dur: 5, work: 'runtime' }] }))],
  ['online-compile n/a level0', onlineCompileText, onlineCompile(publicModel(TRACES.ascendLevel0))],
  ['online-compile n/a cuda', onlineCompileText, onlineCompile(publicModel(TRACES.dlrm))],
  ['task-queue level-0', taskQueueText, taskQueue(level0)],
  ['task-queue level-1', taskQueueText, taskQueue(withCapture(l1(), { TASK_QUEUE_ENABLE: '1' }, { torch_npu: '2.1.0.post6' }))],
  ['task-queue level-1 unknown version', taskQueueText, taskQueue(l1())],
  ['task-queue level-2', taskQueueText, taskQueue(withCapture(l1(), { TASK_QUEUE_ENABLE: '2' }, { torch_npu: '2.4.0' }))],
  ['task-queue n/a', taskQueueText, taskQueue(publicModel(TRACES.dlrm))],
  ['ai-cpu', aiCpuText, aiCpu(publicModel(TRACES.ascend2024))],
  ['ai-cpu none', aiCpuText, aiCpu(l1())],
  ['ai-cpu n/a', aiCpuText, aiCpu(publicModel(TRACES.dlrm))],
  ['ai-core-freq steady', aiCoreFreqText, aiCoreFreq(l1())],
  ['ai-core-freq throttled', aiCoreFreqText, aiCoreFreq(throttled())],
  ['ai-core-freq n/a no counter', aiCoreFreqText, aiCoreFreq(publicModel(TRACES.ascend2024))],
  ['ai-core-freq n/a cuda', aiCoreFreqText, aiCoreFreq(publicModel(TRACES.dlrm))],
  ['format-cast', formatCastText, formatCast(publicModel(TRACES.ascend2024))],
  ['format-cast none', formatCastText, formatCast(makeTrace({ backend: 'ascend', lanes: [{ kind: 'device', label: 'Stream 2' }], slices: [{ lane: 0, name: 'Add', start: 0, dur: 5, work: 'kernel' }] }))],
  ['format-cast n/a', formatCastText, formatCast(publicModel(TRACES.dlrm))],
  ['env settings', envCheckText, envCheck(withCapture(l1(), { TASK_QUEUE_ENABLE: '0', ASCEND_LAUNCH_BLOCKING: '1', ASCEND_GLOBAL_LOG_LEVEL: '1', HOST_CACHE_CAPACITY: '0' }, {}))],
  ['env ok', envCheckText, envCheck(withCapture(l1(), { ACLNN_CACHE_LIMIT: '100000', PYTORCH_NPU_ALLOC_CONF: 'expandable_segments:True', CPU_AFFINITY_CONF: '2' }, {}))],
  ['env n/a', envCheckText, envCheck(l1())]
];

describe('Ascend finding texts', () => {
  it.each(cases)('fills every placeholder of %s', (_, describe, finding) => {
    const text = describe(finding, trans);
    for (const part of [text.title, text.detail, text.after ?? '']) {
      expect(part).not.toMatch(/%\d|undefined|NaN/);
    }
    expect(text.title.length).toBeGreaterThan(0);
    expect(text.detail.length).toBeGreaterThan(0);
  });

  it('covers each variant the rules return', () => {
    const seen = new Set(cases.map(([, , f]) => `${f.id}:${f.variant}`));
    expect([...seen].sort()).toEqual(
      [
        'ai-cpu:ai-cpu', 'ai-cpu:none', 'ai-cpu:not-applicable',
        'ai-core-freq:not-applicable', 'ai-core-freq:steady', 'ai-core-freq:throttled',
        'env:not-applicable', 'env:ok', 'env:settings',
        'format-cast:casts', 'format-cast:none', 'format-cast:not-applicable',
        'online-compile:compiles', 'online-compile:none', 'online-compile:not-applicable',
        'task-queue:level-0', 'task-queue:level-1', 'task-queue:level-2', 'task-queue:not-applicable'
      ].sort()
    );
  });

  it('names the lowered clock, its share and the check to make on a throttled card', () => {
    const text = aiCoreFreqText(aiCoreFreq(throttled()), trans);
    expect(text.title).toMatch(/^The AI Cores ran at 1\d{3} MHz on average .* below their 1800 MHz clock$/);
    expect(text.detail).toContain('went down to 900 MHz');
    expect(text.detail).toContain('npu-smi info');
  });

  it('explains the Jupyter trap and the late setting when the queue was off', () => {
    const text = taskQueueText(taskQueue(level0), trans);
    expect(text.detail).toContain('import torch_npu');
    expect(text.detail).toContain('TASK_QUEUE_ENABLE was 0');
    expect(text.detail).toContain('ASCEND_LAUNCH_BLOCKING=1');
  });

  it('tells an old torch_npu to upgrade instead of offering level 2', () => {
    const finding = taskQueue(withCapture(l1(), {}, { torch_npu: '2.1.0.post6' }));
    expect(finding.remedies).toEqual([]);
    expect(taskQueueText(finding, trans).detail).toContain('older than 6.0.RC3');
  });

  it('names the operators whose kernels ran on the AI CPU', () => {
    const text = aiCpuText(aiCpu(publicModel(TRACES.ascend2024)), trans);
    expect(text.detail).toContain('aclnnReduceSum, aclnnCast');
    expect(text.detail).toContain('float64');
  });

  it('writes an unset variable as unset', () => {
    const finding = envCheck(withCapture(l1(), { TASK_QUEUE_ENABLE: '0' }, {}));
    expect(envCheckText(finding, trans).detail).toContain('ACLNN_CACHE_LIMIT is unset');
  });
});
