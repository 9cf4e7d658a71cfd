/**
 * Words of the `pageable-memcpy` findings (src/analysis/rules/pageableMemcpy.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `pageable-memcpy` finding. */
export function pageableMemcpyText(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  switch (finding.variant) {
    case 'pageable':
      return {
        title: trans.__(
          '%1 copies used pageable host memory, costing %2 (%3 of the run)',
          String(num('copies')),
          formatUs(num('costUs')),
          formatShare(num('spanShare'))
        ),
        detail:
          trans.__(
            'Host to device: %1 copies, %2 on the device, the host blocked %3 in their calls. Device to host: %4 copies, %5 on the device.',
            String(num('htodCopies')),
            formatUs(num('htodDeviceUs')),
            formatUs(num('htodHostUs')),
            String(num('dtohCopies')),
            formatUs(num('dtohDeviceUs'))
          ) +
          ' ' +
          trans.__(
            'Pageable memory is staged through a bounce buffer, so the copy is slower and blocks the host. Pin the host tensors: DataLoader(..., pin_memory=True) or tensor.pin_memory(), then copy with .to(device, non_blocking=True). This is a code change; no setting does it.'
          ),
        after: trans.__(
          'After pinning, profile again: the copies should say Pinned, and the host should no longer wait in them.'
        )
      };
    case 'none':
      return {
        title: trans.__('No costly copies from pageable memory'),
        detail: trans.__(
          '%1 pageable copies cost %2 in total.',
          String(num('copies')),
          formatUs(num('costUs'))
        )
      };
    default:
      return {
        title: trans.__('Pinned or pageable copies cannot be told apart here'),
        detail: trans.__(
          'Only CUDA traces name the host memory of a copy (Pageable or Pinned); this trace has no GPU copies to check.'
        )
      };
  }
}
