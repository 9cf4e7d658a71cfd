import { describe, expect, it } from 'vitest';
import {
  IDLE_CODE,
  MAX_STEP_ACTIVITIES,
  STEP_BINS,
  stepActivity
} from '../../src/analysis/stepActivity';
import { deviceBusy } from '../../src/analysis/deviceBusy';
import { makeTrace } from './makeTrace';
import { publicModel, TRACES } from './publicModel';

/** Bin width of a 1000 µs step. */
const BIN = 1000 / STEP_BINS;

describe('stepActivity', () => {
  it('bins each step from its own start: idle while dispatching, then compute, then communication', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'host', label: 'Thread 1' },
        { kind: 'device', label: 'stream 1' },
        { kind: 'communication', label: 'HCCL' }
      ],
      slices: [
        { lane: 0, start: 0, dur: 2000, name: 'ProfilerStep#1', work: 'step' },
        // Step 1: device idle for its first half, then computes, then communicates.
        { lane: 1, start: 500, dur: 300, name: 'k1', work: 'kernel' },
        { lane: 2, start: 800, dur: 200, name: 'allreduce', work: 'comm' },
        // Step 2 (starts at 1000): computes from the start for 100 µs, copies at the end.
        { lane: 1, start: 1000, dur: 100, name: 'k2', work: 'kernel' },
        { lane: 1, start: 1900, dur: 100, name: 'MEMCPY', work: 'copy' }
      ],
      steps: [
        { name: 'ProfilerStep#1', start: 0, dur: 1000 },
        { name: 'ProfilerStep#2', start: 1000, dur: 1000 }
      ]
    });
    const [one, two] = stepActivity(model);
    expect(one.name).toBe('ProfilerStep#1');
    expect(one.durUs).toBe(1000);
    expect(one.busyUs).toBe(500);
    expect(one.work).toHaveLength(STEP_BINS);
    const half = STEP_BINS / 2;
    expect(one.work.slice(0, half)).toBe(IDLE_CODE.repeat(half));
    expect(one.work.slice(half, half + 300 / BIN)).toBe('c'.repeat(300 / BIN));
    expect(one.work.slice(half + 300 / BIN)).toBe('m'.repeat(200 / BIN));
    expect(one.busy.slice(0, half)).toBe('0'.repeat(half));
    expect(one.busy.slice(half)).toBe('9'.repeat(half));

    expect(two.busyUs).toBe(200);
    expect(two.work.slice(0, 100 / BIN)).toBe('c'.repeat(100 / BIN));
    expect(two.work.slice(100 / BIN, STEP_BINS - 100 / BIN)).toBe(
      IDLE_CODE.repeat(STEP_BINS - 200 / BIN)
    );
    expect(two.work.slice(-100 / BIN)).toBe('y'.repeat(100 / BIN));
  });

  it('records a partly busy bin with a low digit and the work that took most of it', () => {
    const model = makeTrace({
      lanes: [{ kind: 'device', label: 'stream 1' }],
      slices: [
        { lane: 0, start: 0, dur: BIN / 4, name: 'k', work: 'kernel' },
        { lane: 0, start: BIN / 4, dur: BIN / 8, name: 'cp', work: 'copy' },
        { lane: 0, start: 999, dur: 1, name: 'end', work: 'kernel' }
      ]
    });
    const [whole] = stepActivity(model);
    expect(whole.name).toBe('');
    expect(whole.work[0]).toBe('c');
    // 3/8 of the bin busy → round(0.375 × 9) = 3.
    expect(whole.busy[0]).toBe('3');
  });

  it('puts a slice that starts on a bin edge of an odd step start in its own bin only', () => {
    // Found by search: (start + 3 × width) − start falls a hair below 3 × width in floats.
    const start = 938147.648;
    const dur = 45.438;
    const width = dur / STEP_BINS;
    const model = makeTrace({
      lanes: [{ kind: 'device', label: 'stream 1' }],
      slices: [{ lane: 0, start: start + 3 * width, dur: width, name: 'k', work: 'kernel' }],
      steps: [{ name: 'ProfilerStep#1', start, dur }],
      spanUs: start + dur
    });
    const [step] = stepActivity(model);
    expect(step.work).toBe(`${IDLE_CODE.repeat(3)}c${IDLE_CODE.repeat(STEP_BINS - 4)}`);
    expect(step.busy).toBe(`${'0'.repeat(3)}9${'0'.repeat(STEP_BINS - 4)}`);
  });

  it('counts overlapping streams once', () => {
    const model = makeTrace({
      lanes: [
        { kind: 'device', label: 'stream 1' },
        { kind: 'device', label: 'stream 2' }
      ],
      slices: [
        { lane: 0, start: 0, dur: 1000, name: 'k1', work: 'kernel' },
        { lane: 1, start: 0, dur: 1000, name: 'k2', work: 'kernel' }
      ]
    });
    const [whole] = stepActivity(model);
    expect(whole.busyUs).toBe(1000);
    expect(whole.busy).toBe('9'.repeat(STEP_BINS));
  });

  it('uses the host operators when there is no device, and ignores the step annotation', () => {
    const model = makeTrace({
      lanes: [{ kind: 'host', label: 'Thread 1' }],
      slices: [
        { lane: 0, start: 0, dur: 1000, name: 'ProfilerStep#0', work: 'step' },
        { lane: 0, start: 0, dur: 400, name: 'aten::mm', work: 'op' },
        { lane: 0, start: 100, dur: 100, name: 'aten::add', work: 'op' }
      ],
      steps: [{ name: 'ProfilerStep#0', start: 0, dur: 1000 }]
    });
    const [step] = stepActivity(model);
    expect(step.busyUs).toBe(400);
    expect(step.work.slice(0, 400 / BIN)).toBe('h'.repeat(400 / BIN));
    expect(step.work.slice(400 / BIN)).toBe(IDLE_CODE.repeat(STEP_BINS - 400 / BIN));
  });

  it(`keeps the first ${MAX_STEP_ACTIVITIES} steps`, () => {
    const steps = Array.from({ length: MAX_STEP_ACTIVITIES + 3 }, (_, k) => ({
      name: `ProfilerStep#${k}`,
      start: k * 100,
      dur: 100
    }));
    const model = makeTrace({
      lanes: [{ kind: 'device', label: 'stream 1' }],
      slices: [{ lane: 0, start: 0, dur: 50, name: 'k', work: 'kernel' }],
      steps,
      spanUs: steps.length * 100
    });
    const out = stepActivity(model);
    expect(out.map(s => s.name)).toEqual(steps.slice(0, MAX_STEP_ACTIVITIES).map(s => s.name));
  });

  it.each(Object.entries(TRACES))('agrees with the device busy union on %s', (_, file) => {
    const model = publicModel(file);
    const busy = deviceBusy(model);
    const steps = stepActivity(model);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.work).toHaveLength(STEP_BINS);
      expect(s.busy).toMatch(new RegExp(`^[0-9]{${STEP_BINS}}$`));
      expect(s.busyUs).toBeLessThanOrEqual(s.durUs + 1e-6);
      // A bin is idle exactly when its digit is 0.
      for (let i = 0; i < STEP_BINS; i++) {
        expect(s.work[i] === IDLE_CODE).toBe(s.busy[i] === '0');
      }
    }
    if (model.steps.length === 0 && busy.hasDevice) {
      expect(steps[0].busyUs).toBeCloseTo(busy.union.totalUs, 3);
    }
    // The bins add up to the step's busy time, within the rounding of one digit per bin.
    for (const s of steps) {
      const binned = [...s.busy].reduce((sum, d) => sum + Number(d) / 9, 0) / STEP_BINS;
      expect(Math.abs(binned - s.busyUs / s.durUs)).toBeLessThan(1 / 18 + 0.02);
    }
  });

  it('shows the Ascend Level1 step as mostly communication with idle stretches', () => {
    const model = publicModel(TRACES.ascendLevel1);
    const [step] = stepActivity(model);
    expect(model.steps.length).toBeGreaterThan(0);
    expect(step.name).toBe(model.steps[0].name);
    const count = (c: string) => [...step.work].filter(x => x === c).length;
    expect(count('m')).toBeGreaterThan(count('c'));
    expect(count(IDLE_CODE)).toBeGreaterThan(0);
  });
});
