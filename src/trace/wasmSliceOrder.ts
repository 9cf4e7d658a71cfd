/**
 * wasmSliceOrder: {@link finishSlices} of `orderSlices.ts` compiled to
 * WebAssembly (source: `wasm/sliceOrder.ts`, built by
 * `scripts/buildWasm.js`). These steps run once per read over every slice;
 * as JavaScript they run mostly before V8 has optimised them (about 15 ms
 * of a first read of a 2 MB trace), compiled they take a fraction of that.
 * Only the work kind of each distinct (lane kind, category, task type,
 * name) stays in JavaScript.
 *
 * Each call runs in a fresh instance, so its memory goes when the call
 * returns; the model's columns are copies.
 *
 * Pure module.
 */
import { IFinishedSlices, ISlicesToFinish, LANE_KINDS, workOf } from './orderSlices';
import { compileWasm } from './compileWasm';
import { SLICE_ORDER_WASM } from './sliceOrderWasm';

/** What the compiled module exports. */
interface ISliceOrderExports {
  memory: WebAssembly.Memory;
  prepare(count: number, rawLanes: number, lanes: number): number;
  order(originWhole: number, originPs: number): number;
  fillWork(): void;
  WHOLE: WebAssembly.Global;
  PS: WebAssembly.Global;
  DUR: WebAssembly.Global;
  CORR: WebAssembly.Global;
  NAME: WebAssembly.Global;
  LANE: WebAssembly.Global;
  CAT: WebAssembly.Global;
  TASK: WebAssembly.Global;
  LANE_OF: WebAssembly.Global;
  LANE_KIND: WebAssembly.Global;
  START_OUT: WebAssembly.Global;
  DUR_OUT: WebAssembly.Global;
  CORR_OUT: WebAssembly.Global;
  NAME_OUT: WebAssembly.Global;
  LANE_OUT: WebAssembly.Global;
  DEPTH_OUT: WebAssembly.Global;
  WORK_OUT: WebAssembly.Global;
  LANE_START: WebAssembly.Global;
  TUPLES: WebAssembly.Global;
  TUPLE_WORK: WebAssembly.Global;
  SPAN_US: WebAssembly.Global;
}

/**
 * {@link finishSlices}, compiled: the same result, or null where this
 * runtime cannot compile the module or give it the memory.
 */
export function finishSlicesInWasm(input: ISlicesToFinish): IFinishedSlices | null {
  const { gathered, lanes, laneOf, names, tags, originWhole, originPs } = input;
  const module = compiledSliceOrder();
  if (module === null) {
    return null;
  }
  const e = new WebAssembly.Instance(module, {}).exports as unknown as ISliceOrderExports;
  const count = gathered.whole.length;
  if (!e.prepare(count, laneOf.length, lanes.length)) {
    return null;
  }
  const memory = e.memory.buffer;
  const f64 = (at: WebAssembly.Global, n = count) => new Float64Array(memory, at.value, n);
  const i32 = (at: WebAssembly.Global, n = count) => new Int32Array(memory, at.value, n);
  f64(e.WHOLE).set(gathered.whole);
  f64(e.PS).set(gathered.ps);
  f64(e.DUR).set(gathered.dur);
  f64(e.CORR).set(gathered.corr);
  i32(e.NAME).set(gathered.name);
  i32(e.LANE).set(gathered.lane);
  i32(e.CAT).set(gathered.cat);
  i32(e.TASK).set(gathered.task);
  i32(e.LANE_OF, laneOf.length).set(laneOf);
  i32(e.LANE_KIND, lanes.length).set(lanes.map(l => LANE_KINDS.indexOf(l.kind)));

  const tupleCount = e.order(originWhole, originPs);
  const tuples = i32(e.TUPLES, 4 * tupleCount);
  const tupleWork = new Uint8Array(memory, e.TUPLE_WORK.value, tupleCount);
  let hip = false;
  for (let t = 0; t < tupleCount; t++) {
    const [kind, cat, task, name] = tuples.subarray(4 * t, 4 * t + 4);
    const found = workOf(names[name], tags[cat], LANE_KINDS[kind], tags[task]);
    tupleWork[t] = found.work;
    hip = hip || found.hip;
  }
  e.fillWork();
  return {
    slices: {
      count,
      start: f64(e.START_OUT).slice(),
      dur: f64(e.DUR_OUT).slice(),
      name: i32(e.NAME_OUT).slice(),
      lane: i32(e.LANE_OUT).slice(),
      work: new Uint8Array(memory, e.WORK_OUT.value, count).slice(),
      depth: new Uint16Array(memory, e.DEPTH_OUT.value, count).slice(),
      correlation: f64(e.CORR_OUT).slice()
    },
    laneStart: i32(e.LANE_START, lanes.length + 1).slice(),
    hip,
    spanUs: e.SPAN_US.value
  };
}

/** The compiled module once compiled; null where it cannot be. */
let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime cannot compile it. Compiled once. */
export function compiledSliceOrder(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = compileWasm(SLICE_ORDER_WASM);
  }
  return compiled;
}
