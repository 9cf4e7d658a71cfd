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

/** A counter value, short: 1800, 2163513, 12.35, 0.0001235. */
export function formatCounterValue(value: number): string {
  if (Math.abs(value) >= WHOLE_FROM) {
    return String(Math.round(value));
  }
  return String(Number(value.toPrecision(VALUE_DIGITS)));
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
    trans.__('samples')
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
    table.appendChild(row);
  }
  details.appendChild(table);
  return details;
}
