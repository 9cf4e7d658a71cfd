/**
 * Words of the `task-queue` findings (src/analysis/rules/taskQueue.ts).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../../analysis/finding';
import { formatShare, formatUs } from '../format';
import type { IFindingText } from '../wording';

/** Title, explanation and expected outcome of a `task-queue` finding. */
export function taskQueueText(finding: IFinding, trans: TranslationBundle): IFindingText {
  const f = finding.facts;
  const num = (key: string): number => Number(f[key] ?? 0);
  const str = (key: string): string => String(f[key] ?? '');

  /** What the version check says about level 2. */
  const prerequisite = (): string => {
    switch (str('versionOk')) {
      case 'yes':
        return trans.__('Level 2 needs torch_npu 6.0.RC3 or later: yours (%1) has it.', str('torchNpu'));
      case 'no':
        return trans.__(
          'Your torch_npu (%1) is older than 6.0.RC3: it knows only on/off (TASK_QUEUE_ENABLE=1), not level 2. Upgrade torch_npu to use level 2.',
          str('torchNpu')
        );
      default:
        return trans.__(
          'Level 2 needs torch_npu 6.0.RC3 or later; the installed version was not recorded, so check it first (torch_npu.__version__ 2.1.0.post8, 2.3.1.post2, 2.4.0 or later).'
        );
    }
  };
  const measured = (): string =>
    num('cannData') > 0
      ? trans.__(
          'The Python threads spent %1 in %2 CANN dispatch calls; the device was idle %3 of the run.',
          formatUs(num('dispatchUs')),
          String(num('dispatchCalls')),
          formatUs(num('idleUs'))
        )
      : trans.__(
          'This profile has no CANN API data, so the dispatch time cannot be measured; profile at Level1 to see it.'
        );
  const blocking = (): string =>
    num('launchBlocking') > 0
      ? ' ' +
        trans.__(
          'ASCEND_LAUNCH_BLOCKING=1 was set, which turns the task queue off whatever TASK_QUEUE_ENABLE says: unset it first.'
        )
      : '';
  const jupyterTrap = trans.__(
    'In Jupyter, `import torch_npu` (6.0.RC3 and later) sets TASK_QUEUE_ENABLE=0, overriding what you exported before starting JupyterLab, so a notebook runs with the queue off. TASK_QUEUE_ENABLE is read once, at the first NPU operation: restart the kernel and run the suggested cell (it sets the variable after the import) before any NPU work.'
  );

  switch (finding.variant) {
    case 'level-0': {
      const envNote =
        str('envValue') === '2'
          ? trans.__(
              'TASK_QUEUE_ENABLE was 2 when the cell ran, yet nothing went through the queue: it was set after the first NPU operation, too late to act.'
            )
          : str('envValue') === '0'
            ? trans.__('TASK_QUEUE_ENABLE was 0 when the cell ran.')
            : '';
      return {
        title: trans.__('The task queue was off: operators were dispatched on the Python thread'),
        detail:
          [
            trans.__(
              'No Enqueue/Dequeue events: every operator was prepared and launched inline (task-queue level 0), so the device waits for Python between operators.'
            ),
            envNote,
            measured(),
            jupyterTrap,
            prerequisite()
          ]
            .filter(Boolean)
            .join(' ') + blocking(),
        after: trans.__(
          'After the restart, profile again: Enqueue events appear on the Python thread and Dequeue@ events on a task-queue thread, and the Python thread saves up to %1 (%2 of the run).',
          formatUs(finding.savingUs),
          formatShare(num('spanShare'))
        )
      };
    }
    case 'level-1':
      return {
        title: trans.__('Task queue at level 1; level 2 hides more dispatch work'),
        detail:
          [
            trans.__(
              'Operators went through the task queue (%1 Enqueue events): level 1, the default outside Jupyter.',
              String(num('enqueues'))
            ),
            trans.__(
              'Level 2 also moves workspace work to the queue thread; it acts only with binary operators (jit_compile=False) and may raise peak NPU memory.'
            ),
            measured(),
            prerequisite()
          ].join(' ') + blocking(),
        after: trans.__(
          'After the restart, profile again: the CANN calls left on the Python thread shrink, by up to %1.',
          formatUs(finding.savingUs)
        )
      };
    case 'level-2':
      return {
        title: trans.__('Task queue at level 2'),
        detail:
          str('levelSource') === 'memory-record'
            ? trans.__(
                'Operators went through the task queue (%1 Enqueue events) and memory_record.csv has the WORKSPACE component that level 2 writes.',
                String(num('enqueues'))
              )
            : trans.__(
                'Operators went through the task queue (%1 Enqueue events) and TASK_QUEUE_ENABLE was 2 when the cell ran.',
                String(num('enqueues'))
              )
      };
    default:
      return {
        title: trans.__('Task queue not checked'),
        detail:
          str('reason') === 'not-ascend'
            ? trans.__('The task queue is an Ascend (torch_npu) setting; this trace is not from an Ascend NPU.')
            : trans.__(
                'This trace has no framework operators (CPU activity was not profiled), so whether operators went through the task queue cannot be seen.'
              )
      };
  }
}
