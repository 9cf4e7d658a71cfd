/**
 * `step_trace_time.csv`: the per-step split of device time into computing,
 * communication, free (idle) and preparing, µs. Newer torch_npu adds a
 * leading `Device_id` column.
 *
 * Pure module.
 */
import type { IAscendStepTime } from '../model';
import { cellNumber, cellText, scanCsv } from './csv';

/** Column names, by field of {@link IAscendStepTime}. */
const COLUMNS = {
  computing: 'Computing',
  communicationNotOverlapped: 'Communication(Not Overlapped)',
  overlapped: 'Overlapped',
  communication: 'Communication',
  free: 'Free',
  preparing: 'Preparing'
} as const;

/** Columns every step_trace_time.csv has. */
const REQUIRED = ['Step', 'Computing', 'Free'] as const;

/**
 * Read a step_trace_time file.
 *
 * @param text The file's text.
 * @returns One entry per row in file order (a missing or `N/A` time is 0), or
 *   null when the text is not a step_trace_time file.
 */
export function parseStepTraceTime(text: string): IAscendStepTime[] | null {
  const steps: IAscendStepTime[] = [];
  const columns = scanCsv(text, REQUIRED, (cells, cols) => {
    const time = (name: string): number => cellNumber(cells, cols, name) ?? 0;
    const step: IAscendStepTime = {
      step: cellText(cells, cols, 'Step') ?? '',
      computing: time(COLUMNS.computing),
      communicationNotOverlapped: time(COLUMNS.communicationNotOverlapped),
      overlapped: time(COLUMNS.overlapped),
      communication: time(COLUMNS.communication),
      free: time(COLUMNS.free),
      preparing: time(COLUMNS.preparing)
    };
    const deviceId = cellText(cells, cols, 'Device_id');
    if (deviceId !== undefined) {
      step.deviceId = deviceId;
    }
    steps.push(step);
  });
  return columns ? steps : null;
}
