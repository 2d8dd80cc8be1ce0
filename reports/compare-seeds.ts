/**
 * `report --compare` across seeds: the setups that differ only in their seed, taken
 * together. A single seed's ratio can turn on a few draws (a dozen reads of a
 * heavy-tailed DFS); over several seeds the question is whether the policy's
 * throughput ratio is below the bar more than its spread from seed to seed explains.
 * Per group: the geometric mean of the ratios and a 95% confidence interval of it,
 * Student's t on the logs of the ratios (the seeds as independent samples of one
 * setup; each seed's ratio is paired, policy and baselines run the same draws), and
 * whether the setup taken over its seeds meets the bar: the geometric means of its
 * throughput and p99 ratios, held to the bar a single run is held to.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { formatBytes, formatShare } from '../sim/units.ts';
import { toCsv } from './csv.ts';
import type { Comparison, CompareRow } from './compare.ts';
import type { DisplayTable } from './table.ts';

/** Where the interval lies against the bar: wholly below, across it, or at or above. */
export type SeedVerdict = 'below' | 'undecided' | 'above';

export interface SeedGroup {
  /** The setup's name with its seed taken out (`nexmark-q18-10MiB-s3-s1` → `nexmark-q18-10MiB-s3`). */
  setup: string;
  workload: string;
  dfs: string | undefined;
  cacheSizeBytes: number | undefined;
  cacheShare: number | undefined;
  seeds: number[];
  /** Each seed's throughput ratio, in the order of `seeds`. */
  ratios: number[];
  geomeanRatio: number;
  leastRatio: number;
  /** The 95% confidence interval of the geometric-mean ratio. */
  ciLow: number;
  ciHigh: number;
  /** Seeds whose setup meets the bar (throughput and p99). */
  meets: number;
  verdict: SeedVerdict;
  /** The geometric mean of the seeds' get p99 ratios. */
  geomeanP99Ratio: number;
  /** The setup taken over its seeds meets the bar: both geometric means do. */
  geomeanMeets: boolean;
}

export const SEED_COLUMNS: (keyof SeedGroup)[] = [
  'setup', 'workload', 'dfs', 'cacheSizeBytes', 'seeds', 'ratios', 'geomeanRatio', 'leastRatio', 'ciLow', 'ciHigh', 'meets', 'verdict',
  'geomeanP99Ratio', 'geomeanMeets',
];

/** Student's t, two-sided 95% (the 0.975 quantile), for 1–30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (beyond 30, Fisher and Cornish's expansion). */
export function t975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`t975: ${df} degrees of freedom`);
  if (df <= T975.length) return T975[Math.floor(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/** A geometric mean of positive values and its 95% confidence interval (Student's t on their logs). */
export interface GeomeanInterval {
  geomean: number;
  low: number;
  high: number;
}

/** The geometric mean of positive values. */
function geomean(xs: number[]): number {
  return Math.exp(mean(xs.map((x) => Math.log(Math.max(x, 1e-12)))));
}

/** The geometric mean of `xs` (at least two, positive) with its 95% interval, Student's t on the logs. */
export function geomeanInterval(xs: number[]): GeomeanInterval {
  const logs = xs.map((x) => Math.log(Math.max(x, 1e-12)));
  const m = mean(logs);
  const half = t975(logs.length - 1) * sampleStandardDeviation(logs) / Math.sqrt(logs.length);
  return { geomean: Math.exp(m), low: Math.exp(m - half), high: Math.exp(m + half) };
}

/** The setup with its seed token (`-s<seed>`, the last one) taken out; undefined when it has none. */
export function seedlessName(row: Pick<CompareRow, 'setup' | 'seed'>): string | undefined {
  if (row.seed === undefined) return undefined;
  const tokens = row.setup.split('-');
  const at = tokens.lastIndexOf(`s${row.seed}`);
  if (at <= 0) return undefined;
  tokens.splice(at, 1);
  return tokens.join('-');
}

/** Groups of two or more seeds of one setup, in the comparison's order, the ones whose interval lies below the bar first. */
export function compareAcrossSeeds(c: Comparison): SeedGroup[] {
  const groups = new Map<string, CompareRow[]>();
  for (const r of c.rows) {
    const name = seedlessName(r);
    if (name === undefined) continue;
    let g = groups.get(name);
    if (g === undefined) groups.set(name, (g = []));
    g.push(r);
  }
  const out: SeedGroup[] = [];
  for (const [setup, rows] of groups) {
    // Two seeds at least, each once.
    const seeds = new Set(rows.map((r) => r.seed)).size;
    if (seeds < 2 || seeds !== rows.length) continue;
    const ratios = rows.map((r) => r.throughputRatio);
    const { geomean: geomeanRatio, low: ciLow, high: ciHigh } = geomeanInterval(ratios);
    // Each seed's p99 against that seed's best baseline, taken together as the throughput ratios are.
    const geomeanP99Ratio = geomean(rows.map((r) => r.p99Ratio));
    const first = rows[0]!;
    out.push({
      setup, workload: first.workload, dfs: first.dfs, cacheSizeBytes: first.cacheSizeBytes, cacheShare: first.cacheShare,
      seeds: rows.map((r) => r.seed!), ratios, geomeanRatio, leastRatio: Math.min(...ratios), ciLow, ciHigh,
      meets: rows.filter((r) => r.meets).length,
      verdict: ciHigh < c.options.minRatio ? 'below' : ciLow >= c.options.minRatio ? 'above' : 'undecided',
      geomeanP99Ratio,
      geomeanMeets: geomeanRatio >= c.options.minRatio && geomeanP99Ratio <= c.options.maxP99Ratio,
    });
  }
  const rank: Record<SeedVerdict, number> = { below: 0, undecided: 1, above: 2 };
  return out.sort((a, b) => rank[a.verdict] - rank[b.verdict]);
}

export function seedsCsv(groups: SeedGroup[]): string {
  return toCsv(groups.map((g) => ({
    ...g, seeds: g.seeds.join(' '), ratios: g.ratios.map((r) => r.toFixed(4)).join(' '), geomeanMeets: g.geomeanMeets ? 1 : 0,
  })), SEED_COLUMNS);
}

/** One line: how many setups meet the bar over their seeds, and where the intervals lie against it. */
export function seedsVerdict(c: Comparison, groups: SeedGroup[]): string {
  const n = (v: SeedVerdict) => groups.filter((g) => g.verdict === v).length;
  const least = Math.min(...groups.map((g) => g.geomeanRatio));
  return `across seeds, ${groups.length} setups: taken over its seeds (geometric means of the paired ratios) ${c.options.policy} meets the bar in `
    + `${groups.filter((g) => g.geomeanMeets).length} (least throughput ratio ${least.toFixed(3)}); `
    + `the 95% interval of its geometric-mean throughput ratio lies below ${c.options.minRatio} in ${n('below')}, `
    + `across it in ${n('undecided')}, at or above it in ${n('above')}`;
}

/** Every group, the ones below the bar first, then the ones across it. */
export function seedsDisplay(c: Comparison, groups: SeedGroup[]): DisplayTable {
  return {
    title: `${c.options.policy} across seeds (throughput over the best of ${c.options.against.join(', ')}; 95% interval of the geometric mean, Student's t on log ratios)`,
    columns: ['setup', 'DFS', 'local cache', 'seeds', 'ratio per seed', 'geomean ratio', '95% interval', 'geomean p99 ratio', 'geomeans meet the bar', 'seeds meeting the bar', 'interval against the bar']
      .map((label) => ({ label, numeric: ['geomean ratio', 'geomean p99 ratio', 'seeds meeting the bar'].includes(label) })),
    rows: groups.map((g) => [
      g.setup, g.dfs ?? '', g.cacheSizeBytes ? formatBytes(g.cacheSizeBytes) + (g.cacheShare === undefined ? '' : ` (${formatShare(g.cacheShare)} of state)`) : '—',
      g.seeds.join(', '), g.ratios.map((r) => r.toFixed(3)).join(', '), g.geomeanRatio.toFixed(3),
      `${g.ciLow.toFixed(3)} – ${g.ciHigh.toFixed(3)}`, g.geomeanP99Ratio.toFixed(2), g.geomeanMeets ? 'yes' : 'NO', `${g.meets} of ${g.seeds.length}`,
      g.verdict === 'below' ? `below ${c.options.minRatio}` : g.verdict === 'above' ? 'at or above' : 'across',
    ]),
  };
}
