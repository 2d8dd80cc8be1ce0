/**
 * The unified file system: every SST byte the store reads or writes goes through here.
 * A block read asks the memory block cache, then the local-disk cache policy, then
 * the DFS, and returns when the read completes in simulated time. Flush and
 * compaction I/O come through the same layer, marked background.
 *
 * Placement decides where SST files live:
 * - `local` (Flink 1.x): on local disk; the DFS only receives checkpoints.
 * - `disaggregated` (Flink 2.x): on the DFS; local disk is only the policy's cache.
 */
import type { BlockCache } from './block-cache.ts';
import type { Cpu } from './cpu.ts';
import type { Device } from './device.ts';
import type { FileRef, IoContext, LocalCachePolicy } from './local-cache.ts';
import type { Sim } from './process.ts';
import type { Scheduler } from './scheduler.ts';

export type Placement = 'local' | 'disaggregated';

/** Ids of one file's blocks lie in [fileNumber·2^21, (fileNumber+1)·2^21). */
export const BLOCKS_PER_FILE = 2 ** 21;

/** startRead / continueRead: the read is complete. */
export const READ_DONE = -1;
const READ_CHARGE = 0;
const READ_SUBMIT = 1;
const READ_COMPLETE = 2;

/** Where a block read stands between its waits (one per reader, reused). */
export class BlockRead {
  file: FileRef | undefined = undefined;
  blockId = 0;
  offset = 0;
  bytes = 0;
  highPriority = false;
  local = false;
  step = READ_CHARGE;
}

/** Where a foreground block read was served, as a block-read observer is told. */
export const SERVED_MEMORY = 0;
export const SERVED_LOCAL = 1;
export const SERVED_DFS = 2;

/**
 * Told of every foreground block read (a get's or a scan's, not compaction's) once it
 * is known where it is served: the stream a block-trace recorder writes.
 */
export type BlockReadObserver = (timeUs: number, blockId: number, bytes: number, servedFrom: number) => void;

export class FsStats {
  /** Foreground block reads and where they were served. */
  reads = 0;
  memoryHits = 0;
  localHits = 0;
  dfsReads = 0;
  /** Background (flush/compaction) block reads. */
  backgroundReads = 0;
  backgroundMemoryHits = 0;
  backgroundLocalReads = 0;
  backgroundDfsReads = 0;
  filesWritten = 0;
  bytesWritten = 0;
  filesDeleted = 0;
}

export class FileSystem {
  /** Bytes of SST files on local disk (local placement only). */
  private localSstBytes = 0;
  blockReads: BlockReadObserver | undefined = undefined;

  constructor(
    readonly scheduler: Scheduler,
    readonly cpu: Cpu,
    readonly dfs: Device,
    readonly disk: Device,
    readonly memory: BlockCache,
    readonly policy: LocalCachePolicy,
    readonly placement: Placement,
    /** Size of the local disk, bytes. */
    readonly diskBytes: number,
    /** Counters; a store reopened after a failure keeps counting into the same ones. */
    readonly stats: FsStats = new FsStats(),
  ) {
    // A policy that keeps blocks exclusive of memory hears of what memory evicts.
    const hook = placement === 'disaggregated' ? policy.onMemoryEvict?.bind(policy) : undefined;
    memory.onEvict = hook && ((id: number, bytes: number) => hook(Math.floor(id / BLOCKS_PER_FILE), id, bytes));
  }

  /** Free local disk: its size less SSTs (local placement) and the cache's files. */
  diskFreeBytes(): number {
    return this.diskBytes - this.localSstBytes - this.policy.usedBytes();
  }

  get localSstBytesUsed(): number {
    return this.localSstBytes;
  }

  /** Charges the caller's accumulated CPU work; returns the time it is done. */
  *chargeCpu(io: IoContext): Sim<number> {
    let now = this.scheduler.now;
    if (io.cpuPendingUs > 0) {
      const us = io.cpuPendingUs;
      io.cpuPendingUs = 0;
      if (io.cpuChargedUs !== undefined) io.cpuChargedUs += us;
      now = yield this.cpu.run(now, us);
    }
    return now;
  }

  /**
   * Memory-cache probe, the fast path: true on a hit (and the caller need not call
   * readBlock). Kept apart so a hit allocates nothing.
   */
  probeMemory(io: IoContext, blockId: number): boolean {
    io.cpuPendingUs += this.cpu.costs.memoryCacheLookupUs;
    if (!this.memory.lookup(blockId)) return false;
    if (io.background) { this.stats.backgroundReads++; this.stats.backgroundMemoryHits++; }
    else {
      this.stats.reads++;
      this.stats.memoryHits++;
      this.blockReads?.(this.scheduler.now, blockId, this.memory.sizeOf(blockId), SERVED_MEMORY);
    }
    return true;
  }

  /** Reads a block that missed memory: local disk or DFS, then fills the memory cache. */
  *readMissedBlock(io: IoContext, file: FileRef, blockId: number, offset: number, bytes: number, highPriority: boolean): Sim<void> {
    const r = new BlockRead();
    let t = this.startRead(io, r, file, blockId, offset, bytes, highPriority);
    while (t !== READ_DONE) {
      yield t;
      t = this.continueRead(io, r);
    }
  }

  /**
   * readMissedBlock as steps, for callers that run without a generator: returns
   * READ_DONE, or a time to wait until (yield it) before calling continueRead. A wait
   * that the scheduler can grant at once (tryAdvance) does not return.
   */
  startRead(io: IoContext, r: BlockRead, file: FileRef, blockId: number, offset: number, bytes: number, highPriority: boolean): number {
    const s = this.stats;
    if (io.background) s.backgroundReads++;
    else s.reads++;
    r.file = file;
    r.blockId = blockId;
    r.offset = offset;
    r.bytes = bytes;
    r.highPriority = highPriority;
    r.local = this.placement === 'local' ? true : this.policy.lookup(file, blockId, offset, bytes, io);
    if (!io.background) this.blockReads?.(this.scheduler.now, blockId, bytes, r.local ? SERVED_LOCAL : SERVED_DFS);
    r.step = READ_CHARGE;
    return this.continueRead(io, r);
  }

  continueRead(io: IoContext, r: BlockRead): number {
    const scheduler = this.scheduler;
    if (r.step === READ_CHARGE) {
      // The caller's CPU work so far, then the request.
      r.step = READ_SUBMIT;
      if (io.cpuPendingUs > 0) {
        const us = io.cpuPendingUs;
        io.cpuPendingUs = 0;
        if (io.cpuChargedUs !== undefined) io.cpuChargedUs += us;
        const t = this.cpu.run(scheduler.now, us);
        if (!scheduler.tryAdvance(t)) return t;
      }
    }
    if (r.step === READ_SUBMIT) {
      const s = this.stats;
      r.step = READ_COMPLETE;
      io.cpuPendingUs += this.cpu.costs.ioSubmitUs;
      let t: number;
      if (r.local) {
        if (io.background) s.backgroundLocalReads++;
        else s.localHits++;
        t = this.disk.read(scheduler.now, r.bytes, io.background, io.background ? -1 : r.blockId);
      } else {
        if (io.background) s.backgroundDfsReads++;
        else s.dfsReads++;
        t = this.dfs.read(scheduler.now, r.bytes, io.background, io.background ? -1 : r.blockId);
      }
      if (!scheduler.tryAdvance(t)) return t;
    }
    if (!r.local && this.placement === 'disaggregated') this.policy.afterRemoteRead(r.file!, r.blockId, r.offset, r.bytes, io);
    // RocksDB does not fill the block cache from compaction reads (fill_cache = false).
    if (!io.background) this.memory.insert(r.blockId, r.bytes, r.highPriority);
    io.cpuPendingUs += (r.bytes / 1024) * this.cpu.costs.blockDecodePerKiBUs;
    r.file = undefined;
    return READ_DONE;
  }

  /**
   * A background read of a byte range (compaction input, read with readahead):
   * from local disk where the file or its cached copy is there, else from `dfs`
   * (the task's DFS client, or a remote compaction worker's).
   */
  *readRange(io: IoContext, file: FileRef, offset: number, bytes: number, dfs: Device = this.dfs): Sim<void> {
    let local: boolean;
    if (this.placement === 'local') local = true;
    else local = dfs === this.dfs && this.policy.lookup(file, -1, offset, bytes, io);
    const now = yield* this.chargeCpu(io);
    this.stats.backgroundReads++;
    if (local) {
      this.stats.backgroundLocalReads++;
      yield this.disk.read(now, bytes, true);
    } else {
      this.stats.backgroundDfsReads++;
      yield dfs.read(now, bytes, true);
    }
  }

  /** Writes a new SST file (flush or compaction output) where the placement keeps it. */
  *writeFile(io: IoContext, file: FileRef): Sim<void> {
    let now = yield* this.chargeCpu(io);
    this.stats.filesWritten++;
    this.stats.bytesWritten += file.fileSize;
    if (this.placement === 'local') {
      this.localSstBytes += file.fileSize;
      yield this.disk.write(now, file.fileSize, io.background);
      return;
    }
    // Disaggregated: the DFS holds the primary copy; the policy may keep a local copy
    // written at the same time (ForSt's write-through).
    const remote = this.dfs.write(now, file.fileSize, io.background);
    const local = this.policy.onFileCreated(file) ? this.disk.write(now, file.fileSize, true) : now;
    now = yield Math.max(remote, local);
  }

  /**
   * Writes a compaction output from a remote compaction worker (FLIP-430): the file
   * goes to the DFS over the worker's link, and the local cache only learns of it,
   * with no local copy.
   */
  *writeFileRemote(file: FileRef, remoteDfs: Device): Sim<void> {
    this.stats.filesWritten++;
    this.stats.bytesWritten += file.fileSize;
    yield remoteDfs.write(this.scheduler.now, file.fileSize, true);
    if (this.placement === 'disaggregated') this.policy.onFileRestored(file);
    else this.localSstBytes += file.fileSize;
  }

  /** The store dropped a file: free its cached blocks and local space. */
  deleteFile(file: FileRef): void {
    this.stats.filesDeleted++;
    const lo = file.fileNumber * BLOCKS_PER_FILE;
    this.memory.eraseRange(lo, lo + BLOCKS_PER_FILE);
    if (this.placement === 'local') this.localSstBytes -= file.fileSize;
    else this.policy.onFileDeleted(file);
  }

  /** Registers a file that exists on the DFS already (restore, rescale). */
  registerRestored(file: FileRef, localCopy: boolean): void {
    if (this.placement === 'local' || localCopy) this.localSstBytes += file.fileSize;
    else this.policy.onFileRestored(file);
  }

  /** Uploads a local file to the DFS (checkpoint of local placement). */
  *upload(now: number, file: FileRef): Sim<number> {
    const readDone = this.disk.read(now, file.fileSize, true);
    return yield Math.max(readDone, this.dfs.write(now, file.fileSize, true));
  }

  /** Downloads a file from the DFS to local disk (restore of local placement). */
  *download(now: number, file: FileRef): Sim<number> {
    const got = yield this.dfs.read(now, file.fileSize, true);
    return yield this.disk.write(got, file.fileSize, true);
  }
}
