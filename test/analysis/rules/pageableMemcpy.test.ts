import { describe, expect, it } from 'vitest';
import { MIN_COST_US, pageableMemcpy } from '../../../src/analysis/rules/pageableMemcpy';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

function copies(htodName: string, htodHostUs: number) {
  return makeTrace({
    lanes: [
      { kind: 'host', label: 'Python Thread 1', tid: '1' },
      { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
    ],
    slices: [
      { lane: 0, name: 'cudaMemcpyAsync', start: 0, dur: htodHostUs, work: 'copy', id: 'h1' },
      { lane: 0, name: 'cudaMemcpyAsync', start: 5_000, dur: 400, work: 'copy', id: 'h2' },
      { lane: 1, name: htodName, start: 100, dur: 2_800, work: 'copy', id: 'd1' },
      { lane: 1, name: 'Memcpy DtoH (Device -> Pageable)', start: 5_300, dur: 90, work: 'copy', id: 'd2' }
    ],
    links: [
      ['h1', 'd1'],
      ['h2', 'd2']
    ],
    spanUs: 10_000
  });
}

describe('pageableMemcpy', () => {
  it('reports pageable copies: host time for HtoD, device time for DtoH', () => {
    const finding = pageableMemcpy(copies('Memcpy HtoD (Pageable -> Device)', 3_000));
    expect(finding.id).toBe('pageable-memcpy');
    expect(finding.variant).toBe('pageable');
    expect(finding.facts.htodCopies).toBe(1);
    expect(finding.facts.htodHostUs).toBe(3_000);
    expect(finding.facts.htodDeviceUs).toBe(2_800);
    expect(finding.facts.dtohCopies).toBe(1);
    expect(finding.facts.dtohDeviceUs).toBe(90);
    expect(finding.savingUs).toBe(3_090);
    expect(finding.severity).toBe('high');
    expect(finding.remedies).toEqual([]);
    expect(finding.highlights[0].name).toBe('Memcpy HtoD (Pageable -> Device)');
  });

  it('stays silent on pinned copies', () => {
    const finding = pageableMemcpy(copies('Memcpy HtoD (Pinned -> Device)', 3_000));
    expect(finding.variant).toBe('none');
    expect(finding.facts).toEqual({ copies: 1, costUs: 90 });
    expect(90).toBeLessThan(MIN_COST_US);
  });

  it('says not-applicable on Ascend, whose copy names do not say pageable', () => {
    expect(pageableMemcpy(publicModel(TRACES.ascendLevel1)).variant).toBe('not-applicable');
  });

  it('says not-applicable on a CPU-only trace', () => {
    expect(pageableMemcpy(publicModel(TRACES.cpuOnly)).variant).toBe('not-applicable');
  });
});

describe('pageableMemcpy on public traces', () => {
  it('finds the 12 pageable HtoD input copies of resnet50 (num_workers=0)', () => {
    const finding = pageableMemcpy(publicModel(TRACES.resnet50));
    expect(finding.variant).toBe('pageable');
    expect(finding.facts.htodCopies).toBe(12);
    expect(finding.facts.htodDeviceUs).toBeCloseTo(11_492, 0);
    expect(finding.facts.htodHostUs).toBeCloseTo(12_047, 0);
    expect(finding.severity).toBe('low');
  });

  it('counts DLRM pageable copies (8 HtoD, 2 DtoH) but finds them too cheap to report', () => {
    const finding = pageableMemcpy(publicModel(TRACES.dlrm));
    expect(finding.variant).toBe('none');
    expect(finding.facts.copies).toBe(10);
  });
});
