/**
 * Builds the Vega-Lite v5 spec of the timeline from a summary. Pure: the
 * colours and fonts come in as arguments (read from `--jp-*` variables by
 * the caller), so the same function serves light and dark themes.
 */
import type { IProfileSummary, ISummaryLane, ITimelineMark } from '../analysis/summary';
import type { WorkKind } from '../trace/model';

/** Height of one lane row, px. */
export const LANE_ROW_PX = 22;

/**
 * Marks narrower than this share of the span are widened to it, so a 1 µs
 * kernel in a 300 ms trace is still visible at the full view.
 */
export const MIN_MARK_SHARE_OF_SPAN = 1 / 1500;

/** Opacity of a merged mark whose slices cover none of it (a real slice is opaque). */
export const MIN_MARK_OPACITY = 0.35;

/** Opacity of the device-idle bands drawn across all lanes. */
export const IDLE_BAND_OPACITY = 0.12;

/** Steps beyond this many are not drawn as rules (they would hide the marks). */
export const MAX_STEP_RULES = 50;

/** Legend entries per row. */
export const LEGEND_COLUMNS = 6;

/** Colours of each kind of work, chosen to read on light and dark backgrounds. */
export const WORK_COLORS: Record<WorkKind, string> = {
  op: '#4c78a8',
  python: '#9d8ac7',
  runtime: '#8c9aab',
  launch: '#72b7b2',
  sync: '#e45756',
  copy: '#f58518',
  kernel: '#54a24b',
  comm: '#b279a2',
  queue: '#bab0ac',
  compile: '#eeca3b',
  step: '#79706e',
  other: '#a0a0a0'
};

/**
 * Name of the chart's dataset of timeline marks, so a controller can swap
 * its rows with a Vega changeset (`view.data(TIMELINE_DATASET, rows)`)
 * instead of re-embedding the chart (see `zoomDetail.ts`).
 */
export const TIMELINE_DATASET = 'marks';

/** One row of {@link TIMELINE_DATASET}: a mark in chart units. */
export interface ITimelineRow {
  /** Lane name (unique, see {@link uniqueLaneNames}). */
  lane: string;
  /** Start, ms. */
  start: number;
  /** Drawn end, ms: at least the minimum visible width after the start. */
  end: number;
  /** True duration, ms (for the tooltip). */
  dur: number;
  /** Name of the longest slice. Untrusted text. */
  name: string;
  /** Display name of the kind of work. */
  work: string;
  /** Slices merged into the mark. */
  count: number;
  /** Share of the mark's extent its slices cover (1 for a real slice): merged marks with gaps draw fainter. */
  busy: number;
  /** The framework operator that launched the longest slice; absent when unknown (the tooltip leaves it out). Untrusted text. */
  launchedBy?: string;
}

/**
 * Chart rows of timeline marks.
 *
 * @param laneNames Unique lane names by lane index ({@link uniqueLaneNames}).
 * @param workNames Display names of the kinds of work.
 * @param minWidthUs Marks narrower than this (µs) are drawn this wide, so they stay visible.
 */
export function timelineRows(
  marks: readonly ITimelineMark[],
  laneNames: readonly string[],
  workNames: Record<WorkKind, string>,
  minWidthUs: number
): ITimelineRow[] {
  return marks.map(m => ({
    lane: laneNames[m.lane],
    start: m.start / 1000,
    end: Math.max(m.end, m.start + minWidthUs) / 1000,
    dur: (m.end - m.start) / 1000,
    name: m.name,
    work: workNames[m.work],
    count: m.count,
    busy: m.end > m.start ? Math.min(1, m.busyUs / (m.end - m.start)) : 1,
    ...(m.launchedBy !== undefined ? { launchedBy: m.launchedBy } : {})
  }));
}

/** Theme values the spec needs. */
export interface ITimelineTheme {
  /** Text colour. */
  textColor: string;
  /** Grid and domain colour. */
  gridColor: string;
  /** UI font family. */
  fontFamily: string;
  /** Colour used to outline sync waits. */
  alertColor: string;
  /** Colour of the step boundary rules. */
  stepColor: string;
  /** Colour of the device-idle bands. */
  idleColor: string;
}

/** Translated labels used inside the chart. */
export interface ITimelineLabels {
  /** X axis title. */
  time: string;
  /** Legend title. */
  work: string;
  /** Tooltip field titles. */
  name: string;
  lane: string;
  duration: string;
  slices: string;
  /** Tooltip value for a sync-wait highlight. */
  syncWait: string;
  /** Tooltip title of a step boundary. */
  step: string;
  /** Tooltip value of a device-idle band. */
  idleGap: string;
  /** Tooltip title of the device work that ended an idle gap. */
  next: string;
  /** Tooltip title of the operator that launched a slice. */
  launchedBy: string;
  /** Display names of work kinds. */
  workNames: Record<WorkKind, string>;
}

/** A time range to outline on a lane (finding evidence). */
export interface ITimelineHighlight {
  /** Lane label ('' = whole height). */
  lane: string;
  /** Start, µs. */
  start: number;
  /** End, µs. */
  end: number;
  /** What it is. Untrusted text. */
  name: string;
}

/**
 * Whether the timeline draws a lane as a row: every lane but a counter lane
 * without slices (counters are listed in their own table, not drawn).
 */
export function isTimelineRow(lane: ISummaryLane): boolean {
  return lane.kind !== 'counter' || lane.events > 0;
}

/**
 * Build the timeline spec.
 *
 * @param summary The profile summary.
 * @param theme Colours and font read from the page.
 * @param labels Translated strings.
 * @param highlights Ranges to outline (sync waits).
 * @param domainUs Visible time range, µs (null: the whole run).
 * @param idleGaps Device idle gaps to band across all lanes (no work queued yet).
 * @param workKinds Kinds of work to give colours and legend entries (default:
 *   those of the summary's marks). A live session passes all the kinds it can
 *   draw, so marks swapped in while zooming keep their colours.
 */
export function timelineSpec(
  summary: IProfileSummary,
  theme: ITimelineTheme,
  labels: ITimelineLabels,
  highlights: ITimelineHighlight[],
  domainUs: [number, number] | null = null,
  workKinds: readonly WorkKind[] | null = null,
  idleGaps: readonly ITimelineHighlight[] = []
): Record<string, unknown> {
  const laneNames = uniqueLaneNames(summary.lanes.map(l => l.label));
  const rows = summary.lanes.map(isTimelineRow);
  const rowNames = laneNames.filter((_, i) => rows[i]);
  const [fromUs, toUs] = domainUs ?? [0, summary.spanUs];
  // Widen by the visible range, so tiny marks stay visible when zoomed out and exact when zoomed in.
  const minWidthUs = (toUs - fromUs) * MIN_MARK_SHARE_OF_SPAN;
  const kindsPresent = new Set<WorkKind>(workKinds ?? summary.marks.map(m => m.work));
  for (const m of summary.marks) {
    kindsPresent.add(m.work);
  }
  const values = timelineRows(summary.marks, laneNames, labels.workNames, minWidthUs);
  const kinds = (Object.keys(WORK_COLORS) as WorkKind[]).filter(k =>
    kindsPresent.has(k)
  );
  // Highlights name lanes by label; a repeated label means its first lane.
  const labelToName = new Map<string, string>();
  summary.lanes.forEach((l, i) => {
    if (!labelToName.has(l.label)) {
      labelToName.set(l.label, laneNames[i]);
    }
  });
  const marksOfHighlights = highlights
    .filter(h => h.lane === '' || labelToName.has(h.lane))
    .map(h => ({
      lane: labelToName.get(h.lane) ?? '',
      start: h.start / 1000,
      end: Math.max(h.end, h.start + minWidthUs) / 1000,
      dur: (h.end - h.start) / 1000,
      name: h.name,
      what: labels.syncWait
    }));
  const height = Math.max(1, rowNames.length) * LANE_ROW_PX;
  const x = {
    field: 'start',
    type: 'quantitative',
    title: labels.time,
    scale: { domain: [fromUs / 1000, toUs / 1000], nice: false, zero: false }
  };
  const y = {
    field: 'lane',
    type: 'nominal',
    sort: rowNames,
    title: null,
    scale: { domain: rowNames },
    axis: { labelLimit: 240 }
  };
  const layers: Record<string, unknown>[] = [
    {
      params: [
        {
          name: 'zoom',
          select: { type: 'interval', encodings: ['x'] },
          bind: 'scales'
        }
      ],
      // The tooltip as an expression, not an encoding: an encoded field a mark lacks would
      // read "undefined", and only device work has an operator that launched it.
      mark: { type: 'bar', cornerRadius: 1, tooltip: { expr: Private.markTooltip(labels) } },
      encoding: {
        x,
        x2: { field: 'end' },
        y,
        color: {
          field: 'work',
          type: 'nominal',
          title: labels.work,
          // A bottom legend is one row unless told to wrap; a row this long is clipped.
          legend: { orient: 'bottom', direction: 'horizontal', columns: LEGEND_COLUMNS },
          scale: {
            domain: kinds.map(k => labels.workNames[k]),
            range: kinds.map(k => WORK_COLORS[k])
          }
        },
        // A merged mark that was half idle looks half as solid: the overview does not
        // pretend a lane was busy through the gaps it merged.
        opacity: {
          field: 'busy',
          type: 'quantitative',
          scale: { domain: [0, 1], range: [MIN_MARK_OPACITY, 1] },
          legend: null
        }
      }
    }
  ];
  if (idleGaps.length > 0) {
    // Device idle while no work was queued yet: a band across all lanes, so the
    // host work that should have fed the device lines up with the gap.
    layers.push({
      data: {
        values: idleGaps.map(g => ({
          start: g.start / 1000,
          end: Math.max(g.end, g.start + minWidthUs) / 1000,
          dur: (g.end - g.start) / 1000,
          what: labels.idleGap,
          next: g.name
        }))
      },
      mark: { type: 'rect', color: theme.idleColor, opacity: IDLE_BAND_OPACITY },
      encoding: {
        x,
        x2: { field: 'end' },
        tooltip: [
          { field: 'what', title: labels.name },
          { field: 'dur', title: labels.duration, format: ',.3f' },
          { field: 'next', title: labels.next }
        ]
      }
    });
  }
  if (marksOfHighlights.length > 0) {
    layers.push({
      data: { values: marksOfHighlights },
      mark: {
        type: 'bar',
        filled: false,
        stroke: theme.alertColor,
        strokeWidth: 2
      },
      encoding: {
        x,
        x2: { field: 'end' },
        y,
        tooltip: [
          { field: 'what', title: labels.name },
          { field: 'name', title: labels.lane },
          { field: 'dur', title: labels.duration, format: ',.3f' }
        ]
      }
    });
  }
  // A line above the first lane of each group (host / dispatch / device /
  // communication / other), so the groups read as blocks, as in MindStudio Insight.
  const shownLanes = summary.lanes.filter((_, i) => rows[i]);
  const groupStarts = shownLanes
    .map((l, i) => ({ lane: rowNames[i], first: i > 0 && shownLanes[i - 1].kind !== l.kind }))
    .filter(g => g.first);
  if (groupStarts.length > 0) {
    layers.push({
      data: { values: groupStarts.map(g => ({ lane: g.lane })) },
      mark: { type: 'rule', color: theme.gridColor, strokeWidth: 1.5 },
      encoding: { y: { ...y, bandPosition: 0 } }
    });
  }
  if (summary.steps.length > 0 && summary.steps.length <= MAX_STEP_RULES) {
    layers.push({
      data: {
        values: summary.steps.map(step => ({
          start: step.start / 1000,
          name: step.name,
          dur: step.dur / 1000
        }))
      },
      mark: { type: 'rule', strokeDash: [4, 3], color: theme.stepColor },
      encoding: {
        x: { ...x },
        tooltip: [
          { field: 'name', title: labels.step },
          { field: 'dur', title: labels.duration, format: ',.3f' }
        ]
      }
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 'container',
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    background: 'transparent',
    data: { name: TIMELINE_DATASET, values },
    layer: layers,
    config: {
      font: theme.fontFamily,
      view: { stroke: theme.gridColor },
      axis: {
        labelColor: theme.textColor,
        titleColor: theme.textColor,
        gridColor: theme.gridColor,
        domainColor: theme.gridColor,
        tickColor: theme.gridColor
      },
      legend: { labelColor: theme.textColor, titleColor: theme.textColor }
    }
  };
}

/** Make lane labels unique (Vega keys rows by label) by numbering repeats. */
export function uniqueLaneNames(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map(label => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label} #${n}`;
  });
}

namespace Private {
  /**
   * The Vega expression of a timeline mark's tooltip: name, lane, duration
   * and slices, and the operator that launched it only where the row has one.
   * The titles are our translated labels, written as JSON string literals.
   */
  export function markTooltip(labels: ITimelineLabels): string {
    const entries = [
      `${JSON.stringify(labels.name)}: datum.name`,
      `${JSON.stringify(labels.lane)}: datum.lane`,
      `${JSON.stringify(labels.duration)}: format(datum.dur, ',.3f')`,
      `${JSON.stringify(labels.slices)}: datum.count`
    ];
    const withOperator = [...entries, `${JSON.stringify(labels.launchedBy)}: datum.launchedBy`];
    return `isValid(datum.launchedBy) ? {${withOperator.join(', ')}} : {${entries.join(', ')}}`;
  }
}
