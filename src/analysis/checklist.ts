/**
 * The tuning checklist: runs every registered rule on a trace and ranks what
 * they found.
 *
 * Rules are entries in {@link RULES}; adding one is one import and one line
 * here, and never edits another rule. Order: problems first, largest possible
 * saving first, then the checks that passed (in registration order), so the
 * user reads the most valuable fix first and still sees what was checked.
 *
 * Pure module.
 */
import type { ITraceModel } from '../trace/model';
import type { IFinding, Severity } from './finding';
import { remediesNotInEffect } from './switchesInEffect';
import { aiCoreFreq } from './rules/aiCoreFreq';
import { aiCpu } from './rules/aiCpu';
import { dataloader } from './rules/dataloader';
import { dynamicShape } from './rules/dynamicShape';
import { envCheck } from './rules/envCheck';
import { formatCast } from './rules/formatCast';
import { gcPause } from './rules/gcPause';
import { graphMode } from './rules/graphMode';
import { hostBound } from './rules/hostBound';
import { launchBlocking } from './rules/launchBlocking';
import { onlineCompile } from './rules/onlineCompile';
import { pageableMemcpy } from './rules/pageableMemcpy';
import { syncWait } from './rules/syncWait';
import { taskQueue } from './rules/taskQueue';

/** A rule: one check over the model; `null` when it has nothing to say at all. */
export type Rule = (model: ITraceModel) => IFinding | IFinding[] | null;

/** The registered rules, in the order passed checks are listed. */
export const RULES: readonly Rule[] = [
  syncWait,
  hostBound,
  onlineCompile,
  taskQueue,
  launchBlocking,
  formatCast,
  dynamicShape,
  aiCpu,
  aiCoreFreq,
  graphMode,
  pageableMemcpy,
  gcPause,
  dataloader,
  envCheck
];

/** Rank of a severity among problems (lower comes first). */
const SEVERITY_RANK: Record<Severity, number> = {
  high: 0,
  medium: 1,
  low: 2,
  ok: 3
};

/**
 * Runs the rules and orders their findings: problems by `savingUs`
 * (descending; ties by severity, then id), then passed checks (`ok`).
 * Remedies the run already had (recorded runtime switches) are dropped.
 *
 * A rule that throws does not take the rest of the checklist down: it yields
 * a `rule-error` finding (severity `low`, facts `rule` and `error`) so the
 * failure stays visible.
 *
 * @param model The trace.
 * @param rules The rules to run; the registered ones by default.
 */
export function runChecklist(
  model: ITraceModel,
  rules: readonly Rule[] = RULES
): IFinding[] {
  const findings: IFinding[] = [];
  for (const rule of rules) {
    let result: IFinding | IFinding[] | null;
    try {
      result = rule(model);
    } catch (error) {
      result = {
        id: 'rule-error',
        variant: 'error',
        severity: 'low',
        savingUs: 0,
        facts: {
          rule: rule.name,
          error: error instanceof Error ? error.message : String(error)
        },
        highlights: [],
        remedies: []
      };
    }
    // The capture recorded which runtime switches the run already had: a remedy that sets one of
    // them would change nothing, so no finding offers it.
    for (const finding of Array.isArray(result) ? result : result ? [result] : []) {
      findings.push({ ...finding, remedies: remediesNotInEffect(model, finding.remedies) });
    }
  }
  const problems = findings
    .filter(f => f.severity !== 'ok')
    .sort(
      (a, b) =>
        b.savingUs - a.savingUs ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.id.localeCompare(b.id)
    );
  const passed = findings.filter(f => f.severity === 'ok');
  return [...problems, ...passed];
}
