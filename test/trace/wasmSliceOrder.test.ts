import { describe, expect, it, vi } from 'vitest';
import type { ILane, LaneKind } from '../../src/trace/model';
import { WORK_KINDS } from '../../src/trace/model';
import { GatheredSlices } from '../../src/trace/gatheredSlices';
import { ISlicesToFinish, finishSlices } from '../../src/trace/orderSlices';
import { readTrace, readTraceStream } from '../../src/trace/readTrace';
import { compiledSliceOrder, finishSlicesInWasm } from '../../src/trace/wasmSliceOrder';
import { PUBLIC_TRACE_FILES, publicTraceBytes } from './traceBytes';

/**
 * The compiled finishing steps (wasm/sliceOrder.ts) must give the model the
 * TypeScript ones give (orderSlices.ts, assignDepths.ts), slice for slice:
 * same order, starts, depths, work kinds and span. These tests run both on
 * awkward built inputs and, through the whole reader, on every public trace.
 */

/** When false, the compiled steps say they cannot run, as where WebAssembly cannot. */
const steps = vi.hoisted(() => ({ compiled: true }));
vi.mock('../../src/trace/wasmSliceOrder', async original => {
  const real = await original<typeof import('../../src/trace/wasmSliceOrder')>();
  return {
    ...real,
    finishSlicesInWasm: (...args: Parameters<typeof real.finishSlicesInWasm>) =>
      steps.compiled ? real.finishSlicesInWasm(...args) : null
  };
});

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: LaneKind[] = ['host', 'dispatch', 'device', 'communication', 'counter', 'other'];
const NAMES = [
  'aten::add',
  'ProfilerStep#3',
  'hipLaunchKernel',
  'cudaLaunchKernel',
  'AscendCL@aclrtSynchronizeStream',
  'MatMul',
  'Dequeue@Add',
  'kernel_x'
];
const TAGS = ['', 'cpu_op', 'kernel', 'python_function', 'AI_CORE', 'gpu_memcpy'];

function lane(kind: LaneKind, i: number): ILane {
  return { kind, label: `lane ${i}`, pid: String(i), tid: '1', processName: '', order: i };
}

/**
 * Slices on a few lanes in an awkward file order: out of order, equal starts
 * with equal and unequal durations, zero and infinite durations, slices that
 * overlap without nesting, Ascend-sized absolute microseconds with
 * picoseconds.
 */
function awkwardSlices(seed: number, count: number): ISlicesToFinish {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const lanes = KINDS.map(lane);
  // Raw lanes 0..8 fold onto the six final lanes; raw lane 9 has no slice.
  const laneOf = Int32Array.from([3, 0, 5, 1, 2, 0, 4, 2, 1, -1]);
  const slices = new GatheredSlices();
  const base = 1736408883686740;
  for (let i = 0; i < count; i++) {
    const d = pick(10);
    slices.push(
      base + pick(40),
      pick(4) === 0 ? 0 : pick(1e6),
      d === 0 ? 0 : d === 1 ? Infinity : d === 2 ? 5 : next() * 30,
      pick(NAMES.length),
      pick(9),
      pick(TAGS.length),
      pick(3) === 0 ? -1 : pick(20),
      pick(3) === 0 ? 4 : 0
    );
  }
  const gathered = slices.columns();
  const originWhole = Math.min(...gathered.whole);
  return { gathered, lanes, laneOf, names: NAMES, tags: TAGS, originWhole, originPs: 0 };
}

describe('the compiled finishing steps', () => {
  it('compile in Node', () => {
    expect(compiledSliceOrder()).not.toBeNull();
  });

  it.each([1, 2, 3, 4, 5])('finish awkward slices as the TypeScript steps do (seed %i)', seed => {
    const input = awkwardSlices(seed, 600);
    const expected = finishSlices(input);
    const compiled = finishSlicesInWasm(input);
    expect(compiled).toEqual(expected);
    // The inputs were awkward enough to matter.
    const { slices } = expected;
    expect(Math.max(...slices.depth)).toBeGreaterThan(2);
    expect(slices.dur).toContain(Infinity);
    expect(new Set(slices.work).size).toBeGreaterThan(3);
    expect(expected.hip).toBe(true);
  });

  it('finish no slices', () => {
    const input = { ...awkwardSlices(1, 0), originWhole: 0 };
    const compiled = finishSlicesInWasm(input);
    expect(compiled).toEqual(finishSlices(input));
    expect(compiled!.slices.count).toBe(0);
    expect(compiled!.spanUs).toBe(0);
  });

  it('order a lane written backwards by start, longer first on ties', () => {
    const slices = new GatheredSlices();
    slices.push(30, 0, 1, 0, 0, 0, -1, 0);
    slices.push(20, 0, 2, 0, 0, 0, -1, 0);
    slices.push(20, 0, 8, 0, 0, 0, -1, 0);
    slices.push(10, 500000, 30, 1, 0, 0, -1, 0);
    const gathered = slices.columns();
    const finished = finishSlicesInWasm({
      gathered,
      lanes: [lane('host', 0)],
      laneOf: Int32Array.of(0),
      names: NAMES,
      tags: TAGS,
      originWhole: 10,
      originPs: 500000
    })!;
    expect(Array.from(finished.slices.start)).toEqual([0, 9.5, 9.5, 19.5]);
    expect(Array.from(finished.slices.dur)).toEqual([30, 8, 2, 1]);
    expect(Array.from(finished.slices.depth)).toEqual([0, 1, 2, 1]);
    expect(WORK_KINDS[finished.slices.work[0]]).toBe('step');
    expect(finished.spanUs).toBe(30);
  });

  it.each(PUBLIC_TRACE_FILES)('give the model the TypeScript steps give on %s', async relative => {
    const bytes = publicTraceBytes(relative);
    steps.compiled = false;
    const fromTypeScript = readTrace(bytes);
    steps.compiled = true;
    const model = readTrace(bytes);
    expect(model).toEqual(fromTypeScript);
    expect(model.slices.count).toBeGreaterThan(0);
    const pieces = [0, 1000, 300_000].map((from, k, at) => bytes.subarray(from, at[k + 1]));
    expect(await readTraceStream(pieces)).toEqual(fromTypeScript);
  });
});
