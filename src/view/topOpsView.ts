/**
 * Top operators by host time, kernels by device time, and operators by the
 * device time of the work they launched, as small tables.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IOpTotal } from '../analysis/summary';
import { el } from './dom';
import { formatUs } from './format';

/** Build the tables (a table is left out when it has no rows). */
export function renderTopOps(
  topOps: { host: IOpTotal[]; device: IOpTotal[]; byOperator?: IOpTotal[] },
  trans: TranslationBundle
): HTMLElement {
  const root = el('div', 'jp-AscendProfiler-topOps');
  const table = (caption: string, rows: IOpTotal[], countHeader = trans.__('calls')): void => {
    if (rows.length === 0) {
      return;
    }
    const t = el('table', 'jp-AscendProfiler-opsTable');
    t.appendChild(el('caption', '', caption));
    const head = el('tr', '');
    for (const h of [trans.__('name'), countHeader, trans.__('total')]) {
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
  table(
    trans.__('Device time by the operator that launched it'),
    topOps.byOperator ?? [],
    trans.__('device tasks')
  );
  return root;
}
