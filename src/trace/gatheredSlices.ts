/**
 * gatheredSlices: the model builder's slice columns in file order, growable
 * typed arrays. Slices come one at a time (events parsed by `JSON.parse`,
 * first occurrences) or a run at a time from the WebAssembly event reader,
 * whose run columns are copied whole instead of slice by slice.
 *
 * Pure module.
 */
import type { IGatheredSlices } from './orderSlices';

/** Slices the columns hold before they first grow. */
const INITIAL_CAPACITY = 1024;

/** Growable columns of slices in file order; see {@link IGatheredSlices}. */
export class GatheredSlices {
  /** Slices held. */
  get count(): number {
    return this._count;
  }

  /** Append one slice. */
  push(
    whole: number,
    ps: number,
    dur: number,
    name: number,
    lane: number,
    cat: number,
    corr: number,
    task: number
  ): void {
    const k = this._count;
    if (k === this._whole.length) {
      this._grow(k + 1);
    }
    this._whole[k] = whole;
    this._ps[k] = ps;
    this._dur[k] = dur;
    this._corr[k] = corr;
    this._name[k] = name;
    this._lane[k] = lane;
    this._cat[k] = cat;
    this._task[k] = task;
    this._count = k + 1;
  }

  /**
   * Append the first `slices` slices of a run's columns: `values` holds
   * whole, ps, dur and corr, `ids` name, lane, cat and task, each column
   * `capacity` long (the layout of `IEventRun`).
   */
  pushRun(values: Float64Array, ids: Int32Array, capacity: number, slices: number): void {
    const k = this._count;
    if (k + slices > this._whole.length) {
      this._grow(k + slices);
    }
    const column = (from: Float64Array | Int32Array, c: number) =>
      from.subarray(c * capacity, c * capacity + slices);
    this._whole.set(column(values, 0), k);
    this._ps.set(column(values, 1), k);
    this._dur.set(column(values, 2), k);
    this._corr.set(column(values, 3), k);
    this._name.set(column(ids, 0), k);
    this._lane.set(column(ids, 1), k);
    this._cat.set(column(ids, 2), k);
    this._task.set(column(ids, 3), k);
    this._count = k + slices;
  }

  /** The columns, exactly {@link count} long (views: valid until the next append). */
  columns(): IGatheredSlices {
    const n = this._count;
    return {
      whole: this._whole.subarray(0, n),
      ps: this._ps.subarray(0, n),
      dur: this._dur.subarray(0, n),
      corr: this._corr.subarray(0, n),
      name: this._name.subarray(0, n),
      lane: this._lane.subarray(0, n),
      cat: this._cat.subarray(0, n),
      task: this._task.subarray(0, n)
    };
  }

  /** Room for at least `need` slices: capacity doubles, so appends cost O(1) on average. */
  private _grow(need: number): void {
    let capacity = Math.max(INITIAL_CAPACITY, this._whole.length * 2);
    while (capacity < need) {
      capacity *= 2;
    }
    const grown64 = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old.subarray(0, this._count));
      return next;
    };
    const grown32 = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old.subarray(0, this._count));
      return next;
    };
    this._whole = grown64(this._whole);
    this._ps = grown64(this._ps);
    this._dur = grown64(this._dur);
    this._corr = grown64(this._corr);
    this._name = grown32(this._name);
    this._lane = grown32(this._lane);
    this._cat = grown32(this._cat);
    this._task = grown32(this._task);
  }

  private _count = 0;
  private _whole = new Float64Array(0);
  private _ps = new Float64Array(0);
  private _dur = new Float64Array(0);
  private _corr = new Float64Array(0);
  private _name = new Int32Array(0);
  private _lane = new Int32Array(0);
  private _cat = new Int32Array(0);
  private _task = new Int32Array(0);
}

/** The earliest start of the slices, exact: whole µs, then ps; `Infinity` µs when there are none. */
export function earliestStart(gathered: IGatheredSlices): { whole: number; ps: number } {
  const { whole, ps } = gathered;
  let minWhole = Infinity;
  let minPs = 0;
  for (let i = 0; i < whole.length; i++) {
    if (whole[i] < minWhole || (whole[i] === minWhole && ps[i] < minPs)) {
      minWhole = whole[i];
      minPs = ps[i];
    }
  }
  return { whole: minWhole, ps: minPs };
}
