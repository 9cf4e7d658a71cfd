import { describe, expect, it } from 'vitest';
import { envCheck } from '../../../src/analysis/rules/envCheck';
import { REMEDIES } from '../../../src/kernel/remedies';
import type { ITraceModel } from '../../../src/trace/model';
import { makeTrace } from '../makeTrace';
import { publicModel, TRACES } from '../publicModel';

/** An Ascend trace whose capture recorded `env`; `cell` says the profiling cell recorded it. */
function captured(env: Record<string, string>, cell = true): ITraceModel {
  const model = makeTrace({
    backend: 'ascend',
    lanes: [{ kind: 'host', label: 'Python Thread 1' }],
    slices: [{ lane: 0, name: 'aten::add', start: 0, dur: 10, work: 'op' }]
  });
  Object.assign(model.meta.env, env);
  if (cell) {
    model.meta.versions.python = '3.10.12';
  }
  return model;
}

const GOOD = {
  TASK_QUEUE_ENABLE: '2',
  ASCEND_LAUNCH_BLOCKING: '0',
  ASCEND_GLOBAL_LOG_LEVEL: '3',
  ACLNN_CACHE_LIMIT: '100000',
  HOST_CACHE_CAPACITY: '20',
  PYTORCH_NPU_ALLOC_CONF: 'max_split_size_mb:128,expandable_segments:True',
  CPU_AFFINITY_CONF: '1,npu0:0-15'
};

describe('envCheck', () => {
  it('flags ASCEND_LAUNCH_BLOCKING=1 as high, with its remedy first', () => {
    const finding = envCheck(captured({ ...GOOD, ASCEND_LAUNCH_BLOCKING: '1', ASCEND_GLOBAL_LOG_LEVEL: '1' }));
    expect(finding.id).toBe('env');
    expect(finding.variant).toBe('settings');
    expect(finding.severity).toBe('high');
    expect(finding.facts.flagged).toBe('ASCEND_LAUNCH_BLOCKING, ASCEND_GLOBAL_LOG_LEVEL');
    expect(finding.facts.count).toBe(2);
    expect(finding.facts.ASCEND_LAUNCH_BLOCKING).toBe('1');
    expect(finding.facts.ASCEND_GLOBAL_LOG_LEVEL).toBe('1');
    expect(finding.remedies).toEqual(['ascend-launch-blocking-off', 'ascend-log-level-error']);
    expect(finding.savingUs).toBe(0);
  });

  it('reads variables the cell records but found unset as unset', () => {
    // The cell drops unset variables; TASK_QUEUE_ENABLE=0 is what import torch_npu leaves.
    const finding = envCheck(captured({ TASK_QUEUE_ENABLE: '0' }));
    expect(finding.variant).toBe('settings');
    expect(finding.severity).toBe('low');
    expect(finding.facts.flagged).toBe('ACLNN_CACHE_LIMIT, PYTORCH_NPU_ALLOC_CONF, CPU_AFFINITY_CONF');
    expect(finding.facts.ACLNN_CACHE_LIMIT).toBe('');
    // Not recorded by the cell: cannot be told from unset.
    expect(finding.facts.unknown).toBe('ASCEND_GLOBAL_LOG_LEVEL, HOST_CACHE_CAPACITY');
    expect(finding.facts.checked).toBe(4);
    expect(finding.remedies).toEqual([
      'ascend-aclnn-cache-limit',
      'ascend-alloc-expandable',
      'ascend-cpu-affinity'
    ]);
  });

  it('does not read a missing variable as unset when only profiler_metadata.json was read', () => {
    const finding = envCheck(captured({ ASCEND_LAUNCH_BLOCKING: '', ACLNN_CACHE_LIMIT: '' }, false));
    expect(finding.facts.flagged).toBe('ACLNN_CACHE_LIMIT');
    expect(String(finding.facts.unknown)).toContain('CPU_AFFINITY_CONF');
  });

  it.each([
    ['ASCEND_GLOBAL_LOG_LEVEL', '4', false],
    ['ASCEND_GLOBAL_LOG_LEVEL', '2', true],
    ['ASCEND_GLOBAL_LOG_LEVEL', '', false],
    ['ACLNN_CACHE_LIMIT', '9999', true],
    ['ACLNN_CACHE_LIMIT', '10000', false],
    ['HOST_CACHE_CAPACITY', '0', true],
    ['PYTORCH_NPU_ALLOC_CONF', 'expandable_segments:False', true],
    ['PYTORCH_NPU_ALLOC_CONF', 'expandable_segments:True', false],
    ['CPU_AFFINITY_CONF', '0', true],
    ['CPU_AFFINITY_CONF', '2', false],
    ['ASCEND_LAUNCH_BLOCKING', '0', false]
  ])('%s=%s flagged: %s', (name, value, flagged) => {
    const finding = envCheck(captured({ ...GOOD, [name]: value }));
    expect(finding.variant).toBe(flagged ? 'settings' : 'ok');
  });

  it('passes with good settings', () => {
    const finding = envCheck(captured(GOOD));
    expect(finding.variant).toBe('ok');
    expect(finding.severity).toBe('ok');
    expect(finding.facts).toEqual({ checked: 6, unknown: '' });
  });

  it('has a remedy cell entry for every remedy it can name, each needing a restart', () => {
    const all = envCheck(
      captured({
        ASCEND_LAUNCH_BLOCKING: '1',
        ASCEND_GLOBAL_LOG_LEVEL: '0',
        HOST_CACHE_CAPACITY: '0'
      })
    );
    expect(all.remedies).toHaveLength(6);
    for (const id of all.remedies) {
      expect(REMEDIES[id]?.restart).toBe('kernel');
    }
  });

  it('does not apply without a recorded environment or off Ascend', () => {
    expect(envCheck(captured({})).facts.reason).toBe('no-env');
    const cuda = makeTrace({ lanes: [{ kind: 'host', label: 'Thread 1' }], slices: [] });
    cuda.meta.env.ASCEND_LAUNCH_BLOCKING = '1';
    expect(envCheck(cuda).facts.reason).toBe('not-ascend');
  });
});

describe('envCheck on public traces', () => {
  it('does not apply to the msinsight Level1 trace read alone (no environment recorded)', () => {
    const finding = envCheck(publicModel(TRACES.ascendLevel1));
    expect(finding.variant).toBe('not-applicable');
    expect(finding.facts.reason).toBe('no-env');
  });
});
