/** One printed figure of `tiersim bench`, and the shape of a bench section. */
import { median } from 'simple-statistics';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** '' when the figure is informative only; otherwise e.g. '>= 1.8'. */
  target: string;
  meets: boolean;
  /** Decimals the value is printed with. */
  digits?: number;
  /** With `--repeat`: every run's value (value is their median). */
  runs?: number[];
}

export interface BenchOptions {
  /** Smaller sizes, for a fast look. */
  quick: boolean;
  /** Extra inputs some sections take (e.g. a peer simulator's path). */
  peerCachesim?: string;
  /** RocksDB's db_bench, run beside the store figures. */
  peerDbBench?: string;
}

/** A group of figures: one file per hot path or end-to-end measure. */
export interface BenchSection {
  name: string;
  run(options: BenchOptions): Promise<Figure[]>;
}

/** A figure with a lower bound. */
export function atLeast(name: string, value: number, unit: string, target: number, digits = 2): Figure {
  const bound = `>= ${target}`;
  return { name, value: Number(value.toFixed(digits)), unit, target: bound, meets: meetsTarget(bound, value), digits };
}

/** A figure with an upper bound. */
export function atMost(name: string, value: number, unit: string, target: number, digits = 2): Figure {
  const bound = `<= ${target}`;
  return { name, value: Number(value.toFixed(digits)), unit, target: bound, meets: meetsTarget(bound, value), digits };
}

/** An informative figure with no target. */
export function info(name: string, value: number, unit: string, digits = 2): Figure {
  return { name, value: Number(value.toFixed(digits)), unit, target: '', meets: true, digits };
}

/** Whether a value meets a figure's target ('>= 1.8', '<= 40'; no target: true): the one reading of a target. */
export function meetsTarget(target: string, value: number): boolean {
  const m = /^(>=|<=) (\S+)$/.exec(target);
  if (m === null) return true;
  const bound = Number(m[2]);
  return m[1] === '>=' ? value >= bound : value <= bound;
}

/**
 * One section's figures from several runs of it, by name (the n-th figure of a name
 * in one run with the n-th of that name in the others: a section may print one
 * sub-line, such as a load's time, under each of its figures): each figure's median,
 * held against its target, with every run's value kept (`runs`). A figure that some
 * runs lack is the median of those that have it. One run comes back as it is.
 */
export function medianOfRuns(runs: Figure[][]): Figure[] {
  if (runs.length === 1) return runs[0]!;
  const byName = new Map<string, Figure[]>();
  for (const run of runs) {
    const keys = figureKeys(run);
    run.forEach((f, i) => {
      const same = byName.get(keys[i]!);
      if (same === undefined) byName.set(keys[i]!, [f]);
      else same.push(f);
    });
  }
  return [...byName.values()].map((same) => {
    const values = same.map((f) => f.value);
    // The median of an even count is a mean: back to the figure's own decimals.
    const digits = same[0]!.digits;
    const value = digits === undefined ? median(values) : Number(median(values).toFixed(digits));
    return { ...same[0]!, value, meets: meetsTarget(same[0]!.target, value), runs: values };
  });
}

/** Each figure's identity across runs: `${n} ${name}` for the n-th figure of a name. */
export function figureKeys(figures: Figure[]): string[] {
  const seen = new Map<string, number>();
  return figures.map((f) => {
    const n = seen.get(f.name) ?? 0;
    seen.set(f.name, n + 1);
    return `${n} ${f.name}`;
  });
}
