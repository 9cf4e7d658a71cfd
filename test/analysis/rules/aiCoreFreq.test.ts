import { describe, expect, it } from 'vitest';
import { aiCoreFreq, MEDIUM_DROP_SHARE, MIN_DROP_SHARE } from '../../../src/analysis/rules/aiCoreFreq';
import { counterSummaries } from '../../../src/analysis/counterSeries';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/**
 * An Ascend run whose stream works in [0, 100) and [200, 300), with the AI
 * Core clock sampled at `samples` ([µs, MHz]).
 */
function run(samples: [number, number][], backend: 'ascend' | 'cuda' = 'ascend') {
  return makeTrace({
    backend,
    lanes: [
      { kind: 'device', label: 'Ascend Hardware Stream 2', pid: '10', tid: '2' },
      { kind: 'counter', label: 'AI Core Freq', pid: '11', tid: '0', processName: 'AI Core Freq' }
    ],
    slices: [
      { lane: 0, name: 'MatMul', start: 0, dur: 100, work: 'kernel' },
      { lane: 0, name: 'MatMul', start: 200, dur: 100, work: 'kernel' }
    ],
    spanUs: 300,
    counters: [{ lane: 1, name: 'AI Core Freq', key: 'MHz', samples }]
  });
}

describe('aiCoreFreq', () => {
  it('reports the clock held over busy time, not over idle time', () => {
    // 1800 MHz for the first kernel, 1200 MHz for the second; the 800 MHz
    // stretch (an idle AI Core) covers no device work and does not count.
    const finding = aiCoreFreq(run([[-50, 1800], [120, 800], [190, 1200]]));
    expect(finding.variant).toBe('throttled');
    expect(finding.facts.meanMhz).toBe(1500);
    expect(finding.facts.ratedMhz).toBe(1800);
    expect(finding.facts.lowestMhz).toBe(1200);
    expect(finding.facts.dropShare).toBeCloseTo(1 / 6);
    expect(finding.facts.busyUs).toBe(200);
    expect(finding.facts.slowUs).toBe(100);
    expect(finding.severity).toBe(1 / 6 >= MEDIUM_DROP_SHARE ? 'medium' : 'low');
    expect(finding.savingUs).toBeCloseTo(200 / 6);
    // The lowered stretch that held over device work, clipped to the span.
    expect(finding.highlights).toEqual([{ start: 190, end: 300, lane: '', name: '1200 MHz' }]);
  });

  it('leaves out device work before the first sample, whose clock is unknown', () => {
    const finding = aiCoreFreq(run([[150, 1800], [250, 1700]]));
    // Only the second kernel is covered: 50 µs at 1800, 50 µs at 1700.
    expect(finding.facts.meanMhz).toBe(1750);
    expect(finding.variant).toBe('steady');
    expect(1 - 1750 / 1800).toBeLessThan(MIN_DROP_SHARE);
  });

  it('passes a clock that stays up, and says why it cannot check other traces', () => {
    expect(aiCoreFreq(run([[0, 1800]])).variant).toBe('steady');
    expect(aiCoreFreq(run([[0, 1800]], 'cuda')).facts.reason).toBe('not-ascend');
    expect(aiCoreFreq(run([])).facts.reason).toBe('no-counter');
    expect(aiCoreFreq(run([[400, 1000]])).facts.reason).toBe('no-busy');
  });

  it.each([TRACES.ascendLevel0, TRACES.ascendLevel1, TRACES.ascendLevel2])(
    'finds the clock of %s steady at its recorded 1800 MHz',
    trace => {
      const model = publicModel(trace);
      const finding = aiCoreFreq(model);
      expect(finding.variant).toBe('steady');
      expect(finding.facts.ratedMhz).toBe(1800);
      expect(finding.facts.meanMhz).toBeCloseTo(1800, 6);
      const freq = counterSummaries(model).find(c => c.name === 'AI Core Freq');
      expect(freq).toMatchObject({ lane: 'AI Core Freq', key: 'MHz', min: 1800, max: 1800 });
    }
  );
});
