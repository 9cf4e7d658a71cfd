import { describe, expect, it } from 'vitest';
import { dynamicShape } from '../../../src/analysis/rules/dynamicShape';
import type { IAscendKernelSummary, ITraceModel } from '../../../src/trace/model';
import { makeTrace } from '../makeTrace';
import { publicModel, publicModelWithSiblings, TRACES } from '../publicModel';

/** A kernel_details.csv aggregate with the given OP State counts (absent: Level0 columns). */
function summary(opState?: { dynamic: number; static: number }): IAscendKernelSummary {
  const none = { count: 0, totalUs: 0 };
  return {
    tasks: (opState?.dynamic ?? 0) + (opState?.static ?? 0) + 2,
    totalUs: 1_000,
    waitUs: 0,
    byCore: [],
    byType: [],
    aiCpu: none,
    transData: none,
    opState,
    reduced: opState === undefined
  };
}

/** An Ascend trace with `compiles` online compiles (each with its nested opCompile) and the given summary. */
function run(kernels: IAscendKernelSummary | undefined, compileUs: number[] = []): ITraceModel {
  let t = 0;
  const model = makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'dispatch', label: 'CANN Thread 1', pid: '9', tid: '1' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '10', tid: '2' }
    ],
    slices: [
      { lane: 0, name: 'AscendCL@aclnnAdd', start: 0, dur: 10, work: 'runtime' },
      { lane: 1, name: 'Add', start: 20, dur: 5, work: 'kernel' },
      ...compileUs.flatMap(dur => {
        const start = (t += 100);
        t += dur;
        return [
          { lane: 0, name: 'AscendCL@aclopCompileAndExecute', start, dur, work: 'compile' as const },
          { lane: 0, name: 'AscendCL@opCompile', start: start + 1, dur: dur - 2, work: 'compile' as const }
        ];
      })
    ]
  });
  if (kernels) {
    model.meta.ascend = { files: ['ASCEND_PROFILER_OUTPUT/kernel_details.csv'], kernelSummary: kernels };
  }
  return model;
}

describe('dynamicShape', () => {
  it('reports a run with no static-shape operator and online compiles', () => {
    const finding = dynamicShape(run(summary({ dynamic: 40, static: 0 }), [2_000, 500]));
    expect(finding.id).toBe('dynamic-shape');
    expect(finding.variant).toBe('dynamic');
    expect(finding.severity).toBe('medium');
    // The nested opCompile is part of its outer call, not a second compile.
    expect(finding.facts).toEqual({ dynamic: 40, static: 0, tasks: 42, compiles: 2, compileUs: 2_500 });
    expect(finding.savingUs).toBe(2_500);
    expect(finding.remedies).toEqual(['ascend-jit-compile-off', 'ascend-internal-format-off']);
    expect(finding.highlights.map(h => h.end - h.start)).toEqual([2_000, 500]);
  });

  it('ranks all-dynamic low, with nothing to save, when nothing was compiled', () => {
    const finding = dynamicShape(run(summary({ dynamic: 40, static: 0 })));
    expect(finding.variant).toBe('dynamic');
    expect(finding.severity).toBe('low');
    expect(finding.savingUs).toBe(0);
    expect(finding.facts.compiles).toBe(0);
  });

  it('passes when one operator is static', () => {
    const finding = dynamicShape(run(summary({ dynamic: 40, static: 1 }), [2_000]));
    expect(finding.variant).toBe('ok');
    expect(finding.severity).toBe('ok');
    expect(finding.facts).toEqual({ dynamic: 40, static: 1, tasks: 43 });
    expect(finding.remedies).toEqual([]);
  });

  it('does not apply off Ascend, without kernel_details.csv, or without OP State', () => {
    const cuda = makeTrace({ lanes: [{ kind: 'device', label: 'GPU 0 stream 7' }], slices: [] });
    expect(dynamicShape(cuda).facts.reason).toBe('not-ascend');
    expect(dynamicShape(run(undefined)).facts.reason).toBe('no-kernel-details');
    expect(dynamicShape(run(summary())).facts.reason).toBe('no-op-state');
    // Only N/A rows (memcpy, HCCL): nothing to say about shapes.
    expect(dynamicShape(run(summary({ dynamic: 0, static: 0 }))).facts.reason).toBe('no-op-state');
    expect(dynamicShape(run(summary())).severity).toBe('ok');
  });
});

describe('dynamicShape on public traces', () => {
  it('flags the msinsight Level1 run: 187 dynamic, 0 static, 19 compiles', () => {
    const finding = dynamicShape(publicModelWithSiblings(TRACES.ascendLevel1));
    expect(finding.variant).toBe('dynamic');
    // kernel_details.csv: 191 rows, OP State dynamic 187, N/A 4.
    expect(finding.facts.dynamic).toBe(187);
    expect(finding.facts.static).toBe(0);
    expect(finding.facts.tasks).toBe(191);
    // The same compiles as online-compile (api_statistic.csv: aclopCompileAndExecute 19, 14 049.23 µs).
    expect(finding.facts.compiles).toBe(19);
    expect(finding.facts.compileUs).toBeCloseTo(14_049.23, 1);
    expect(finding.savingUs).toBeCloseTo(14_049.23, 1);
    expect(finding.severity).toBe('medium');
  });

  it('cannot tell on Level0 (no OP State column) or without the folder', () => {
    const level0 = dynamicShape(publicModelWithSiblings(TRACES.ascendLevel0));
    expect(level0.facts).toEqual({ reason: 'no-op-state', profilerLevel: 'Level0' });
    expect(dynamicShape(publicModel(TRACES.ascendLevel1)).facts.reason).toBe('no-kernel-details');
    expect(dynamicShape(publicModel(TRACES.ascend2024)).facts.reason).toBe('no-kernel-details');
    expect(dynamicShape(publicModel(TRACES.resnet50)).facts.reason).toBe('not-ascend');
  });
});
