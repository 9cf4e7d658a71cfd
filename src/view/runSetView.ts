/**
 * The runs of a folder side by side (`analysis/runSet.ts`): one row per run
 * or rank with its per-step times and top problem, the slow one marked, the
 * verdict in words above, and on each row the buttons that open the run in
 * its own tab or compare it with the one shown. Thin: all numbers come from
 * the overview; all text is set as text.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { COMPONENTS, type IRunSetOverview } from '../analysis/runSet';
import { el } from './dom';
import { formatUs } from './format';
import { componentNames, describeRunSet } from './runSetText';
import { describeFinding } from './wording';

/** What the table's buttons do. */
export interface IRunSetActions {
  /** Row of the run the tab shows (no buttons on it); -1 when none. */
  shownRow: number;
  /** Open the run of a row in its own tab. */
  onOpen: (row: number) => void;
  /** Compare the run of a row with the run shown. */
  onCompare: (row: number) => void;
}

/**
 * Build the section: the verdict, then the table.
 *
 * @param overview The runs side by side.
 * @param failures Runs that could not be read: their label and why, listed below the table.
 * @param actions The run shown here, and what Open and Compare on a row do.
 * @param trans For the user-visible strings.
 */
export function renderRunSet(
  overview: IRunSetOverview,
  failures: { label: string; reason: string }[],
  actions: IRunSetActions,
  trans: TranslationBundle
): HTMLElement {
  const root = el('div', 'jp-AscendProfiler-runSet');
  root.appendChild(el('p', 'jp-AscendProfiler-runSetVerdict', describeRunSet(overview, trans)));
  const names = componentNames(trans);
  // Columns no run has (copies on CPU runs, compile off Ascend) say nothing.
  const shown = COMPONENTS.filter(c => overview.rows.some(r => r.times[c] > 0));
  const ranks = overview.kind === 'ranks';
  // One device for all says nothing per row; the verdict says when they differ.
  const devices = new Set(overview.rows.map(r => r.device || r.backend)).size > 1;
  const table = el('table', 'jp-AscendProfiler-opsTable jp-AscendProfiler-runSetTable');
  table.appendChild(
    el('caption', '', trans.__('Times per step (the step itself: its median).'))
  );
  const head = el('tr', '');
  const headings = [
    trans.__('Run'),
    ...(ranks ? [trans.__('Rank')] : []),
    '',
    ...(devices ? [trans.__('Device')] : []),
    ...shown.map(c => names[c]),
    trans.__('Top problem')
  ];
  for (const h of headings) {
    head.appendChild(el('th', '', h));
  }
  table.appendChild(head);
  overview.rows.forEach((row, i) => {
    const tr = el('tr', '');
    tr.dataset.label = row.label;
    if (i === overview.verdict.row) {
      tr.classList.add('jp-mod-slow');
    }
    const label = el('td', 'jp-AscendProfiler-opName', row.label);
    label.title = row.label;
    if (i === overview.verdict.row) {
      label.appendChild(el('span', 'jp-AscendProfiler-slowBadge', trans.__('slow')));
    }
    tr.appendChild(label);
    if (ranks) {
      tr.appendChild(el('td', 'jp-AscendProfiler-num', row.rank ?? ''));
    }
    // Beside the name, so they stay in view when the table is wider than the tab.
    const buttons = el('td', 'jp-AscendProfiler-runSetButtons');
    if (i === actions.shownRow) {
      buttons.appendChild(el('span', 'jp-AscendProfiler-hint', trans.__('shown here')));
    } else {
      const open = el('button', 'jp-Button jp-mod-styled jp-mod-reject', trans.__('Open')) as HTMLButtonElement;
      open.title = trans.__('Open %1 in its own tab', row.label);
      open.addEventListener('click', () => actions.onOpen(i));
      const compare = el('button', 'jp-Button jp-mod-styled jp-mod-reject', trans.__('Compare')) as HTMLButtonElement;
      compare.title = trans.__('Compare %1 with the run shown here', row.label);
      compare.addEventListener('click', () => actions.onCompare(i));
      buttons.append(open, compare);
    }
    tr.appendChild(buttons);
    if (devices) {
      tr.appendChild(el('td', '', row.device || row.backend));
    }
    for (const c of shown) {
      const td = el('td', 'jp-AscendProfiler-num', formatUs(row.times[c]));
      // The component the verdict names, on the two rows it compares.
      if (c === overview.verdict.component && (i === overview.verdict.row || i === overview.verdict.fastRow)) {
        td.classList.add('jp-mod-named');
      }
      tr.appendChild(td);
    }
    tr.appendChild(
      el(
        'td',
        'jp-AscendProfiler-runSetProblem',
        row.topProblem ? describeFinding(row.topProblem, trans).title : trans.__('none found')
      )
    );
    table.appendChild(tr);
  });
  root.appendChild(table);
  for (const failure of failures) {
    root.appendChild(
      el('div', 'jp-AscendProfiler-note', trans.__('%1 could not be read: %2', failure.label, failure.reason))
    );
  }
  return root;
}
