/**
 * Words of the `ai-cpu` findings (src/analysis/rules/aiCpu.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of an `ai-cpu` finding. */
export function aiCpuText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (finding.variant) {
    case 'ai-cpu': {
      const top = str('topType')
        ? trans.__(
            'Most of it is %1 (%2 in %3 tasks), whose %4 kernel ran on the AI CPU (%5).',
            str('topOp'),
            formatUs(num('topOpUs')),
            String(num('topOpTasks')),
            str('topType'),
            str('topKernel')
          )
        : trans.__(
            'Most of it is %1 (%2 in %3 tasks, kernel %4).',
            str('topOp'),
            formatUs(num('topOpUs')),
            String(num('topOpTasks')),
            str('topKernel')
          );
      return {
        title: trans.__(
          '%1 device tasks ran on the slow AI CPU: %2 (%3 of the run)',
          String(num('tasks')),
          formatUs(num('totalUs')),
          formatShare(num('spanShare'))
        ),
        detail: [
          trans.__(
            'An operator falls back to the AI CPU when the AI Core has no kernel for its data type or shape; msprof-analyze flags AI CPU tasks longer than %1. Operators: %2.',
            formatUs(num('threshold')),
            str('topOps')
          ),
          top,
          trans.__(
            'This needs a code change: keep tensors in float32/float16/bfloat16 and int32 where you can (float64 and int64 often run on the AI CPU, e.g. a .double() or an int64 index), avoid casts to those types, and replace data-dependent operators such as nonzero, index_put or boolean-mask indexing with masked arithmetic.'
          )
        ].join(' '),
        after: trans.__(
          'After the change, profile again: the AI CPU tasks (names containing AiCpu) should be gone or shorter than %1.',
          formatUs(num('threshold'))
        )
      };
    }
    case 'none':
      return {
        title: trans.__('No slow AI CPU tasks'),
        detail: trans.__(
          '%1 device tasks ran on the AI CPU, %2 in total; none was longer than 20 µs.',
          String(num('tasks')),
          formatUs(num('totalUs'))
        )
      };
    default:
      return {
        title: trans.__('AI CPU tasks not checked'),
        detail:
          str('reason') === 'not-ascend'
            ? trans.__('The AI CPU is part of the Ascend NPU; this trace is not from an Ascend NPU.')
            : trans.__('This trace has no device timeline, so device tasks cannot be checked. Profile with the NPU activity on.')
      };
  }
}
