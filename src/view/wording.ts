/**
 * The words of the checklist: turns a finding's id, variant and facts into
 * a translated title and explanation. Rules carry numbers only, so all the
 * wording lives here.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../analysis/finding';
import type { WorkKind } from '../trace/model';
import { formatShare, formatUs } from './format';

/** The text of one checklist entry. */
export interface IFindingText {
  /** One line. */
  title: string;
  /** A few sentences: the evidence and what to do. */
  detail: string;
}

/** Title and explanation of a finding. Trace strings inside are plain text. */
export function describeFinding(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');
  switch (`${finding.id}/${finding.variant}`) {
    case 'sync-wait/waits':
      return {
        title: trans.__(
          'The host waited %1 for the device (%2 of the run)',
          formatUs(num('waitUs')),
          formatShare(num('spanShare'))
        ),
        detail:
          trans.__(
            '%1 took %2, of which the host spent %3 blocked in %4 while the device finished work queued earlier (%5 device operations, mostly %6 for %7).',
            str('topCall') || str('topSync'),
            formatUs(num('topCallUs')),
            formatUs(num('topWaitUs')),
            str('topSync'),
            String(num('deviceOps')),
            str('waitedFor'),
            formatUs(num('waitedForUs'))
          ) +
          ' ' +
          trans.__(
            'The copy itself took %1 over %2 blocking calls. The call is not slow; the device work before it is: make that work faster, or give the host other work while the device runs.',
            formatUs(num('copyUs')),
            String(num('calls'))
          )
      };
    case 'sync-wait/none':
      return {
        title: trans.__('No host call waited long on the device'),
        detail: trans.__(
          'Blocking calls (synchronize, .item(), .to("cpu")) waited %1 in total.',
          formatUs(num('waitUs'))
        )
      };
    case 'sync-wait/no-device':
      return {
        title: trans.__('No device timeline: this run used the CPU only'),
        detail: trans.__(
          'The trace has no NPU or GPU activity, so waits on the device and device idle time cannot be measured. Run the cell on an Ascend NPU or a GPU to see them.'
        )
      };
    default:
      return {
        title: trans.__('%1 (%2)', finding.id, finding.variant),
        detail: Object.entries(f)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(', ')
      };
  }
}

/** Translated display names of the kinds of work. */
export function workNames(trans: TranslationBundle): Record<WorkKind, string> {
  return {
    op: trans.__('framework op'),
    python: trans.__('Python'),
    runtime: trans.__('runtime call'),
    launch: trans.__('launch'),
    sync: trans.__('sync wait'),
    copy: trans.__('copy'),
    kernel: trans.__('device compute'),
    comm: trans.__('communication'),
    queue: trans.__('task queue'),
    compile: trans.__('compile'),
    step: trans.__('step'),
    other: trans.__('other')
  };
}
