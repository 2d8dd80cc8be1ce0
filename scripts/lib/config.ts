/**
 * The run configuration: every knob of one simulation, validated with clear
 * messages. Flags and config files (JSON or YAML) both end up here.
 */
import { z } from 'zod';
import { deviceSpec } from '../../sim/device.ts';
import { cpuCostsSpec } from '../../sim/cpu.ts';
import { parseSize } from '../../sim/units.ts';

/** A size as bytes or text ("64MiB"); becomes bytes. */
export const sizeField = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return parseSize(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^size: /, '') });
    return z.NEVER;
  }
});

/** A cache size as a share of the workload's declared state ("40%"), before it is resolved to bytes (cache-share.ts). */
export interface StateShare {
  /** The share, e.g. 0.4. */
  share: number;
  /** As written, e.g. "40%". */
  text: string;
}

/** "N%" as a share of the state; false when the text is not a percentage. */
export function parseStateShare(text: string): StateShare | false {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/.exec(text);
  if (!m) return false;
  // The text keeps the number as written (it is parsed again when the run resolves it).
  return { share: Number(m[1]) / 100, text: `${Number(m[1])}%` };
}

/**
 * A cache size: bytes or text ("64MiB") as sizeField, or a share of the state, kept
 * as its text ("40%") so that a config still reads back and crosses to worker threads
 * as it was written; a run resolves it to bytes (cache-share.ts).
 */
export const cacheSizeField = z.union([z.number(), z.string()]).transform((v, ctx): number | string => {
  const share = typeof v === 'string' && parseStateShare(v);
  if (share) {
    if (!(share.share > 0)) {
      ctx.addIssue({ code: 'custom', message: `'${v}' must be a share above 0%` });
      return z.NEVER;
    }
    return share.text;
  }
  try {
    return parseSize(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^size: /, '').replace(/\)$/, ', or a share of the state such as 40%)') });
    return z.NEVER;
  }
});

export const storeOptions = z.object({
  keyBytes: z.number().int().positive().optional(),
  blockSize: sizeField.default(4096),
  bloomBitsPerKey: z.number().positive().default(10),
  writeBufferSize: sizeField.default(64 * 2 ** 20),
  maxWriteBuffers: z.number().int().min(2).default(2),
  l0CompactionTrigger: z.number().int().positive().default(4),
  l0StopWritesTrigger: z.number().int().positive().default(36),
  levelBase: sizeField.default(256 * 2 ** 20),
  levelMultiplier: z.number().positive().default(10),
  targetFileSize: sizeField.default(64 * 2 ** 20),
  numLevels: z.number().int().min(2).default(7),
  compactionThreads: z.number().int().positive().default(1),
  compactionReadahead: sizeField.default(2 * 2 ** 20),
  /** FLIP-430: compaction runs off the task; its CPU and I/O leave the task machine. */
  remoteCompaction: z.boolean().default(false),
}).strict();

export const runConfig = z.object({
  seed: z.number().int().nonnegative().default(1),
  workload: z.string().default('kv'),
  workloadParams: z.record(z.string(), z.unknown()).default({}),
  /** Bound the measured run by records or by state operations (both may be set). */
  records: z.number().int().positive().optional(),
  ops: z.number().int().positive().optional(),
  /** State operations run before the measured run, to warm the caches (not measured). */
  warmupOps: z.number().int().nonnegative().default(0),
  placement: z.enum(['local', 'disaggregated']).default('disaggregated'),
  dfs: z.union([z.string(), deviceSpec]).default('hdfs'),
  disk: z.union([z.string(), deviceSpec]).default('nvme'),
  diskSize: sizeField.default(100 * 2 ** 30),
  policy: z.string().default('file'),
  /**
   * The local-disk cache size (the policy's size limit): bytes, or a share of the
   * workload's declared state ("40%"), which a run resolves to bytes (cache-share.ts).
   */
  cacheSize: cacheSizeField.default(2 ** 30),
  policyOptions: z.record(z.string(), z.unknown()).default({}),
  /** Task slots on the machine; each has its own state backend, caches and workload stream. */
  slots: z.number().int().positive().default(1),
  /** Flink managed memory for this store: block cache and write buffers. */
  managedMemory: sizeField.default(512 * 2 ** 20),
  store: storeOptions.default(storeOptions.parse({})),
  cpu: z.object({
    cores: z.number().int().positive().default(2),
    costs: cpuCostsSpec.partial().default({}),
  }).strict().default({ cores: 2, costs: {} }),
  exec: z.object({
    mode: z.enum(['sync', 'async']).default('sync'),
    maxInFlight: z.number().int().positive().default(6000),
    readThreads: z.number().int().positive().default(3),
    writeThreads: z.number().int().positive().default(1),
    /** FLIP-426 grouping of pending gets into multiGet: largest batch, 1 = off. */
    batchSize: z.number().int().positive().default(1),
    /**
     * Records per simulated second the job's source offers (YCSB's -target; a rate-limited
     * Flink source), split evenly over the slots. Absent: records come as fast as the
     * tasks take them (a closed loop).
     */
    rate: z.number().positive().optional(),
  }).strict().default({ mode: 'sync', maxInFlight: 6000, readThreads: 3, writeThreads: 1, batchSize: 1 }),
  verify: z.boolean().default(false),
  /** Lifecycle events, in simulated seconds from the start of the measured run. */
  checkpointEverySeconds: z.number().positive().optional(),
  restoreAtSeconds: z.number().positive().optional(),
  /**
   * Spatial sampling: simulate this fraction of the keys (a hashed subset) with caches
   * and state-proportional sizes scaled by it (scripts/lib/sample.ts). Absent: all keys.
   */
  sample: z.number().gt(0).max(1).optional(),
}).strict();

export type RunConfig = z.output<typeof runConfig>;
/** A run config whose cache size is bytes (cache-share.ts), with the share it came from when it was one. */
export type ResolvedRunConfig = Omit<RunConfig, 'cacheSize'> & { cacheSize: number; cacheShare?: { share: number; stateBytes: number } };
export type RunConfigInput = z.input<typeof runConfig>;
