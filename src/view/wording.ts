/**
 * The words of the checklist: turns a finding's id, variant and facts into
 * a translated title and explanation. Rules carry numbers only, so all the
 * wording lives here.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IFinding } from '../analysis/finding';
import type { WorkKind } from '../trace/model';
import { aiCoreFreqText } from './findings/aiCoreFreqText';
import { aiCpuText } from './findings/aiCpuText';
import { dataloaderText } from './findings/dataloaderText';
import { dynamicShapeText } from './findings/dynamicShapeText';
import { envCheckText } from './findings/envCheckText';
import { formatCastText } from './findings/formatCastText';
import { gcPauseText } from './findings/gcPauseText';
import { graphModeText } from './findings/graphModeText';
import { hostBoundText } from './findings/hostBoundText';
import { launchBlockingText } from './findings/launchBlockingText';
import { onlineCompileText } from './findings/onlineCompileText';
import { pageableMemcpyText } from './findings/pageableMemcpyText';
import { syncWaitText } from './findings/syncWaitText';
import { taskQueueText } from './findings/taskQueueText';

/** The text of one checklist entry. */
export interface IFindingText {
  /** One line. */
  title: string;
  /** A few sentences: the evidence and what to do. */
  detail: string;
  /** What the user should see after applying the remedy, when there is one. */
  after?: string;
}

/** Words of one rule's findings. */
export type FindingDescriber = (
  finding: IFinding,
  trans: TranslationBundle
) => IFindingText;

/**
 * Describers by rule id. Each rule's wording lives in `src/view/findings/`,
 * next to nothing else, so adding a rule never edits another rule's words.
 */
const DESCRIBERS: Record<string, FindingDescriber> = {
  'sync-wait': syncWaitText,
  'host-bound': hostBoundText,
  'graph-mode': graphModeText,
  'launch-blocking': launchBlockingText,
  'pageable-memcpy': pageableMemcpyText,
  gc: gcPauseText,
  'online-compile': onlineCompileText,
  'task-queue': taskQueueText,
  env: envCheckText,
  'ai-cpu': aiCpuText,
  'ai-core-freq': aiCoreFreqText,
  'format-cast': formatCastText,
  'dynamic-shape': dynamicShapeText,
  dataloader: dataloaderText
};

/** Title and explanation of a finding. Trace strings inside are plain text. */
export function describeFinding(
  finding: IFinding,
  trans: TranslationBundle
): IFindingText {
  const describe = DESCRIBERS[finding.id];
  if (describe) {
    return describe(finding, trans);
  }
  return {
    title: trans.__('%1 (%2)', finding.id, finding.variant),
    detail: Object.entries(finding.facts)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(', ')
  };
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
