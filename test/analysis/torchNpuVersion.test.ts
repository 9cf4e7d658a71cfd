import { describe, expect, it } from 'vitest';
import { isTorchNpuAtLeast6RC3 } from '../../src/analysis/torchNpuVersion';

describe('isTorchNpuAtLeast6RC3', () => {
  it.each([
    // Wheel names (torch_npu.__version__), from the Ascend/pytorch release table.
    ['2.1.0.post6', 'no'], // 6.0.RC2
    ['2.1.0.post8', 'yes'], // 6.0.RC3
    ['2.1.0.post8.dev20241009', 'yes'],
    ['2.1.0.post10', 'yes'], // 6.0.0
    ['2.1.0', 'no'],
    ['2.2.0.post2', 'no'], // last 2.2 release: 6.0.RC2
    ['2.3.1', 'no'], // 6.0.RC2
    ['2.3.1.post2', 'yes'], // 6.0.RC3
    ['2.4.0', 'yes'], // 6.0.RC3
    ['2.5.1', 'yes'],
    ['2.7.1+git1234abc', 'yes'],
    ['1.11.0.post14', 'no'],
    // Release names.
    ['6.0.rc2', 'no'],
    ['6.0.RC3', 'yes'],
    ['v6.0.rc3', 'yes'],
    ['6.0.0', 'yes'],
    ['5.0.1', 'no'],
    ['7.3.0', 'yes'],
    ['26.0.0', 'yes'],
    // Nothing to go on.
    ['', 'unknown'],
    ['unknown', 'unknown'],
    ['0.1', 'unknown']
  ])('reads %s as %s', (version, expected) => {
    expect(isTorchNpuAtLeast6RC3(version)).toBe(expected);
  });
});
