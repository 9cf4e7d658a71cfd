/**
 * Words of the `gc` findings (src/analysis/rules/gcPause.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `gc` finding. */
export function gcPauseText(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const fix = trans.__(
    'Python\'s garbage collector stops the host while it walks every live object. Running gc.collect() and gc.freeze() once the model is loaded takes those objects out of later collections.'
  );
  switch (finding.variant) {
    case 'recorded':
      return {
        title: trans.__(
          'Python GC paused the host %1 (%2 of the run)',
          formatUs(num('gcUs')),
          formatShare(num('spanShare'))
        ),
        detail:
          trans.__(
            '%1 garbage collections were recorded, the longest %2.',
            String(num('gcEvents')),
            formatUs(num('maxGcUs'))
          ) +
          ' ' +
          fix,
        after: trans.__(
          'After freezing, profile again: the GC slices should be fewer and shorter.'
        )
      };
    case 'conjectured':
      return {
        title: trans.__(
          'The device idled %1 while the host issued almost no calls: possibly Python GC',
          formatUs(num('conjecturedUs'))
        ),
        detail:
          trans.__(
            '%1 idle gaps longer than 200 ms (the longest %2) had almost no host activity, a pattern msprof-analyze attributes to garbage collection. To be sure, profile with gc_detect_threshold set (torch_npu experimental_config) or with Python stacks.',
            String(num('conjecturedGaps')),
            formatUs(num('maxGapUs'))
          ) +
          ' ' +
          fix,
        after: trans.__(
          'After freezing, profile again: if GC caused them, the long quiet gaps should be gone.'
        )
      };
    case 'none':
      return {
        title: trans.__('No garbage-collection pauses found'),
        detail: trans.__(
          '%1 recorded collections took %2; no long idle gap without host activity.',
          String(num('gcEvents')),
          formatUs(num('gcUs'))
        )
      };
    default:
      return {
        title: trans.__('GC pauses cannot be checked in this trace'),
        detail: trans.__(
          'No garbage collection was recorded and there is no device timeline to infer pauses from.'
        )
      };
  }
}
