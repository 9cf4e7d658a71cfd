import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { IProfileSummary, ITimelineMark } from '../../src/analysis/summary';
import { lodWindow } from '../../src/analysis/windowMarks';
import {
  TIMELINE_DATASET,
  WORK_COLORS,
  timelineSpec,
  type ITimelineLabels
} from '../../src/view/timelineSpec';
import { attachZoomDetail } from '../../src/view/zoomDetail';
import type { IWindowMarks, TraceSession } from '../../src/worker/traceSession';

const workNames = Object.fromEntries(Object.keys(WORK_COLORS).map(k => [k, `W:${k}`])) as any;
const labels: ITimelineLabels = {
  time: 't',
  work: 'w',
  name: 'n',
  lane: 'l',
  duration: 'd',
  slices: 's',
  syncWait: 'sw',
  step: 'st',
  idleGap: 'device idle',
  next: 'next',
  launchedBy: 'launched by',
  workNames
};
const theme = {
  textColor: '#111',
  gridColor: '#ddd',
  fontFamily: 'x',
  alertColor: '#f00',
  stepColor: '#888',
  idleColor: '#fa0'
};

const SPAN_US = 100_000;

function summary(): IProfileSummary {
  return {
    version: 1,
    backend: 'ascend',
    device: '',
    spanUs: SPAN_US,
    events: 2,
    deviceBusyUs: 0,
    hasDevice: true,
    lanes: [{ kind: 'device', label: 'Stream 2', events: 2, busyUs: 0 }],
    marks: [{ lane: 0, start: 0, end: SPAN_US, name: 'merged', work: 'kernel', count: 500, busyUs: 1 }],
    steps: [],
    findings: [],
    topOps: { host: [], device: [] },
    warnings: []
  };
}

/** A session double that answers with two real slices of the asked window. */
function fakeSession() {
  const asked: number[][] = [];
  const session = {
    isDisposed: false,
    marks: async (fromUs: number, toUs: number, buckets: number): Promise<IWindowMarks> => {
      asked.push([fromUs, toUs, buckets]);
      const marks: ITimelineMark[] = [
        { lane: 0, start: fromUs, end: fromUs + 10, name: 'gemm', work: 'kernel', count: 1, busyUs: 10 },
        { lane: 0, start: fromUs + 20, end: fromUs + 25, name: 'copy', work: 'copy', count: 1, busyUs: 5 }
      ];
      return { marks, ...lodWindow(fromUs, toUs, buckets, SPAN_US) };
    }
  };
  return { session: session as unknown as TraceSession, asked };
}

async function chart(): Promise<vega.View> {
  const spec: any = timelineSpec(summary(), theme, labels, [], null, ['kernel', 'copy']);
  spec.width = 800;
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

/** What a wheel zoom does: set the x range of the scale-bound selection (ms). */
async function zoomTo(view: vega.View, fromMs: number, toMs: number): Promise<void> {
  view.signal('zoom_start', [fromMs, toMs]);
  await view.runAsync();
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('attachZoomDetail', () => {
  it('after the user stops zooming, replaces the overview marks by the window\'s slices', async () => {
    const view = await chart();
    const { session, asked } = fakeSession();
    const detail = attachZoomDetail(view, session, {
      laneNames: ['Stream 2'],
      workNames,
      spanUs: SPAN_US,
      debounceMs: 5
    });
    expect(view.data(TIMELINE_DATASET).map((r: any) => r.name)).toEqual(['merged']);
    await zoomTo(view, 40, 40.5);
    await zoomTo(view, 40, 40.2);
    await pause(40);
    // One request, for the range where the zoom stopped, at the chart's width.
    expect(asked).toHaveLength(1);
    expect(asked[0][0]).toBeCloseTo(40_000, 6);
    expect(asked[0][1]).toBeCloseTo(40_200, 6);
    expect(asked[0][2]).toBeGreaterThan(100);
    const rows = view.data(TIMELINE_DATASET);
    expect(rows.map((r: any) => [r.name, r.work, r.count])).toEqual([
      ['gemm', 'W:kernel', 1],
      ['copy', 'W:copy', 1]
    ]);
    expect(rows[0].start).toBeCloseTo(40, 6);
    expect(rows[0].dur).toBeCloseTo(0.01, 6);
    detail.dispose();
  });

  it('pans within the loaded window without a new request, and stops listening when disposed', async () => {
    const view = await chart();
    const { session, asked } = fakeSession();
    const detail = attachZoomDetail(view, session, {
      laneNames: ['Stream 2'],
      workNames,
      spanUs: SPAN_US,
      debounceMs: 5
    });
    await zoomTo(view, 40, 40.2);
    expect(await detail.refresh()).toBe(true);
    await zoomTo(view, 40.05, 40.25);
    expect(await detail.refresh()).toBe(false);
    expect(asked).toHaveLength(1);
    detail.dispose();
    await zoomTo(view, 10, 20);
    await pause(30);
    expect(asked).toHaveLength(1);
  });

  it('loads detail at once when the chart was embedded zoomed in', async () => {
    const spec: any = timelineSpec(summary(), theme, labels, [], [10_000, 10_100]);
    spec.width = 800;
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const { session, asked } = fakeSession();
    const detail = attachZoomDetail(view, session, { laneNames: ['Stream 2'], workNames, spanUs: SPAN_US });
    await pause(20);
    expect(asked[0][0]).toBeCloseTo(10_000, 6);
    expect(view.data(TIMELINE_DATASET)).toHaveLength(2);
    detail.dispose();
  });
});
