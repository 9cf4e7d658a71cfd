/**
 * What a rule returns. Rules speak in ids and numbers only; the view and the
 * CLI own the wording, so each can phrase (and translate) it its own way.
 *
 * Pure module.
 */
import type { Us } from '../trace/model';

/** How much a finding matters. `ok` marks a check that ran and passed. */
export type Severity = 'high' | 'medium' | 'low' | 'ok';

/** What applying a remedy needs before it takes effect. */
export type Restart = 'none' | 'kernel' | 'process';

/** A time range on the timeline that shows the evidence of a finding. */
export interface IHighlight {
  /** Start, µs from the trace origin. */
  start: Us;
  /** End, µs from the trace origin. */
  end: Us;
  /** Label of the lane it sits on, or '' for all lanes. */
  lane: string;
  /** Short name of what is highlighted (an op name from the trace: untrusted text). */
  name: string;
}

/**
 * One entry of the tuning checklist.
 *
 * `facts` holds the numbers (and a few trace strings, such as op names) that
 * the wording of `id` + `variant` refers to.
 */
export interface IFinding {
  /** Stable rule id: `sync-wait`, `host-bound`, ... */
  id: string;
  /** Which message of the rule applies, e.g. `waits`, `none`, `no-device`. */
  variant: string;
  /** How much it matters. */
  severity: Severity;
  /** Upper bound of the time the remedy could save, µs (0 for passed checks). */
  savingUs: Us;
  /** Numbers and names the message refers to. Trace strings are untrusted text. */
  facts: Record<string, number | string>;
  /** Time ranges to highlight on the timeline (capped by the rule). */
  highlights: IHighlight[];
  /**
   * Ids of the settings that fix it (see `src/kernel/remedies.ts`), best first;
   * empty when the fix is a code change the user must make.
   */
  remedies: string[];
}
