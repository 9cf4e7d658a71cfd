import { describe, expect, it } from 'vitest';
import { formatCast, MIN_CAST_US } from '../../../src/analysis/rules/formatCast';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

function stream(kernels: [string, number][]) {
  let t = 0;
  return makeTrace({
    backend: 'ascend',
    lanes: [
      { kind: 'dispatch', label: 'CANN Thread 1', pid: '9', tid: '1' },
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '10', tid: '2' }
    ],
    slices: [
      // Host-side tiling of a TransData is not device time.
      { lane: 0, name: 'AscendCL@TransData_Tiling', start: 0, dur: 400, work: 'runtime' },
      ...kernels.map(([name, dur]) => {
        const s = { lane: 1, name, start: t, dur, work: 'kernel' as const };
        t += dur + 5;
        return s;
      })
    ]
  });
}

describe('formatCast', () => {
  it('reports TransData kernels and other inserted conversions apart', () => {
    const finding = formatCast(
      stream([
        ['Conv2D', 500],
        ['trans_TransData_12', 100],
        ['trans_TransData_13', 60],
        ['aclnnMm_TransData_TransData', 40],
        ['trans_Cast_7', 50],
        ['MaxPool', 250]
      ])
    );
    expect(finding.id).toBe('format-cast');
    expect(finding.variant).toBe('casts');
    expect(finding.facts.kernels).toBe(4);
    expect(finding.facts.castUs).toBe(250);
    expect(finding.facts.transDataKernels).toBe(3);
    expect(finding.facts.transDataUs).toBe(200);
    expect(finding.facts.otherKernels).toBe(1);
    expect(finding.facts.otherUs).toBe(50);
    expect(finding.facts.kernelUs).toBe(1_000);
    expect(finding.facts.kernelShare).toBeCloseTo(0.25);
    // trans_TransData_12 and _13 are one conversion at two places.
    expect(finding.facts.topKernel).toBe('trans_TransData');
    expect(finding.facts.topKernelUs).toBe(160);
    expect(finding.severity).toBe('high');
    // Only the layout conversions can go with allow_internal_format=False.
    expect(finding.savingUs).toBe(200);
    expect(finding.remedies).toEqual(['ascend-internal-format-off']);
    expect(finding.highlights[0].name).toBe('trans_TransData_12');
  });

  it('passes below MIN_CAST_US', () => {
    const finding = formatCast(stream([['Conv2D', 5_000], ['trans_TransData_1', MIN_CAST_US - 1]]));
    expect(finding.variant).toBe('none');
    expect(finding.severity).toBe('ok');
    expect(finding.facts).toEqual({ kernels: 1, castUs: MIN_CAST_US - 1 });
  });

  it('stays silent when no kernel converts formats', () => {
    expect(formatCast(stream([['Conv2D', 5_000], ['AddN', 300]])).variant).toBe('none');
  });

  it('does not apply off Ascend', () => {
    const cuda = makeTrace({
      lanes: [{ kind: 'device', label: 'GPU 0 stream 7' }],
      slices: [{ lane: 0, name: 'trans_TransData_1', start: 0, dur: 1_000, work: 'kernel' }]
    });
    expect(formatCast(cuda).variant).toBe('not-applicable');
    expect(formatCast(cuda).facts.reason).toBe('not-ascend');
  });
});

describe('formatCast on public traces', () => {
  it('finds 57 TransData kernels (1.42 ms, 16 % of kernel time) in the Level1 trace', () => {
    const finding = formatCast(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('casts');
    expect(finding.facts.transDataKernels).toBe(57);
    expect(finding.facts.transDataUs).toBeCloseTo(1_423.208, 2);
    expect(finding.facts.otherKernels).toBe(0);
    expect(finding.facts.kernelShare).toBeCloseTo(0.159, 2);
    expect(finding.severity).toBe('medium');
  });

  it('finds them at Level0 too: kernel names are there without CANN data', () => {
    const finding = formatCast(publicModel(TRACES.ascendLevel0));
    expect(finding.facts.transDataKernels).toBe(57);
    expect(finding.facts.transDataUs).toBeCloseTo(1_397.588, 2);
  });

  it('splits the 2024 sample: 55 TransData and 25 other trans_ conversions', () => {
    const finding = formatCast(publicModel(TRACES.ascend2024));
    expect(finding.facts.transDataKernels).toBe(55);
    expect(finding.facts.transDataUs).toBeCloseTo(465.316, 2);
    expect(finding.facts.otherKernels).toBe(25);
    expect(finding.facts.otherUs).toBeCloseTo(103.189, 2);
    expect(finding.severity).toBe('high');
  });
});
