/**
 * A device is a queueing server: `concurrency` parallel slots and a FIFO queue behind
 * them. A request's service time is a sampled first-byte latency plus
 * bytes / per-stream bandwidth; an optional aggregate bandwidth cap is a FIFO pipe
 * shared by all streams (e.g. a machine's 25 Gbit/s NIC in front of a DFS).
 *
 * Requests arrive in non-decreasing simulated time (the scheduler guarantees it),
 * so a request's completion time is known when it is submitted: it takes the slot
 * that frees first. That is exactly a FIFO multi-server queue.
 *
 * A read may carry a key (the store's block id): its first-byte latency is then drawn
 * from that key's own stream, the n-th read of a key always the same draw (common
 * random numbers). Two runs on one seed that read the same block draw the same
 * latency for it, so policies compared on a seed differ by what they read, not by
 * which read the dice gave the tail. Unkeyed requests draw from the device's stream.
 */
import { z } from 'zod';
import { distributionSpec, makeDistribution, type Distribution } from './distributions.ts';
import { Rng } from './random.ts';

const direction = z.object({
  /** Latency to the first byte, µs. */
  firstByte: distributionSpec,
  /** Bytes per second of one stream (one request). */
  bandwidthBytesPerSec: z.number().positive(),
  /** USD per request and per GB (10^9 bytes) transferred, where the provider charges. */
  costPerRequestUsd: z.number().nonnegative().default(0),
  costPerGBUsd: z.number().nonnegative().default(0),
}).strict();

export const deviceSpec = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Where the figures come from. */
  source: z.string().optional(),
  concurrency: z.number().int().positive(),
  read: direction,
  write: direction,
  /** Bytes per second shared by every stream of the device (e.g. the NIC). */
  aggregateBandwidthBytesPerSec: z.number().positive().optional(),
  /** Usable bytes, for caches placed on it. */
  capacityBytes: z.number().positive().optional(),
}).strict();
export type DeviceSpec = z.input<typeof deviceSpec>;
type ResolvedSpec = z.output<typeof deviceSpec>;

/** Slots of a device's per-key read counts. */
const KEY_BITS = 20;
const KEY_SLOTS = 2 ** KEY_BITS;

export class DeviceStats {
  reads = 0;
  writes = 0;
  bytesRead = 0;
  bytesWritten = 0;
  /** Requests and bytes marked background (flush, compaction, downloads). */
  backgroundRequests = 0;
  backgroundBytes = 0;
  /** Sum of service times over all requests, µs. */
  busyUs = 0;
  /** Sum of time spent queued before a slot was free, µs. */
  queueWaitUs = 0;
  costUsd = 0;
}

export class Device {
  readonly spec: ResolvedSpec;
  readonly stats = new DeviceStats();
  private readonly rng: Rng;
  private readonly keyBase: number;
  private readonly keyRng = Rng.rekeyable();
  /** Reads so far of each key, by hashed key (keys that share a slot share a count: their draws stay distinct). */
  private keyReads: Uint32Array | undefined;
  private readonly readLatency: Distribution;
  private readonly writeLatency: Distribution;
  /** Min-heap of the times at which each slot is free again. */
  private readonly slotFree: Float64Array;
  private pipeFree = 0;
  private readonly usPerByteRead: number;
  private readonly usPerByteWrite: number;
  private readonly usPerBytePipe: number;
  /**
   * While true, requests complete when submitted and draw no latency; they are still
   * counted. The load phase runs so: the state that exists when a job starts does not
   * depend on how fast this run's devices and cache would have written it.
   */
  instant = false;

  constructor(spec: DeviceSpec, seed: number, streamName = `device/${spec.name}`) {
    this.spec = deviceSpec.parse(spec);
    this.rng = Rng.stream(seed, streamName);
    this.keyBase = Rng.keyBase(seed, `${streamName}/keyed`);
    this.readLatency = makeDistribution(this.spec.read.firstByte);
    this.writeLatency = makeDistribution(this.spec.write.firstByte);
    this.slotFree = new Float64Array(this.spec.concurrency);
    this.usPerByteRead = 1e6 / this.spec.read.bandwidthBytesPerSec;
    this.usPerByteWrite = 1e6 / this.spec.write.bandwidthBytesPerSec;
    const agg = this.spec.aggregateBandwidthBytesPerSec;
    this.usPerBytePipe = agg ? 1e6 / agg : 0;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Submits a read at `now` (with a key ≥ 0: its latency from the key's stream); returns its completion time. */
  read(now: number, bytes: number, background = false, key = -1): number {
    const s = this.stats;
    s.reads++;
    s.bytesRead += bytes;
    s.costUsd += this.spec.read.costPerRequestUsd + (bytes / 1e9) * this.spec.read.costPerGBUsd;
    if (background) { s.backgroundRequests++; s.backgroundBytes += bytes; }
    if (this.instant) return now;
    return this.serve(now, this.readLatency.sample(key >= 0 ? this.keyStream(key) : this.rng), bytes * this.usPerByteRead, bytes);
  }

  /** Submits a write at `now`; returns its completion time. */
  write(now: number, bytes: number, background = false): number {
    const s = this.stats;
    s.writes++;
    s.bytesWritten += bytes;
    s.costUsd += this.spec.write.costPerRequestUsd + (bytes / 1e9) * this.spec.write.costPerGBUsd;
    if (background) { s.backgroundRequests++; s.backgroundBytes += bytes; }
    if (this.instant) return now;
    return this.serve(now, this.writeLatency.sample(this.rng), bytes * this.usPerByteWrite, bytes);
  }

  /** The stream of this read of `key` (its n-th). */
  private keyStream(key: number): Rng {
    const counts = (this.keyReads ??= new Uint32Array(KEY_SLOTS));
    const slot = Math.imul((key >>> 0) ^ Math.floor(key / KEY_SLOTS), 0x9e3779b1) >>> (32 - KEY_BITS);
    return this.keyRng.keyed(this.keyBase, key, ++counts[slot]!);
  }

  /** Occupies a slot for a fixed service time (the CPU uses this). */
  protected serve(now: number, firstByteUs: number, streamUs: number, bytes: number): number {
    const free = this.slotFree[0]!;
    const start = free > now ? free : now;
    let end = start + firstByteUs + streamUs;
    if (this.usPerBytePipe > 0 && bytes > 0) {
      // The shared pipe serialises transfer time in submission order; each request
      // still pays its own first-byte latency on top. First-byte times are random,
      // so ordering the pipe by data-ready time is not known at submission.
      const pipeStart = this.pipeFree > start ? this.pipeFree : start;
      this.pipeFree = pipeStart + bytes * this.usPerBytePipe;
      const capped = this.pipeFree + firstByteUs;
      if (capped > end) end = capped;
    }
    this.stats.queueWaitUs += start - now;
    this.stats.busyUs += end - start;
    this.replaceMin(end);
    return end;
  }

  /** Fraction of slot-time busy over `elapsedUs`. */
  utilization(elapsedUs: number): number {
    return elapsedUs > 0 ? this.stats.busyUs / (elapsedUs * this.spec.concurrency) : 0;
  }

  private replaceMin(value: number): void {
    const h = this.slotFree;
    const n = h.length;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && h[c + 1]! < h[c]!) c++;
      if (value <= h[c]!) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = value;
  }
}
