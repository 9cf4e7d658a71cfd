import { describe, expect, it } from 'vitest';
import { runChecklist, type Rule } from '../../src/analysis/checklist';
import type { IFinding, Severity } from '../../src/analysis/finding';
import { makeTrace } from './makeTrace';

const model = makeTrace({
  lanes: [{ kind: 'host', label: 'Python Thread 1' }],
  slices: [{ lane: 0, name: 'aten::mm', start: 0, dur: 10, work: 'op' }]
});

function finding(id: string, severity: Severity, savingUs: number): IFinding {
  return { id, variant: 'x', severity, savingUs, facts: {}, highlights: [], remedies: [] };
}

describe('runChecklist', () => {
  it('runs the registered rules, sync-wait among them', () => {
    const ids = runChecklist(model).map(f => f.id);
    expect(ids).toContain('sync-wait');
  });

  it('orders problems by saving, then passed checks in rule order', () => {
    const rules: Rule[] = [
      () => finding('passed-a', 'ok', 0),
      () => finding('small', 'high', 100),
      () => [finding('big', 'low', 5_000), finding('passed-b', 'ok', 0)],
      () => null,
      () => finding('tie-medium', 'medium', 100)
    ];
    expect(runChecklist(model, rules).map(f => f.id)).toEqual([
      'big',
      'small',
      'tie-medium',
      'passed-a',
      'passed-b'
    ]);
  });

  it('keeps the other findings when one rule throws', () => {
    const rules: Rule[] = [
      function broken() {
        throw new Error('boom');
      },
      () => finding('fine', 'medium', 10)
    ];
    const findings = runChecklist(model, rules);
    expect(findings.map(f => f.id)).toEqual(['fine', 'rule-error']);
    expect(findings[1].facts).toEqual({ rule: 'broken', error: 'boom' });
  });
});
