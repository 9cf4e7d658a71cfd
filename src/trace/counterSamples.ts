/**
 * counterSamples: the samples of `ph: "C"` events (and of PyTorch's
 * `[memory]` instants) as they are read, and their {@link ITraceCounters}
 * once the lanes and the origin are known.
 *
 * A counter event holds one or more values in `args`, each under a key that
 * names it; torch_npu puts the unit there (`{"MHz": 1800}`,
 * `{"Read(MB/s)": 0.0}`) and Acc PMU writes two (`{"acc_id": 0, "value": 3}`),
 * as Chrome's trace format allows. Each numeric value is a sample of the
 * series (lane, name, key), as Perfetto and chrome://tracing draw them.
 *
 * Pure module.
 */
import { rebaseUs } from './exactTime';
import { asciiText } from './jsonBytes';
import type { ICounterSeries, ITraceCounters } from './model';

/** A series met while reading: its raw lane, name and key. */
interface IRawSeries {
  rawLane: number;
  name: string;
  key: string;
  /** Whether its samples are changes, summed in time order at the end (old memory events). */
  cumulative: boolean;
}

/** Unit key of the memory series. */
export const BYTES_KEY = 'B';

/**
 * Device names of c10's `DeviceType` numbers in PyTorch's memory events
 * (`args["Device Type"]`); others are named by their number.
 */
const DEVICE_TYPES: Record<number, string> = { 0: 'CPU', 1: 'GPU', 6: 'GPU', 12: 'XPU', 20: 'NPU' };

/** Orders names and keys as people read them: "HBM 2/Read" before "HBM 10/Read". */
const NATURAL = new Intl.Collator('en', { numeric: true });

/** Samples the columns hold before they first grow. */
const INITIAL_CAPACITY = 256;

/** Counter samples in file order; see the module doc. */
export class CounterSamples {
  /** Number of samples of each raw lane that has some, by raw lane index (for `resolveLanes`). */
  samplesPerRawLane(): Map<number, number> {
    const counts = new Map<number, number>();
    const perSeries = this._perSeries();
    this._raw.forEach((s, id) => counts.set(s.rawLane, (counts.get(s.rawLane) ?? 0) + perSeries[id]));
    return counts;
  }

  /**
   * Add the numeric values of one counter event's `args`.
   *
   * @param rawLane - the raw lane of its pid and tid.
   * @param name - its name (and id).
   * @param args - its `args` object.
   * @param whole - its time, whole µs (exact).
   * @param ps - the picoseconds of its time.
   */
  addEvent(rawLane: number, name: string, args: Record<string, unknown>, whole: number, ps: number): void {
    for (const key in args) {
      const value = args[key];
      if (typeof value === 'number' && Number.isFinite(value)) {
        this.add(this.seriesId(rawLane, name, key), whole, ps, value);
      }
    }
  }

  /**
   * Add the memory in use that a PyTorch `[memory]` instant reports (an
   * allocation or a free with `profile_memory=True`): its `Total Allocated`
   * and `Total Reserved` bytes, as samples of "Memory allocated (GPU 0)"
   * and "Memory reserved (GPU 0)" on the memory lane of its process. Events
   * of 2021 carry only the change (`Bytes`): those become "Memory allocated
   * since the trace start", their sum in time order, as TensorBoard's memory
   * view draws them.
   *
   * @param rawLane - the raw memory lane of its process.
   * @param args - its `args` object.
   * @param whole - its time, whole µs (exact).
   * @param ps - the picoseconds of its time.
   */
  addMemoryEvent(rawLane: number, args: Record<string, unknown>, whole: number, ps: number): void {
    const type = args['Device Type'];
    const id = args['Device Id'];
    const kind = typeof type === 'number' ? (DEVICE_TYPES[type] ?? `device type ${type}`) : 'device';
    const device = typeof id === 'number' && id >= 0 && kind !== 'CPU' ? `${kind} ${id}` : kind;
    const allocated = args['Total Allocated'];
    const reserved = args['Total Reserved'];
    const bytes = args['Bytes'];
    const number = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    if (number(allocated)) {
      this.add(this.seriesId(rawLane, `Memory allocated (${device})`, BYTES_KEY), whole, ps, allocated);
      if (number(reserved)) {
        this.add(this.seriesId(rawLane, `Memory reserved (${device})`, BYTES_KEY), whole, ps, reserved);
      }
    } else if (number(bytes)) {
      const series = this.seriesId(rawLane, `Memory allocated since the trace start (${device})`, BYTES_KEY, true);
      this.add(series, whole, ps, bytes);
    }
  }

  /**
   * Add one sample.
   *
   * @param series - its series ({@link seriesId}).
   * @param whole - its time, whole µs (exact).
   * @param ps - the picoseconds of its time.
   * @param value - its value.
   */
  add(series: number, whole: number, ps: number, value: number): void {
    const k = this._count;
    if (k === this._value.length) {
      this._grow();
    }
    this._series[k] = series;
    this._whole[k] = whole;
    this._ps[k] = ps;
    this._value[k] = value;
    this._count = k + 1;
  }

  /**
   * {@link seriesId} for a key given by its bytes `buf[from..to)` (ASCII),
   * without making its text again when the same name on the same lane had
   * the same key at the same place `slot` before (counter events repeat
   * their keys: this is the common case).
   */
  seriesIdOfBytes(
    rawLane: number,
    name: number,
    names: readonly string[],
    slot: number,
    buf: Uint8Array,
    from: number,
    to: number
  ): number {
    // Array slots, not a Map of larger numbers: a lookup allocates nothing.
    const at = name * 2 + slot;
    const cached = this._byBytes[at];
    if (cached !== undefined && cached.rawLane === rawLane && Private.sameBytes(cached.key, buf, from, to)) {
      return cached.series;
    }
    const series = this.seriesId(rawLane, names[name], asciiText(buf, from, to));
    this._byBytes[at] = { rawLane, key: buf.slice(from, to), series };
    return series;
  }

  /** Number of samples added. */
  get count(): number {
    return this._count;
  }

  /**
   * The samples by series, with times from the origin.
   *
   * @param laneOf - the lane of each raw lane (-1: none; its samples are dropped).
   * @param originWhole - whole µs of the trace origin.
   * @param originPs - picoseconds of the trace origin.
   */
  finish(laneOf: Int32Array, originWhole: number, originPs: number): ITraceCounters {
    const order = this._raw
      .map((s, id) => ({ id, lane: laneOf[s.rawLane], s }))
      .filter(x => x.lane >= 0)
      .sort(
        (a, b) => a.lane - b.lane || NATURAL.compare(a.s.name, b.s.name) || NATURAL.compare(a.s.key, b.s.key)
      );
    const series: ICounterSeries[] = [];
    const firstOf = new Int32Array(this._raw.length).fill(-1);
    const counts = this._perSeries();
    let total = 0;
    for (const { id, lane, s } of order) {
      firstOf[id] = total;
      series.push({ lane, name: s.name, key: s.key, first: total, count: counts[id] });
      total += counts[id];
    }
    const time = new Float64Array(total);
    const value = new Float64Array(total);
    const next = firstOf.slice();
    for (let k = 0; k < this._count; k++) {
      const id = this._series[k];
      if (firstOf[id] >= 0) {
        const at = next[id]++;
        time[at] = rebaseUs(this._whole[k], this._ps[k], originWhole, originPs);
        value[at] = this._value[k];
      }
    }
    for (const [k, { s }] of order.entries()) {
      const made = series[k];
      Private.sortByTime(time, value, made.first, made.first + made.count);
      if (s.cumulative) {
        for (let i = made.first + 1; i < made.first + made.count; i++) {
          value[i] += value[i - 1];
        }
      }
    }
    return { series, time, value };
  }

  /** The id of the series of `key` in the events named `name` on a raw lane; a new one gets the next id. */
  seriesId(rawLane: number, name: string, key: string, cumulative = false): number {
    const text = `${rawLane}\u0000${name}\u0000${key}`;
    let id = this._ids.get(text);
    if (id === undefined) {
      id = this._raw.length;
      this._raw.push({ rawLane, name, key, cumulative });
      this._ids.set(text, id);
    }
    return id;
  }

  /** Number of samples of each series, by id. */
  private _perSeries(): Int32Array {
    const counts = new Int32Array(this._raw.length);
    for (let k = 0; k < this._count; k++) {
      counts[this._series[k]]++;
    }
    return counts;
  }

  /** Double the columns' room. */
  private _grow(): void {
    const size = Math.max(INITIAL_CAPACITY, 2 * this._value.length);
    const grown = <T extends Int32Array | Float64Array>(column: T, made: T): T => {
      made.set(column);
      return made;
    };
    this._series = grown(this._series, new Int32Array(size));
    this._whole = grown(this._whole, new Float64Array(size));
    this._ps = grown(this._ps, new Float64Array(size));
    this._value = grown(this._value, new Float64Array(size));
  }

  private readonly _raw: IRawSeries[] = [];
  private readonly _ids = new Map<string, number>();
  /** {@link seriesIdOfBytes}: by `name * 2 + slot`, the raw lane, key bytes and series last met. */
  private readonly _byBytes: ({ rawLane: number; key: Uint8Array; series: number } | undefined)[] = [];
  /** Per sample, in file order: its series, exact time and value; the first {@link _count} rows. */
  private _count = 0;
  private _series = new Int32Array(0);
  private _whole = new Float64Array(0);
  private _ps = new Float64Array(0);
  private _value = new Float64Array(0);
}

namespace Private {
  /** Whether `key` holds the bytes `buf[from..to)`. */
  export function sameBytes(key: Uint8Array, buf: Uint8Array, from: number, to: number): boolean {
    if (key.length !== to - from) {
      return false;
    }
    for (let k = 0; k < key.length; k++) {
      if (key[k] !== buf[from + k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sort the samples `from..to` by time, keeping the file order of equal
   * times. Producers write each series in time order, so this is usually
   * one pass that finds nothing to do.
   */
  export function sortByTime(time: Float64Array, value: Float64Array, from: number, to: number): void {
    let sorted = true;
    for (let i = from + 1; i < to && sorted; i++) {
      sorted = time[i - 1] <= time[i];
    }
    if (sorted) {
      return;
    }
    const index = Array.from({ length: to - from }, (_, k) => from + k);
    index.sort((a, b) => time[a] - time[b] || a - b);
    const t = index.map(i => time[i]);
    const v = index.map(i => value[i]);
    time.set(t, from);
    value.set(v, from);
  }
}
