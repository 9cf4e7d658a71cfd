/**
 * Words of the `dynamic-shape` findings (src/analysis/rules/dynamicShape.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `dynamic-shape` finding. */
export function dynamicShapeText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (finding.variant) {
    case 'dynamic': {
      const compiles =
        num('compiles') > 0
          ? trans.__(
              'This run compiled operators online %1 times (%2): with jit_compile=True, CANN compiles a dynamic-shape operator for each new input shape while the device idles.',
              String(num('compiles')),
              formatUs(num('compileUs'))
            )
          : trans.__(
              'No online compile shows in this trace, so the cost is not visible here; with jit_compile=True, each new input shape can still cost a compile.'
            );
      return {
        title: trans.__(
          'All %1 operators ran with dynamic shapes, none static',
          String(num('dynamic'))
        ),
        detail: [
          trans.__(
            'kernel_details.csv marks %1 operators as dynamic-shape and none as static; msprof-analyze flags a run with no static-shape operator.',
            String(num('dynamic'))
          ),
          compiles,
          trans.__(
            'The pre-built binary operators handle dynamic shapes without compiling: turn off online compilation (jit_compile=False) and keep tensors in ND format (allow_internal_format=False); both take effect at once, without a restart.'
          )
        ].join(' '),
        after: trans.__(
          'After applying, profile again: AscendCL@aclopCompileAndExecute should be gone or rare. OP State may still say dynamic; what matters is that no time goes to compiling.'
        )
      };
    }
    case 'ok':
      return {
        title: trans.__('Static-shape operators in use'),
        detail: trans.__(
          'kernel_details.csv marks %1 operators as static-shape and %2 as dynamic-shape, so the run is not all dynamic.',
          String(num('static')),
          String(num('dynamic'))
        )
      };
    default: {
      const reason = str('reason');
      return {
        title: trans.__('Operator shapes not checked'),
        detail:
          reason === 'not-ascend'
            ? trans.__('Dynamic-shape operators are a CANN thing; this trace is not from an Ascend NPU.')
            : reason === 'no-kernel-details'
              ? trans.__(
                  'The check reads the OP State column of kernel_details.csv, which was not found next to the trace. Open the trace from its *_ascend_pt folder.'
                )
              : trans.__(
                  'kernel_details.csv has no OP State for any operator (profiler level: %1). Profile with profiler_level Level1 or Level2 to see which operators ran with dynamic shapes.',
                  str('profilerLevel') || trans.__('unknown')
                )
      };
    }
  }
}
