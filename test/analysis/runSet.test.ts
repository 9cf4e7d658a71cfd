import { describe, expect, it } from 'vitest';
import { runSetOverview, SPREAD_THRESHOLD } from '../../src/analysis/runSet';
import { summarize } from '../../src/analysis/summarize';
import type { IProfileSummary } from '../../src/analysis/summary';
import { makeTrace } from './makeTrace';
import { publicModel, publicModelWithSiblings, TRACES } from './publicModel';

/**
 * The summary of one rank of a built data-parallel step: `computeUs` of
 * kernels, then an allreduce that lasts until every rank is done
 * (`stepUs`), as a collective makes fast ranks wait for the slowest.
 */
function rankSummary(
  rank: string,
  computeUs: number,
  stepUs: number,
  idleBeforeUs = 0
): IProfileSummary {
  const model = makeTrace({
    lanes: [
      { kind: 'host', label: 'Python Thread 1' },
      { kind: 'device', label: 'Ascend Hardware Stream 2' },
      { kind: 'communication', label: 'HCCL' }
    ],
    slices: [
      { lane: 0, name: 'ProfilerStep#1', start: 0, dur: stepUs, work: 'op' },
      { lane: 1, name: 'MatMul', start: idleBeforeUs, dur: computeUs, work: 'kernel' },
      {
        lane: 2,
        name: 'hcom_allReduce_',
        start: idleBeforeUs + computeUs,
        dur: stepUs - idleBeforeUs - computeUs,
        work: 'comm'
      }
    ],
    steps: [{ name: 'ProfilerStep#1', start: 0, dur: stepUs }],
    spanUs: stepUs
  });
  model.meta.rank = rank;
  model.meta.worldSize = '4';
  return summarize(model);
}

describe('runSetOverview', () => {
  it('finds the rank that computes longest, whose step time every rank shares', () => {
    // Rank 2 computes 1.3 ms; the others 1.0 ms and then wait in the allreduce.
    const overview = runSetOverview([
      { label: 'rank3_ascend_pt', summary: rankSummary('3', 1000, 1500) },
      { label: 'rank0_ascend_pt', summary: rankSummary('0', 1000, 1500) },
      { label: 'rank2_ascend_pt', summary: rankSummary('2', 1300, 1500) },
      { label: 'rank1_ascend_pt', summary: rankSummary('1', 1010, 1500) }
    ]);
    expect(overview.kind).toBe('ranks');
    expect(overview.rows.map(r => r.rank)).toEqual(['0', '1', '2', '3']);
    expect(overview.rows.map(r => r.times.step)).toEqual([1500, 1500, 1500, 1500]);
    expect(overview.rows.map(r => r.times.comm)).toEqual([500, 490, 200, 500]);
    expect(overview.verdict).toMatchObject({
      kind: 'slow-rank',
      row: 2,
      fastRow: 0,
      component: 'compute',
      excessUs: 300
    });
    expect(overview.verdict.excessShare).toBeCloseTo(0.3, 9);
    expect(overview.mixedBackends).toBe(false);
    expect(overview.worldSize).toBeNull(); // all four of the job's ranks are here
  });

  it('says ranks are balanced when compute spreads less than the slow-rank threshold', () => {
    const compute = [1000, 1000 * (1 + SPREAD_THRESHOLD / 2), 1000];
    const overview = runSetOverview(
      compute.map((c, r) => ({ label: `rank${r}`, summary: rankSummary(String(r), c, 1500) }))
    );
    expect(overview.verdict.kind).toBe('balanced');
    expect(overview.verdict.row).toBe(-1);
  });

  it('names a rank whose device waits for its host longer when compute is balanced', () => {
    const overview = runSetOverview([
      { label: 'a', summary: rankSummary('0', 1000, 1600) },
      { label: 'b', summary: rankSummary('1', 1000, 1600, 400) }
    ]);
    expect(overview.verdict).toMatchObject({
      kind: 'unbalanced',
      row: 1,
      fastRow: 0,
      component: 'idle',
      excessUs: 400
    });
    // A job of four with two ranks read: two are missing.
    expect(overview.worldSize).toBe(4);
  });

  it('treats runs without distinct ranks as separate runs and names the slowest step', () => {
    // Three real torch_npu captures of the same rank 0 (Level0, 1 and 2).
    const entries = (['ascendLevel0', 'ascendLevel1', 'ascendLevel2'] as const).map(key => ({
      label: key,
      summary: summarize(publicModelWithSiblings(TRACES[key]))
    }));
    expect(entries.map(e => e.summary.rank)).toEqual(['0', '0', '0']);
    const overview = runSetOverview(entries);
    expect(overview.kind).toBe('runs');
    expect(overview.rows.map(r => r.label)).toEqual(['ascendLevel0', 'ascendLevel1', 'ascendLevel2']);
    entries.forEach((e, i) => {
      const row = overview.rows[i];
      expect(row.steps).toBe(e.summary.steps.length);
      expect(row.times.step).toBe(e.summary.steps[0].dur);
      expect(row.times.compute).toBe(e.summary.breakdown!.computeUs);
      expect(row.times.syncWait).toBe(e.summary.breakdown!.syncWaitUs);
      const first = e.summary.findings.find(f => f.severity !== 'ok');
      expect(row.topProblem?.id).toBe(first?.id);
    });
    // Level1's step (156.0 ms) is the longest, Level0's (136.9 ms) the shortest: a 14 % spread.
    const [l0, l1] = overview.rows;
    const v = overview.verdict;
    expect(v).toMatchObject({ kind: 'slowest-run', row: 1, fastRow: 0 });
    expect(v.excessUs).toBeCloseTo(l1.times.step - l0.times.step, 6);
    // Of the device partition, the part that grew most from Level0 to Level1.
    const grew = (['compute', 'comm', 'copy', 'idle'] as const).map(c => l1.times[c] - l0.times[c]);
    expect(v.component).toBe(['compute', 'comm', 'copy', 'idle'][grew.indexOf(Math.max(...grew))]);
    expect(v.componentUs).toBeCloseTo(Math.max(...grew), 6);
  });

  it('reads the ranks of distributed Kineto traces and sees ranks missing from the job', () => {
    const overview = runSetOverview([
      { label: 'control.json.gz', summary: summarize(publicModel(TRACES.control)) },
      { label: 'worker0_step_12.pt.trace.json', summary: summarize(publicModel(TRACES.dlrm)) }
    ]);
    expect(overview.kind).toBe('ranks');
    expect(overview.rows.map(r => [r.rank, r.label])).toEqual([
      ['0', 'worker0_step_12.pt.trace.json'],
      ['3', 'control.json.gz']
    ]);
    expect(overview.worldSize).toBe(8);
    expect(overview.rows.every(r => r.backend === 'cuda' && r.hasDevice)).toBe(true);
  });

  it('says when runs used different backends, and keeps a CPU run without device times', () => {
    const overview = runSetOverview([
      { label: 'npu', summary: summarize(publicModel(TRACES.ascendLevel1)) },
      { label: 'cpu', summary: summarize(publicModel(TRACES.cpuOnly)) }
    ]);
    expect(overview.kind).toBe('runs'); // the Ascend trace alone records no rank
    expect(overview.mixedBackends).toBe(true);
    const cpu = overview.rows[1];
    expect([cpu.times.compute, cpu.times.idle, cpu.hasDevice]).toEqual([0, 0, false]);
  });
});
