/**
 * Words of the `graph-mode` findings (src/analysis/rules/graphMode.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `graph-mode` finding. */
export function graphModeText(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  const evidence = trans.__(
    '%1 of %2 kernels ran shorter than 10 µs, and the device sat idle %3 (%4 of the window) in %5 short gaps waiting for the next launch.',
    String(num('shortKernels')),
    String(num('kernels')),
    formatUs(num('launchGapUs')),
    formatShare(num('launchGapShare')),
    String(num('launchGaps'))
  );
  const ascend =
    str('requiresTorchNpu') !== ''
      ? ' ' +
        trans.__(
          'TorchAir aclgraph needs torch_npu %1 and CANN %2 or newer, on %3 (this trace recorded torch_npu "%4", CANN "%5", device "%6"); it suits inference with fixed shapes, one NPU per process, and no backward, random ops or stream syncs inside the model.',
          str('requiresTorchNpu'),
          str('requiresCann'),
          str('products'),
          str('torchNpuVersion') || trans.__('unknown'),
          str('cannVersion') || trans.__('unknown'),
          str('device') || trans.__('unknown')
        )
      : '';
  switch (finding.variant) {
    case 'candidate':
      return {
        title: trans.__(
          'Graph replay could save up to %1 of launch gaps',
          formatUs(num('launchGapUs'))
        ),
        detail:
          evidence +
          ' ' +
          trans.__(
            'Capturing the device work once and replaying it launches a whole sequence with one call. The suggested cell is a template: put in your model\'s variable name before running it.'
          ) +
          ascend,
        after: trans.__(
          'After compiling, run the cell twice (the first call compiles and captures) and profile the second run: the short gaps between kernels should mostly disappear.'
        )
      };
    case 'ok':
      return {
        title: trans.__('Not launch-bound: graph replay would gain little'),
        detail: evidence
      };
    default:
      return {
        title: trans.__('No device timeline: graph replay does not apply'),
        detail: trans.__(
          'The trace has no NPU or GPU activity, so there are no launches to replay.'
        )
      };
  }
}
