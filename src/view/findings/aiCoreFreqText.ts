/**
 * Words of the `ai-core-freq` findings (src/analysis/rules/aiCoreFreq.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of an `ai-core-freq` finding. */
export function aiCoreFreqText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const mhz = (key: string): string => trans.__('%1 MHz', String(Math.round(num(key))));
  switch (finding.variant) {
    case 'throttled':
      return {
        title: trans.__(
          'The AI Cores ran at %1 on average while the device worked, %2 below their %3 clock',
          mhz('meanMhz'),
          formatShare(num('dropShare')),
          mhz('ratedMhz')
        ),
        detail: trans.__(
          'The AI Core Freq counter went down to %1 while the device was busy; %2 of device work ran at a lowered clock, and every kernel takes longer then, whatever the code does. A card lowers its clock when it is too hot or at its power limit: check its temperature and power with npu-smi info, and the cooling and power settings of the machine.',
          mhz('lowestMhz'),
          formatUs(num('slowUs'))
        ),
        after: trans.__(
          'Once the card keeps its clock, profile again: the AI Core Freq counter should stay at %1 while the device works.',
          mhz('ratedMhz')
        )
      };
    case 'steady':
      return {
        title: trans.__('The AI Cores kept their clock while the device worked'),
        detail: trans.__(
          'The AI Core Freq counter averaged %1 during device work, against a highest %2.',
          mhz('meanMhz'),
          mhz('ratedMhz')
        )
      };
    default: {
      const reason = String(f.reason ?? '');
      return {
        title: trans.__('The AI Core clock cannot be checked in this trace'),
        detail:
          reason === 'not-ascend'
            ? trans.__('The AI Core clock is a counter of Ascend NPUs; this trace is not from an Ascend NPU.')
            : reason === 'no-busy'
              ? trans.__('The device did no work while the AI Core Freq counter was recorded.')
              : trans.__(
                  'The trace has no AI Core Freq counter, which torch_npu writes when the NPU activity is profiled and the card reports its clock.'
                )
      };
    }
  }
}
