/**
 * Metrics: latency histograms (HdrHistogram's layout), counters, and timelines
 * bucketed per simulated second.
 */

// HdrHistogram with lowest discernible value 1 ns, highest trackable 10^13 ns and 3
// significant digits: sub-buckets of 2048 (half 1024), 34 buckets, 35,840 counts.
// Bucket k > 0 holds values in [2^(10+k), 2^(11+k)) in steps of 2^k; bucket 0 holds
// 0..2047 one by one. Recording, percentiles and merging follow HdrHistogram's
// definitions exactly (the tests hold it to hdr-histogram-js value for value); the
// counts are a plain typed array, so recording is a few integer operations.
const SUB_HALF_MAGNITUDE = 10;
const SUB_HALF = 1024;
const SUB_COUNT = 2048;
const COUNTS = 35_840;

/** Counts index of a value in ns (an integer ≥ 1). */
function countsIndex(ns: number): number {
  if (ns < SUB_COUNT) return ns;
  if (ns < 4294967296) {
    // floor(log2(ns)) = 31 - clz32(ns) exactly below 2^32, and the division a shift.
    const bucket = 21 - Math.clz32(ns);
    return (bucket + 1) * SUB_HALF + (ns >>> bucket) - SUB_HALF;
  }
  const bucket = Math.max(Math.floor(Math.log2(ns)) - SUB_HALF_MAGNITUDE, 0);
  const sub = Math.floor(ns / Math.pow(2, bucket));
  return (bucket + 1) * SUB_HALF + sub - SUB_HALF;
}

/** Lowest value of a counts index. */
function valueFromIndex(index: number): number {
  let bucket = Math.floor(index / SUB_HALF) - 1;
  let sub = (index % SUB_HALF) + SUB_HALF;
  if (bucket < 0) {
    sub -= SUB_HALF;
    bucket = 0;
  }
  return sub * Math.pow(2, bucket);
}

/** Highest value equivalent to `value` at the histogram's resolution. */
function highestEquivalentValue(value: number): number {
  const bucket = Math.max(Math.floor(Math.log2(value)) - SUB_HALF_MAGNITUDE, 0);
  const sub = Math.floor(value / Math.pow(2, bucket));
  const lowest = sub * Math.pow(2, bucket);
  return lowest + Math.pow(2, sub >= SUB_COUNT ? bucket + 1 : bucket) - 1;
}

const ulp = (x: number) => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/** Counts per group of 1024 consecutive counts indexes (GROUP_BITS = 10): 35 groups. */
const GROUP_BITS = 10;
const GROUPS = COUNTS >> GROUP_BITS;

/** Latencies in µs, recorded with 3 significant digits from 0.001 µs to ~3 hours. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(COUNTS);
  /**
   * The counts summed per group of 1024 indexes: a percentile walks the groups to the
   * one holding its rank and scans that group alone, and reset clears only groups in
   * use. A timeline closes a histogram every simulated second (its p50 and p99, then a
   * clear): scanning and clearing all the counts there cost the matrix's S3 cells half
   * their time, and scanning from the lowest count in use still a sixth, their
   * latencies spanning 15,000 indexes from memory hits to S3 reads.
   */
  private readonly groups = new Uint32Array(GROUPS);
  private total = 0;
  /** Largest value recorded, ns. */
  private maxNs = 0;
  private sum = 0;

  record(us: number): void {
    let ns = Math.round(us * 1000);
    if (ns < 1) ns = 1;
    const i = countsIndex(ns);
    if (!(i < COUNTS)) throw new Error(`latency ${us} µs is outside the histogram's range`);
    this.counts[i]!++;
    this.groups[i >>> GROUP_BITS]!++;
    this.total++;
    if (ns > this.maxNs) this.maxNs = ns;
    this.sum += us;
  }

  get count(): number {
    return this.total;
  }

  /** Empties the histogram for reuse. */
  reset(): void {
    if (this.total > 0) {
      const groups = this.groups;
      for (let g = 0; g < GROUPS; g++) {
        if (groups[g] === 0) continue;
        this.counts.fill(0, g << GROUP_BITS, (g + 1) << GROUP_BITS);
        groups[g] = 0;
      }
    }
    this.total = 0;
    this.maxNs = 0;
    this.sum = 0;
  }

  /** The p-th percentile (p in 0..100), µs: the highest value equivalent to the sample at that rank. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const fp = (Math.min(p, 100) / 100) * this.total;
    const rank = Math.max(Math.ceil(fp - ulp(fp)), 1);
    // The group holding the rank, then the index within it.
    const groups = this.groups;
    let seen = 0;
    let g = 0;
    while (g < GROUPS - 1 && seen + groups[g]! < rank) seen += groups[g++]!;
    const counts = this.counts;
    const end = (g + 1) << GROUP_BITS;
    for (let i = g << GROUP_BITS; i < end; i++) {
      seen += counts[i]!;
      if (seen >= rank) {
        const v = valueFromIndex(i);
        return (p === 0 ? v : highestEquivalentValue(v)) / 1000;
      }
    }
    return 0;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get max(): number {
    return this.total === 0 ? 0 : this.maxNs / 1000;
  }

  add(other: LatencyHistogram): void {
    const a = this.counts;
    const b = other.counts;
    for (let g = 0; g < GROUPS; g++) {
      if (other.groups[g] === 0) continue;
      this.groups[g]! += other.groups[g]!;
      for (let i = g << GROUP_BITS, end = (g + 1) << GROUP_BITS; i < end; i++) if (b[i] !== 0) a[i]! += b[i]!;
    }
    this.total += other.total;
    if (other.maxNs > this.maxNs) this.maxNs = other.maxNs;
    this.sum += other.sum;
  }

  /**
   * The distribution as CDF points {latencyUs, fraction}: every percent, then the tail
   * in finer steps (p99.1 … p99.9, p99.95, p99.99) and the maximum; where several
   * fractions share one latency only the highest is kept.
   */
  cdf(): CdfPoint[] {
    if (this.total === 0) return [];
    const points: CdfPoint[] = [];
    const max = this.max;
    for (const fraction of CDF_FRACTIONS) {
      // A percentile is its bucket's highest equivalent value, which may pass the true maximum.
      const latencyUs = fraction === 1 ? max : Math.min(this.percentile(fraction * 100), max);
      const last = points[points.length - 1];
      if (last && last.latencyUs === latencyUs) last.fraction = fraction;
      else points.push({ latencyUs, fraction });
    }
    return points;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.percentile(50), p90: this.percentile(90), p99: this.percentile(99), p999: this.percentile(99.9),
      max: this.max, mean: this.mean,
    };
  }
}

export interface CdfPoint {
  latencyUs: number;
  /** Fraction of operations at or below latencyUs. */
  fraction: number;
}

const CDF_FRACTIONS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100),
  ...Array.from({ length: 9 }, (_, i) => (991 + i) / 1000),
  0.9995, 0.9999, 1,
];

export interface LatencySummary {
  count: number; p50: number; p90: number; p99: number; p999: number; max: number; mean: number;
}

/**
 * Per-simulated-second series. `add` sums into the second's bucket, `set` keeps the
 * last value (gauges such as bytes used), `latency` feeds a per-second histogram.
 */
export class Timeline {
  private readonly sums = new Map<string, number[]>();
  private readonly gauges = new Map<string, number[]>();
  private readonly latencies = new Map<string, SecondPercentiles>();
  private lastSecond = -1;
  /** Simulated time at which the timeline starts (the measured run); earlier samples are ignored. */
  private origin = 0;
  /** The series latency() fed last, and its second. */
  private lastLatencySeries: string | undefined = undefined;
  private lastLatencySecond = -1;
  private lastLatency: SecondPercentiles | undefined = undefined;

  constructor(readonly bucketUs = 1e6) {}

  /**
   * Starts the timeline at `timeUs`: whatever was recorded before (load, warm-up) is
   * dropped, and later samples count from there. A gauge keeps its level: its last
   * value stands in the first second until it is set again (a gauge set only when it
   * changes would otherwise read 0 until its first change in the measured run).
   */
  startAt(timeUs: number): void {
    this.origin = timeUs;
    this.sums.clear();
    for (const [name, arr] of this.gauges) {
      let i = arr.length - 1;
      while (i >= 0 && arr[i] === undefined) i--;
      if (i < 0) this.gauges.delete(name);
      else this.gauges.set(name, [arr[i]!]);
    }
    this.latencies.clear();
    this.lastSecond = -1;
    this.lastLatencySeries = undefined;
  }

  private bucket(timeUs: number): number {
    const b = Math.floor((timeUs - this.origin) / this.bucketUs);
    if (b > this.lastSecond) this.lastSecond = b;
    return b;
  }

  add(series: string, timeUs: number, value = 1): void {
    const b = this.bucket(timeUs);
    if (b < 0) return;
    let arr = this.sums.get(series);
    if (!arr) this.sums.set(series, (arr = []));
    arr[b] = (arr[b] ?? 0) + value;
  }

  set(series: string, timeUs: number, value: number): void {
    const b = this.bucket(timeUs);
    if (b < 0) return;
    let arr = this.gauges.get(series);
    if (!arr) this.gauges.set(series, (arr = []));
    arr[b] = value;
  }

  /**
   * A latency sample of `series`. Samples come in time order (simulated time never
   * goes back), so each series keeps one histogram for its current second and keeps
   * only p50 and p99 of the seconds before: memory does not grow with run length.
   */
  latency(series: string, timeUs: number, us: number): void {
    // Most calls land in the same series and second as the last one.
    const second = Math.floor((timeUs - this.origin) / this.bucketUs);
    if (series === this.lastLatencySeries && second === this.lastLatencySecond) {
      this.lastLatency!.h.record(us);
      return;
    }
    const b = this.bucket(timeUs);
    if (b < 0) return;
    let s = this.latencies.get(series);
    if (!s) this.latencies.set(series, (s = new SecondPercentiles()));
    s.moveTo(b);
    s.h.record(us);
    this.lastLatencySeries = series;
    this.lastLatencySecond = b;
    this.lastLatency = s;
  }

  /** Rows, one per bucket: `second` plus every series (sums, gauges carried forward, p50/p99 of latencies). */
  rows(): Record<string, number>[] {
    const rows: Record<string, number>[] = [];
    const lastGauge = new Map<string, number>();
    for (let b = 0; b <= this.lastSecond; b++) {
      const row: Record<string, number> = { second: (b * this.bucketUs) / 1e6 };
      for (const [name, arr] of this.sums) row[name] = arr[b] ?? 0;
      for (const [name, arr] of this.gauges) {
        if (arr[b] !== undefined) lastGauge.set(name, arr[b]!);
        row[name] = lastGauge.get(name) ?? 0;
      }
      for (const [name, s] of this.latencies) {
        row[`${name}P50Us`] = s.p50At(b);
        row[`${name}P99Us`] = s.p99At(b);
      }
      rows.push(row);
    }
    return rows;
  }
}

/** One latency series of a timeline: the current second's histogram, p50/p99 of the closed ones. */
class SecondPercentiles {
  readonly h = new LatencyHistogram();
  private second = -1;
  private readonly p50: number[] = [];
  private readonly p99: number[] = [];

  /** Closes the current second when `second` is a later one. */
  moveTo(second: number): void {
    if (second === this.second) return;
    if (second < this.second) throw new Error(`timeline: latency at second ${second} after second ${this.second}`);
    this.close();
    this.second = second;
  }

  private close(): void {
    if (this.second < 0 || this.h.count === 0) return;
    this.p50[this.second] = this.h.percentile(50);
    this.p99[this.second] = this.h.percentile(99);
    this.h.reset();
  }

  p50At(second: number): number {
    return second === this.second ? this.h.percentile(50) : this.p50[second] ?? 0;
  }

  p99At(second: number): number {
    return second === this.second ? this.h.percentile(99) : this.p99[second] ?? 0;
  }
}
