/**
 * Browser benchmark page (bundled by bench/browser/run.js): for one trace
 * URL, times the analysis in the worker, the first paint of the timeline,
 * and zooms, through the same modules the extension uses (TraceSession,
 * timelineSpec, attachZoomDetail) with vega-embed's canvas renderer.
 */
import embed from 'vega-embed';
import type { View } from 'vega';
import { WORK_COLORS, timelineSpec, uniqueLaneNames, type ITimelineLabels } from '../../src/view/timelineSpec';
import { attachZoomDetail } from '../../src/view/zoomDetail';
import { TraceSession, type ISessionWorker } from '../../src/worker/traceSession';
import type { WorkKind } from '../../src/trace/model';

/** Chart width, px: a wide notebook cell. */
const CHART_WIDTH_PX = 1200;

/** Visible share of the run for each zoom step, widest first. */
const ZOOM_SHARES = [0.1, 0.01, 0.001, 0.0001];

/** One zoom step's timings, ms. */
interface IZoomTiming {
  share: number;
  /** Redraw of the marks already on the chart at the new domain (the immediate frame). */
  frameMs: number;
  /** Request → worker answer → changeset → redrawn detail (after the debounce). */
  detailMs: number;
  /** The worker round trip alone (same window asked again). */
  workerMs: number;
  marks: number;
  realSlices: boolean;
}

/** What one run measures. */
interface IResult {
  bytes: number;
  events: number;
  lanes: number;
  fetchMs: number;
  analysisMs: number;
  firstPaintMs: number;
  overviewMarks: number;
  zooms: IZoomTiming[];
  panMs: number;
  panRequested: boolean;
  heapMb: number;
}

const names = Object.fromEntries(Object.keys(WORK_COLORS).map(k => [k, k])) as Record<WorkKind, string>;
const labels: ITimelineLabels = {
  time: 'time (ms)',
  work: 'kind of work',
  name: 'name',
  lane: 'lane',
  duration: 'duration (ms)',
  slices: 'slices',
  syncWait: 'host waiting for the device',
  step: 'step',
  idleGap: 'device idle',
  next: 'next',
  launchedBy: 'launched by',
  workNames: names
};
const theme = {
  textColor: '#333',
  gridColor: '#ccc',
  fontFamily: 'sans-serif',
  alertColor: '#d32f2f',
  stepColor: '#888',
  idleColor: '#fa0'
};

/** Forces the canvas to rasterise, so the time includes the pixels. */
function touchPixels(host: HTMLElement): void {
  const canvas = host.querySelector('canvas');
  canvas?.getContext('2d')?.getImageData(0, 0, 1, 1);
}

/** The scale-bound selection's x-range signal (named after the field in Vega-Lite ≥ 5). */
function setDomain(view: View, fromMs: number, toMs: number): void {
  view.signal('zoom_start', [fromMs, toMs]);
}

async function run(url: string): Promise<IResult> {
  const tFetch = performance.now();
  const buffer = await (await fetch(url)).arrayBuffer();
  const bytes = buffer.byteLength;
  const t0 = performance.now();
  const session = await TraceSession.open(buffer, {}, {
    createWorker: () => new Worker('analysisWorker.js') as unknown as ISessionWorker
  });
  const t1 = performance.now();
  const summary = session.summary;
  const host = document.createElement('div');
  host.style.width = `${CHART_WIDTH_PX}px`;
  document.body.textContent = '';
  document.body.appendChild(host);
  const spec = timelineSpec(summary, theme, labels, [], null, session.workKinds);
  const result = await embed(host, spec as any, { actions: false, renderer: 'canvas' });
  touchPixels(host);
  const t2 = performance.now();
  const view = result.view;
  const laneNames = uniqueLaneNames(summary.lanes.map(l => l.label));
  const detail = attachZoomDetail(view, session, { laneNames, workNames: names, spanUs: summary.spanUs });
  const zooms: IZoomTiming[] = [];
  // Zoom around the busiest overview mark: the middle of the run may be a
  // gap between the generator's copies.
  const busiest = summary.marks.reduce((a, m) => (m.count > a.count ? m : a), summary.marks[0]);
  const mid = busiest ? (busiest.start + busiest.end) / 2 : summary.spanUs / 2;
  for (const share of ZOOM_SHARES) {
    const half = (summary.spanUs * share) / 2;
    const fromMs = (mid - half) / 1000;
    const toMs = (mid + half) / 1000;
    const a = performance.now();
    setDomain(view, fromMs, toMs);
    await view.runAsync();
    touchPixels(host);
    const b = performance.now();
    await detail.refresh();
    touchPixels(host);
    const c = performance.now();
    const again = await session.marks(fromMs * 1000, toMs * 1000, Math.round(view.width()));
    const d = performance.now();
    const rows = view.data('marks') as { count: number }[];
    zooms.push({
      share,
      frameMs: b - a,
      detailMs: c - b,
      workerMs: d - c,
      marks: rows.length,
      realSlices: rows.every(r => r.count === 1) && (again?.marks.length ?? 0) === rows.length
    });
  }
  // A small pan (a fifth of the visible range) stays within the loaded window.
  const [f, t] = view.scale('x').domain() as number[];
  const shift = (t - f) / 5;
  const p0 = performance.now();
  setDomain(view, f + shift, t + shift);
  await view.runAsync();
  const panRequested = await detail.refresh();
  touchPixels(host);
  const p1 = performance.now();
  detail.dispose();
  result.finalize();
  session.dispose();
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return {
    bytes,
    events: summary.events,
    lanes: summary.lanes.length,
    fetchMs: t0 - tFetch,
    analysisMs: t1 - t0,
    firstPaintMs: t2 - t1,
    overviewMarks: summary.marks.length,
    zooms,
    panMs: p1 - p0,
    panRequested,
    heapMb: (memory?.usedJSHeapSize ?? 0) / 2 ** 20
  };
}

(window as unknown as { bench: typeof run }).bench = run;
