/**
 * The model's finishing steps on its slice columns, in AssemblyScript,
 * compiled to WebAssembly by `scripts/buildWasm.js` and driven by
 * `src/trace/wasmSliceOrder.ts`. They run once per read over every slice,
 * which in JavaScript means running before V8 has optimised them: compiled,
 * they are fast from the first slice. Same arithmetic and results as the
 * TypeScript steps (`src/trace/orderSlices.ts`, `assignDepths.ts`); the unit
 * tests compare the two on every public trace.
 *
 * 1. {@link prepare} lays out the columns for `count` slices.
 * 2. The caller copies the gathered columns (file order) in.
 * 3. {@link order}: starts rebased exactly on the origin; slices ordered by
 *    final lane, then start, longer first (then file order); the final
 *    columns; depths; the span; and the distinct (lane kind, category, task
 *    type, name) tuples, whose work kind the caller decides.
 * 4. The caller writes a work kind per tuple; {@link fillWork} spreads them.
 *
 * Every column starts at an address that the globals below hold after
 * {@link prepare}; f64 columns come first, so each is 8-byte aligned.
 */

/** Picoseconds per µs (`exactTime.ts`). */
const PS_PER_US: f64 = 1e6;
/** Tolerance when comparing ends and starts, µs (`assignDepths.ts`). */
const DEPTH_EPSILON_US: f64 = 1e-6;
/** Deepest depth a slice can be given (the depth column is 16-bit). */
const MAX_DEPTH: i32 = 0xffff;

// Inputs, in file order (gathered by the model builder).
export let WHOLE: u32 = 0;
export let PS: u32 = 0;
export let DUR: u32 = 0;
export let CORR: u32 = 0;
export let NAME: u32 = 0;
export let LANE: u32 = 0;
export let CAT: u32 = 0;
export let TASK: u32 = 0;
/** Final lane of each raw lane (-1: none). */
export let LANE_OF: u32 = 0;
/** Kind of each final lane, as an index of the lane kinds. */
export let LANE_KIND: u32 = 0;

// Outputs, in final order.
export let START_OUT: u32 = 0;
export let DUR_OUT: u32 = 0;
export let CORR_OUT: u32 = 0;
export let NAME_OUT: u32 = 0;
export let LANE_OUT: u32 = 0;
export let DEPTH_OUT: u32 = 0;
export let WORK_OUT: u32 = 0;
/** First slice of each final lane, plus the end: `laneCount + 1` words. */
export let LANE_START: u32 = 0;
/** Each tuple's lane kind, category, task type and name (four words a tuple). */
export let TUPLES: u32 = 0;
/** The work kind of each tuple, one byte each, written by the caller. */
export let TUPLE_WORK: u32 = 0;
/** Latest end of a slice, µs from the origin (0 when none), after {@link order}. */
export let SPAN_US: f64 = 0;

// Scratch.
let START: u32 = 0;
let PERM: u32 = 0;
let MERGED: u32 = 0;
let OPEN: u32 = 0;
let LEVEL_END: u32 = 0;
let TUPLE_OF: u32 = 0;
let SLOTS: u32 = 0;
let slotMask: u32 = 0;

let sliceCount: i32 = 0;
let laneCount: i32 = 0;

/** Where the columns begin. */
const COLUMNS_START: u32 = 1024;

/**
 * Lay out the columns for `count` slices over `rawLanes` raw and `lanes`
 * final lanes, growing the memory; false when it cannot grow.
 */
export function prepare(count: i32, rawLanes: i32, lanes: i32): bool {
  sliceCount = count;
  laneCount = lanes;
  const n = <u32>count;
  let slots: u32 = 16;
  while (slots < 2 * n) {
    slots <<= 1;
  }
  slotMask = slots - 1;
  let top = COLUMNS_START;
  // f64 columns first: they stay 8-byte aligned.
  WHOLE = top; top += 8 * n;
  PS = top; top += 8 * n;
  DUR = top; top += 8 * n;
  CORR = top; top += 8 * n;
  START = top; top += 8 * n;
  START_OUT = top; top += 8 * n;
  DUR_OUT = top; top += 8 * n;
  CORR_OUT = top; top += 8 * n;
  LEVEL_END = top; top += 8 * n;
  NAME = top; top += 4 * n;
  LANE = top; top += 4 * n;
  CAT = top; top += 4 * n;
  TASK = top; top += 4 * n;
  PERM = top; top += 4 * n;
  MERGED = top; top += 4 * n;
  OPEN = top; top += 4 * n;
  NAME_OUT = top; top += 4 * n;
  LANE_OUT = top; top += 4 * n;
  TUPLE_OF = top; top += 4 * n;
  TUPLES = top; top += 16 * n;
  SLOTS = top; top += 4 * slots;
  LANE_OF = top; top += 4 * <u32>rawLanes;
  LANE_KIND = top; top += 4 * <u32>lanes;
  LANE_START = top; top += 4 * (<u32>lanes + 1);
  DEPTH_OUT = top; top += 2 * n;
  WORK_OUT = top; top += n;
  TUPLE_WORK = top; top += n;
  const have = (<u64>memory.size()) << 16;
  if (<u64>top > have) {
    const pages = (<u64>top - have + 0xffff) >> 16;
    if (memory.grow(<i32>pages) < 0) {
      return false;
    }
  }
  return true;
}

// @ts-ignore: decorator
@inline
function f64At(column: u32, i: i32): f64 {
  return load<f64>(column + (<u32>i << 3));
}

// @ts-ignore: decorator
@inline
function i32At(column: u32, i: i32): i32 {
  return load<i32>(column + (<u32>i << 2));
}

// @ts-ignore: decorator
@inline
function setF64(column: u32, i: i32, v: f64): void {
  store<f64>(column + (<u32>i << 3), v);
}

// @ts-ignore: decorator
@inline
function setI32(column: u32, i: i32, v: i32): void {
  store<i32>(column + (<u32>i << 2), v);
}

/**
 * Run the finishing steps (see the file's comment) with the origin
 * `originWhole` µs + `originPs` ps; returns the number of tuples.
 */
export function order(originWhole: f64, originPs: f64): i32 {
  const count = sliceCount;
  for (let i = 0; i < count; i++) {
    // rebaseUs of exactTime.ts, operation for operation.
    const whole = f64At(WHOLE, i);
    const ps = f64At(PS, i);
    setF64(START, i, ((whole - originWhole) * PS_PER_US + (ps - originPs)) / PS_PER_US);
  }
  orderByLane();
  let span: f64 = 0;
  for (let j = 0; j < count; j++) {
    const i = i32At(PERM, j);
    const start = f64At(START, i);
    const dur = f64At(DUR, i);
    setF64(START_OUT, j, start);
    setF64(DUR_OUT, j, dur);
    setF64(CORR_OUT, j, f64At(CORR, i));
    setI32(NAME_OUT, j, i32At(NAME, i));
    setI32(LANE_OUT, j, i32At(LANE_OF, i32At(LANE, i)));
    if (start + dur > span) {
      span = start + dur;
    }
  }
  SPAN_US = span;
  for (let l = 0; l < laneCount; l++) {
    assignDepths(i32At(LANE_START, l), i32At(LANE_START, l + 1));
  }
  return findTuples();
}

/** PERM: slice indices by final lane (stable), then by start; fills LANE_START. */
function orderByLane(): void {
  const count = sliceCount;
  memory.fill(LANE_START, 0, 4 * (<u32>laneCount + 1));
  for (let i = 0; i < count; i++) {
    const l = i32At(LANE_OF, i32At(LANE, i));
    setI32(LANE_START, l + 1, i32At(LANE_START, l + 1) + 1);
  }
  for (let l = 0; l < laneCount; l++) {
    setI32(LANE_START, l + 1, i32At(LANE_START, l + 1) + i32At(LANE_START, l));
  }
  // MERGED serves as each lane's fill pointer here, before any sorting.
  for (let l = 0; l < laneCount; l++) {
    setI32(MERGED, l, i32At(LANE_START, l));
  }
  for (let i = 0; i < count; i++) {
    const l = i32At(LANE_OF, i32At(LANE, i));
    const at = i32At(MERGED, l);
    setI32(PERM, at, i);
    setI32(MERGED, l, at + 1);
  }
  for (let l = 0; l < laneCount; l++) {
    sortSegment(i32At(LANE_START, l), i32At(LANE_START, l + 1));
  }
}

/** Whether slice `a` goes before slice `b`: earlier start, then longer, then file order. */
// @ts-ignore: decorator
@inline
function before(a: i32, b: i32): bool {
  const sa = f64At(START, a);
  const sb = f64At(START, b);
  if (sa != sb) {
    return sa < sb;
  }
  const da = f64At(DUR, a);
  const db = f64At(DUR, b);
  if (da != db) {
    return da > db;
  }
  return a < b;
}

/** Sort PERM[lo..hi) with {@link before}; skips sorted input. Bottom-up merge sort. */
function sortSegment(lo: i32, hi: i32): void {
  let sorted = true;
  for (let k = lo + 1; k < hi; k++) {
    if (before(i32At(PERM, k), i32At(PERM, k - 1))) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    return;
  }
  let src = PERM;
  let dst = MERGED;
  for (let width = 1; width < hi - lo; width <<= 1) {
    for (let left = lo; left < hi; left += 2 * width) {
      const mid = min(left + width, hi);
      const right = min(left + 2 * width, hi);
      let a = left;
      let b = mid;
      let out = left;
      while (a < mid && b < right) {
        const pa = i32At(src, a);
        const pb = i32At(src, b);
        if (before(pb, pa)) {
          setI32(dst, out++, pb);
          b++;
        } else {
          setI32(dst, out++, pa);
          a++;
        }
      }
      while (a < mid) {
        setI32(dst, out++, i32At(src, a++));
      }
      while (b < right) {
        setI32(dst, out++, i32At(src, b++));
      }
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != PERM) {
    memory.copy(PERM + (<u32>lo << 2), src + (<u32>lo << 2), <u32>(hi - lo) << 2);
  }
}

/** `assignDepths` of assignDepths.ts on the final slices [lo, hi) of one lane. */
function assignDepths(lo: i32, hi: i32): void {
  let open = 0; // slices in OPEN, innermost last
  let levels = 0; // depths in LEVEL_END
  for (let i = lo; i < hi; i++) {
    const s = f64At(START_OUT, i);
    const e = s + f64At(DUR_OUT, i);
    while (open > 0) {
      const top = i32At(OPEN, open - 1);
      const topStart = f64At(START_OUT, top);
      const topDur = f64At(DUR_OUT, top);
      if (topStart + topDur <= s + DEPTH_EPSILON_US && topDur > 0) {
        open--;
      } else if (topDur == 0 && topStart < s) {
        open--;
      } else {
        break;
      }
    }
    let d = 0;
    for (let k = open - 1; k >= 0; k--) {
      const p = i32At(OPEN, k);
      if (f64At(START_OUT, p) + f64At(DUR_OUT, p) >= e - DEPTH_EPSILON_US) {
        d = <i32>load<u16>(DEPTH_OUT + (<u32>p << 1)) + 1;
        break;
      }
    }
    while (d < levels && f64At(LEVEL_END, d) > s + DEPTH_EPSILON_US) {
      d++;
    }
    store<u16>(DEPTH_OUT + (<u32>i << 1), <u16>min(d, MAX_DEPTH));
    setF64(LEVEL_END, d, e);
    if (d == levels) {
      levels++;
    }
    setI32(OPEN, open++, i);
  }
}

/** TUPLE_OF and TUPLES: the (lane kind, category, task type, name) of each final slice; returns how many. */
function findTuples(): i32 {
  memory.fill(SLOTS, 0xff, 4 * (slotMask + 1)); // -1: empty
  let tuples = 0;
  for (let j = 0; j < sliceCount; j++) {
    const i = i32At(PERM, j);
    const kind = i32At(LANE_KIND, i32At(LANE_OUT, j));
    const cat = i32At(CAT, i);
    const task = i32At(TASK, i);
    const name = i32At(NAME, i);
    let h =
      <u32>(kind * 0x2c1b3c6d) ^
      <u32>(cat * 0x297a2d39) ^
      <u32>(task * 0x5bd1e995) ^
      <u32>(name * 0x9e3779b1);
    h ^= h >> 15;
    let slot = h & slotMask;
    let found = -1;
    while (true) {
      const t = i32At(SLOTS, <i32>slot);
      if (t < 0) {
        break;
      }
      const at = TUPLES + (<u32>t << 4);
      if (
        load<i32>(at) == kind &&
        load<i32>(at, 4) == cat &&
        load<i32>(at, 8) == task &&
        load<i32>(at, 12) == name
      ) {
        found = t;
        break;
      }
      slot = (slot + 1) & slotMask;
    }
    if (found < 0) {
      found = tuples++;
      const at = TUPLES + (<u32>found << 4);
      store<i32>(at, kind);
      store<i32>(at, cat, 4);
      store<i32>(at, task, 8);
      store<i32>(at, name, 12);
      setI32(SLOTS, <i32>slot, found);
    }
    setI32(TUPLE_OF, j, found);
  }
  return tuples;
}

/** The work column, from the work kind the caller wrote for each tuple. */
export function fillWork(): void {
  for (let j = 0; j < sliceCount; j++) {
    store<u8>(WORK_OUT + <u32>j, load<u8>(TUPLE_WORK + <u32>i32At(TUPLE_OF, j)));
  }
}
