import { describe, expect, it } from 'vitest';
import {
  aiCpu,
  aiCpuKernelType,
  aiCpuOperator,
  MIN_TASK_US
} from '../../../src/analysis/rules/aiCpu';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

function stream(tasks: [string, number][], spanUs?: number) {
  let t = 0;
  return makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'dispatch', label: 'CANN Thread 1', pid: '9', tid: '1' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '10', tid: '2' }
    ],
    slices: [
      // A host call named like an AI CPU op is not a device task.
      { lane: 0, name: 'AscendCL@aclnnCast_CastAiCpu', start: 0, dur: 500, work: 'runtime' },
      ...tasks.map(([name, dur]) => {
        const s = { lane: 1, name, start: t, dur, work: 'kernel' as const };
        t += dur + 10;
        return s;
      })
    ],
    spanUs
  });
}

describe('aiCpu', () => {
  it('reports AI CPU tasks over 20 µs by operator', () => {
    const finding = aiCpu(
      stream(
        [
          ['aclnnMm_MatMulV2', 300],
          ['aclnnCast_CastAiCpu_Cast', 150],
          ['aclnnCast_CastAiCpu_Cast', 100],
          ['aclnnIndex_IndexAiCpu_Index', 60],
          ['aclnnCast_CastAiCpu_Cast', MIN_TASK_US] // not above the threshold
        ],
        5_000
      )
    );
    expect(finding.id).toBe('ai-cpu');
    expect(finding.variant).toBe('ai-cpu');
    expect(finding.facts.tasks).toBe(3);
    expect(finding.facts.allTasks).toBe(4);
    expect(finding.facts.totalUs).toBe(310);
    expect(finding.facts.ops).toBe(2);
    expect(finding.facts.topOp).toBe('aclnnCast');
    expect(finding.facts.topOpUs).toBe(250);
    expect(finding.facts.topOpTasks).toBe(2);
    expect(finding.facts.topType).toBe('Cast');
    expect(finding.facts.topOps).toBe('aclnnCast, aclnnIndex');
    expect(finding.facts.maxTaskUs).toBe(150);
    expect(finding.facts.spanShare).toBeCloseTo(0.062);
    expect(finding.severity).toBe('high');
    expect(finding.savingUs).toBe(310);
    // A code change, not a setting.
    expect(finding.remedies).toEqual([]);
    expect(finding.highlights.map(h => h.end - h.start)).toEqual([150, 100, 60]);
  });

  it('grades by the share of the run', () => {
    const share = (spanUs: number) => aiCpu(stream([['Foo_AI_CPU', 100]], spanUs)).severity;
    expect(share(2_000)).toBe('high');
    expect(share(2_500)).toBe('medium');
    expect(share(10_000)).toBe('low');
  });

  it('passes when AI CPU tasks are all short', () => {
    const finding = aiCpu(stream([['aclnnCast_CastAiCpu_Cast', 15], ['MatMul', 500]]));
    expect(finding.variant).toBe('none');
    expect(finding.severity).toBe('ok');
    expect(finding.facts).toEqual({ tasks: 1, totalUs: 15 });
  });

  it('does not apply off Ascend or without a device', () => {
    const cuda = makeTrace({
      lanes: [{ kind: 'device', label: 'GPU 0 stream 7' }],
      slices: [{ lane: 0, name: 'AiCpuLookalike', start: 0, dur: 100, work: 'kernel' }]
    });
    expect(aiCpu(cuda).facts.reason).toBe('not-ascend');
    const hostOnly = makeTrace({
      backend: 'ascend',
      lanes: [{ kind: 'host', label: 'Python Thread 1' }],
      slices: [{ lane: 0, name: 'aten::add', start: 0, dur: 100, work: 'op' }]
    });
    expect(aiCpu(hostOnly).facts.reason).toBe('no-device');
  });

  it('names the operator and the kernel kind from the task name', () => {
    expect(aiCpuOperator('aclnnReduceSum_CastAiCpu_Cast')).toBe('aclnnReduceSum');
    expect(aiCpuOperator('NonZero')).toBe('NonZero');
    expect(aiCpuKernelType('aclnnReduceSum_CastAiCpu_Cast')).toBe('Cast');
    expect(aiCpuKernelType('MatMul')).toBe('');
  });
});

describe('aiCpu on public traces', () => {
  it('finds the two AI CPU casts of the 2024 sample (Task Type AI_CPU)', () => {
    const finding = aiCpu(publicModel(TRACES.ascend2024));
    expect(finding.variant).toBe('ai-cpu');
    expect(finding.facts.tasks).toBe(2);
    // aclnnReduceSum_CastAiCpu_Cast 188.148 µs + aclnnCast_CastAiCpu_Cast 139.419 µs.
    expect(finding.facts.totalUs).toBeCloseTo(327.567, 2);
    expect(finding.facts.topOp).toBe('aclnnReduceSum');
    expect(finding.facts.topType).toBe('Cast');
    expect(finding.facts.topOps).toBe('aclnnReduceSum, aclnnCast');
    // 2.3 % of a 14.1 ms step.
    expect(finding.severity).toBe('low');
  });

  it('finds none in the msinsight traces', () => {
    expect(aiCpu(publicModel(TRACES.ascendLevel1)).variant).toBe('none');
    expect(aiCpu(publicModel(TRACES.ascendLevel0)).variant).toBe('none');
  });
});
