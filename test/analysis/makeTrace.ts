/**
 * Builds a small {@link ITraceModel} directly from a compact description, so
 * analysis tests pin one behaviour each without going through a reader.
 *
 * ```ts
 * const model = makeTrace({
 *   backend: 'cuda',
 *   lanes: [
 *     { kind: 'host', label: 'Python Thread 1', tid: '1' },
 *     { kind: 'device', label: 'GPU 0 stream 7', tid: '7' }
 *   ],
 *   slices: [
 *     { lane: 0, name: 'aten::item', start: 0, dur: 100, work: 'op' },
 *     { lane: 0, name: 'cudaStreamSynchronize', start: 10, dur: 80, work: 'sync' },
 *     { lane: 1, name: 'gemm', start: 0, dur: 85, work: 'kernel', id: 'k' }
 *   ],
 *   links: [['launch', 'k']]
 * });
 * ```
 *
 * Slices are sorted by lane then start (longer first on ties), depths are
 * computed the way the model documents them, names are interned, and links
 * refer to slices by their `id`.
 */
import type {
  Backend,
  IStep,
  ITraceCounters,
  ITraceModel,
  LaneKind,
  WorkKind
} from '../../src/trace/model';
import { WORK_KINDS } from '../../src/trace/model';

/** One lane of a built trace. */
export interface ILaneSpec {
  kind: LaneKind;
  label: string;
  /** Defaults to '1'. */
  pid?: string;
  /** Defaults to the lane's index. */
  tid?: string;
  processName?: string;
}

/** One slice of a built trace; times in µs from the origin. */
export interface ISliceSpec {
  /** Index into the lanes of the spec. */
  lane: number;
  name: string;
  start: number;
  dur: number;
  /** Defaults to 'other'. */
  work?: WorkKind;
  /** Correlation key, defaults to -1. */
  correlation?: number;
  /** Handle for links. */
  id?: string;
}

/** A whole built trace. */
export interface ITraceSpec {
  backend?: Backend;
  lanes: ILaneSpec[];
  slices: ISliceSpec[];
  /** Host → device links, as [from id, to id]. */
  links?: [string, string][];
  steps?: IStep[];
  /** Defaults to the end of the last slice minus the start of the first. */
  spanUs?: number;
  device?: string;
  warnings?: string[];
  /** Counter series, each with its samples as [time µs, value] in time order. */
  counters?: ICounterSpec[];
}

/** One counter series of {@link ITraceSpec.counters}. */
export interface ICounterSpec {
  lane: number;
  name: string;
  key: string;
  samples: [number, number][];
}

/** The counter columns of `specs`, series in the given order. */
function makeCounters(specs: ICounterSpec[]): ITraceCounters {
  const samples = specs.flatMap(s => s.samples);
  let first = 0;
  const series = specs.map(s => {
    const made = { lane: s.lane, name: s.name, key: s.key, first, count: s.samples.length };
    first += s.samples.length;
    return made;
  });
  return {
    series,
    time: Float64Array.from(samples.map(([t]) => t)),
    value: Float64Array.from(samples.map(([, v]) => v))
  };
}

/** Builds the model described by `spec`. */
export function makeTrace(spec: ITraceSpec): ITraceModel {
  const order = spec.slices
    .map((s, i) => i)
    .sort((a, b) => {
      const x = spec.slices[a];
      const y = spec.slices[b];
      return x.lane - y.lane || x.start - y.start || y.dur - x.dur;
    });
  const count = order.length;
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const slices = {
    count,
    start: new Float64Array(count),
    dur: new Float64Array(count),
    name: new Int32Array(count),
    lane: new Int32Array(count),
    work: new Uint8Array(count),
    depth: new Uint16Array(count),
    correlation: new Float64Array(count)
  };
  const indexOfId = new Map<string, number>();
  // Ends of the slices still open on the current lane, to compute depths.
  let open: number[] = [];
  let lane = -1;
  order.forEach((src, i) => {
    const s = spec.slices[src];
    if (s.lane < 0 || s.lane >= spec.lanes.length) {
      throw new Error(`slice ${s.name} is on unknown lane ${s.lane}`);
    }
    if (s.lane !== lane) {
      lane = s.lane;
      open = [];
    }
    while (open.length > 0 && open[open.length - 1] <= s.start) {
      open.pop();
    }
    let id = nameIds.get(s.name);
    if (id === undefined) {
      id = names.length;
      names.push(s.name);
      nameIds.set(s.name, id);
    }
    slices.start[i] = s.start;
    slices.dur[i] = s.dur;
    slices.name[i] = id;
    slices.lane[i] = s.lane;
    slices.work[i] = WORK_KINDS.indexOf(s.work ?? 'other');
    slices.depth[i] = open.length;
    slices.correlation[i] = s.correlation ?? -1;
    open.push(s.start + s.dur);
    if (s.id !== undefined) {
      indexOfId.set(s.id, i);
    }
  });
  const links = spec.links ?? [];
  const resolve = (id: string): number => {
    const i = indexOfId.get(id);
    if (i === undefined) {
      throw new Error(`link names unknown slice id ${id}`);
    }
    return i;
  };
  let first = Infinity;
  let last = -Infinity;
  for (const s of spec.slices) {
    first = Math.min(first, s.start);
    last = Math.max(last, s.start + s.dur);
  }
  return {
    backend: spec.backend ?? 'cuda',
    names,
    lanes: spec.lanes.map((l, i) => ({
      kind: l.kind,
      label: l.label,
      pid: l.pid ?? '1',
      tid: l.tid ?? String(i),
      processName: l.processName ?? '',
      order: i
    })),
    slices,
    links: {
      count: links.length,
      from: Int32Array.from(links.map(([f]) => resolve(f))),
      to: Int32Array.from(links.map(([, t]) => resolve(t))),
      queue: { count: 0, from: new Int32Array(0), to: new Int32Array(0) },
      op: new Int32Array(count).fill(-1)
    },
    counters: makeCounters(spec.counters ?? []),
    steps: spec.steps ?? [],
    spanUs: spec.spanUs ?? (count > 0 ? last - first : 0),
    meta: {
      device: spec.device ?? '',
      versions: {},
      env: {},
      originUs: '0'
    },
    warnings: spec.warnings ?? []
  };
}
