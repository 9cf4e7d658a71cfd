import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { IProfileSummary } from '../../src/analysis/summary';
import {
  MIN_MARK_SHARE_OF_SPAN,
  TIMELINE_DATASET,
  WORK_COLORS,
  timelineSpec,
  uniqueLaneNames,
  type ITimelineLabels
} from '../../src/view/timelineSpec';

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
  workNames: Object.fromEntries(Object.keys(WORK_COLORS).map(k => [k, `W:${k}`])) as any
};

const theme = {
  textColor: '#111',
  gridColor: '#ddd',
  fontFamily: 'Inter',
  alertColor: '#f00',
  stepColor: '#888',
  idleColor: '#fa0'
};

function summary(): IProfileSummary {
  return {
    version: 1,
    backend: 'ascend',
    device: 'Ascend NPU',
    spanUs: 300_000,
    events: 3,
    deviceBusyUs: 1000,
    hasDevice: true,
    lanes: [
      { kind: 'host', label: 'Python Thread 1', events: 2, busyUs: 500 },
      { kind: 'device', label: 'Ascend Hardware Stream 2', events: 1, busyUs: 1000 },
      { kind: 'host', label: 'Python Thread 1', events: 0, busyUs: 0 }
    ],
    marks: [
      { lane: 0, start: 0, end: 100_000, name: 'aten::item', work: 'op', count: 1, busyUs: 100_000 },
      { lane: 1, start: 1000, end: 1001, name: '<img src=x onerror=alert(1)>', work: 'kernel', count: 1, busyUs: 1 }
    ],
    steps: [],
    findings: [],
    topOps: { host: [], device: [] },
    warnings: []
  };
}

describe('timelineSpec', () => {
  it('draws one row per lane in lane order, with repeated labels made unique', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    const y = spec.layer[0].encoding.y;
    expect(y.scale.domain).toEqual([
      'Python Thread 1',
      'Ascend Hardware Stream 2',
      'Python Thread 1 #2'
    ]);
    expect(spec.height).toBeGreaterThanOrEqual(3 * 20);
  });

  it('keeps trace names as data values, never as markup', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    expect(spec.data.values[1].name).toBe('<img src=x onerror=alert(1)>');
    expect(spec.layer[0].mark.type).toBe('bar');
  });

  it('widens marks that would be invisible at the full view, and keeps the true duration for the tooltip', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    const kernel = spec.data.values[1];
    expect(kernel.end - kernel.start).toBeCloseTo((300_000 * MIN_MARK_SHARE_OF_SPAN) / 1000, 6);
    expect(kernel.dur).toBeCloseTo(0.001, 6);
  });

  it('colours only the kinds of work present, with their fixed colours', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    const scale = spec.layer[0].encoding.color.scale;
    expect(scale.domain).toEqual(['W:op', 'W:kernel']);
    expect(scale.range).toEqual([WORK_COLORS.op, WORK_COLORS.kernel]);
  });

  it('outlines highlighted waits on their lane in the alert colour, and only when given', () => {
    const outlines = (spec: any) => spec.layer.filter((l: any) => l.mark.filled === false);
    expect(outlines(timelineSpec(summary(), theme, labels, []))).toHaveLength(0);
    const spec: any = timelineSpec(summary(), theme, labels, [
      { lane: 'Python Thread 1', start: 10_000, end: 90_000, name: 'aten::item' },
      { lane: 'no such lane', start: 0, end: 1, name: 'x' }
    ]);
    expect(outlines(spec)).toHaveLength(1);
    expect(outlines(spec)[0].mark.stroke).toBe('#f00');
    expect(outlines(spec)[0].data.values).toEqual([
      expect.objectContaining({ lane: 'Python Thread 1', start: 10, end: 90 })
    ]);
  });

  it('uses the theme colours for axes and a transparent background', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    expect(spec.background).toBe('transparent');
    expect(spec.config.axis.labelColor).toBe('#111');
    expect(spec.config.font).toBe('Inter');
    expect(spec.$schema).toContain('vega-lite/v5');
  });
});

describe('timelineSpec for zoom detail', () => {
  it('names the marks dataset, so zoom detail can swap its rows', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    expect(spec.data.name).toBe(TIMELINE_DATASET);
  });

  it('colours every kind a live session can draw, so swapped-in marks keep their colours', () => {
    const spec: any = timelineSpec(summary(), theme, labels, [], null, ['kernel', 'copy', 'op']);
    const scale = spec.layer[0].encoding.color.scale;
    expect(scale.domain).toEqual(['W:op', 'W:copy', 'W:kernel']);
    expect(scale.range).toEqual([WORK_COLORS.op, WORK_COLORS.copy, WORK_COLORS.kernel]);
  });
});

describe('uniqueLaneNames', () => {
  it('numbers repeats and keeps first occurrences as they are', () => {
    expect(uniqueLaneNames(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a #2', 'a #3']);
  });
});

describe('timelineSpec zoom and steps', () => {
  it('shows the given time range instead of the whole run', () => {
    const spec: any = timelineSpec(summary(), theme, labels, [], [10_000, 20_000]);
    expect(spec.layer[0].encoding.x.scale.domain).toEqual([10, 20]);
    // Marks are widened relative to the visible range: 10 ms / 1500.
    const kernel = spec.data.values[1];
    expect(kernel.end - kernel.start).toBeCloseTo((10_000 * MIN_MARK_SHARE_OF_SPAN) / 1000, 6);
  });

  it('marks step starts with rules, with the step name in the tooltip', () => {
    const s = summary();
    s.steps = [{ name: 'ProfilerStep#0', start: 5_000, dur: 250_000 }];
    const spec: any = timelineSpec(s, theme, labels, []);
    // Step rules are vertical (no y); group lines are horizontal.
    const rules = spec.layer.find((l: any) => l.mark.type === 'rule' && l.encoding.y === undefined);
    expect(rules.data.values).toEqual([{ start: 5, name: 'ProfilerStep#0', dur: 250 }]);
  });
});

describe('timelineSpec overview honesty', () => {
  it('names in the tooltip the operator that launched a device slice, and nothing for other marks', async () => {
    const s = summary();
    s.marks[1] = { ...s.marks[1], launchedBy: 'aten::mm' };
    const spec: any = timelineSpec(s, theme, labels, []);
    // Compiled and run as the notebook's vega-embed does, without drawing.
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    const tooltips: Record<string, unknown>[] = [];
    const visit = (item: any): void => {
      if (item?.tooltip && item.datum?.name !== undefined) {
        tooltips.push(item.tooltip);
      }
      for (const child of item?.items ?? []) {
        visit(child);
      }
    };
    visit((view.scenegraph() as any).root);
    const byName = new Map(tooltips.map(t => [t['name'], t]));
    expect(byName.get('<img src=x onerror=alert(1)>')).toEqual({
      name: '<img src=x onerror=alert(1)>',
      lane: 'Ascend Hardware Stream 2',
      'duration (ms)': '0.001',
      slices: 1,
      'launched by': 'aten::mm'
    });
    // Host work: no "launched by" row at all (not "undefined").
    expect(byName.get('aten::item')).toEqual({
      name: 'aten::item',
      lane: 'Python Thread 1',
      'duration (ms)': '100.000',
      slices: 1
    });
    view.finalize();
  });

  it('draws a merged mark fainter by the share of it its slices cover', () => {
    const s = summary();
    s.marks[0] = { ...s.marks[0], count: 5, busyUs: 25_000 };
    const spec: any = timelineSpec(s, theme, labels, []);
    expect(spec.data.values[0].busy).toBeCloseTo(0.25, 6);
    expect(spec.data.values[1].busy).toBe(1);
    expect(spec.layer[0].encoding.opacity.scale.range[0]).toBeGreaterThan(0);
  });

  it('bands device idle gaps across all lanes, only when given', () => {
    const without: any = timelineSpec(summary(), theme, labels, []);
    expect(without.layer.some((l: any) => l.mark.type === 'rect')).toBe(false);
    const spec: any = timelineSpec(summary(), theme, labels, [], null, null, [
      { lane: '', start: 100_000, end: 150_000, name: 'aten::mm kernel' }
    ]);
    const band = spec.layer.find((l: any) => l.mark.type === 'rect');
    expect(band.encoding.y).toBeUndefined();
    expect(band.data.values).toEqual([
      { start: 100, end: 150, dur: 50, what: 'device idle', next: 'aten::mm kernel' }
    ]);
    expect(band.mark.color).toBe('#fa0');
  });
});

describe('timelineSpec lane groups', () => {
  it('draws a line above the first lane of each group after the first', () => {
    const spec: any = timelineSpec(summary(), theme, labels, []);
    const rules = spec.layer.filter(
      (l: any) => l.mark.type === 'rule' && l.encoding.y !== undefined
    );
    expect(rules).toHaveLength(1);
    // host, device, host: two changes of kind.
    expect(rules[0].data.values).toEqual([
      { lane: 'Ascend Hardware Stream 2' },
      { lane: 'Python Thread 1 #2' }
    ]);
    expect(rules[0].encoding.y.bandPosition).toBe(0);
  });

  it('leaves out counter lanes without slices, whose samples the counters table lists', () => {
    const s = summary();
    s.lanes.push(
      { kind: 'counter', label: 'AI Core Freq', events: 0, busyUs: 0, samples: 2 },
      { kind: 'other', label: 'Overlap Analysis Computing', events: 1, busyUs: 10 }
    );
    s.marks.push({ lane: 4, start: 0, end: 10, name: 'Computing', work: 'other', count: 1, busyUs: 10 });
    const spec: any = timelineSpec(s, theme, labels, []);
    expect(spec.layer[0].encoding.y.scale.domain).toEqual([
      'Python Thread 1',
      'Ascend Hardware Stream 2',
      'Python Thread 1 #2',
      'Overlap Analysis Computing'
    ]);
    expect(spec.data.values.map((v: any) => v.lane)).toContain('Overlap Analysis Computing');
    const rules = spec.layer.filter((l: any) => l.mark.type === 'rule' && l.encoding.y !== undefined);
    expect(rules[0].data.values).toContainEqual({ lane: 'Overlap Analysis Computing' });
  });
});
