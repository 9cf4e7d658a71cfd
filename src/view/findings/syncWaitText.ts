/**
 * Words of the `sync-wait` findings (src/analysis/rules/syncWait.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `sync-wait` finding. */
export function syncWaitText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (finding.variant) {
    case 'waits':
      return {
        title: trans.__(
          'The host waited %1 for the device (%2 of the run)',
          formatUs(num('waitUs')),
          formatShare(num('spanShare'))
        ),
        detail:
          trans.__(
            '%1 took %2, of which the host spent %3 blocked in %4 while the device finished work queued earlier (%5 device operations, mostly %6 for %7).',
            str('topCall') || str('topSync'),
            formatUs(num('topCallUs')),
            formatUs(num('topWaitUs')),
            str('topSync'),
            String(num('deviceOps')),
            str('waitedFor'),
            formatUs(num('waitedForUs'))
          ) +
          ' ' +
          (str('launchedBy')
            ? trans.__(
                'Of that device work, %1 was launched by %2, the operator to look at first.',
                formatUs(num('launchedByUs')),
                str('launchedBy')
              ) + ' '
            : '') +
          (num('copyUs') > 0
            ? trans.__(
                'The copies themselves took %1 over %2 blocking calls.',
                formatUs(num('copyUs')),
                String(num('calls'))
              )
            : trans.__(
                'Over %1 blocking calls, no device copy of note was linked to them.',
                String(num('calls'))
              )) +
          ' ' +
          trans.__(
            'The call is not slow; the device work before it is: make that work faster, or give the host other work while the device runs.'
          ),
        after: trans.__(
          'After a fix that speeds up the device work, the same call waits less: profile again and compare the wait.'
        )
      };
    case 'none':
      return {
        title: trans.__('No host call waited long on the device'),
        detail: trans.__(
          'Blocking calls (synchronize, .item(), .to("cpu")) waited %1 in total.',
          formatUs(num('waitUs'))
        )
      };
    default:
      return {
        title: trans.__('No device timeline: this run used the CPU only'),
        detail: trans.__(
          'The trace has no NPU or GPU activity, so waits on the device and device idle time cannot be measured. Run the cell on an Ascend NPU or a GPU to see them.'
        )
      };
  }
}
