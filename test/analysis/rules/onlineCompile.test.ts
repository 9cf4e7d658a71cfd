import { describe, expect, it } from 'vitest';
import {
  findCompileCalls,
  MANY_COMPILES,
  MIN_COMPILE_US,
  onlineCompile
} from '../../../src/analysis/rules/onlineCompile';
import { runChecklist } from '../../../src/analysis/checklist';
import { makeTrace } from '../makeTrace';
import type { ISliceSpec } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

const ASCEND_LANES = [
  { kind: 'host' as const, label: 'Python Thread 100', pid: '100', tid: '100' },
  { kind: 'dispatch' as const, label: 'Task Queue Thread 200', pid: '100', tid: '200' },
  { kind: 'dispatch' as const, label: 'CANN Thread 200', pid: '900', tid: '200' },
  { kind: 'device' as const, label: 'Ascend Hardware Stream 2', pid: '901', tid: '2' }
];

/** One compile under Dequeue@op on the task-queue thread, with its nested opCompile. */
function compileUnder(op: string, start: number, dur: number): ISliceSpec[] {
  return [
    { lane: 1, name: `Dequeue@${op}`, start, dur: dur + 20, work: 'queue' },
    { lane: 2, name: 'AscendCL@aclopCompileAndExecute', start: start + 5, dur, work: 'compile' },
    { lane: 2, name: 'AscendCL@opCompile', start: start + 10, dur: 30, work: 'compile' },
    { lane: 3, name: op, start: start + dur, dur: 50, work: 'kernel' }
  ];
}

function compiles(specs: [string, number, number][], spanUs?: number) {
  return makeTrace({
    backend: 'ascend',
    lanes: ASCEND_LANES,
    slices: [
      { lane: 0, name: 'aten::conv2d', start: 0, dur: 10, work: 'op' },
      ...specs.flatMap(([op, start, dur]) => compileUnder(op, start, dur))
    ],
    spanUs
  });
}

describe('onlineCompile', () => {
  it('reports compiles per operator, the first apart from the repeats', () => {
    const finding = onlineCompile(
      compiles(
        [
          ['Conv2D', 1_000, 2_000],
          ['Conv2D', 5_000, 1_500],
          ['ReduceSum', 8_000, 800]
        ],
        100_000
      )
    );
    expect(finding.id).toBe('online-compile');
    expect(finding.variant).toBe('compiles');
    // The nested opCompile is part of its aclopCompileAndExecute, not another compile.
    expect(finding.facts.compiles).toBe(3);
    expect(finding.facts.compileUs).toBe(4_300);
    expect(finding.facts.opCompileUs).toBe(90);
    expect(finding.facts.ops).toBe(2);
    expect(finding.facts.repeatedOps).toBe(1);
    expect(finding.facts.repeatCompiles).toBe(1);
    expect(finding.facts.firstUs).toBe(2_800);
    expect(finding.facts.repeatUs).toBe(1_500);
    expect(finding.facts.topOp).toBe('Conv2D');
    expect(finding.facts.topOpCompiles).toBe(2);
    expect(finding.facts.topOpUs).toBe(3_500);
    expect(finding.facts.spanShare).toBeCloseTo(0.043);
    expect(finding.severity).toBe('medium');
    expect(finding.savingUs).toBe(4_300);
    expect(finding.remedies).toEqual(['ascend-jit-compile-off', 'ascend-internal-format-off']);
    expect(finding.highlights[0]).toEqual({
      start: 1_005,
      end: 3_005,
      lane: 'CANN Thread 200',
      name: 'Conv2D'
    });
  });

  it('is high from MANY_COMPILES compiles, however short the share', () => {
    const specs: [string, number, number][] = Array.from({ length: MANY_COMPILES }, (_, i) => [
      `Op${i}`,
      i * 1_000,
      100
    ]);
    const finding = onlineCompile(compiles(specs, 10_000_000));
    expect(finding.facts.compiles).toBe(MANY_COMPILES);
    expect(finding.facts.spanShare).toBeLessThan(0.01);
    expect(finding.severity).toBe('high');
    expect(finding.facts.repeatedOps).toBe(0);
  });

  it('is low when a few compiles take a small share of the run', () => {
    const finding = onlineCompile(compiles([['Conv2D', 0, 1_200]], 1_000_000));
    expect(finding.variant).toBe('compiles');
    expect(finding.severity).toBe('low');
  });

  it('finds the operator on the Python thread when the task queue is off', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: [
        { kind: 'host', label: 'Python Thread 100', pid: '100', tid: '100' },
        { kind: 'dispatch', label: 'CANN Thread 100', pid: '900', tid: '100' }
      ],
      slices: [
        { lane: 0, name: 'aten::conv2d', start: 0, dur: 3_000, work: 'op' },
        { lane: 0, name: 'npu::conv2d', start: 10, dur: 2_900, work: 'op' },
        { lane: 1, name: 'AscendCL@aclopCompileAndExecute', start: 20, dur: 2_000, work: 'compile' }
      ]
    });
    const [call] = findCompileCalls(model);
    expect(call.op).toBe('npu::conv2d');
    expect(onlineCompile(model).facts.topOp).toBe('npu::conv2d');
  });

  it('passes when the compiles take less than MIN_COMPILE_US', () => {
    const finding = onlineCompile(compiles([['Conv2D', 0, MIN_COMPILE_US - 100]]));
    expect(finding.variant).toBe('none');
    expect(finding.severity).toBe('ok');
    expect(finding.savingUs).toBe(0);
    expect(finding.facts).toEqual({ compiles: 1, compileUs: MIN_COMPILE_US - 100 });
  });

  it('passes on a Level1 trace with CANN calls and no compile', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: ASCEND_LANES,
      slices: [{ lane: 2, name: 'AscendCL@aclnnAdd', start: 0, dur: 10, work: 'runtime' }]
    });
    expect(onlineCompile(model).variant).toBe('none');
  });

  it('cannot tell without CANN data (Level0) and says so', () => {
    const model = makeTrace({
      backend: 'ascend',
      lanes: ASCEND_LANES,
      slices: [{ lane: 1, name: 'Dequeue@Conv2D', start: 0, dur: 10, work: 'queue' }]
    });
    const finding = onlineCompile(model);
    expect(finding.variant).toBe('not-applicable');
    expect(finding.severity).toBe('ok');
    expect(finding.facts.reason).toBe('no-cann-data');
  });

  it('does not apply to a CUDA trace', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Thread 1' }],
      slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 10, work: 'op' }]
    });
    expect(onlineCompile(model).facts.reason).toBe('not-ascend');
  });
});

describe('onlineCompile on public traces', () => {
  it('finds the 19 compiles of 4 operators in the Ascend Level1 trace', () => {
    const finding = onlineCompile(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('compiles');
    expect(finding.facts.compiles).toBe(19);
    // api_statistic.csv of the same run: aclopCompileAndExecute 19 calls, 14 ms.
    expect(finding.facts.compileUs).toBeCloseTo(14_049.23, 1);
    expect(finding.facts.opCompileUs).toBeCloseTo(372.94, 1);
    // Conv2D ×5, Conv2DBackpropFilter ×5, ReduceSum ×5, Conv2DBackpropInput ×4.
    expect(finding.facts.ops).toBe(4);
    expect(finding.facts.repeatedOps).toBe(4);
    expect(finding.facts.repeatCompiles).toBe(15);
    expect(finding.facts.topOp).toBe('Conv2D');
    expect(finding.facts.topOpCompiles).toBe(5);
    expect(finding.facts.topOpUs).toBeCloseTo(5_497.6, 0);
    // First compiles: Conv2D 1773.7, Conv2DBackpropInput 1436.6, Conv2DBackpropFilter 1515.2, ReduceSum 841.4.
    expect(finding.facts.firstUs).toBeCloseTo(5_566.8, 0);
    // 19 < 20 compiles and 7.9 % of the run.
    expect(finding.severity).toBe('medium');
    expect(finding.highlights[0].lane).toMatch(/^CANN Thread/);
  });

  it('offers only the switches the run did not already have, as the profiling cell recorded them', () => {
    const recorded = publicModel(TRACES.ascendLevel1);
    // The checklist drops remedies already in effect, for every rule.
    const withSwitches = (switches: Record<string, boolean> | undefined) =>
      runChecklist({ ...recorded, meta: { ...recorded.meta, switches } }, [onlineCompile])[0];
    expect(withSwitches(undefined).remedies).toEqual([
      'ascend-jit-compile-off',
      'ascend-internal-format-off'
    ]);
    expect(withSwitches(undefined).facts.jitCompileOff).toBe(0);
    // Compiles with jit_compile=False: operators without a binary; switching it off again would do nothing.
    const jitOff = withSwitches({ jit_compile: false, allow_internal_format: true });
    expect(jitOff.variant).toBe('compiles');
    expect(jitOff.facts.jitCompileOff).toBe(1);
    expect(jitOff.remedies).toEqual(['ascend-internal-format-off']);
    expect(withSwitches({ jit_compile: false, allow_internal_format: false }).remedies).toEqual([]);
    expect(withSwitches({ jit_compile: true }).remedies).toContain('ascend-jit-compile-off');
  });

  it('finds the same compiles in the Level2 trace, Runtime@ calls inside counted once', () => {
    const finding = onlineCompile(publicModel(TRACES.ascendLevel2));
    expect(finding.facts.compiles).toBe(19);
    expect(finding.facts.compileUs).toBeCloseTo(14_231.86, 1);
  });

  it('rates the 2024 sample high: 11 compiles are 47 % of its step', () => {
    const finding = onlineCompile(publicModel(TRACES.ascend2024));
    expect(finding.facts.compiles).toBe(11);
    expect(finding.facts.compileUs).toBeCloseTo(6_637.1, 1);
    expect(finding.facts.spanShare).toBeCloseTo(0.47, 2);
    expect(finding.facts.ops).toBe(6);
    expect(finding.severity).toBe('high');
  });

  it('says Level0 cannot show compiles', () => {
    const finding = onlineCompile(publicModel(TRACES.ascendLevel0));
    expect(finding.variant).toBe('not-applicable');
    expect(finding.facts.reason).toBe('no-cann-data');
  });
});
