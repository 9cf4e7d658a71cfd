/**
 * windowMarks: timeline marks of one time window, for zooming in.
 *
 * The summary holds the overview marks of the whole run (at most a few
 * thousand), so a zoomed view would only enlarge merged marks. Here the
 * worker, which keeps the trace model, answers "marks of [from, to] at this
 * many pixels" with the same display rules as the overview (summarize's
 * `displaySlices` and `laneMarks`), following Perfetto's recipe
 * (docs/performance.md §4):
 *
 * - resolution = visible time per bucket (≈ pixel), rounded down to a power
 *   of two, so nearby zoom levels share one answer;
 * - the answer covers {@link WINDOW_SPANS}× the visible span (one span each
 *   side), aligned to the resolution, so small pans need no new request;
 * - at most a budget of marks ({@link DEFAULT_MARK_BUDGET}): when the window
 *   holds no more shown slices than that, they come back one per mark
 *   (count 1, real names and times); otherwise neighbours closer than a
 *   bucket merge, and the bucket doubles until the marks fit.
 *
 * Each lane's shown slices never overlap (a shown slice starts at or after the
 * end of the previous one, see `displaySlices`), so their ends are sorted
 * like their starts: two bisections find the window, including a long slice
 * that starts before it, and the work is O(lanes · log n + slices in window).
 *
 * Marks come out as columns (typed arrays plus only the names they use), so
 * the worker can post them with a transfer list (structured clone of objects
 * costs ~1 µs each, performance.md §2.3).
 *
 * Pure module.
 */
import type { ITraceModel } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import type { ITimelineMark } from './summary';
import { displaySlices, laneMarks, slicesByLane, type MarkSink } from './summarize';

/**
 * Most marks in one answer. Source: performance.md §2.5/§4 — swapping 5k
 * rows into Vega costs ~40 ms, within the ≤ 60 ms LOD-swap target.
 */
export const DEFAULT_MARK_BUDGET = 5000;

/**
 * Width of an answer in visible spans: one span of margin each side, so a
 * pan of up to a full screen is drawn from data already on the page.
 * Source: Perfetto `buffered_bounds.ts` (3×).
 */
export const WINDOW_SPANS = 3;

/**
 * Finest resolution, µs per bucket (1 ns): traces carry ns at best, and a
 * floor keeps the power-of-two rounding finite for an empty window.
 */
export const MIN_BUCKET_US = 2 ** -10;

/** The shown slices of each lane, precomputed once per trace for fast window queries. */
export interface ILodIndex {
  /** The model the index was built from. */
  model: ITraceModel;
  /** Per lane: shown slices in start order, with their starts and ends (µs). */
  lanes: ILaneIndex[];
}

/** The shown slices of one lane (see {@link ILodIndex}). */
export interface ILaneIndex {
  /** Slice indices, in start order. */
  slices: Int32Array;
  /** Their starts, µs (sorted). */
  start: Float64Array;
  /** Their ends, µs (sorted too: shown slices never overlap). */
  end: Float64Array;
}

/**
 * Build the window index of a trace: O(slices), once, in the worker.
 * Memory: 20 bytes per shown slice.
 */
export function buildLodIndex(model: ITraceModel): ILodIndex {
  const { start, dur } = model.slices;
  const lanes = slicesByLane(model).map(list => {
    const shown = displaySlices(model, list);
    const lane: ILaneIndex = {
      slices: Int32Array.from(shown),
      start: new Float64Array(shown.length),
      end: new Float64Array(shown.length)
    };
    shown.forEach((i, k) => {
      lane.start[k] = start[i];
      lane.end[k] = start[i] + dur[i];
    });
    return lane;
  });
  return { model, lanes };
}

/** The window an answer covers, and its resolution. */
export interface ILodWindow {
  /** Start of the covered window, µs. */
  fromUs: number;
  /** End of the covered window, µs. */
  toUs: number;
  /** Resolution: µs per bucket, a power of two. */
  bucketUs: number;
}

/**
 * The buffered window and power-of-two resolution for a visible range: what
 * {@link windowMarks} answers for `[fromUs, toUs]` at `buckets` pixels. The
 * window is {@link WINDOW_SPANS} visible spans wide, aligned to the
 * resolution, and does not reach past the trace (`[0, spanUs]`) further than
 * the visible range itself does.
 */
export function lodWindow(
  fromUs: number,
  toUs: number,
  buckets: number,
  spanUs: number
): ILodWindow {
  const visible = Math.max(toUs - fromUs, 0);
  const perBucket = visible / Math.max(1, Math.floor(buckets));
  const bucketUs = Math.max(MIN_BUCKET_US, 2 ** Math.floor(Math.log2(perBucket || MIN_BUCKET_US)));
  const margin = (visible * (WINDOW_SPANS - 1)) / 2;
  const from = Math.min(fromUs, Math.max(0, fromUs - margin));
  const to = Math.max(toUs, Math.min(spanUs, toUs + margin));
  return {
    fromUs: Math.floor(from / bucketUs) * bucketUs,
    toUs: Math.ceil(to / bucketUs) * bucketUs,
    bucketUs
  };
}

/**
 * Whether an answer already on the page serves a visible range: the range is
 * inside the answer's window and the answer's resolution is the one the
 * range asks for (zooming in needs finer marks, zooming out needs fewer).
 */
export function windowCovers(
  loaded: ILodWindow,
  fromUs: number,
  toUs: number,
  buckets: number,
  spanUs: number
): boolean {
  const want = lodWindow(fromUs, toUs, buckets, spanUs);
  return (
    want.bucketUs === loaded.bucketUs && fromUs >= loaded.fromUs && toUs <= loaded.toUs
  );
}

/**
 * Marks as columns, ready to post with {@link markTransferList}. Entry `k`
 * of every column is mark `k`; marks are in lane order, then start order.
 */
export interface IMarkColumns extends ILodWindow {
  /** Number of marks. */
  count: number;
  /** Lane index (as in the summary's lanes). */
  lane: Int32Array;
  /** Start, µs. */
  start: Float64Array;
  /** End, µs. */
  end: Float64Array;
  /** Time covered by the merged slices, µs. */
  busy: Float64Array;
  /** Number of slices merged (1 = a real slice). */
  merged: Int32Array;
  /** Index into {@link names} of the longest slice's name. */
  name: Int32Array;
  /** The names the marks use (untrusted text from the trace). */
  names: string[];
  /** Kind of work of the longest slice, index into `WORK_KINDS`. */
  work: Uint8Array;
  /**
   * Index into {@link names} of the framework operator that launched the
   * longest slice (`links.op`), -1 when none is known.
   */
  launchedBy: Int32Array;
}

/**
 * Marks of the lanes over the buffered window of `[fromUs, toUs]` (see
 * {@link lodWindow}), at most `maxMarks` of them (as long as there are no
 * more lanes than that: each lane with work in the window gets ≥ 1 mark).
 *
 * @param buckets Buckets across the visible range: its width in pixels.
 */
export function windowMarks(
  index: ILodIndex,
  fromUs: number,
  toUs: number,
  buckets: number,
  maxMarks: number = DEFAULT_MARK_BUDGET
): IMarkColumns {
  const { model } = index;
  const win = lodWindow(fromUs, toUs, buckets, model.spanUs);
  // The shown slices of each lane that reach into the window: [lo, hi).
  const ranges = index.lanes.map(l => ({
    lo: firstAtLeast(l.end, win.fromUs),
    hi: firstAtLeast(l.start, win.toUs)
  }));
  const slicesIn = ranges.reduce((n, r) => n + Math.max(0, r.hi - r.lo), 0);
  const out = new ColumnSink(model, Math.min(slicesIn, Math.max(maxMarks, index.lanes.length)));
  if (slicesIn <= maxMarks) {
    // Few enough: every slice is its own mark, so tooltips show real slices.
    ranges.forEach((r, lane) => {
      const l = index.lanes[lane];
      for (let k = r.lo; k < r.hi; k++) {
        const i = l.slices[k];
        out.sink(lane, l.start[k], l.end[k], i, 1, l.end[k] - l.start[k]);
      }
    });
  } else {
    let bucketUs = win.bucketUs;
    const total = (): number =>
      ranges.reduce(
        (n, r, lane) =>
          n + laneMarks(model, lane, index.lanes[lane].slices, r.lo, r.hi, bucketUs, null),
        0
      );
    const width = win.toUs - win.fromUs;
    // Once a bucket is wider than the window every lane is one mark: stop there.
    while (total() > maxMarks && bucketUs <= width) {
      bucketUs *= 2;
    }
    ranges.forEach((r, lane) =>
      laneMarks(model, lane, index.lanes[lane].slices, r.lo, r.hi, bucketUs, out.sink)
    );
  }
  return out.finish(win);
}

/** The buffers of a mark answer, for `postMessage(answer, markTransferList(answer))`. */
export function markTransferList(columns: IMarkColumns): ArrayBuffer[] {
  return [
    columns.lane,
    columns.start,
    columns.end,
    columns.busy,
    columns.merged,
    columns.name,
    columns.work,
    columns.launchedBy
  ].map(a => a.buffer as ArrayBuffer);
}

/** Timeline mark objects of a column answer (on the page, for the chart). */
export function marksOfColumns(columns: IMarkColumns): ITimelineMark[] {
  const marks: ITimelineMark[] = new Array(columns.count);
  for (let k = 0; k < columns.count; k++) {
    marks[k] = {
      lane: columns.lane[k],
      start: columns.start[k],
      end: columns.end[k],
      name: columns.names[columns.name[k]] ?? '',
      work: WORK_KINDS[columns.work[k]] ?? 'other',
      count: columns.merged[k],
      busyUs: columns.busy[k],
      ...(columns.launchedBy[k] >= 0 ? { launchedBy: columns.names[columns.launchedBy[k]] } : {})
    };
  }
  return marks;
}

/** Index of the first value ≥ `x` in an ascending array (its length when none). */
function firstAtLeast(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Collects marks into columns of a known capacity, interning the names used. */
class ColumnSink {
  constructor(
    private readonly _model: ITraceModel,
    capacity: number
  ) {
    this._lane = new Int32Array(capacity);
    this._start = new Float64Array(capacity);
    this._end = new Float64Array(capacity);
    this._busy = new Float64Array(capacity);
    this._merged = new Int32Array(capacity);
    this._name = new Int32Array(capacity);
    this._work = new Uint8Array(capacity);
    this._launchedBy = new Int32Array(capacity);
  }

  readonly sink: MarkSink = (lane, startUs, endUs, longest, count, busyUs) => {
    const k = this._count++;
    const { name, work } = this._model.slices;
    const id = this._nameId(name[longest]);
    const op = this._model.links.op[longest];
    this._launchedBy[k] = op >= 0 ? this._nameId(name[op]) : -1;
    this._lane[k] = lane;
    this._start[k] = startUs;
    this._end[k] = endUs;
    this._busy[k] = busyUs;
    this._merged[k] = count;
    this._name[k] = id;
    this._work[k] = work[longest];
  };

  finish(win: ILodWindow): IMarkColumns {
    const n = this._count;
    // Copies trimmed to the count, so the transferred buffers hold no slack.
    return {
      ...win,
      count: n,
      lane: this._lane.slice(0, n),
      start: this._start.slice(0, n),
      end: this._end.slice(0, n),
      busy: this._busy.slice(0, n),
      merged: this._merged.slice(0, n),
      name: this._name.slice(0, n),
      names: this._names,
      work: this._work.slice(0, n),
      launchedBy: this._launchedBy.slice(0, n)
    };
  }

  /** Index into the answer's names of the model's name `nameId`. */
  private _nameId(nameId: number): number {
    let id = this._nameIds.get(nameId);
    if (id === undefined) {
      id = this._names.length;
      this._nameIds.set(nameId, id);
      this._names.push(this._model.names[nameId]);
    }
    return id;
  }

  private _count = 0;
  private _lane: Int32Array;
  private _start: Float64Array;
  private _end: Float64Array;
  private _busy: Float64Array;
  private _merged: Int32Array;
  private _name: Int32Array;
  private _work: Uint8Array;
  private _launchedBy: Int32Array;
  private _names: string[] = [];
  private _nameIds = new Map<number, number>();
}
