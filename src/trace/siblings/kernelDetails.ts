/**
 * `kernel_details.csv`: one row per device task. The file can be large, so
 * only an aggregate is kept: totals per accelerator core and per op type, AI
 * CPU and TransData tasks, dynamic/static operators, and idle wait time.
 *
 * Variants: Level0 writes reduced columns (`Step Id,Name,Type,Accelerator
 * Core,Start Time(us),Duration(us),Wait Time(us),Block Dim`) with `N/A` types
 * and cores; newer torch_npu inserts `Device_id`; start times end with a tab.
 *
 * Pure module.
 */
import type { IAscendKernelSummary, IAscendTaskTotal } from '../model';
import { cellNumber, cellText, roundUs, scanCsv } from './csv';

/** Columns every kernel_details.csv has, Level0 included. */
const REQUIRED = ['Name', 'Type', 'Accelerator Core', 'Duration(us)'] as const;

/** `Accelerator Core` of AI CPU tasks. */
const AI_CPU_CORE = 'AI_CPU';

/** Op type of format-conversion tasks. */
const TRANS_DATA_TYPE = 'TransData';

/**
 * Task-name parts that say AI CPU or TransData when Level0 records neither
 * core nor type (`aclnnCast_CastAiCpu_Cast`, `trans_TransData_0`).
 */
const AI_CPU_NAME = /AiCpu/;
const TRANS_DATA_NAME = /TransData/;

/** Label of tasks with no recorded core or type, as torch_npu writes it. */
const UNKNOWN = 'N/A';

/**
 * Read a kernel_details file into an aggregate.
 *
 * @param text The file's text.
 * @returns The aggregate, or null when the text is not a kernel_details file.
 */
export function parseKernelDetails(text: string): IAscendKernelSummary | null {
  const byCore = new Map<string, IAscendTaskTotal>();
  const byType = new Map<string, IAscendTaskTotal>();
  const aiCpu: IAscendTaskTotal = { count: 0, totalUs: 0 };
  const transData: IAscendTaskTotal = { count: 0, totalUs: 0 };
  const opState = { dynamic: 0, static: 0 };
  let tasks = 0;
  let totalUs = 0;
  let waitUs = 0;
  const add = (map: Map<string, IAscendTaskTotal>, key: string, dur: number): void => {
    const total = map.get(key);
    if (total) {
      total.count += 1;
      total.totalUs += dur;
    } else {
      map.set(key, { count: 1, totalUs: dur });
    }
  };
  const columns = scanCsv(text, REQUIRED, (cells, cols) => {
    const dur = cellNumber(cells, cols, 'Duration(us)') ?? 0;
    const name = cellText(cells, cols, 'Name') ?? '';
    const core = cellText(cells, cols, 'Accelerator Core');
    const type = cellText(cells, cols, 'Type');
    tasks += 1;
    totalUs += dur;
    waitUs += cellNumber(cells, cols, 'Wait Time(us)') ?? 0;
    add(byCore, core ?? UNKNOWN, dur);
    add(byType, type ?? UNKNOWN, dur);
    if (core === AI_CPU_CORE || (core === undefined && AI_CPU_NAME.test(name))) {
      aiCpu.count += 1;
      aiCpu.totalUs += dur;
    }
    if (type === TRANS_DATA_TYPE || (type === undefined && TRANS_DATA_NAME.test(name))) {
      transData.count += 1;
      transData.totalUs += dur;
    }
    const state = cellText(cells, cols, 'OP State');
    if (state === 'dynamic') {
      opState.dynamic += 1;
    } else if (state === 'static') {
      opState.static += 1;
    }
  });
  if (!columns) {
    return null;
  }
  const rounded = (total: IAscendTaskTotal): IAscendTaskTotal => ({
    count: total.count,
    totalUs: roundUs(total.totalUs)
  });
  const sorted = <K extends string>(map: Map<string, IAscendTaskTotal>, key: K) =>
    [...map.entries()]
      .map(([label, total]) => ({ [key]: label, ...rounded(total) }) as IAscendTaskTotal & Record<K, string>)
      .sort((a, b) => b.totalUs - a.totalUs || a[key].localeCompare(b[key]));
  const summary: IAscendKernelSummary = {
    tasks,
    totalUs: roundUs(totalUs),
    waitUs: roundUs(waitUs),
    byCore: sorted(byCore, 'core'),
    byType: sorted(byType, 'type'),
    aiCpu: rounded(aiCpu),
    transData: rounded(transData),
    // Level0 has no OP State column; only Level1+ can tell dynamic from static.
    reduced: !columns.has('OP State')
  };
  if (columns.has('OP State')) {
    summary.opState = opState;
  }
  return summary;
}
