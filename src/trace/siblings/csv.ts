/**
 * The CSV reading shared by the sibling parsers: Papa Parse does the
 * splitting (quoted commas, `"""32,3,224,224"""` shapes, multi-line `Call
 * Stack` cells, CRLF); this module adds what torch_npu's files need on top —
 * columns looked up by header name (newer files insert `Device_id`), numbers
 * with a trailing tab, and `N/A`.
 *
 * Pure module.
 */
import * as Papa from 'papaparse';

/** Byte-order mark some Windows tools put before the header. */
const BOM = '\uFEFF';

/** Written by torch_npu where a value does not apply. */
const NOT_APPLICABLE = 'N/A';

/** Header name → column index. */
export type CsvColumns = ReadonlyMap<string, number>;

/**
 * Read CSV text row by row without keeping the rows, so big files (a
 * kernel_details.csv of a long run) are aggregated in one pass.
 *
 * @param text The file's text.
 * @param required Header names the format must have; when one is missing the
 *   text is taken as another format and no row is read.
 * @param onRow Called for each data row with the row's cells and the header map.
 * @returns The header map, or null when the text has no header with every required column.
 */
export function scanCsv(
  text: string,
  required: readonly string[],
  onRow: (cells: string[], columns: CsvColumns) => void
): CsvColumns | null {
  let columns: Map<string, number> | null = null;
  let rejected = false;
  Papa.parse<string[]>(text.startsWith(BOM) ? text.slice(BOM.length) : text, {
    // Fixed, not sniffed: the tab after torch_npu's timestamps could make
    // Papa Parse guess a tab delimiter.
    delimiter: ',',
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      const cells = result.data;
      if (columns === null) {
        const header = new Map<string, number>();
        cells.forEach((name, index) => {
          const key = name.trim();
          if (!header.has(key)) {
            header.set(key, index);
          }
        });
        if (required.some(name => !header.has(name))) {
          rejected = true;
          parser.abort();
          return;
        }
        columns = header;
        return;
      }
      onRow(cells, columns);
    }
  });
  return rejected ? null : columns;
}

/**
 * Cell text of a column, trimmed (torch_npu ends timestamps with a tab), or
 * undefined when the column is absent, the row is short, or the cell is empty or `N/A`.
 */
export function cellText(cells: string[], columns: CsvColumns, name: string): string | undefined {
  const index = columns.get(name);
  if (index === undefined || index >= cells.length) {
    return undefined;
  }
  const text = cells[index].trim();
  return text === '' || text === NOT_APPLICABLE ? undefined : text;
}

/** Numeric value of a column, or undefined when the cell is missing, `N/A` or not a number. */
export function cellNumber(cells: string[], columns: CsvColumns, name: string): number | undefined {
  const text = cellText(cells, columns, name);
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** torch_npu writes µs with three decimals: sums are rounded back to that. */
const NS_PER_US = 1000;

/**
 * A sum of µs values rounded to the nanosecond the files are written in, so
 * float noise (1423.2020000000005) does not reach the summary.
 */
export function roundUs(value: number): number {
  return Math.round(value * NS_PER_US) / NS_PER_US;
}
