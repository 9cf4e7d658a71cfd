/**
 * Top operators by host time and kernels by device time, as two small tables.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IOpTotal } from '../analysis/summary';
import { el } from './dom';
import { formatUs } from './format';

/** Build the two tables (a table is left out when it has no rows). */
export function renderTopOps(
  topOps: { host: IOpTotal[]; device: IOpTotal[] },
  trans: TranslationBundle
): HTMLElement {
  const root = el('div', 'jp-AscendProfiler-topOps');
  const table = (caption: string, rows: IOpTotal[]): void => {
    if (rows.length === 0) {
      return;
    }
    const t = el('table', 'jp-AscendProfiler-opsTable');
    t.appendChild(el('caption', '', caption));
    const head = el('tr', '');
    for (const h of [trans.__('name'), trans.__('calls'), trans.__('total')]) {
      head.appendChild(el('th', '', h));
    }
    t.appendChild(head);
    for (const row of rows) {
      const tr = el('tr', '');
      const name = el('td', 'jp-AscendProfiler-opName', row.name);
      name.title = row.name;
      tr.appendChild(name);
      tr.appendChild(el('td', 'jp-AscendProfiler-num', String(row.count)));
      tr.appendChild(el('td', 'jp-AscendProfiler-num', formatUs(row.totalUs)));
      t.appendChild(tr);
    }
    root.appendChild(t);
  };
  table(trans.__('Top operators by host time'), topOps.host);
  table(trans.__('Top device work by time'), topOps.device);
  return root;
}
