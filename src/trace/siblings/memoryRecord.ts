/**
 * `memory_record.csv` (written with `profile_memory=True`): memory over time
 * per component. A `WORKSPACE` component appears only when the run had
 * TASK_QUEUE_ENABLE=2 (official profiler guide), which makes this file the one
 * place a trace folder shows that setting.
 *
 * Pure module.
 */
import type { IAscendMemory } from '../model';
import { cellNumber, cellText, scanCsv } from './csv';

/** Component torch_npu records for workspace memory under TASK_QUEUE_ENABLE=2. */
export const WORKSPACE_COMPONENT = 'WORKSPACE';

/** Columns every memory_record.csv has. */
const REQUIRED = ['Component', 'Total Allocated(MB)', 'Total Reserved(MB)'] as const;

/** What memory_record.csv says. */
export interface IMemoryRecord extends IAscendMemory {
  /** Whether a `WORKSPACE` component is present (task queue level 2). */
  workspace: boolean;
}

/**
 * Read a memory_record file.
 *
 * @param text The file's text.
 * @returns The facts, or null when the text is not a memory_record file.
 */
export function parseMemoryRecord(text: string): IMemoryRecord | null {
  const components = new Set<string>();
  let peakAllocatedMb: number | undefined;
  let peakReservedMb: number | undefined;
  const columns = scanCsv(text, REQUIRED, (cells, cols) => {
    const component = cellText(cells, cols, 'Component');
    if (component !== undefined) {
      components.add(component);
    }
    // Cells are empty on APP rows: a missing value is not a zero.
    const allocated = cellNumber(cells, cols, 'Total Allocated(MB)');
    if (allocated !== undefined && !(allocated <= (peakAllocatedMb ?? -Infinity))) {
      peakAllocatedMb = allocated;
    }
    const reserved = cellNumber(cells, cols, 'Total Reserved(MB)');
    if (reserved !== undefined && !(reserved <= (peakReservedMb ?? -Infinity))) {
      peakReservedMb = reserved;
    }
  });
  if (!columns) {
    return null;
  }
  const list = [...components].sort();
  const result: IMemoryRecord = {
    // Components may be combined ("PTA+GE"), so look at each part.
    workspace: list.some(c => c.toUpperCase().split('+').includes(WORKSPACE_COMPONENT)),
    components: list
  };
  if (peakAllocatedMb !== undefined) {
    result.peakAllocatedMb = peakAllocatedMb;
  }
  if (peakReservedMb !== undefined) {
    result.peakReservedMb = peakReservedMb;
  }
  return result;
}
