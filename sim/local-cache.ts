/**
 * The interface every local-disk cache policy implements (`none`, `file`, `block`,
 * `adaptive`, ...). The unified file system asks the policy on every block read that
 * missed the memory block cache, and tells it about every SST file created, deleted
 * or restored. Policies live in policies/, one file each, and are picked by name
 * there; the store only sees this interface.
 */
import type { Cpu } from './cpu.ts';
import type { Device } from './device.ts';
import type { Scheduler } from './scheduler.ts';
import type { Timeline } from './metrics.ts';

/** What a policy needs to know of an SST file. */
export interface FileRef {
  readonly fileNumber: number;
  readonly fileSize: number;
}

/**
 * The caller of a read: it accumulates CPU work (µs) that the file system charges
 * to the CPU before the next wait, and says whether the read is background
 * (flush/compaction) work, which the file cache does not count or reorder.
 */
export interface IoContext {
  cpuPendingUs: number;
  background: boolean;
  /** CPU already charged on behalf of this caller, µs (monotonic; for per-operation CPU accounting). */
  cpuChargedUs?: number;
}

export interface PolicyContext {
  scheduler: Scheduler;
  cpu: Cpu;
  /** The local disk the cache lives on. */
  disk: Device;
  dfs: Device;
  /** Free bytes of the local disk right now (for ForSt's reserve-size limit). */
  diskFreeBytes(): number;
  /** Bytes of local disk the cache may use at most (the disk size, or a limit). */
  diskBytes: number;
  timeline: Timeline;
  seed: number;
  /** Target SST size: ForSt writes a new file through only if one of this size fits. */
  targetFileSize: number;
}

export interface LocalCachePolicy {
  readonly name: string;
  /**
   * A read of `bytes` at `offset` in `file`, after a memory miss. Returns true if the
   * local disk serves it. Charges lookup CPU to `io`. Background reads must not
   * change recency order or hit/miss counts.
   */
  lookup(file: FileRef, blockId: number, offset: number, bytes: number, io: IoContext): boolean;
  /** The same read, served from the DFS, has completed: admission happens here. */
  afterRemoteRead(file: FileRef, blockId: number, offset: number, bytes: number, io: IoContext): void;
  /**
   * Optional: the memory block cache evicted block `blockId` of file `fileNumber` for
   * room (a deleted file's blocks are erased, not evicted). A policy that keeps blocks
   * exclusive of memory admits them here, from memory, with no DFS read.
   */
  onMemoryEvict?(fileNumber: number, blockId: number, bytes: number): void;
  /** A new SST (flush or compaction output) is being written; true to write a local copy too. */
  onFileCreated(file: FileRef): boolean;
  /** The store no longer needs the file. */
  onFileDeleted(file: FileRef): void;
  /** A file registered on restore (or rescale), nothing local yet. */
  onFileRestored(file: FileRef): void;
  /** Bytes the cache holds on local disk. */
  usedBytes(): number;
  /** Counters, named as the policy's model names them (ForSt's for `file`). */
  metrics(): Record<string, number>;
}

/** Builds a policy for one store; `options` are its options as parsed, defaults filled in. */
export interface PolicyFactory {
  (ctx: PolicyContext): LocalCachePolicy;
  readonly options: Readonly<Record<string, unknown>>;
}
