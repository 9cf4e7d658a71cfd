/**
 * Words of the `format-cast` findings (src/analysis/rules/formatCast.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `format-cast` finding. */
export function formatCastText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (finding.variant) {
    case 'casts': {
      const parts = [
        trans.__(
          '%1 TransData kernels (%2) converted tensors between the ND layout and private NPU formats (NZ, 5HD); they move data and compute nothing.',
          String(num('transDataKernels')),
          formatUs(num('transDataUs'))
        )
      ];
      if (num('otherKernels') > 0) {
        parts.push(
          trans.__(
            '%1 other inserted conversions (trans_…, e.g. casts) took %2; the setting below does not remove those.',
            String(num('otherKernels')),
            formatUs(num('otherUs'))
          )
        );
      }
      parts.push(
        trans.__('The largest is %1 (%2).', str('topKernel'), formatUs(num('topKernelUs'))),
        trans.__(
          'Keeping tensors in ND (allow_internal_format=False) avoids most layout conversions between operators; it takes effect at once, without a restart, but tensors already converted keep their format, so move the model to the NPU again.'
        )
      );
      return {
        title: trans.__(
          'Format conversions took %1 (%2 of the device kernel time)',
          formatUs(num('castUs')),
          formatShare(num('kernelShare'))
        ),
        detail: parts.join(' '),
        after: trans.__(
          'After applying and reloading the model, profile again: fewer TransData kernels, up to %1 less device time. Some operators convert internally whatever the setting (aclnn…_TransData).',
          formatUs(finding.savingUs)
        )
      };
    }
    case 'none':
      return {
        title: trans.__('No significant format conversions'),
        detail: trans.__(
          '%1 format-conversion kernels took %2 in total.',
          String(num('kernels')),
          formatUs(num('castUs'))
        )
      };
    default:
      return {
        title: trans.__('Format conversions not checked'),
        detail:
          str('reason') === 'not-ascend'
            ? trans.__('Private tensor formats (TransData) are an Ascend NPU matter; this trace is not from an Ascend NPU.')
            : trans.__('This trace has no device timeline, so device kernels cannot be checked. Profile with the NPU activity on.')
      };
  }
}
