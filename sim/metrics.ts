/**
 * Metrics: latency histograms (HdrHistogram), counters, and timelines bucketed
 * per simulated second.
 */
import * as hdr from 'hdr-histogram-js';

/** Latencies in µs, recorded with 3 significant digits from 0.001 µs to ~3 hours. */
export class LatencyHistogram {
  private readonly h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 1e13, // ns
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
  private sum = 0;

  record(us: number): void {
    const ns = Math.round(us * 1000);
    this.h.recordValue(ns < 1 ? 1 : ns);
    this.sum += us;
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** The p-th percentile (p in 0..100), µs. */
  percentile(p: number): number {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p) / 1000;
  }

  get mean(): number {
    return this.h.totalCount === 0 ? 0 : this.sum / this.h.totalCount;
  }

  get max(): number {
    return this.h.totalCount === 0 ? 0 : this.h.maxValue / 1000;
  }

  add(other: LatencyHistogram): void {
    this.h.add(other.h);
    this.sum += other.sum;
  }

  /**
   * The distribution as CDF points {latencyUs, fraction}: every percent, then the tail
   * in finer steps (p99.1 … p99.9, p99.95, p99.99) and the maximum; where several
   * fractions share one latency only the highest is kept.
   */
  cdf(): CdfPoint[] {
    if (this.h.totalCount === 0) return [];
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
  private readonly latencies = new Map<string, LatencyHistogram[]>();
  private lastSecond = -1;
  /** Simulated time at which the timeline starts (the measured run); earlier samples are ignored. */
  private origin = 0;

  constructor(readonly bucketUs = 1e6) {}

  /**
   * Starts the timeline at `timeUs`: whatever was recorded before (load, warm-up) is
   * dropped, and later samples count from there.
   */
  startAt(timeUs: number): void {
    this.origin = timeUs;
    this.sums.clear();
    this.gauges.clear();
    this.latencies.clear();
    this.lastSecond = -1;
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

  latency(series: string, timeUs: number, us: number): void {
    const b = this.bucket(timeUs);
    if (b < 0) return;
    let arr = this.latencies.get(series);
    if (!arr) this.latencies.set(series, (arr = []));
    (arr[b] ??= new LatencyHistogram()).record(us);
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
      for (const [name, arr] of this.latencies) {
        const h = arr[b];
        row[`${name}P50Us`] = h ? h.percentile(50) : 0;
        row[`${name}P99Us`] = h ? h.percentile(99) : 0;
      }
      rows.push(row);
    }
    return rows;
  }
}
