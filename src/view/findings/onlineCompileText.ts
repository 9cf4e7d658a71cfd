/**
 * Words of the `online-compile` findings (src/analysis/rules/onlineCompile.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of an `online-compile` finding. */
export function onlineCompileText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (finding.variant) {
    case 'compiles': {
      const parts = [
        trans.__(
          'CANN compiled operators online %1 times (aclopCompileAndExecute), for %2 operators; the host waits in each compile while the device idles.',
          String(num('compiles')),
          String(num('ops'))
        )
      ];
      if (str('topOp')) {
        parts.push(
          trans.__(
            '%1 was compiled %2 times (%3).',
            str('topOp'),
            String(num('topOpCompiles')),
            formatUs(num('topOpUs'))
          )
        );
      }
      if (num('repeatCompiles') > 0) {
        parts.push(
          trans.__(
            '%1 operators were compiled more than once (%2 repeat compiles, %3): their input shapes change between calls, so each new shape costs another compile.',
            String(num('repeatedOps')),
            String(num('repeatCompiles')),
            formatUs(num('repeatUs'))
          )
        );
      }
      const jitOff = num('jitCompileOff') === 1;
      parts.push(
        jitOff
          ? [
              trans.__(
                'This run already used the pre-built binary operators (jit_compile=False, as recorded when it was profiled): these operators have no binary for their input shapes and were compiled anyway. Keep their input shapes fixed (pad or bucket them), or run the model in graph mode.'
              ),
              ...(finding.remedies.includes('ascend-internal-format-off')
                ? [
                    trans.__(
                      'Keeping tensors in ND format (allow_internal_format=False) avoids format-conversion operators that may need compiling too.'
                    )
                  ]
                : [])
            ].join(' ')
          : trans.__(
              'msprof-analyze flags %1 or more compiles. Use the pre-built binary operators (jit_compile=False) and keep tensors in ND format; both take effect at once, without a restart.',
              String(num('threshold'))
            )
      );
      return {
        title: trans.__(
          'Online operator compilation took %1 (%2 of the run)',
          formatUs(num('compileUs')),
          formatShare(num('spanShare'))
        ),
        detail: parts.join(' '),
        after: jitOff
          ? undefined
          : trans.__(
              'After applying, profile again: AscendCL@aclopCompileAndExecute should be gone or rare, and the operators run through aclnn calls. The first calls after the switch may still be slower while caches warm up.'
            )
      };
    }
    case 'none':
      return {
        title: trans.__('No significant online operator compilation'),
        detail: trans.__(
          'CANN compiled operators online %1 times, %2 in total.',
          String(num('compiles')),
          formatUs(num('compileUs'))
        )
      };
    default:
      return {
        title: trans.__('Online compilation not checked'),
        detail:
          str('reason') === 'not-ascend'
            ? trans.__('Online operator compilation is an Ascend (CANN) check; this trace is not from an Ascend NPU.')
            : trans.__(
                'This trace has no CANN API data (profiler level %1), so operator compiles cannot be seen. Profile with profiler_level Level1 to check them.',
                str('profilerLevel') || trans.__('Level0')
              )
      };
  }
}
