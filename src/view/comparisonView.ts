/**
 * The before/after table: this run against an earlier run of the same cell
 * (the previous complete one by default), or against any profile another cell
 * of the notebook keeps or another open trace, picked from a menu.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { compareSnapshots, type IProfileSnapshot } from '../analysis/compare';
import type { IOtherProfile } from '../tokens';
import { el } from './dom';
import { formatUs } from './format';
import { renderStepComparison } from './stepComparisonView';

/** Names of the two sides of a comparison, as the table heads and step rows show them. */
export interface ISideNames {
  /** The profile compared with ("before", "cell 3", a trace's path). */
  before: string;
  /** The profile this view shows ("now", "this cell", "this trace"). */
  after: string;
}

/** Options of {@link renderComparison}. */
export interface IComparisonOptions {
  /** Profiles kept elsewhere: the other cells of the notebook, the other open traces. */
  others?: IOtherProfile[];
  /** What `others` are, as the menu groups them. */
  othersTitle?: string;
  /** How this profile is named beside one kept elsewhere ("this cell", "this trace"). */
  selfLabel?: string;
  /** A profile picked before a redraw, picked again when it is still offered. */
  picked?: IProfileSnapshot | null;
  /** Called with the profile the user picks (null: none). */
  onPick?: (snapshot: IProfileSnapshot | null) => void;
}

/**
 * Build the comparison section, or null when there is nothing to compare with.
 *
 * The menu offers the earlier runs of this cell (newest first) and the profiles kept elsewhere:
 * by the other cells of the notebook (the same code on another device or with another setting
 * in another cell), or, in a trace tab, the other open traces. The latest earlier run that ran
 * to its end is shown at once (a run stopped by an exception or an interrupt measured only part
 * of the code); with no earlier run, nothing is compared until one is picked.
 *
 * @param history Runs of this cell, oldest first, including the current one.
 * @param currentStartedAt Start time of the run this view shows.
 */
export function renderComparison(
  history: IProfileSnapshot[],
  currentStartedAt: string,
  trans: TranslationBundle,
  options: IComparisonOptions = {}
): HTMLElement | null {
  const others = options.others ?? [];
  const othersTitle = options.othersTitle ?? trans.__('Other cells of this notebook');
  const selfLabel = options.selfLabel ?? trans.__('this cell');
  const current = history.find(h => h.startedAt === currentStartedAt);
  const earlier = history.filter(h => h.startedAt < currentStartedAt).reverse();
  if (!current || earlier.length + others.length === 0) {
    return null;
  }
  const root = el('div', 'jp-AscendProfiler-comparison');
  const pick = el('label', 'jp-AscendProfiler-compareWith', trans.__('Compare with'));
  const select = el('select', 'jp-mod-styled') as HTMLSelectElement;
  // Options are numbered: runs of different cells may share a start time.
  const choices: { snapshot: IProfileSnapshot; names: ISideNames }[] = [];
  const add = (parent: HTMLElement, snapshot: IProfileSnapshot, text: string, names: ISideNames) => {
    const option = document.createElement('option');
    option.value = String(choices.length);
    option.textContent = snapshot.partial ? trans.__('%1, stopped early', text) : text;
    choices.push({ snapshot, names });
    parent.appendChild(option);
  };
  const when = (run: IProfileSnapshot) => run.startedAt.replace('T', ' ');
  const none = document.createElement('option');
  none.value = '';
  none.textContent = trans.__('(pick a profile)');
  select.appendChild(none);
  const sameCell: ISideNames = { before: trans.__('before'), after: trans.__('now') };
  earlier.forEach((run, i) =>
    add(
      select,
      run,
      trans.__(
        '%1 run at %2 (%3)',
        i === 0 ? trans.__('previous') : trans.__('earlier'),
        when(run),
        run.backend
      ),
      sameCell
    )
  );
  const groups = new Map<string, HTMLOptGroupElement>();
  for (const { label, group, snapshot } of others) {
    const title = group ?? othersTitle;
    let parent = groups.get(title);
    if (!parent) {
      parent = document.createElement('optgroup');
      parent.label = title;
      groups.set(title, parent);
      select.appendChild(parent);
    }
    add(
      parent,
      snapshot,
      // A trace opened from a file has no run time.
      snapshot.startedAt
        ? trans.__('%1, run at %2 (%3)', label, when(snapshot), snapshot.backend)
        : trans.__('%1 (%2)', label, snapshot.backend),
      { before: label, after: selfLabel }
    );
  }
  const pickedAgain = choices.findIndex(c => Private.sameRun(c.snapshot, options.picked));
  const initial =
    pickedAgain >= 0
      ? pickedAgain
      : choices.findIndex(c => earlier.includes(c.snapshot) && !c.snapshot.partial);
  select.value = initial >= 0 ? String(initial) : '';
  pick.appendChild(select);
  root.appendChild(pick);
  const body = el('div', 'jp-AscendProfiler-comparisonBody');
  root.appendChild(body);
  const draw = (): void => {
    body.textContent = '';
    const chosen = select.value === '' ? undefined : choices[Number(select.value)];
    if (!chosen) {
      return;
    }
    body.appendChild(Private.table(chosen.snapshot, current, chosen.names, trans));
    const steps = renderStepComparison(chosen.snapshot, current, chosen.names, trans);
    if (steps) {
      body.appendChild(steps);
    }
  };
  select.addEventListener('change', () => {
    draw();
    options.onPick?.(select.value === '' ? null : choices[Number(select.value)].snapshot);
  });
  draw();
  return root;
}

namespace Private {
  /**
   * Whether two snapshots are the same run: the same object, or (snapshots read again from a
   * cell's metadata are new objects) the same start time and span.
   */
  export function sameRun(a: IProfileSnapshot, b: IProfileSnapshot | null | undefined): boolean {
    return (
      !!b && (a === b || (a.startedAt !== '' && a.startedAt === b.startedAt && a.spanUs === b.spanUs))
    );
  }

  /** The comparison table plus notes on settings and device changes. */
  export function table(
    before: IProfileSnapshot,
    after: IProfileSnapshot,
    sides: ISideNames,
    trans: TranslationBundle
  ): HTMLElement {
    const c = compareSnapshots(before, after);
    const wrap = el('div', '');
    const names: Record<string, string> = {
      wall: trans.__('wall time'),
      span: trans.__('trace span'),
      deviceBusy: trans.__('device busy'),
      deviceIdle: trans.__('device idle'),
      syncWait: trans.__('host waiting for the device'),
      compile: trans.__('online compile')
    };
    const t = el('table', 'jp-AscendProfiler-opsTable jp-AscendProfiler-compareTable');
    const head = el('tr', '');
    for (const h of [
      '',
      trans.__('%1 (%2)', sides.before, before.backend),
      trans.__('%1 (%2)', sides.after, after.backend),
      trans.__('change')
    ]) {
      head.appendChild(el('th', '', h));
    }
    t.appendChild(head);
    for (const row of c.rows) {
      const tr = el('tr', '');
      tr.dataset.metric = row.metric;
      tr.appendChild(el('td', '', names[row.metric] ?? row.metric));
      tr.appendChild(el('td', 'jp-AscendProfiler-num', formatUs(row.before)));
      tr.appendChild(el('td', 'jp-AscendProfiler-num', formatUs(row.after)));
      const change =
        row.deltaShare === null
          ? formatSigned(row.deltaUs)
          : `${formatSigned(row.deltaUs)} (${row.deltaShare > 0 ? '+' : ''}${(row.deltaShare * 100).toFixed(0)} %)`;
      const td = el('td', 'jp-AscendProfiler-num', row.deltaUs === 0 ? '–' : change);
      td.dataset.better = String(row.deltaUs < 0);
      tr.appendChild(td);
      t.appendChild(tr);
    }
    for (const op of c.opChanges) {
      const tr = el('tr', 'jp-AscendProfiler-opChange');
      const name = el(
        'td',
        'jp-AscendProfiler-opName',
        op.side === 'host' ? trans.__('host: %1', op.name) : trans.__('device: %1', op.name)
      );
      name.title = op.name;
      tr.appendChild(name);
      for (const value of [op.before, op.after]) {
        const td = el('td', 'jp-AscendProfiler-num', value === null ? '–' : formatUs(value));
        if (value === null) {
          td.title = trans.__('Not among the top operators of that run: less time, or did not run');
        }
        tr.appendChild(td);
      }
      tr.appendChild(
        el(
          'td',
          'jp-AscendProfiler-num',
          op.before === null || op.after === null ? '–' : formatSigned(op.after - op.before)
        )
      );
      t.appendChild(tr);
    }
    wrap.appendChild(t);
    const env = Object.entries(c.envChanges);
    const profiler = Object.entries(c.profilerChanges);
    const hints = [
      env.length > 0 ? trans.__('Settings changed: %1', changesText(env, trans)) : '',
      profiler.length > 0
        ? trans.__(
            'The two runs were profiled differently, so their numbers are not measured the same way: %1',
            changesText(profiler, trans)
          )
        : ''
    ];
    for (const hint of hints.filter(h => h !== '')) {
      wrap.appendChild(el('div', 'jp-AscendProfiler-hint', hint));
    }
    if (c.crossDevice) {
      wrap.appendChild(
        el(
          'div',
          'jp-AscendProfiler-hint',
          Number.isFinite(before.wallUs) && Number.isFinite(after.wallUs)
            ? trans.__(
                'The two runs used different devices (%1 and %2): compare wall times; device figures differ in kind.',
                before.backend,
                after.backend
              )
            : trans.__(
                'The two runs used different devices (%1 and %2): compare the step times; device figures differ in kind. A trace file does not record the wall time of the code.',
                before.backend,
                after.backend
              )
        )
      );
    }
    return wrap;
  }

  /** "NAME: before → after; …", '' read as unset. */
  function changesText(changes: [string, [string, string]][], trans: TranslationBundle): string {
    return changes
      .map(([k, [b, a]]) => `${k}: ${b || trans.__('unset')} → ${a || trans.__('unset')}`)
      .join('; ');
  }

  /** A signed duration: "+1.20 ms", "-880 µs". */
  function formatSigned(us: number): string {
    return `${us > 0 ? '+' : us < 0 ? '−' : ''}${formatUs(Math.abs(us))}`;
  }
}
