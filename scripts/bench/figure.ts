/** One printed figure of `tiersim bench`, and the shape of a bench section. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** '' when the figure is informative only; otherwise e.g. '>= 1.8'. */
  target: string;
  meets: boolean;
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
  return { name, value: Number(value.toFixed(digits)), unit, target: `>= ${target}`, meets: value >= target };
}

/** A figure with an upper bound. */
export function atMost(name: string, value: number, unit: string, target: number, digits = 2): Figure {
  return { name, value: Number(value.toFixed(digits)), unit, target: `<= ${target}`, meets: value <= target };
}

/** An informative figure with no target. */
export function info(name: string, value: number, unit: string, digits = 2): Figure {
  return { name, value: Number(value.toFixed(digits)), unit, target: '', meets: true };
}
