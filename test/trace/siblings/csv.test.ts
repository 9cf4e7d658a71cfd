import { describe, expect, it } from 'vitest';
import { cellNumber, cellText, scanCsv } from '../../../src/trace/siblings/csv';
import { outputText } from './siblingFiles';

describe('scanCsv', () => {
  it('keeps multi-line quoted Call Stack cells inside their row (operator_details.csv)', () => {
    let rows = 0;
    let multiLine = 0;
    const columns = scanCsv(outputText('level1', 'operator_details.csv'), ['Call Stack'], (cells, cols) => {
      rows += 1;
      if ((cellText(cells, cols, 'Call Stack') ?? '').includes('\n')) {
        multiLine += 1;
      }
    });
    expect(columns?.get('Name')).toBe(0);
    // Python's csv module counts the same 859 rows, 315 of them with multi-line stacks.
    expect(rows).toBe(859);
    expect(multiLine).toBe(315);
  });

  it('reads tab-suffixed timestamps, triple-quoted shapes and N/A cells', () => {
    const text = outputText('level1', 'kernel_details.csv');
    const seen: { start?: number; shape?: string; context?: string }[] = [];
    scanCsv(text, ['Name'], (cells, cols) => {
      if (seen.length === 0) {
        seen.push({
          start: cellNumber(cells, cols, 'Start Time(us)'),
          shape: cellText(cells, cols, 'Input Shapes'),
          context: cellText(cells, cols, 'Context ID')
        });
      }
    });
    expect(seen[0]).toEqual({ start: 1736408883704643.2, shape: '"32,3,224,224"', context: undefined });
  });

  it('rejects text without the required header', () => {
    expect(scanCsv('a,b\n1,2\n', ['Name'], () => undefined)).toBeNull();
    expect(scanCsv('', ['Name'], () => undefined)).toBeNull();
  });
});
