/**
 * The CPU is a device too: `cores` slots, and work measured in microseconds from a
 * cost table. The table makes the CPU side of caching visible: a block-level local
 * cache pays for per-block metadata on every lookup, a file-level one barely does,
 * and asynchronous execution has its own overhead (PVLDB'25 §6 measured about +30%
 * CPU for stateful operators).
 */
import { z } from 'zod';
import { Device } from './device.ts';

export const cpuCostsSpec = z.object({
  /** Fixed work per record outside state access (deserialisation, operator logic). */
  recordUs: z.number().nonnegative().default(2),
  memtableWriteUs: z.number().nonnegative().default(1.0),
  memtableReadUs: z.number().nonnegative().default(0.4),
  bloomProbeUs: z.number().nonnegative().default(0.1),
  indexSeekUs: z.number().nonnegative().default(0.3),
  /** Parsing / decompressing a data block, per KiB. */
  blockDecodePerKiBUs: z.number().nonnegative().default(0.4),
  /** A memory block cache lookup (hash + LRU update). */
  memoryCacheLookupUs: z.number().nonnegative().default(0.15),
  /** A file-level local cache lookup: one positional read through the file cache (JNI + LRU touch). */
  fileCacheLookupUs: z.number().nonnegative().default(0.8),
  /** A block-level local cache lookup: per-block metadata hash, eviction state, admission. */
  blockCacheLookupUs: z.number().nonnegative().default(1.6),
  /** Issuing one I/O request (syscall or RPC submission). */
  ioSubmitUs: z.number().nonnegative().default(1.5),
  /** Extra CPU of asynchronous execution as a fraction of state-access CPU (PVLDB'25: ~0.3). */
  asyncOverhead: z.number().nonnegative().default(0.3),
  /** Merge work of flush and compaction, per KiB written. */
  flushPerKiBUs: z.number().nonnegative().default(1.0),
  compactionPerKiBUs: z.number().nonnegative().default(3.0),
}).strict();
export type CpuCosts = z.output<typeof cpuCostsSpec>;

export const defaultCpuCosts: CpuCosts = cpuCostsSpec.parse({});

export class Cpu extends Device {
  readonly costs: CpuCosts;

  constructor(readonly cores: number, costs: Partial<CpuCosts> = {}, seed = 0) {
    super({
      name: 'cpu',
      concurrency: cores,
      read: { firstByte: { kind: 'constant', us: 0 }, bandwidthBytesPerSec: 1e18 },
      write: { firstByte: { kind: 'constant', us: 0 }, bandwidthBytesPerSec: 1e18 },
    }, seed);
    this.costs = cpuCostsSpec.parse(costs);
  }

  /** Runs `us` of work submitted at `now` on the first free core; returns its completion time. */
  run(now: number, us: number): number {
    return this.serve(now, us, 0, 0);
  }
}
