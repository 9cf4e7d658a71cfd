/**
 * Words of the `launch-blocking` findings (src/analysis/rules/launchBlocking.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `launch-blocking` finding. */
export function launchBlockingText(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  const variable = str('envVar') || 'ASCEND_LAUNCH_BLOCKING / CUDA_LAUNCH_BLOCKING';
  const evidence = trans.__(
    '%1 of %2 launches were followed by a synchronisation (%3), and %4 of %5 launches of kernels longer than 50 µs returned only after their kernel finished (%6).',
    String(num('syncAfterLaunch')),
    String(num('launches')),
    formatShare(num('syncRatio')),
    String(num('blockedLaunches')),
    String(num('longLaunches')),
    formatShare(num('blockedRatio'))
  );
  const env =
    str('envValue') !== ''
      ? ' ' +
        trans.__(
          'The profiler recorded %1=%2.',
          variable,
          str('envValue')
        )
      : '';
  switch (finding.variant) {
    case 'blocking':
      return {
        title: trans.__(
          'Every launch waits for its kernel (%1 looks set)',
          variable
        ),
        detail:
          evidence +
          env +
          ' ' +
          trans.__(
            'The host was blocked %1 this way, so host and device took turns instead of overlapping. %2=1 is a debugging aid: unset it, restart the kernel, and run the suggested cell first.',
            formatUs(num('blockedUs')),
            variable
          ),
        after: trans.__(
          'After restarting without it, profile again: launches should return in microseconds and the syncs after them disappear.'
        )
      };
    case 'ok':
      return {
        title: trans.__('Launches ran asynchronously'),
        detail: evidence + env
      };
    default:
      return {
        title: trans.__('Launch blocking cannot be checked in this trace'),
        detail: trans.__(
          'The trace has no launch calls (CPU-only run, or an Ascend profile below Level1) and no recorded launch-blocking variable.'
        )
      };
  }
}
