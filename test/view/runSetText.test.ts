import type { TranslationBundle } from '@jupyterlab/translation';
import { describe, expect, it } from 'vitest';
import { runSetOverview } from '../../src/analysis/runSet';
import { summarize } from '../../src/analysis/summarize';
import { describeRunSet, runName } from '../../src/view/runSetText';
import { makeTrace } from '../analysis/makeTrace';
import { publicModel, TRACES } from '../analysis/publicModel';

/** A bundle that fills %n placeholders, as the real one does. */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    text.replace(/%(\d+)/g, (m, n) => (args[Number(n) - 1] !== undefined ? String(args[Number(n) - 1]) : m))
} as unknown as TranslationBundle;

describe('describeRunSet', () => {
  it('names the slow rank, by how much it computes longer, and the ranks that were not read', () => {
    const overview = runSetOverview([
      { label: 'b/worker0.pt.trace.json', summary: summarize(publicModel(TRACES.dlrm)) },
      { label: 'a/control.json.gz', summary: summarize(publicModel(TRACES.control)) }
    ]);
    const text = describeRunSet(overview, trans);
    expect(text).toMatch(/^rank 3 \(a\/control\.json\.gz\) is the slow rank: it computes [\d.]+ ms \(\+\d+ %\) longer per step than rank 0 \(b\/worker0\.pt\.trace\.json\)/);
    expect(text).toContain('2 of the job’s 8 ranks were read.');
    expect(runName(overview.rows[0], overview, trans)).toBe('rank 0 (b/worker0.pt.trace.json)');
  });

  it('says a CPU run and an NPU run used different devices, and names runs by label', () => {
    const overview = runSetOverview([
      { label: 'npu', summary: summarize(publicModel(TRACES.ascendLevel1)) },
      { label: 'cpu', summary: summarize(publicModel(TRACES.cpuOnly)) }
    ]);
    const text = describeRunSet(overview, trans);
    // The CPU run's step (the span of its one ProfilerStep) is the longer one.
    expect(overview.rows[1].times.step).toBeGreaterThan(overview.rows[0].times.step * 1.05);
    expect(text).toMatch(/^cpu is the slowest: its step is [\d.]+ ms \(\+\d+ %\) longer than npu’s\./);
    // It has no device time, so no part of the device's time grew.
    expect(text).not.toContain('grew most');
    expect(text).toContain('different devices');
    expect(runName(overview.rows[1], overview, trans)).toBe('cpu');
  });

  it('says when runs take about as long', () => {
    const summary = summarize(publicModel(TRACES.ascendLevel1));
    const overview = runSetOverview([
      { label: 'first', summary },
      { label: 'again', summary }
    ]);
    expect(describeRunSet(overview, trans)).toBe(
      'The runs take about as long: their steps differ by less than 5 %.'
    );
  });
});

describe('describeRunSet on few or unlike runs', () => {
  it('says when only one run could be read', () => {
    const overview = runSetOverview([{ label: 'only', summary: summarize(publicModel(TRACES.ascendLevel1)) }]);
    expect(describeRunSet(overview, trans)).toBe('Only only could be read: there is nothing to compare it with.');
  });

  it('names no part of the device’s time when the faster run had no device, and runs without steps', () => {
    const cpu = makeTrace({
      lanes: [{ kind: 'host', label: 'Python Thread 1' }],
      slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 1000, work: 'op' }]
    });
    const overview = runSetOverview([
      { label: 'npu', summary: summarize(publicModel(TRACES.ascendLevel1)) },
      { label: 'cpu', summary: summarize(cpu) }
    ]);
    expect(overview.verdict).toMatchObject({ kind: 'slowest-run', row: 0, fastRow: 1, component: null });
    const text = describeRunSet(overview, trans);
    expect(text).toMatch(/^npu is the slowest: its step is [\d.]+ ms \(\+\d+ %\) longer than cpu’s\. /);
    expect(text).not.toContain('grew most');
    expect(text).toContain('cpu recorded no profiler step: its whole trace counts as one step.');
  });
});
