/**
 * Words of the `host-bound` findings (src/analysis/rules/hostBound.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `host-bound` finding. */
export function hostBoundText(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const window =
    f.windowSource === 'steps'
      ? trans.__('the profiled steps (%1)', formatUs(num('windowUs')))
      : trans.__(
          'first to last device activity (%1; no profiler step recorded)',
          formatUs(num('windowUs'))
        );
  const breakdown = trans.__(
    'Device idle %1 of %2: %3 no work queued yet (host dispatch too slow), %4 drained by synchronisation, %5 between back-to-back kernels, %6 other waits.',
    formatUs(num('idleUs')),
    window,
    formatUs(num('dispatchUs')),
    formatUs(num('syncUs')),
    formatUs(num('kernelGapUs')),
    formatUs(num('otherUs'))
  );
  const cost =
    num('dequeueCalls') > 0
      ? trans.__(
          'Dispatching one operator took %1 (median of %2 Dequeue calls on the task-queue thread; Enqueue %3); %4 of %5 kernels ran shorter than 10 µs.',
          formatUs(num('dequeueMedianUs')),
          String(num('dequeueCalls')),
          formatUs(num('enqueueMedianUs')),
          String(num('shortKernels')),
          String(num('kernels'))
        )
      : trans.__(
          'A launch call took %1 (median of %2, mean %3); %4 of %5 kernels ran shorter than 10 µs.',
          formatUs(num('launchMedianUs')),
          String(num('launchCalls')),
          formatUs(num('launchMeanUs')),
          String(num('shortKernels')),
          String(num('kernels'))
        );
  switch (finding.variant) {
    case 'host-bound':
      return {
        title: trans.__(
          'The device waited %1 for the host to queue work (%2 of the window)',
          formatUs(num('dispatchUs')),
          formatShare(num('dispatchShare'))
        ),
        detail:
          breakdown +
          ' ' +
          cost +
          ' ' +
          (finding.remedies.length > 0
            ? trans.__(
                'Make dispatch cheaper, in this order: pre-built binary operators, task queue level 2, then graph mode for a small model (see the graph-mode entry).'
              )
            : trans.__(
                'Fewer, larger operators help: a bigger batch, fused operators, or graph replay (see the graph-mode entry); long gaps before a step are usually data loading.'
              )),
        after: trans.__(
          'After the fix, profile again: the "no work queued" idle should shrink (at most by %1) and the step get shorter.',
          formatUs(num('dispatchUs'))
        )
      };
    case 'ok':
      return {
        title: trans.__('The host kept the device fed'),
        detail: breakdown + ' ' + cost
      };
    default:
      return {
        title: trans.__('No device timeline: host dispatch cannot be measured'),
        detail: trans.__(
          'The trace has no NPU or GPU activity, so there is no device idle time to split. Run the cell on an Ascend NPU or a GPU to see it.'
        )
      };
  }
}
