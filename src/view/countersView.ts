/**
 * The counter series of a trace (Ascend's AI Core Freq, HBM, LLC, NPU MEM...)
 * as one table, folded under a line that says how many there are.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ICounterSummary } from '../analysis/summary';
import { el } from './dom';

/** Significant digits of the values below {@link WHOLE_FROM}. */
const VALUE_DIGITS = 4;

/** From this size on, values are shown whole (memory in KB, bandwidth in MB/s). */
const WHOLE_FROM = 1000;

/** Size of a sparkline, px. */
const SPARK_WIDTH = 128;
const SPARK_HEIGHT = 16;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A series whose range is below this share of its size is drawn flat. */
const FLAT_SHARE = 1e-9;

/** A counter value, short: 1800, 2163513, 12.35, 0.0001235. */
export function formatCounterValue(value: number): string {
  if (Math.abs(value) >= WHOLE_FROM) {
    return String(Math.round(value));
  }
  return String(Number(value.toPrecision(VALUE_DIGITS)));
}

/**
 * The `points` attribute of a sparkline of `shape` (null: no value yet),
 * scaled to its own range; one polyline per stretch without a gap. A flat
 * series is a line across the middle.
 */
export function sparklinePoints(shape: readonly (number | null)[], width: number, height: number): string[] {
  const known = shape.filter((v): v is number => v !== null);
  if (known.length === 0) {
    return [];
  }
  const low = Math.min(...known);
  const high = Math.max(...known);
  // Means of equal values can differ in their last bits: that is flat too.
  const flat = high - low <= FLAT_SHARE * Math.max(Math.abs(high), Math.abs(low));
  const y = (v: number) => (flat ? height / 2 : height - 1 - ((v - low) / (high - low)) * (height - 2));
  const step = width / shape.length;
  const lines: string[] = [];
  let line: string[] = [];
  shape.forEach((v, k) => {
    if (v === null) {
      if (line.length > 0) {
        lines.push(line.join(' '));
      }
      line = [];
      return;
    }
    // A step: the part's value from its left edge to its right edge.
    line.push(`${(k * step).toFixed(1)},${y(v).toFixed(1)}`, `${((k + 1) * step).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (line.length > 0) {
    lines.push(line.join(' '));
  }
  return lines;
}

/** An inline SVG sparkline of a series' shape (built as elements, no markup). */
function sparkline(shape: readonly (number | null)[]): SVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'jp-AscendProfiler-sparkline');
  svg.setAttribute('width', String(SPARK_WIDTH));
  svg.setAttribute('height', String(SPARK_HEIGHT));
  svg.setAttribute('viewBox', `0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`);
  svg.setAttribute('aria-hidden', 'true');
  for (const points of sparklinePoints(shape, SPARK_WIDTH, SPARK_HEIGHT)) {
    const line = document.createElementNS(SVG_NS, 'polyline');
    line.setAttribute('points', points);
    svg.appendChild(line);
  }
  return svg;
}

/** Build the folded table; one row per series, in lane order. */
export function renderCounters(counters: ICounterSummary[], trans: TranslationBundle): HTMLElement {
  const details = el('details', 'jp-AscendProfiler-checkGroup jp-AscendProfiler-counters');
  details.appendChild(
    el('summary', '', trans.__('%1 counter series: range and mean of each', String(counters.length)))
  );
  const table = el('table', 'jp-AscendProfiler-opsTable');
  const head = el('tr', '');
  for (const h of [
    trans.__('lane'),
    trans.__('counter'),
    trans.__('unit'),
    trans.__('min'),
    trans.__('mean'),
    trans.__('max'),
    trans.__('samples'),
    trans.__('over the run')
  ]) {
    head.appendChild(el('th', '', h));
  }
  table.appendChild(head);
  for (const c of counters) {
    const row = el('tr', '');
    row.appendChild(el('td', '', c.lane));
    const name = el('td', 'jp-AscendProfiler-opName', c.name);
    name.title = c.name;
    row.appendChild(name);
    row.appendChild(el('td', '', c.key));
    for (const value of [c.min, c.mean, c.max]) {
      row.appendChild(el('td', 'jp-AscendProfiler-num', formatCounterValue(value)));
    }
    row.appendChild(el('td', 'jp-AscendProfiler-num', String(c.samples)));
    const shape = el('td', '');
    if (c.shape) {
      shape.appendChild(sparkline(c.shape));
    }
    row.appendChild(shape);
    table.appendChild(row);
  }
  details.appendChild(table);
  return details;
}
