/**
 * summarize: the trace model → the small persisted summary the view draws.
 *
 * Everything in it is bounded, whatever the size of the trace: lanes (one
 * entry each), level-of-detail timeline marks (at most
 * {@link MAX_TIMELINE_MARKS}), the checklist, and the top operators.
 *
 * Timeline marks: at the full view one bucket of the span
 * ({@link TIMELINE_BUCKETS} buckets) is about a pixel, so neighbouring
 * top-level slices of a lane whose gap is below one bucket are drawn as one
 * mark, named after its longest slice:
 *
 *   lane   |k1|k2| k3|        |k4|      gaps < bucket between k1..k3
 *   marks  |=k3 ×3====|        |k4|      (k3 is the longest)
 *
 * If that still gives too many marks, the bucket width doubles until they fit.
 *
 * Pure module.
 */
import type { ITraceModel, LaneIndex, SliceIndex } from '../trace/model';
import { WORK_KINDS } from '../trace/model';
import { runChecklist } from './checklist';
import { MAX_SUMMARY_SERIES, counterSummaries } from './counterSeries';
import { deviceBusy, isDeviceWork, mergeSortedIntervals } from './deviceBusy';
import type {
  IOpTotal,
  IProfileSummary,
  ISummaryLane,
  ITimelineMark
} from './summary';
import { SUMMARY_VERSION } from './summary';
import { timeBreakdown } from './timeBreakdown';
import { stepActivity } from './stepActivity';

/**
 * Number of buckets across the whole span: about the width in pixels of the
 * inline timeline in a notebook cell. Source: our choice (a cell output is
 * 700–1000 px wide).
 */
export const TIMELINE_BUCKETS = 800;

/**
 * Most marks kept in a summary. Source: our choice; about 100 bytes of JSON
 * each, so the marks stay well under 1 MB in the notebook, and Vega draws
 * them without lag.
 */
export const MAX_TIMELINE_MARKS = 4000;

/** Number of operators listed per side in `topOps`. */
export const TOP_OPS = 10;

const OP = WORK_KINDS.indexOf('op');

/** Slice indices of each lane, in start order (the model sorts by lane then start). */
export function slicesByLane(model: ITraceModel): SliceIndex[][] {
  const byLane: SliceIndex[][] = model.lanes.map(() => []);
  const { lane, count } = model.slices;
  for (let i = 0; i < count; i++) {
    byLane[lane[i]].push(i);
  }
  return byLane;
}

/**
 * Receives one mark from {@link laneMarks}: its lane, start and end (µs),
 * its longest slice (for the name and the kind of work), the number of
 * slices merged and the time they cover (µs).
 */
export type MarkSink = (
  lane: LaneIndex,
  startUs: number,
  endUs: number,
  longest: SliceIndex,
  count: number,
  busyUs: number
) => void;

/**
 * Marks of one lane's shown slices `shown[from..to)` for a bucket width:
 * neighbours whose gap is below one bucket merge into one mark named after
 * the longest. Returns the number of marks; when `sink` is null only counts
 * them. Shared by the whole-trace overview ({@link timelineMarks}) and the
 * zoomed window (`windowMarks`), so both draw a lane the same way.
 *
 * @param shown The lane's shown slices in start order (see {@link displaySlices}).
 */
export function laneMarks(
  model: ITraceModel,
  laneIndex: LaneIndex,
  shown: ArrayLike<SliceIndex>,
  from: number,
  to: number,
  bucketUs: number,
  sink: MarkSink | null
): number {
  const { start, dur } = model.slices;
  let count = 0;
  let k = from;
  while (k < to) {
    const first = shown[k];
    let end = start[first] + dur[first];
    let longest = first;
    let busy = dur[first];
    let merged = 1;
    k++;
    while (k < to && start[shown[k]] - end < bucketUs) {
      const i = shown[k];
      const e = start[i] + dur[i];
      // Union, in case top-level slices overlap after a repair.
      busy += Math.max(0, e - Math.max(start[i], end));
      end = Math.max(end, e);
      if (dur[i] > dur[longest]) {
        longest = i;
      }
      merged++;
      k++;
    }
    count++;
    if (sink) {
      sink(laneIndex, start[first], end, longest, merged, busy);
    }
  }
  return count;
}

/** A {@link MarkSink} that appends timeline mark objects to `out`. */
function pushMark(model: ITraceModel, out: ITimelineMark[]): MarkSink {
  const { name, work } = model.slices;
  return (lane, startUs, endUs, longest, count, busyUs) => {
    const op = model.links.op[longest];
    out.push({
      lane,
      start: startUs,
      end: endUs,
      name: model.names[name[longest]],
      work: WORK_KINDS[work[longest]] ?? 'other',
      count,
      busyUs,
      ...(op >= 0 ? { launchedBy: model.names[name[op]] } : {})
    });
  };
}

const STEP = WORK_KINDS.indexOf('step');
const PYTHON = WORK_KINDS.indexOf('python');

/**
 * The slices a lane shows at the full view: the outermost ones that are real
 * work. `ProfilerStep#N` and Python frames only wrap work (a host lane would
 * otherwise be one bar named after the step), so the slices inside them are
 * shown instead.
 *
 *   depth 0  |ProfilerStep#0..................|
 *   depth 1  |nn.Module: Encoder.........|
 *   depth 2  |aten::linear| |aten::to|        ← shown
 *
 * @param laneSlices One lane's slices in start order (parents before children).
 */
export function displaySlices(
  model: ITraceModel,
  laneSlices: Iterable<SliceIndex>
): SliceIndex[] {
  const { start, dur, work } = model.slices;
  const shown: SliceIndex[] = [];
  // End of the latest shown slice: anything starting before it is inside it
  // (or overlaps it) and is covered by its mark.
  let shownEnd = -Infinity;
  for (const i of laneSlices) {
    if (work[i] === STEP || work[i] === PYTHON) {
      continue;
    }
    if (start[i] < shownEnd) {
      continue;
    }
    shown.push(i);
    shownEnd = start[i] + dur[i];
  }
  return shown;
}

/**
 * Level-of-detail marks of the whole span, at most {@link MAX_TIMELINE_MARKS}.
 *
 * @param topLevel The slices each lane shows (see {@link displaySlices}), in start order.
 */
export function timelineMarks(
  model: ITraceModel,
  topLevel: SliceIndex[][]
): ITimelineMark[] {
  const span = model.spanUs;
  // A floor keeps doubling meaningful for a zero-length trace.
  let bucketUs = Math.max(span / TIMELINE_BUCKETS, 1e-3);
  const total = (): number =>
    topLevel.reduce(
      (n, t, lane) => n + laneMarks(model, lane, t, 0, t.length, bucketUs, null),
      0
    );
  // Once a bucket is wider than the span every lane is one mark: stop there.
  while (total() > MAX_TIMELINE_MARKS && bucketUs <= span) {
    bucketUs *= 2;
  }
  const marks: ITimelineMark[] = [];
  const sink = pushMark(model, marks);
  topLevel.forEach((t, lane) => laneMarks(model, lane, t, 0, t.length, bucketUs, sink));
  return marks;
}

/**
 * Top `TOP_OPS` names by total duration among the given slices, each counted
 * under its own name, or under the name of the slice `countedAs` gives (none
 * when it gives -1).
 */
function topByName(
  model: ITraceModel,
  picked: Iterable<SliceIndex>,
  countedAs: (i: SliceIndex) => SliceIndex = i => i
): IOpTotal[] {
  const totals = new Map<number, IOpTotal>();
  const { name, dur } = model.slices;
  for (const i of picked) {
    const as = countedAs(i);
    if (as < 0) {
      continue;
    }
    const t = totals.get(name[as]);
    if (t) {
      t.count++;
      t.totalUs += dur[i];
    } else {
      totals.set(name[as], { name: model.names[name[as]], count: 1, totalUs: dur[i] });
    }
  }
  return [...totals.values()]
    .sort((a, b) => b.totalUs - a.totalUs || a.name.localeCompare(b.name))
    .slice(0, TOP_OPS);
}

/**
 * Summarises a trace for the view and the notebook.
 *
 * - `lanes`: kind, label, slice count, busy time (union of depth-0 slices),
 *   and counter samples.
 * - `counters`: each counter series' range and mean (`counterSeries`).
 * - `deviceBusyUs`/`hasDevice`: the device's busy union (see `deviceBusy`).
 * - `marks`: level-of-detail timeline, see the module doc.
 * - `findings`: {@link runChecklist}.
 * - `topOps.host`: framework ops (work `op`, steps excluded) on host lanes by
 *   total (inclusive) duration; `topOps.device`: device work on device
 *   lanes by total duration; `topOps.byOperator`: that device work counted
 *   under the framework operator that launched it (`links.op`). Top
 *   {@link TOP_OPS} each.
 */
export function summarize(model: ITraceModel): IProfileSummary {
  const { slices, lanes } = model;
  const byLane = slicesByLane(model);
  const topLevel = byLane.map(list => list.filter(i => slices.depth[i] === 0));
  const ends = new Float64Array(slices.count);
  for (let i = 0; i < slices.count; i++) {
    ends[i] = slices.start[i] + slices.dur[i];
  }
  const samples = new Int32Array(lanes.length);
  model.counters.series.forEach(s => (samples[s.lane] += s.count));
  const summaryLanes: ISummaryLane[] = lanes.map((l, lane) => ({
    kind: l.kind,
    label: l.label,
    events: byLane[lane].length,
    busyUs: mergeSortedIntervals(topLevel[lane], slices.start, ends).totalUs,
    ...(samples[lane] > 0 ? { samples: samples[lane] } : {})
  }));

  const hostOps: SliceIndex[] = [];
  const deviceWork: SliceIndex[] = [];
  lanes.forEach((l, lane) => {
    for (const i of byLane[lane]) {
      if (l.kind === 'host' && slices.work[i] === OP) {
        hostOps.push(i);
      } else if (l.kind === 'device' && isDeviceWork(slices.work[i])) {
        deviceWork.push(i);
      }
    }
  });

  const busy = deviceBusy(model);
  return {
    version: SUMMARY_VERSION,
    backend: model.backend,
    device: model.meta.device,
    spanUs: model.spanUs,
    ...(model.meta.rank !== undefined ? { rank: model.meta.rank } : {}),
    ...(model.meta.worldSize !== undefined ? { worldSize: model.meta.worldSize } : {}),
    events: slices.count,
    deviceBusyUs: busy.union.totalUs,
    hasDevice: busy.hasDevice,
    lanes: summaryLanes,
    marks: timelineMarks(
      model,
      byLane.map(list => displaySlices(model, list))
    ),
    steps: model.steps.map(s => ({ name: s.name, start: s.start, dur: s.dur })),
    breakdown: timeBreakdown(model),
    stepActivity: stepActivity(model),
    findings: runChecklist(model),
    topOps: {
      host: topByName(model, hostOps),
      device: topByName(model, deviceWork),
      byOperator: topByName(model, deviceWork, i => model.links.op[i])
    },
    ...(model.counters.series.length > 0 ? { counters: counterSummaries(model) } : {}),
    warnings: [
      ...model.warnings,
      ...(model.counters.series.length > MAX_SUMMARY_SERIES
        ? [`The summary lists the first ${MAX_SUMMARY_SERIES} of the trace's ${model.counters.series.length} counter series.`]
        : [])
    ]
  };
}
