/**
 * orderSlices: the slice columns gathered in file order → the model's slice
 * columns, rebased exactly on the trace origin, sorted by lane then start
 * (longer first on ties), with a work kind and a depth each
 * ({@link finishSlices}); and the steps.
 *
 * Pure module.
 */
import { assignDepths } from './assignDepths';
import { rebaseUs } from './exactTime';
import type { ILane, IStep, ITraceSlices, LaneKind } from './model';
import { WORK_KINDS } from './model';
import { workKind } from './workKind';

/** Slices in file order, one entry per slice in each column (see `gatheredSlices.ts`). */
export interface IGatheredSlices {
  /** Start: whole µs (exact integer). */
  whole: Float64Array;
  /** Start: picoseconds of the µs. */
  ps: Float64Array;
  /** Duration, µs. */
  dur: Float64Array;
  /** Correlation id, or -1. */
  corr: Float64Array;
  /** Interned name. */
  name: Int32Array;
  /** Raw lane (order of appearance). */
  lane: Int32Array;
  /** Interned category; 0 = none. */
  cat: Int32Array;
  /** Interned Ascend task type; 0 = none. */
  task: Int32Array;
}

/** Lane kinds, for numeric cache keys (and the compiled steps' lane kind column). */
export const LANE_KINDS: readonly LaneKind[] = [
  'host',
  'dispatch',
  'device',
  'communication',
  'counter',
  'other'
];

/** Work kind of `ProfilerStep#N` slices, as stored in the work column. */
const STEP_WORK = WORK_KINDS.indexOf('step');

/** The slices of the model, finished: see {@link finishSlices}. */
export interface IFinishedSlices {
  /** The model's slice columns. */
  slices: ITraceSlices;
  /** First slice of each final lane, plus the count at the end. */
  laneStart: Int32Array;
  /** Whether a host slice is a HIP call (ROCm). */
  hip: boolean;
  /** Latest end of a slice, µs from the origin; 0 when there is none. */
  spanUs: number;
}

/** What {@link finishSlices} works from. */
export interface ISlicesToFinish {
  gathered: IGatheredSlices;
  lanes: ILane[];
  /** Final lane of each raw lane. */
  laneOf: Int32Array;
  /** Interned names. */
  names: string[];
  /** Interned categories and task types. */
  tags: string[];
  /** The origin: whole µs and picoseconds. */
  originWhole: number;
  originPs: number;
}

/**
 * The model's slices from the gathered ones: starts rebased exactly on the
 * origin, sorted by final lane then start (longer first, then file order),
 * each with its work kind and depth. `wasmSliceOrder.ts` runs the same steps
 * compiled.
 */
export function finishSlices(input: ISlicesToFinish): IFinishedSlices {
  const { gathered, lanes, laneOf, names, tags, originWhole, originPs } = input;
  const start = rebaseStarts(gathered, originWhole, originPs);
  const order = orderSlices(gathered, lanes.length, laneOf, start);
  const { slices, hip } = finalSlices(gathered, order, start, lanes, laneOf, names, tags);
  const { laneStart } = order;
  for (let l = 0; l < lanes.length; l++) {
    assignDepths(slices.start, slices.dur, slices.depth, laneStart[l], laneStart[l + 1]);
  }
  let spanUs = 0;
  for (let j = 0; j < slices.count; j++) {
    if (slices.start[j] + slices.dur[j] > spanUs) {
      spanUs = slices.start[j] + slices.dur[j];
    }
  }
  return { slices, laneStart, hip, spanUs };
}

/**
 * The work kind (index of {@link WORK_KINDS}) of slices with this name,
 * category, lane kind and task type, and whether it is a HIP host call.
 */
export function workOf(
  name: string,
  cat: string,
  laneKind: LaneKind,
  task: string
): { work: number; hip: boolean } {
  return {
    work: WORK_KINDS.indexOf(workKind(name, cat, laneKind, task)),
    hip: laneKind !== 'device' && name.startsWith('hip')
  };
}

/** Starts in µs from the origin, exact to the picosecond before the division. */
export function rebaseStarts(
  gathered: IGatheredSlices,
  originWhole: number,
  originPs: number
): Float64Array {
  const { whole, ps } = gathered;
  const start = new Float64Array(whole.length);
  for (let i = 0; i < whole.length; i++) {
    start[i] = rebaseUs(whole[i], ps[i], originWhole, originPs);
  }
  return start;
}

/** Where the slices go: `perm[j]` is the gathered index of final slice `j`; lane `l` starts at `laneStart[l]`. */
export interface ISliceOrder {
  perm: Int32Array;
  laneStart: Int32Array;
}

/**
 * Order the slices by final lane (stable), then by start, longer first.
 *
 * @param laneOf - final lane of each raw lane.
 */
export function orderSlices(
  gathered: IGatheredSlices,
  laneCount: number,
  laneOf: Int32Array,
  start: Float64Array
): ISliceOrder {
  const rawLane = gathered.lane;
  const count = rawLane.length;
  const laneStart = new Int32Array(laneCount + 1);
  for (let i = 0; i < count; i++) {
    laneStart[laneOf[rawLane[i]] + 1]++;
  }
  for (let l = 0; l < laneCount; l++) {
    laneStart[l + 1] += laneStart[l];
  }
  const fill = laneStart.slice(0, laneCount);
  const perm = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    perm[fill[laneOf[rawLane[i]]]++] = i;
  }
  for (let l = 0; l < laneCount; l++) {
    sortSegment(perm, laneStart[l], laneStart[l + 1], start, gathered.dur);
  }
  return { perm, laneStart };
}

/** Sort `perm[lo..hi)` by start, longer first on ties; skips sorted input. */
function sortSegment(
  perm: Int32Array,
  lo: number,
  hi: number,
  start: Float64Array,
  dur: Float64Array
): void {
  let sorted = true;
  for (let k = lo + 1; k < hi; k++) {
    const a = perm[k - 1];
    const b = perm[k];
    if (start[a] > start[b] || (start[a] === start[b] && dur[a] < dur[b])) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    return;
  }
  const segment = Array.from(perm.subarray(lo, hi));
  segment.sort((a, b) => start[a] - start[b] || dur[b] - dur[a] || a - b);
  perm.set(segment, lo);
}

/** The final slice columns, and whether a host slice is a HIP call (ROCm). */
export interface IFinalSlices {
  slices: ITraceSlices;
  hip: boolean;
}

/**
 * The model's slice columns in `order`, each slice with its work kind.
 * Depths are left at 0 (they need the final order).
 *
 * @param names - interned names; `tags` - interned categories and task types.
 */
export function finalSlices(
  gathered: IGatheredSlices,
  order: ISliceOrder,
  start: Float64Array,
  lanes: ILane[],
  laneOf: Int32Array,
  names: string[],
  tags: string[]
): IFinalSlices {
  const perm = order.perm;
  const count = perm.length;
  const slices: ITraceSlices = {
    count,
    start: new Float64Array(count),
    dur: new Float64Array(count),
    name: new Int32Array(count),
    lane: new Int32Array(count),
    work: new Uint8Array(count),
    depth: new Uint16Array(count),
    correlation: new Float64Array(count)
  };
  const { dur, name, lane: rawLane, cat, task, corr } = gathered;
  // Work kind by (lane kind, category, task type), then by name.
  const workCache = new Map<number, Map<number, number>>();
  const tagCount = tags.length;
  const laneKindIndex = lanes.map(l => LANE_KINDS.indexOf(l.kind));
  let hip = false;
  let lastCombo = -1;
  let byName = new Map<number, number>();
  for (let j = 0; j < count; j++) {
    const i = perm[j];
    const lane = laneOf[rawLane[i]];
    slices.start[j] = start[i];
    slices.dur[j] = dur[i];
    slices.name[j] = name[i];
    slices.lane[j] = lane;
    slices.correlation[j] = corr[i];
    // Neighbours mostly share lane kind, category and task type.
    const comboKey = (laneKindIndex[lane] * tagCount + cat[i]) * tagCount + task[i];
    if (comboKey !== lastCombo) {
      lastCombo = comboKey;
      let found = workCache.get(comboKey);
      if (found === undefined) {
        found = new Map();
        workCache.set(comboKey, found);
      }
      byName = found;
    }
    let w = byName.get(name[i]);
    if (w === undefined) {
      const found = workOf(names[name[i]], tags[cat[i]], lanes[lane].kind, tags[task[i]]);
      w = found.work;
      byName.set(name[i], w);
      hip = hip || found.hip;
    }
    slices.work[j] = w;
  }
  return { slices, hip };
}

/** `ProfilerStep#N` slices on host lanes, once each, in time order. */
export function findSteps(slices: ITraceSlices, lanes: ILane[], names: string[]): IStep[] {
  const seen = new Set<string>();
  const steps: IStep[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (slices.work[i] !== STEP_WORK || lanes[slices.lane[i]].kind !== 'host') {
      continue;
    }
    const name = names[slices.name[i]];
    const key = name + '@' + slices.start[i];
    if (!seen.has(key)) {
      seen.add(key);
      steps.push({ name, start: slices.start[i], dur: slices.dur[i] });
    }
  }
  steps.sort((a, b) => a.start - b.start);
  return steps;
}
