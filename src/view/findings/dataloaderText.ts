/**
 * Words of the `dataloader` findings (src/analysis/rules/dataloader.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `dataloader` finding. */
export function dataloaderText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  if (finding.variant === 'slow') {
    const loader = str('loader');
    const how =
      loader === 'single-process'
        ? trans.__(
            'The batches are loaded in the training process itself (num_workers=0), so every step waits for loading and preprocessing: set num_workers to a few processes (up to the free CPU cores).'
          )
        : loader === 'multi-process'
          ? trans.__(
              'The worker processes do not keep up: raise num_workers or prefetch_factor, make the dataset cheaper per item, and check for CPU-core binding conflicts (taskset) between workers and the training process.'
            )
          : trans.__('Load batches in worker processes (num_workers) so they are ready before the step needs them.');
    return {
      title: trans.__(
        '%1 DataLoader fetches took more than %2: %3 (%4 of the run)',
        String(num('slow')),
        formatUs(num('threshold')),
        formatUs(num('totalUs')),
        formatShare(num('spanShare'))
      ),
      detail: [
        trans.__(
          'While the training loop waits for the next batch, the device has nothing to do; msprof-analyze flags a fetch longer than %1. The longest took %2 (%3).',
          formatUs(num('threshold')),
          formatUs(num('maxUs')),
          str('topName')
        ),
        how,
        trans.__(
          'This needs a code change to the DataLoader: also set pin_memory=True and persistent_workers=True, read from fast local storage rather than a network disk, and avoid reading from tar or zip archives in each step.'
        )
      ].join(' '),
      after: trans.__(
        'After the change, profile again: the DataLoader fetches (enumerate(DataLoader)…__next__) should be shorter than %1.',
        formatUs(num('threshold'))
      )
    };
  }
  return {
    title: trans.__('No slow DataLoader fetches'),
    detail:
      num('loads') > 0
        ? trans.__(
            '%1 DataLoader fetches, the longest %2; none took more than %3.',
            String(num('loads')),
            formatUs(num('maxUs')),
            formatUs(num('threshold'))
          )
        : trans.__(
            'No DataLoader fetch shows in this trace (the data may come from elsewhere, or the profile covers no loop over a DataLoader).'
          )
  };
}
