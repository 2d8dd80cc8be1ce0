/** Flattens nested results into one CSV row: `latencyUs.get.p99` and so on. */
export function flatten(value: unknown, prefix = '', out: Record<string, string | number | boolean> = {}): Record<string, string | number | boolean> {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    out[prefix] = value;
  }
  return out;
}

/**
 * One CSV row of a run summary: everything but the fine latency CDF (a hundred points
 * per op type; summary.json keeps it, the charts read it from there).
 */
export function summaryRow(summary: Record<string, unknown>): Record<string, string | number | boolean> {
  return flatten({ ...summary, latencyCdf: undefined });
}
