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
  return stepsSummary(rank, [{ computeUs, stepUs, idleBeforeUs }]);
}

/**
 * Like {@link rankSummary} for several steps one after the other, the first
 * starting `warmUpUs` after the trace does (time before the first step, such
 * as a warm-up the schedule did not record as a step).
 */
function stepsSummary(
  rank: string,
  steps: { computeUs: number; stepUs: number; idleBeforeUs?: number }[],
  warmUpUs = 0
): IProfileSummary {
  const lanes = [
    { kind: 'host' as const, label: 'Python Thread 1' },
    { kind: 'device' as const, label: 'Ascend Hardware Stream 2' },
    { kind: 'communication' as const, label: 'HCCL' }
  ];
  const slices = [];
  const marks = [];
  let at = warmUpUs;
  for (const [k, { computeUs, stepUs, idleBeforeUs = 0 }] of steps.entries()) {
    const name = `ProfilerStep#${k + 1}`;
    slices.push(
      { lane: 0, name, start: at, dur: stepUs, work: 'op' as const },
      { lane: 1, name: 'MatMul', start: at + idleBeforeUs, dur: computeUs, work: 'kernel' as const },
      {
        lane: 2,
        name: 'hcom_allReduce_',
        start: at + idleBeforeUs + computeUs,
        dur: stepUs - idleBeforeUs - computeUs,
        work: 'comm' as const
      }
    );
    marks.push({ name, start: at, dur: stepUs });
    at += stepUs;
  }
  // The trace starts at 0: a warm-up kernel there, before the first step.
  if (warmUpUs > 0) {
    slices.push({ lane: 1, name: 'warmup', start: 0, dur: 1, work: 'kernel' as const });
  }
  const model = makeTrace({ lanes, slices, steps: marks, spanUs: at });
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

  it('compares ranks per step, and not the time before their first step', () => {
    // Three steps each; rank 1 computes 20 % longer in every step, and rank 0
    // idled 50 ms before its first step (a warm-up outside the steps).
    const step = { computeUs: 1000, stepUs: 1500 };
    const overview = runSetOverview([
      { label: 'r0', summary: stepsSummary('0', [step, step, step], 50_000) },
      { label: 'r1', summary: stepsSummary('1', Array(3).fill({ ...step, computeUs: 1200 })) }
    ]);
    expect(overview.rows.map(r => r.steps)).toEqual([3, 3]);
    expect(overview.rows.map(r => r.times.idle)).toEqual([0, 0]);
    expect(overview.rows[0].times.compute).toBeCloseTo(1000 + 1 / 3, 6); // the 1 µs warm-up kernel
    expect(overview.rows[1].times.compute).toBe(1200);
    expect(overview.verdict).toMatchObject({ kind: 'slow-rank', row: 1, fastRow: 0 });
    expect(overview.verdict.excessUs).toBeCloseTo(200 - 1 / 3, 6);
  });

  it('does not name a difference of less than 1 % of the step, whatever its spread', () => {
    // Compute 10 vs 14 µs is a 33 % spread, but of a 1.5 ms step: nothing to act on.
    const overview = runSetOverview([
      { label: 'a', summary: rankSummary('0', 10, 1500) },
      { label: 'b', summary: rankSummary('1', 14, 1500) }
    ]);
    expect(overview.spreads.find(s => s.component === 'compute')!.spread).toBeGreaterThan(0.3);
    expect(overview.verdict.kind).toBe('balanced');
  });

  it('treats distinct ranks of jobs of different sizes as separate runs', () => {
    const a = rankSummary('0', 1000, 1500);
    const b = { ...rankSummary('1', 1000, 1500), worldSize: '8' };
    expect(runSetOverview([{ label: 'a', summary: a }, { label: 'b', summary: b }]).kind).toBe('runs');
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
    expect(l1.times.step).toBeCloseTo(155_985.8, 1);
    expect(l0.times.step).toBeCloseTo(136_897.82, 2);
    expect(overview.verdict).toMatchObject({ kind: 'slowest-run', row: 1, fastRow: 0, component: 'comm' });
    expect(overview.verdict.excessUs).toBeCloseTo(19_087.98, 1);
    // Communication: 81.5 ms a step on Level0, 101.9 ms on Level1; device idle inside the
    // step shrank a little (45.5 → 44.3 ms), so the parts add up to the step's change.
    expect(overview.verdict.componentUs).toBeCloseTo(101_910.1 - 81_464.8, 0);
    for (const row of overview.rows) {
      const { compute, comm, copy, idle, step } = row.times;
      expect(compute + comm + copy + idle).toBeCloseTo(step, 0);
    }
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
