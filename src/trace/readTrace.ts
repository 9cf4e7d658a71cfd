/**
 * readTrace: the bytes of one decompressed trace file → {@link ITraceModel}.
 *
 * Reads torch_npu `trace_view.json` (a bare event array, string `ts`) and
 * PyTorch/Kineto `*.pt.trace.json` (`{"traceEvents": [...]}`, numeric `ts`,
 * absolute or relative to `baseTimeNanoseconds`). Steps:
 *
 * 1. scan the bytes in pieces and parse the events in batches, repairing
 *    broken JSON — {@link TraceEventScanner} (never one string for the file);
 * 2. one pass over the events: complete slices (`X`, `B`/`E` pairs) into
 *    growable columns, metadata, instants, the flows needed for links;
 * 3. lanes get a kind, a label and an order — {@link resolveLanes};
 * 4. times are rebased exactly on the earliest slice or instant;
 * 5. slices are sorted by lane then start, get a depth and a work kind;
 * 6. host → device links by correlation id, and for Ascend Level0 by
 *    `torch_to_npu` flows.
 *
 * Pure module.
 */
import { assignDepths } from './assignDepths';
import { TraceReadCancelledError } from './errors';
import { formatExactUs, readExactTime, rebaseUs } from './exactTime';
import type {
  Backend,
  ILane,
  IStep,
  ITraceLinks,
  ITraceMeta,
  ITraceModel,
  ITraceSlices,
  LaneKind,
  WorkKind
} from './model';
import { WORK_KINDS } from './model';
import {
  ASCEND_PROCESS_NAMES,
  ILaneMetadata,
  IRawLane,
  laneKey,
  resolveLanes
} from './resolveLanes';
import { IScanOptions, TraceEventScanner } from './scanEvents';
import { workKind } from './workKind';

/** Kineto categories of work that runs on a GPU (current and 2021 names). */
const DEVICE_CATEGORIES = new Set([
  'kernel',
  'gpu_memcpy',
  'gpu_memset',
  'cuda_sync',
  'Kernel',
  'Memcpy',
  'Memset'
]);

/** Pids of Kineto's profiler span events: bookkeeping, not work. */
const SPAN_PIDS = new Set(['Spans', 'Traces']);

/**
 * How far back (in slices) a flow start looks for its enclosing slice when no
 * slice starts at the flow's time. Bounds the cost on huge lanes.
 */
const MAX_ENCLOSING_SCAN_SLICES = 4096;

/**
 * Bytes handed to the scanner between two progress reports and abort
 * checks: ~10 ms of work at 100 MB/s.
 */
const READ_PIECE_BYTES = 2 ** 20;

/**
 * How long {@link readTraceStream} works before it yields a macrotask turn,
 * in ms, so that an abort sent by another task (a worker message) is seen.
 */
const YIELD_INTERVAL_MS = 50;

type Json = Record<string, unknown>;

/** Options of {@link readTrace} and {@link readTraceStream}. */
export interface IReadTraceOptions extends IScanOptions {
  /** Called after each piece with the bytes read so far (increasing; ends at the total). */
  onProgress?: (bytesRead: number) => void;
  /** Stops the read with a {@link TraceReadCancelledError}. */
  signal?: AbortSignal;
}

/** Throw the reader's cancellation error when `signal` is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TraceReadCancelledError();
  }
}

interface IFlowEnd {
  lane: number;
  whole: number;
  ps: number;
}

interface IOpenBegin {
  whole: number;
  ps: number;
  name: string;
  cat: string;
  args: unknown;
}

/**
 * Read one decompressed trace file held in memory. Synchronous; the bytes
 * are scanned in pieces, so any size works (the text is never decoded whole).
 *
 * @param bytes - the file's bytes; gzip must be inflated by the caller
 *   (see `isGzip`).
 * @param options - batch size, progress, cancellation (checked between pieces).
 * @returns the columnar model: lanes, slices sorted by lane then start,
 *   host → device links, steps, metadata, warnings about repairs.
 * @throws {TraceFormatError} when the bytes are not a trace.
 * @throws {TraceReadCancelledError} when `options.signal` is aborted.
 */
export function readTrace(
  bytes: Uint8Array,
  options: IReadTraceOptions = {}
): ITraceModel {
  const builder = createModelBuilder();
  const scanner = new TraceEventScanner(builder.add, options);
  for (let off = 0; off < bytes.length; off += READ_PIECE_BYTES) {
    throwIfAborted(options.signal);
    scanner.push(bytes.subarray(off, Math.min(bytes.length, off + READ_PIECE_BYTES)));
    options.onProgress?.(scanner.bytesRead);
  }
  const scanned = scanner.finish();
  return builder.finish(scanned.top, scanned.warnings);
}

/**
 * Read one decompressed trace file from a sequence of chunks (a fetch body,
 * a `DecompressionStream`, a file read in pieces). Only one batch of text and
 * its event objects exist at a time besides the model.
 *
 * @param chunks - the file's bytes in order, already inflated.
 * @param options - batch size, progress, cancellation.
 * @returns the same model {@link readTrace} returns for the same bytes.
 * @throws {TraceFormatError} when the bytes are not a trace.
 * @throws {TraceReadCancelledError} when `options.signal` is aborted; the
 *   chunk iterator is closed.
 */
export async function readTraceStream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: IReadTraceOptions = {}
): Promise<ITraceModel> {
  const builder = createModelBuilder();
  const scanner = new TraceEventScanner(builder.add, options);
  let lastYield = Date.now();
  throwIfAborted(options.signal);
  for await (const chunk of chunks) {
    // Big chunks are cut so that cancellation and progress stay responsive.
    for (let off = 0; off < chunk.length; off += READ_PIECE_BYTES) {
      throwIfAborted(options.signal);
      scanner.push(chunk.subarray(off, Math.min(chunk.length, off + READ_PIECE_BYTES)));
      options.onProgress?.(scanner.bytesRead);
      if (Date.now() - lastYield >= YIELD_INTERVAL_MS) {
        // A macrotask turn lets an abort message reach the signal.
        await new Promise<void>(resolve => setTimeout(resolve, 0));
        lastYield = Date.now();
      }
    }
  }
  throwIfAborted(options.signal);
  const scanned = scanner.finish();
  return builder.finish(scanned.top, scanned.warnings);
}

/** The part of the reader that turns parsed events into the model. */
interface IModelBuilder {
  /** Take the next events, in file order. */
  add(events: unknown[]): void;
  /** Build the model once every event was added. */
  finish(top: Json | null, warnings: string[]): ITraceModel;
}

/** A builder holding the growable columns; events are not kept. */
function createModelBuilder(): IModelBuilder {
    // Interned strings.
    const names: string[] = [];
    const nameIds = new Map<string, number>();
    const intern = (s: string): number => {
      let id = nameIds.get(s);
      if (id === undefined) {
        id = names.length;
        names.push(s);
        nameIds.set(s, id);
      }
      return id;
    };
    const tags: string[] = ['']; // categories and task types, 0 = none
    const tagIds = new Map<string, number>([['', 0]]);
    const internTag = (s: string): number => {
      let id = tagIds.get(s);
      if (id === undefined) {
        id = tags.length;
        tags.push(s);
        tagIds.set(s, id);
      }
      return id;
    };

    // Raw lanes, in order of appearance.
    const rawLanes: IRawLane[] = [];
    const rawLaneIds = new Map<string, number>();
    const rawLane = (pid: string, tid: string, annotations: boolean): number => {
      const key = annotations ? pid + '/\u0000annotations' : laneKey(pid, tid);
      let id = rawLaneIds.get(key);
      if (id === undefined) {
        id = rawLanes.length;
        rawLanes.push({
          pid,
          tid: annotations ? '' : tid,
          annotations,
          slices: 0,
          dequeues: 0,
          deviceSlices: 0
        });
        rawLaneIds.set(key, id);
      }
      return id;
    };

    const meta: ILaneMetadata = {
      processNames: new Map(),
      processLabels: new Map(),
      processSort: new Map(),
      threadNames: new Map(),
      threadSort: new Map(),
      hostToDevicePids: new Set()
    };

    // Growable slice columns, in event order.
    const sWhole: number[] = [];
    const sPs: number[] = [];
    const sDur: number[] = [];
    const sName: number[] = [];
    const sLane: number[] = [];
    const sCat: number[] = [];
    const sTask: number[] = [];
    const sCorr: number[] = [];

    // Earliest start and latest end seen (slices and instants), exact.
    let minWhole = Infinity;
    let minPs = 0;
    const instantWhole: number[] = [];
    const instantPs: number[] = [];

    let badTimes = 0;
    let negativeDurs = 0;
    let unmatchedEnds = 0;
    const openBegins = new Map<number, IOpenBegin[]>();
    const npuFlows = new Map<string, { s?: IFlowEnd; f?: IFlowEnd }>();

    const addSlice = (
      pid: string,
      tid: string,
      whole: number,
      ps: number,
      dur: number,
      name: string,
      cat: string,
      args: unknown
    ): void => {
      if (!(dur >= 0)) {
        negativeDurs++;
        dur = 0;
      }
      const lane = rawLane(pid, tid, cat === 'gpu_user_annotation');
      const r = rawLanes[lane];
      r.slices++;
      if (name.startsWith('Dequeue@')) {
        r.dequeues++;
      }
      if (DEVICE_CATEGORIES.has(cat)) {
        r.deviceSlices++;
      }
      let corr = -1;
      let task = 0;
      if (args !== null && typeof args === 'object') {
        const a = args as Json;
        const c = a.correlation ?? a.connection_id;
        if (typeof c === 'number') {
          corr = c;
        }
        const t = a['Task Type'];
        if (typeof t === 'string') {
          task = internTag(t);
        }
      }
      if (whole < minWhole || (whole === minWhole && ps < minPs)) {
        minWhole = whole;
        minPs = ps;
      }
      sWhole.push(whole);
      sPs.push(ps);
      sDur.push(dur);
      sName.push(intern(name));
      sLane.push(lane);
      sCat.push(internTag(cat));
      sTask.push(task);
      sCorr.push(corr);
    };

    const add = (events: unknown[]): void => {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as Json;
      if (e === null || typeof e !== 'object') {
        continue;
      }
      const ph = e.ph;
      if (ph === 'X') {
        const pid = String(e.pid ?? '');
        if (SPAN_PIDS.has(pid)) {
          continue;
        }
        const t = readExactTime(e.ts);
        if (t === null) {
          badTimes++;
          continue;
        }
        const dur = e.dur === undefined ? 0 : Number(e.dur);
        addSlice(
          pid,
          String(e.tid ?? ''),
          t.whole,
          t.ps,
          dur,
          typeof e.name === 'string' ? e.name : String(e.name ?? ''),
          typeof e.cat === 'string' ? e.cat : '',
          e.args
        );
      } else if (ph === 'M') {
        readMetadata(e, meta);
      } else if (ph === 's' || ph === 'f' || ph === 't') {
        readFlow(e, ph, meta, npuFlows, rawLane);
      } else if (ph === 'i' || ph === 'I') {
        if (e.s === 'g' || SPAN_PIDS.has(String(e.pid ?? ''))) {
          continue; // global profiler markers (Record Window End), not work
        }
        const t = readExactTime(e.ts);
        if (t === null) {
          badTimes++;
          continue;
        }
        if (t.whole < minWhole || (t.whole === minWhole && t.ps < minPs)) {
          minWhole = t.whole;
          minPs = t.ps;
        }
        instantWhole.push(t.whole);
        instantPs.push(t.ps);
      } else if (ph === 'B' || ph === 'E') {
        const pid = String(e.pid ?? '');
        const tid = String(e.tid ?? '');
        if (SPAN_PIDS.has(pid)) {
          continue;
        }
        const t = readExactTime(e.ts);
        if (t === null) {
          badTimes++;
          continue;
        }
        const cat = typeof e.cat === 'string' ? e.cat : '';
        const key = rawLane(pid, tid, false);
        let stack = openBegins.get(key);
        if (ph === 'B') {
          if (stack === undefined) {
            stack = [];
            openBegins.set(key, stack);
          }
          const name = typeof e.name === 'string' ? e.name : String(e.name ?? '');
          stack.push({ whole: t.whole, ps: t.ps, name, cat, args: e.args });
        } else {
          const b = stack?.pop();
          if (b === undefined) {
            unmatchedEnds++;
            continue;
          }
          const dur = rebaseUs(t.whole, t.ps, b.whole, b.ps);
          const args =
            e.args !== undefined && b.args === undefined ? e.args : b.args;
          addSlice(pid, tid, b.whole, b.ps, dur, b.name, b.cat, args);
        }
      }
      // C (counters), b/e/n (async), P (samples) and others: not read yet.
    }
    };

  const finish = (top: Json | null, scanWarnings: string[]): ITraceModel => {
    const warnings = scanWarnings.slice();

    let unmatchedBegins = 0;
    for (const stack of openBegins.values()) {
      unmatchedBegins += stack.length;
    }
    if (badTimes > 0) {
      warnings.push(`Skipped ${badTimes} events without a readable ts.`);
    }
    if (negativeDurs > 0) {
      warnings.push(`Read ${negativeDurs} negative or unreadable durations as 0.`);
    }
    if (unmatchedBegins > 0) {
      warnings.push(`Dropped ${unmatchedBegins} B events without a matching E.`);
    }
    if (unmatchedEnds > 0) {
      warnings.push(`Dropped ${unmatchedEnds} E events without a matching B.`);
    }

    // Backend and lanes.
    let ascend = top === null;
    for (const name of meta.processNames.values()) {
      if (ASCEND_PROCESS_NAMES.has(name)) {
        ascend = true;
      }
    }
    const { lanes, laneOf } = resolveLanes(rawLanes, meta, ascend);

    // Exact rebase on the origin.
    const count = sWhole.length;
    if (minWhole === Infinity) {
      minWhole = 0;
      minPs = 0;
    }
    const rawStart = new Float64Array(count);
    let spanUs = 0;
    for (let i = 0; i < count; i++) {
      const s = rebaseUs(sWhole[i], sPs[i], minWhole, minPs);
      rawStart[i] = s;
      if (s + sDur[i] > spanUs) {
        spanUs = s + sDur[i];
      }
    }
    for (let i = 0; i < instantWhole.length; i++) {
      const s = rebaseUs(instantWhole[i], instantPs[i], minWhole, minPs);
      if (s > spanUs) {
        spanUs = s;
      }
    }

    // Sort: bucket by final lane (stable), then by start, longer first.
    const laneCounts = new Int32Array(lanes.length + 1);
    for (let i = 0; i < count; i++) {
      laneCounts[laneOf[sLane[i]] + 1]++;
    }
    const laneStart = new Int32Array(lanes.length + 1);
    for (let l = 0; l < lanes.length; l++) {
      laneStart[l + 1] = laneStart[l] + laneCounts[l + 1];
    }
    const fill = laneStart.slice(0, lanes.length);
    const perm = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      perm[fill[laneOf[sLane[i]]]++] = i;
    }
    for (let l = 0; l < lanes.length; l++) {
      sortSegment(perm, laneStart[l], laneStart[l + 1], rawStart, sDur);
    }

    // Final columns.
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
    const workIndex = new Map<WorkKind, number>(
      WORK_KINDS.map((w, i) => [w, i] as [WorkKind, number])
    );
    const workCache = new Map<string, Map<number, number>>();
    let hip = false;
    for (let j = 0; j < count; j++) {
      const i = perm[j];
      const lane = laneOf[sLane[i]];
      const laneKind = lanes[lane].kind;
      slices.start[j] = rawStart[i];
      slices.dur[j] = sDur[i];
      slices.name[j] = sName[i];
      slices.lane[j] = lane;
      slices.correlation[j] = sCorr[i];
      const comboKey = laneKind + '\u0000' + sCat[i] + '\u0000' + sTask[i];
      let byName = workCache.get(comboKey);
      if (byName === undefined) {
        byName = new Map();
        workCache.set(comboKey, byName);
      }
      let w = byName.get(sName[i]);
      if (w === undefined) {
        const name = names[sName[i]];
        w = workIndex.get(
          workKind(name, tags[sCat[i]], laneKind, tags[sTask[i]])
        )!;
        byName.set(sName[i], w);
        if (laneKind !== 'device' && name.startsWith('hip')) {
          hip = true;
        }
      }
      slices.work[j] = w;
    }
    for (let l = 0; l < lanes.length; l++) {
      assignDepths(
        slices.start,
        slices.dur,
        slices.depth,
        laneStart[l],
        laneStart[l + 1]
      );
    }

    const links = linkSlices(
      slices,
      lanes,
      laneStart,
      laneOf,
      npuFlows,
      minWhole,
      minPs
    );
    const steps = findSteps(slices, lanes, names, workIndex.get('step')!);

    const hasDevice = lanes.some(l => l.kind === 'device');
    let backend: Backend;
    if (ascend) {
      backend = 'ascend';
    } else if (hip) {
      backend = 'rocm';
    } else {
      backend = hasDevice ? 'cuda' : 'cpu';
    }

    const baseNs = top === null ? undefined : integerText(top.baseTimeNanoseconds);
    const traceMeta: ITraceMeta = {
      device: ascend ? (hasDevice ? 'Ascend NPU' : '') : deviceName(top),
      versions: top === null ? {} : versionsOf(top),
      env: {},
      originUs: formatExactUs(minWhole, minPs, baseNs)
    };

    return {
      backend,
      names,
      lanes,
      slices,
      links,
      steps,
      spanUs,
      meta: traceMeta,
      warnings
    };
  };
  return { add, finish };
}

function readMetadata(e: Json, meta: ILaneMetadata): void {
  const args = e.args as Json | undefined;
  if (args === undefined || args === null || typeof args !== 'object') {
    return;
  }
  const pid = String(e.pid ?? '');
  switch (e.name) {
    case 'process_name':
      if (typeof args.name === 'string') {
        meta.processNames.set(pid, args.name);
      }
      break;
    case 'process_labels':
      if (typeof args.labels === 'string') {
        meta.processLabels.set(pid, args.labels);
      }
      break;
    case 'process_sort_index':
      if (typeof args.sort_index === 'number') {
        meta.processSort.set(pid, args.sort_index);
      }
      break;
    case 'thread_name':
      if (typeof args.name === 'string') {
        meta.threadNames.set(laneKey(pid, String(e.tid ?? '')), args.name);
      }
      break;
    case 'thread_sort_index':
      if (typeof args.sort_index === 'number') {
        meta.threadSort.set(laneKey(pid, String(e.tid ?? '')), args.sort_index);
      }
      break;
    default:
      break;
  }
}

function readFlow(
  e: Json,
  ph: 's' | 'f' | 't',
  meta: ILaneMetadata,
  npuFlows: Map<string, { s?: IFlowEnd; f?: IFlowEnd }>,
  rawLane: (pid: string, tid: string, annotations: boolean) => number
): void {
  const pid = String(e.pid ?? '');
  if (ph === 's' && e.cat === 'HostToDevice') {
    meta.hostToDevicePids.add(pid);
    return;
  }
  if (ph === 't' || (e.cat !== 'async_npu' && e.name !== 'torch_to_npu')) {
    return;
  }
  const t = readExactTime(e.ts);
  if (t === null || e.id === undefined) {
    return;
  }
  const id = String(e.id);
  let flow = npuFlows.get(id);
  if (flow === undefined) {
    flow = {};
    npuFlows.set(id, flow);
  }
  flow[ph] = {
    lane: rawLane(pid, String(e.tid ?? ''), false),
    whole: t.whole,
    ps: t.ps
  };
}

/** Sort `perm[lo..hi)` by start, longer first on ties; skips sorted input. */
function sortSegment(
  perm: Int32Array,
  lo: number,
  hi: number,
  start: Float64Array,
  dur: number[]
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

/**
 * Host → device links. First by correlation id between host/dispatch lanes
 * and device/communication lanes (Kineto `correlation`, Ascend
 * `connection_id`); then, for device slices still unlinked, by torch_npu
 * `torch_to_npu` flows (the only link in Level0 traces, which have no CANN
 * slices). Orphan flows are ignored.
 */
function linkSlices(
  slices: ITraceSlices,
  lanes: ILane[],
  laneStart: Int32Array,
  laneOf: Int32Array,
  npuFlows: Map<string, { s?: IFlowEnd; f?: IFlowEnd }>,
  originWhole: number,
  originPs: number
): ITraceLinks {
  const isFrom = (kind: LaneKind): boolean =>
    kind === 'host' || kind === 'dispatch';
  const isTo = (kind: LaneKind): boolean =>
    kind === 'device' || kind === 'communication';
  const from: number[] = [];
  const to: number[] = [];
  const linked = new Uint8Array(slices.count);

  const caller = new Map<number, number>();
  for (let i = 0; i < slices.count; i++) {
    const c = slices.correlation[i];
    if (c >= 0 && isFrom(lanes[slices.lane[i]].kind) && !caller.has(c)) {
      caller.set(c, i);
    }
  }
  if (caller.size > 0) {
    for (let i = 0; i < slices.count; i++) {
      const c = slices.correlation[i];
      if (c < 0 || !isTo(lanes[slices.lane[i]].kind)) {
        continue;
      }
      const h = caller.get(c);
      if (h !== undefined) {
        from.push(h);
        to.push(i);
        linked[i] = 1;
      }
    }
  }

  for (const flow of npuFlows.values()) {
    if (flow.s === undefined || flow.f === undefined) {
      continue;
    }
    const fromLane = laneOf[flow.s.lane];
    const toLane = laneOf[flow.f.lane];
    if (fromLane < 0 || toLane < 0 || !isTo(lanes[toLane].kind)) {
      continue;
    }
    const ts = rebaseUs(flow.s.whole, flow.s.ps, originWhole, originPs);
    const tf = rebaseUs(flow.f.whole, flow.f.ps, originWhole, originPs);
    const target = sliceAt(slices, laneStart, toLane, tf, false);
    if (target < 0 || linked[target] === 1) {
      continue;
    }
    const source = sliceAt(slices, laneStart, fromLane, ts, true);
    if (source < 0) {
      continue;
    }
    from.push(source);
    to.push(target);
    linked[target] = 1;
  }
  return {
    count: from.length,
    from: Int32Array.from(from),
    to: Int32Array.from(to)
  };
}

/**
 * The deepest slice of a lane that starts exactly at `t`; with `enclosing`,
 * otherwise the deepest slice that contains `t`. -1 when none.
 */
function sliceAt(
  slices: ITraceSlices,
  laneStart: Int32Array,
  lane: number,
  t: number,
  enclosing: boolean
): number {
  const lo = laneStart[lane];
  let hi = laneStart[lane + 1];
  const start = slices.start;
  // Last slice with start <= t.
  let a = lo;
  while (a < hi) {
    const mid = (a + hi) >>> 1;
    if (start[mid] <= t) {
      a = mid + 1;
    } else {
      hi = mid;
    }
  }
  let best = -1;
  for (let k = a - 1; k >= lo && start[k] === t; k--) {
    if (best < 0 || slices.depth[k] > slices.depth[best]) {
      best = k;
    }
  }
  if (best >= 0 || !enclosing) {
    return best;
  }
  const stop = Math.max(lo, a - MAX_ENCLOSING_SCAN_SLICES);
  for (let k = a - 1; k >= stop; k--) {
    if (start[k] + slices.dur[k] >= t) {
      if (best < 0 || slices.depth[k] > slices.depth[best]) {
        best = k;
      }
    }
  }
  return best;
}

/** `ProfilerStep#N` slices on host lanes, once each, in time order. */
function findSteps(
  slices: ITraceSlices,
  lanes: ILane[],
  names: string[],
  stepWork: number
): IStep[] {
  const seen = new Set<string>();
  const steps: IStep[] = [];
  for (let i = 0; i < slices.count; i++) {
    if (slices.work[i] !== stepWork || lanes[slices.lane[i]].kind !== 'host') {
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

/** Decimal text of an integer field (string after quoting, or number), or undefined. */
function integerText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return BigInt(Math.round(value)).toString();
  }
  return undefined;
}

function deviceName(top: Json | null): string {
  const props = top?.deviceProperties;
  if (Array.isArray(props) && props.length > 0) {
    const name = (props[0] as Json | null)?.name;
    return typeof name === 'string' ? name : '';
  }
  return '';
}

/** Top-level `*_version` / `*Version` fields (not `schemaVersion`), and NCCL's. */
function versionsOf(top: Json): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const key of Object.keys(top)) {
    const value = top[key];
    if (
      key !== 'schemaVersion' &&
      /version$/i.test(key) &&
      (typeof value === 'string' || typeof value === 'number')
    ) {
      versions[key] = String(value);
    }
  }
  const dist = top.distributedInfo as Json | undefined;
  if (dist && typeof dist === 'object' && dist.nccl_version !== undefined) {
    versions.nccl_version = String(dist.nccl_version);
  }
  return versions;
}
