/**
 * Words of the `env` findings (src/analysis/rules/envCheck.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import type { IFindingText } from '../wording';

/** One sentence per flagged variable: what its value does and what to set. */
function explain(name: string, value: string, trans: TranslationBundle): string {
  const shown = value === '' ? trans.__('unset') : value;
  switch (name) {
    case 'ASCEND_LAUNCH_BLOCKING':
      return trans.__(
        'ASCEND_LAUNCH_BLOCKING=%1: every operator launch waits for the device and the task queue is off. Use it for debugging only; set 0.',
        shown
      );
    case 'ASCEND_GLOBAL_LOG_LEVEL':
      return trans.__(
        'ASCEND_GLOBAL_LOG_LEVEL=%1: CANN logs debug, info or warning messages on the dispatch path; 3 logs errors only.',
        shown
      );
    case 'ACLNN_CACHE_LIMIT':
      return trans.__(
        'ACLNN_CACHE_LIMIT is %1: below 10000 the aclnn operator cache may be too small when dispatch is the bottleneck; msprof-analyze suggests 100000.',
        shown
      );
    case 'HOST_CACHE_CAPACITY':
      return trans.__(
        'HOST_CACHE_CAPACITY is %1: no host cache for dynamic shapes; 20 enables it at some host-memory cost.',
        shown
      );
    case 'PYTORCH_NPU_ALLOC_CONF':
      return trans.__(
        'PYTORCH_NPU_ALLOC_CONF is %1: without expandable_segments:True the allocator makes more allocation calls and fragments memory.',
        shown
      );
    case 'CPU_AFFINITY_CONF':
      return trans.__(
        'CPU_AFFINITY_CONF is %1: dispatch threads are not bound to cores and can migrate; mode 2 binds the main and task-queue threads (torch_npu 6.0.RC3 or later).',
        shown
      );
    default:
      return trans.__('%1 is %2.', name, shown);
  }
}

/** Title, explanation and expected outcome of an `env` finding. */
export function envCheckText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  const unknown = (): string =>
    str('unknown')
      ? trans.__('Not recorded, so not checked: %1.', str('unknown'))
      : '';
  switch (finding.variant) {
    case 'settings': {
      const names = str('flagged')
        .split(',')
        .map(n => n.trim())
        .filter(Boolean);
      return {
        title: trans.__('%1 environment settings slow this NPU down', String(num('count'))),
        detail: [
          ...names.map(n => explain(n, str(n), trans)),
          trans.__(
            'torch_npu and CANN read these once when they start, so the suggested cell needs a kernel restart and must run before any NPU work.'
          ),
          unknown()
        ]
          .filter(Boolean)
          .join(' '),
        after: trans.__(
          'After the restart, profile again: this check passes once the new values are recorded with the profile.'
        )
      };
    }
    case 'ok':
      return {
        title: trans.__('Environment settings look right'),
        detail: [
          trans.__('%1 settings checked, none flagged.', String(num('checked'))),
          unknown()
        ]
          .filter(Boolean)
          .join(' ')
      };
    default:
      return {
        title: trans.__('Environment not checked'),
        detail:
          str('reason') === 'not-ascend'
            ? trans.__('These environment checks are for Ascend NPUs; this trace is not from an Ascend NPU.')
            : trans.__(
                'No environment was recorded with this trace (it was not captured by the profiling cell), so the settings cannot be checked.'
              )
      };
  }
}
