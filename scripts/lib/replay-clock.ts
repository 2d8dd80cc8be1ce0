/**
 * The replay's trace clock, as cachesim keeps it (`--warmup-sec`, `--report-interval`):
 * a request's time counts from the trace's first request; requests at or before
 * `warmup` go through the caches uncounted; after that, a report falls after the first
 * request at least `interval` past the last report (the first report counts from the
 * end of the warm-up), the request that crosses included, never at time 0. Without a
 * warm-up, `warmup` is -1 (cachesim's default): nothing is skipped, and the first
 * report comes at `interval` - 1.
 *
 * `cut` splits a batch into segments that share both: warmed or counted, and whether
 * a report follows. The arrays are reused from batch to batch.
 */
export class ReplayClock {
  /** Segment i is requests [start[i], end[i]); counted[i] 1 when measured; report[i] 1 when a report follows it. */
  start = new Int32Array(8);
  end = new Int32Array(8);
  counted = new Uint8Array(8);
  report = new Uint8Array(8);
  /** The trace time (from the first request) of each report's last request. */
  reportTime = new Float64Array(8);
  segments = 0;
  private first = NaN;
  private lastReport: number;

  constructor(readonly warmup: number, readonly interval: number | undefined) {
    this.lastReport = warmup;
  }

  cut(time: Float64Array, n: number): void {
    this.segments = 0;
    let open = -1;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(this.first)) this.first = time[i]!;
      const t = time[i]! - this.first;
      const counted = t > this.warmup ? 1 : 0;
      if (open >= 0 && this.counted[open] !== counted) open = -1;
      if (open < 0) {
        open = this.open(i, counted);
      }
      this.end[open] = i + 1;
      if (counted && this.interval !== undefined && t - this.lastReport >= this.interval && t !== 0) {
        this.report[open] = 1;
        this.reportTime[open] = t;
        this.lastReport = t;
        open = -1;
      }
    }
  }

  private open(i: number, counted: number): number {
    const k = this.segments++;
    if (k === this.start.length) this.grow();
    this.start[k] = i;
    this.end[k] = i;
    this.counted[k] = counted;
    this.report[k] = 0;
    return k;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const int32 = (a: Int32Array) => { const b = new Int32Array(size); b.set(a); return b; };
    const uint8 = (a: Uint8Array) => { const b = new Uint8Array(size); b.set(a); return b; };
    this.start = int32(this.start);
    this.end = int32(this.end);
    this.counted = uint8(this.counted);
    this.report = uint8(this.report);
    const times = new Float64Array(size);
    times.set(this.reportTime);
    this.reportTime = times;
  }
}
