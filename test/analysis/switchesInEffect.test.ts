import { describe, expect, it } from 'vitest';
import { remediesNotInEffect, remedyInEffect } from '../../src/analysis/switchesInEffect';
import { addContext } from '../../src/worker/analyzeBytes';
import { makeTrace } from './makeTrace';

const model = () =>
  makeTrace({ backend: 'ascend', lanes: [{ kind: 'host', label: 'Thread 1' }], slices: [] });

describe('switchesInEffect', () => {
  it('knows nothing is in effect when the capture recorded no switches', () => {
    expect(remedyInEffect(model(), 'ascend-jit-compile-off')).toBe(false);
    expect(remediesNotInEffect(model(), ['ascend-jit-compile-off', 'python-gc-freeze'])).toEqual([
      'ascend-jit-compile-off',
      'python-gc-freeze'
    ]);
  });

  it('drops the remedies whose switch the run already had, from the capture context', () => {
    const m = model();
    addContext(m, { switches: { jit_compile: false, allow_internal_format: true } });
    expect(m.meta.switches).toEqual({ jit_compile: false, allow_internal_format: true });
    expect(
      remediesNotInEffect(m, [
        'ascend-jit-compile-off',
        'ascend-internal-format-off',
        'ascend-task-queue-2'
      ])
    ).toEqual(['ascend-internal-format-off', 'ascend-task-queue-2']);
  });
});
