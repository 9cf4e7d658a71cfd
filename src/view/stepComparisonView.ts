/**
 * Steps side by side: each step of the earlier run above the same step of this
 * run, both drawn from the step's start on one shared time axis, so a longer
 * step is a longer strip and an idle stretch shows where it happens (the NPU
 * step that idles while the host dispatches, next to the GPU step that does not).
 *
 * Steps pair in order: the k-th step of one profile with the k-th of the other
 * (with the profiling cell's recorded runs, step k is run k of the cell).
 * Drawn as plain DOM strips of the bins of `stepActivity`, coloured like the
 * time breakdown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IProfileSnapshot } from '../analysis/compare';
import {
  IDLE_CODE,
  STEP_WORK_CODES,
  type IStepActivity,
  type StepWork
} from '../analysis/stepActivity';
import type { ISideNames } from './comparisonView';
import { el } from './dom';
import { formatShare, formatUs } from './format';

/** Least opacity of a bin with any work, so a lightly used bin still shows. */
const MIN_BIN_OPACITY = 0.3;

/**
 * The per-step comparison of two snapshots, or null when either has no step activity (snapshots
 * saved before it existed).
 *
 * @param before - the profile compared with.
 * @param after - the profile this view shows.
 * @param sides - how the two are named.
 */
export function renderStepComparison(
  before: IProfileSnapshot,
  after: IProfileSnapshot,
  sides: ISideNames,
  trans: TranslationBundle
): HTMLElement | null {
  const a = before.steps ?? [];
  const b = after.steps ?? [];
  const pairs = Math.min(a.length, b.length);
  if (pairs === 0) {
    return null;
  }
  const shown = [...a.slice(0, pairs), ...b.slice(0, pairs)];
  const maxUs = Math.max(...shown.map(s => s.durUs));
  const root = el('div', 'jp-AscendProfiler-stepCompare');
  root.appendChild(
    el('div', 'jp-AscendProfiler-sectionTitle', trans.__('Steps side by side, from each step’s start'))
  );
  root.appendChild(el('div', 'jp-AscendProfiler-hint', Private.medianLine(a, b, pairs, sides, trans)));

  const grid = el('div', 'jp-AscendProfiler-stepGrid');
  const names = Private.workNames(trans);
  for (let k = 0; k < pairs; k++) {
    const label = el('div', 'jp-AscendProfiler-stepLabel', trans.__('step %1', String(k + 1)));
    label.title = [a[k].name, b[k].name].filter(n => n !== '').join(' / ');
    label.style.gridRow = 'span 2';
    grid.appendChild(label);
    for (const [run, step, which] of [
      [before, a[k], 'before'],
      [after, b[k], 'after']
    ] as const) {
      const runLabel = el(
        'div',
        'jp-AscendProfiler-stepRun',
        trans.__('%1 (%2)', sides[which], run.backend)
      );
      grid.appendChild(runLabel);
      grid.appendChild(Private.strip(step, maxUs, which, names, trans));
      grid.appendChild(el('div', 'jp-AscendProfiler-num', formatUs(step.durUs)));
    }
  }
  // The axis sits in the strips' column.
  grid.appendChild(el('div', ''));
  grid.appendChild(el('div', ''));
  grid.appendChild(Private.axis(maxUs));
  grid.appendChild(el('div', ''));
  root.appendChild(grid);
  const used = new Set(shown.flatMap(s => [...s.work]));
  root.appendChild(Private.legend(names, used));
  return root;
}

namespace Private {
  /** Work code → (CSS modifier, name). */
  export type WorkNames = Map<string, { modifier: string; name: string }>;

  /** What each bin character means, in the words of the time breakdown. */
  export function workNames(trans: TranslationBundle): WorkNames {
    const words: Record<StepWork, string> = {
      compute: trans.__('device compute'),
      comm: trans.__('communication'),
      copy: trans.__('copies'),
      host: trans.__('CPU operators')
    };
    const names: WorkNames = new Map();
    for (const [work, code] of Object.entries(STEP_WORK_CODES)) {
      names.set(code, { modifier: work, name: words[work as StepWork] });
    }
    names.set(IDLE_CODE, { modifier: 'idle', name: trans.__('idle') });
    return names;
  }

  /** "Median step: 520 ms (before), 812 ms (now), +56 %." */
  export function medianLine(
    a: IStepActivity[],
    b: IStepActivity[],
    pairs: number,
    sides: ISideNames,
    trans: TranslationBundle
  ): string {
    const median = (steps: IStepActivity[]) => {
      const d = steps
        .slice(0, pairs)
        .map(s => s.durUs)
        .sort((x, y) => x - y);
      return d.length % 2 ? d[(d.length - 1) / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
    };
    const m0 = median(a);
    const m1 = median(b);
    const sign = m1 >= m0 ? '+' : '−';
    const change = m0 > 0 ? `, ${sign}${formatShare(Math.abs(m1 - m0) / m0)}` : '';
    return trans.__(
      'Median step: %1 (%2), %3 (%4)%5. Steps are paired in order (with several recorded runs of a cell, step k is run k).',
      formatUs(m0),
      sides.before,
      formatUs(m1),
      sides.after,
      change
    );
  }

  /** One step as a strip of bins, as wide as its duration against the longest step. */
  export function strip(
    step: IStepActivity,
    maxUs: number,
    which: 'before' | 'after',
    names: WorkNames,
    trans: TranslationBundle
  ): HTMLElement {
    const track = el('div', 'jp-AscendProfiler-stepTrack');
    const bar = el('div', 'jp-AscendProfiler-stepStrip');
    bar.dataset.run = which;
    bar.style.width = `${((step.durUs / maxUs) * 100).toFixed(3)}%`;
    bar.setAttribute('role', 'img');
    bar.setAttribute(
      'aria-label',
      trans.__(
        '%1, busy %2 of %3',
        step.name || trans.__('whole trace'),
        formatShare(step.busyUs / step.durUs),
        formatUs(step.durUs)
      )
    );
    const binUs = step.durUs / step.work.length;
    for (let i = 0; i < step.work.length; i++) {
      const meaning = names.get(step.work[i]) ?? names.get(IDLE_CODE)!;
      const bin = el('div', `jp-AscendProfiler-stepBin jp-mod-${meaning.modifier}`);
      const digit = Number(step.busy[i] ?? '0');
      if (step.work[i] !== IDLE_CODE) {
        bin.style.opacity = String(MIN_BIN_OPACITY + ((1 - MIN_BIN_OPACITY) * digit) / 9);
      }
      bin.title = trans.__(
        '%1 to %2: %3, busy %4',
        formatUs(i * binUs),
        formatUs((i + 1) * binUs),
        meaning.name,
        formatShare(digit / 9)
      );
      bar.appendChild(bin);
    }
    track.appendChild(bar);
    return track;
  }

  /** The shared time axis under the strips: 0, half and the longest step. */
  export function axis(maxUs: number): HTMLElement {
    const axis = el('div', 'jp-AscendProfiler-stepAxis');
    for (const share of [0, 0.5, 1]) {
      const tick = el('span', 'jp-AscendProfiler-stepTick', share === 0 ? '0' : formatUs(maxUs * share));
      tick.style.left = `${share * 100}%`;
      axis.appendChild(tick);
    }
    return axis;
  }

  /** Swatches for the kinds of work that occur (`used`: bin codes). */
  export function legend(names: WorkNames, used: Set<string>): HTMLElement {
    const legend = el('div', 'jp-AscendProfiler-barLegend');
    for (const [code, { modifier, name }] of names) {
      if (!used.has(code)) {
        continue;
      }
      const key = el('span', 'jp-AscendProfiler-barKey');
      key.appendChild(el('span', `jp-AscendProfiler-swatch jp-mod-${modifier}`));
      key.appendChild(document.createTextNode(name));
      legend.appendChild(key);
    }
    return legend;
  }
}
