/**
 * `tiersim run --seed 1,2,3`: after the table, each setup taken over its seeds — the
 * geometric mean of its operations per simulated second with a 95% interval and, with
 * a policy list, its throughput over the first policy's in the same setup, seed by
 * seed (paired: both ran the same draws), the same way (reports/compare-seeds.ts).
 */
import { geomeanInterval, type GeomeanInterval } from '../../reports/compare-seeds.ts';

export interface SeedSample {
  /** The setup without its seed (`adaptive 40%`). */
  group: string;
  /** The same setup under the first policy listed, to hold this one against; none for that policy itself. */
  baseline: string | undefined;
  seed: number;
  opsPerSecond: number;
}

export interface SeedLine {
  group: string;
  seeds: number;
  opsPerSecond: GeomeanInterval;
  versus?: { baseline: string; ratio: GeomeanInterval };
}

/** One line per group of two or more seeds, in the order the groups first appear. */
export function summarizeSeeds(samples: SeedSample[]): SeedLine[] {
  const groups = new Map<string, SeedSample[]>();
  for (const s of samples) {
    let g = groups.get(s.group);
    if (g === undefined) groups.set(s.group, (g = []));
    g.push(s);
  }
  const lines: SeedLine[] = [];
  for (const [group, g] of groups) {
    if (g.length < 2) continue;
    const line: SeedLine = { group, seeds: g.length, opsPerSecond: geomeanInterval(g.map((s) => s.opsPerSecond)) };
    const baseline = g[0]!.baseline;
    const base = baseline === undefined ? undefined : new Map((groups.get(baseline) ?? []).map((s) => [s.seed, s.opsPerSecond]));
    if (baseline !== undefined && base !== undefined && g.every((s) => base.has(s.seed))) {
      line.versus = { baseline, ratio: geomeanInterval(g.map((s) => s.opsPerSecond / base.get(s.seed)!)) };
    }
    lines.push(line);
  }
  return lines;
}

const range = (i: GeomeanInterval, digits: number) => `${i.low.toFixed(digits)}–${i.high.toFixed(digits)}`;

/** The lines as printed under the table. */
export function formatSeedLines(lines: SeedLine[], seeds: number[]): string[] {
  if (lines.length === 0) return [];
  const width = Math.max(12, ...lines.map((l) => l.group.length));
  return [
    `over seeds ${seeds.join(', ')} (geometric mean, 95% interval):`,
    ...lines.map((l) => `${l.group.padEnd(width)} ${l.opsPerSecond.geomean.toFixed(0).padStart(7)} ops/s (${range(l.opsPerSecond, 0)})`
      + (l.versus ? `  ${l.versus.ratio.geomean.toFixed(3)}× ${l.versus.baseline} (${range(l.versus.ratio, 3)})` : '')),
  ];
}
