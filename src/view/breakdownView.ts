/**
 * The time breakdown: one stacked bar of the device's time (compute,
 * communication, copies, idle) and one line of the host's waits.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ITimeBreakdown } from '../analysis/timeBreakdown';
import { el } from './dom';
import { formatShare, formatUs } from './format';

/** Bucket → CSS modifier, in display order. */
const DEVICE_BUCKETS = ['compute', 'comm', 'copy', 'idle'] as const;

/** Build the breakdown element. */
export function renderBreakdown(
  breakdown: ITimeBreakdown,
  hasDevice: boolean,
  trans: TranslationBundle
): HTMLElement {
  const root = el('div', 'jp-AscendProfiler-breakdown');
  const span = breakdown.spanUs > 0 ? breakdown.spanUs : 1;
  if (hasDevice) {
    const names: Record<(typeof DEVICE_BUCKETS)[number], string> = {
      compute: trans.__('device compute'),
      comm: trans.__('communication'),
      copy: trans.__('copies'),
      idle: trans.__('device idle')
    };
    const values: Record<(typeof DEVICE_BUCKETS)[number], number> = {
      compute: breakdown.computeUs,
      comm: breakdown.commUs,
      copy: breakdown.copyUs,
      idle: breakdown.idleUs
    };
    const bar = el('div', 'jp-AscendProfiler-bar');
    bar.setAttribute('role', 'img');
    const legend = el('div', 'jp-AscendProfiler-barLegend');
    const described: string[] = [];
    for (const bucket of DEVICE_BUCKETS) {
      const share = values[bucket] / span;
      const text = trans.__('%1 %2 (%3)', names[bucket], formatUs(values[bucket]), formatShare(share));
      described.push(text);
      if (share > 0) {
        const part = el('div', `jp-AscendProfiler-barPart jp-mod-${bucket}`);
        part.style.width = `${(share * 100).toFixed(3)}%`;
        part.title = text;
        bar.appendChild(part);
      }
      const key = el('span', 'jp-AscendProfiler-barKey');
      key.appendChild(el('span', `jp-AscendProfiler-swatch jp-mod-${bucket}`));
      key.appendChild(document.createTextNode(text));
      legend.appendChild(key);
    }
    bar.setAttribute('aria-label', described.join('; '));
    root.appendChild(bar);
    root.appendChild(legend);
    const causes = breakdown.idleCauses;
    if (causes) {
      root.appendChild(
        el(
          'div',
          'jp-AscendProfiler-idleCauses',
          trans.__(
            'Device idle within the %1 (%2): %3 no work queued yet, %4 draining host syncs, %5 between back-to-back kernels, %6 other.',
            causes.windowSource === 'steps' ? trans.__('profiled steps') : trans.__('device activity'),
            formatUs(causes.windowUs),
            formatUs(causes.dispatchUs),
            formatUs(causes.syncUs),
            formatUs(causes.kernelGapUs),
            formatUs(causes.otherUs)
          )
        )
      );
    }
  }
  // Online compilation only exists on Ascend; a "0 µs" there would be noise elsewhere.
  const host = el(
    'div',
    'jp-AscendProfiler-hostTimes',
    breakdown.compileUs > 0
      ? trans.__(
          'Host: waited for the device %1 (%2), compiled operators online %3.',
          formatUs(breakdown.syncWaitUs),
          formatShare(breakdown.syncWaitUs / span),
          formatUs(breakdown.compileUs)
        )
      : trans.__(
          'Host: waited for the device %1 (%2).',
          formatUs(breakdown.syncWaitUs),
          formatShare(breakdown.syncWaitUs / span)
        )
  );
  root.appendChild(host);
  return root;
}
