/**
 * `api_statistic.csv` (Level1 and Level2): call count and time of each CANN
 * API, e.g. `aclopCompileAndExecute` (online operator compilation) or
 * `aclrtSynchronizeStreamWithTimeout`. Newer torch_npu adds a leading
 * `Device_id` column whose value is `host`.
 *
 * Pure module.
 */
import type { IAscendApiStat } from '../model';
import { cellNumber, cellText, roundUs, scanCsv } from './csv';

/** Columns every api_statistic.csv has. */
const REQUIRED = ['API Name', 'Time(us)', 'Count'] as const;

/**
 * Read an api_statistic file.
 *
 * @param text The file's text.
 * @returns One entry per API name (rows of the same name, e.g. from several
 *   devices, are added up), longest total time first; or null when the text
 *   is not an api_statistic file.
 */
export function parseApiStatistic(text: string): IAscendApiStat[] | null {
  const byName = new Map<string, IAscendApiStat>();
  const columns = scanCsv(text, REQUIRED, (cells, cols) => {
    const name = cellText(cells, cols, 'API Name');
    if (name === undefined) {
      return;
    }
    let stat = byName.get(name);
    if (!stat) {
      stat = { name, level: cellText(cells, cols, 'Level') ?? '', count: 0, totalUs: 0 };
      byName.set(name, stat);
    }
    stat.count += cellNumber(cells, cols, 'Count') ?? 0;
    stat.totalUs += cellNumber(cells, cols, 'Time(us)') ?? 0;
  });
  if (!columns) {
    return null;
  }
  return [...byName.values()]
    .map(stat => ({ ...stat, totalUs: roundUs(stat.totalUs) }))
    .sort((a, b) => b.totalUs - a.totalUs || a.name.localeCompare(b.name));
}
