/**
 * The words of the runs-side-by-side table (`analysis/runSet.ts`): column
 * names, the name of a run, and the sentence that says which run is slow and
 * in what. Shared by the view and the CLI, which passes a plain bundle.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Component, IRunSetOverview, IRunSetRow } from '../analysis/runSet';
import { formatShare, formatUs } from './format';

/** Column headings of the components, in `COMPONENTS` order. */
export function componentNames(trans: TranslationBundle): Record<Component, string> {
  return {
    step: trans.__('Step (median)'),
    compute: trans.__('Compute'),
    comm: trans.__('Communication'),
    copy: trans.__('Copies'),
    idle: trans.__('Device idle'),
    syncWait: trans.__('Host waits'),
    compile: trans.__('Compile')
  };
}

/** A run as the sentences name it: "rank 2 (rank2_ascend_pt)" for ranks, else its label. */
export function runName(row: IRunSetRow, overview: IRunSetOverview, trans: TranslationBundle): string {
  return overview.kind === 'ranks' && row.rank !== null
    ? trans.__('rank %1 (%2)', row.rank, row.label)
    : row.label;
}

/**
 * The verdict as one or two sentences, plain text (labels are untrusted
 * text: the caller sets it as text, never as HTML).
 */
export function describeRunSet(overview: IRunSetOverview, trans: TranslationBundle): string {
  const v = overview.verdict;
  const names = componentNames(trans);
  const parts: string[] = [];
  const slow = v.row >= 0 ? runName(overview.rows[v.row], overview, trans) : '';
  const fast = v.fastRow >= 0 ? runName(overview.rows[v.fastRow], overview, trans) : '';
  const share = v.excessShare === null ? '' : trans.__(' (+%1)', formatShare(v.excessShare));
  switch (v.kind) {
    case 'slow-rank':
      parts.push(
        trans.__(
          '%1 is the slow rank: it computes %2%3 longer per step than %4, and the other ranks wait for it in communication. Open it to see what its device does.',
          slow,
          formatUs(v.excessUs),
          share,
          fast
        )
      );
      break;
    case 'unbalanced':
      parts.push(
        v.component === 'comm' || v.component === 'copy'
          ? trans.__(
              'Compute is balanced, but %1 spends %2%3 more per step in %4 than %5: a slow link or a late collective.',
              slow,
              formatUs(v.excessUs),
              share,
              names[v.component!].toLowerCase(),
              fast
            )
          : trans.__(
              'Compute is balanced, but %1 has %2%3 more %4 per step than %5: its host is slower; see its checklist.',
              slow,
              formatUs(v.excessUs),
              share,
              names[v.component!].toLowerCase(),
              fast
            )
      );
      break;
    case 'slowest-run':
      parts.push(
        v.component === null
          ? trans.__('%1 is the slowest: its step is %2%3 longer than %4’s.', slow, formatUs(v.excessUs), share, fast)
          : trans.__(
              '%1 is the slowest: its step is %2%3 longer than %4’s; of the device’s time per step, %5 grew most (+%6).',
              slow,
              formatUs(v.excessUs),
              share,
              fast,
              names[v.component].toLowerCase(),
              formatUs(v.componentUs)
            )
      );
      break;
    default:
      parts.push(
        overview.rows.length < 2
          ? trans.__('Only %1 could be read: there is nothing to compare it with.', overview.rows.length ? runName(overview.rows[0], overview, trans) : '–')
          : overview.kind === 'ranks'
            ? trans.__(
                'The ranks are balanced: their compute differs by less than 5 %, and no other part of their time by more than 5 % of a step.'
              )
            : trans.__('The runs take about as long: their steps differ by less than 5 %.')
      );
  }
  if (overview.withoutSteps.length > 0 && overview.withoutSteps.length < overview.rows.length) {
    parts.push(
      trans.__(
        '%1 recorded no profiler step: its whole trace counts as one step.',
        overview.withoutSteps.join(', ')
      )
    );
  }
  if (overview.worldSize !== null) {
    parts.push(
      trans.__('%1 of the job’s %2 ranks were read.', String(overview.rows.length), String(overview.worldSize))
    );
  }
  if (overview.mixedBackends) {
    parts.push(trans.__('The runs used different devices: their device figures differ in kind.'));
  }
  return parts.join(' ');
}
