/**
 * CSV output. Cells that a spreadsheet would run as a formula (starting with
 * = + - @ or a tab/CR) are quoted with a leading apostrophe, so names taken from
 * traces and configs cannot inject formulas; negative numbers stay numbers.
 */
import { stringify } from 'csv-stringify/sync';

function safeCell(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Rows of objects to CSV text; the columns are `columns`, or the union of the rows' keys in order. */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return stringify(rows.map((r) => cols.map((c) => safeCell(r[c]))), { header: true, columns: cols });
}
