import { describe, expect, it } from 'vitest';
import { addContext } from '../../src/worker/analyzeBytes';
import { makeTrace } from '../analysis/makeTrace';

describe('addContext', () => {
  it('fills what the trace lacks and keeps what it recorded', () => {
    const model = makeTrace({ lanes: [], slices: [] });
    model.meta.env = { ASCEND_LAUNCH_BLOCKING: '1' };
    model.meta.versions = { cann: '8.3.RC1' };
    addContext(model, {
      env: { ASCEND_LAUNCH_BLOCKING: '0', TASK_QUEUE_ENABLE: '2', CPU_AFFINITY_CONF: null },
      versions: { cann: '8.0.RC3', torch: '2.1.0' }
    });
    expect(model.meta.env).toEqual({ ASCEND_LAUNCH_BLOCKING: '1', TASK_QUEUE_ENABLE: '2' });
    expect(model.meta.versions).toEqual({ cann: '8.3.RC1', torch: '2.1.0' });
  });

  it("takes the capture's device model over the trace's generic device kind", () => {
    const model = makeTrace({ lanes: [], slices: [] });
    model.meta.device = 'Ascend NPU';
    addContext(model, { device: 'Ascend NPU Ascend910B3' });
    expect(model.meta.device).toBe('Ascend NPU Ascend910B3');
    model.meta.device = 'NVIDIA A100-PG509-200';
    addContext(model, { device: 'x86_64' });
    expect(model.meta.device).toBe('NVIDIA A100-PG509-200');
  });
});
