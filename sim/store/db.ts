/**
 * The LSM store in simulated time, after LevelDB's db_impl: the write path into
 * memtables, flushes and compactions as background processes, and the read paths
 * (get, multiGet, scan) reading blocks through the unified file system.
 *
 * Pure data structures live beside this file (memtable, sst, version, compaction,
 * iterator); this file decides when things happen and what they cost.
 */
import type { Cpu } from '../cpu.ts';
import type { Device } from '../device.ts';
import { BlockRead, READ_DONE, type FileSystem } from '../fs.ts';
import type { IoContext } from '../local-cache.ts';
import type { Timeline } from '../metrics.ts';
import { all, Process, WaitQueue, type Sim } from '../process.ts';
import type { Scheduler } from '../scheduler.ts';
import { STEP_DONE, type ScanVisitor, type SteppedGet, type StateStore, type ValueOut } from '../state-store.ts';
import { runCompaction, flushMemtable } from './compaction.ts';
import { DELETE, EntryOut, MERGE, PUT, encodedSize } from './format.ts';
import { LevelRun, MergingIterator } from './iterator.ts';
import { Memtable } from './memtable.ts';
import { MergeAccumulator } from './merge.ts';
import { storeOptions, type StoreOptions } from './options.ts';
import type { SortedRun } from './run.ts';
import { FOOTER_BYTES, SstBuilder, type SstFile } from './sst.ts';
import { Version, VersionSet } from './version.ts';

export interface DbEnv {
  scheduler: Scheduler;
  cpu: Cpu;
  fs: FileSystem;
  timeline: Timeline;
  /** The DFS as a remote compaction worker sees it (FLIP-430); its own queue and link. */
  remoteDfs: Device;
}

export interface DbOptions extends StoreOptions {
  /** Memtables in memory at once (one mutable, the rest waiting for flush). */
  maxWriteBuffers: number;
  /** Writes stop while L0 has this many files. */
  l0StopWritesTrigger: number;
  compactionThreads: number;
  /** Compaction reads its inputs in chunks of this size. */
  compactionReadahead: number;
  remoteCompaction: boolean;
}

export interface DbOptionsInput extends Partial<StoreOptions> {
  maxWriteBuffers?: number;
  l0StopWritesTrigger?: number;
  /** The run config's name for l0FileTrigger. */
  l0CompactionTrigger?: number;
  compactionThreads?: number;
  compactionReadahead?: number;
  remoteCompaction?: boolean;
}

export function dbOptions(o: DbOptionsInput = {}): DbOptions {
  const s = storeOptions({ ...o, l0FileTrigger: o.l0CompactionTrigger ?? o.l0FileTrigger });
  // One literal with every field, for a shape that is the same in every run (see storeOptions).
  return {
    keyBytes: s.keyBytes, blockSize: s.blockSize, metadataBlockSize: s.metadataBlockSize, bloomBitsPerKey: s.bloomBitsPerKey,
    writeBufferSize: s.writeBufferSize, targetFileSize: s.targetFileSize, l0FileTrigger: s.l0FileTrigger,
    levelBase: s.levelBase, levelMultiplier: s.levelMultiplier, numLevels: s.numLevels,
    maxWriteBuffers: o.maxWriteBuffers ?? 2,
    l0StopWritesTrigger: o.l0StopWritesTrigger ?? 36,
    compactionThreads: o.compactionThreads ?? 1,
    compactionReadahead: o.compactionReadahead ?? 2 * 2 ** 20,
    remoteCompaction: o.remoteCompaction ?? false,
  };
}

export class DbStats {
  puts = 0;
  deletes = 0;
  merges = 0;
  gets = 0;
  multiGets = 0;
  scans = 0;
  /** Encoded bytes of every write: the denominator of write amplification. */
  userBytesWritten = 0;
  flushes = 0;
  flushBytesWritten = 0;
  compactions = 0;
  trivialMoves = 0;
  compactionBytesRead = 0;
  compactionBytesWritten = 0;
  stalls = 0;
  stallUs = 0;
  /** Data blocks that point lookups looked for (past the filter), and those the memory cache held. */
  getDataBlocks = 0;
  getDataMemoryHits = 0;
}

const scratch = new EntryOut();
/** A scan's visited entries, handed to its visitor once the walk is over (reused). */
const scanKeys: number[] = [];
const scanSizes: number[] = [];
const scanTokens: number[] = [];

// A get's walk over files: the step of one file's lookup whose block is read next, and
// what a file's lookup came to.
const STEP_FILTER = 0;
const STEP_INDEX = 1;
const STEP_DATA = 2;
const FILE_NO = 3;
const FILE_RESOLVED = 4;
/** walkVersion: nothing left to read. */
const WALK_DONE = -1;

/** Flink's checkpoint transfer threads (state.backend.rocksdb.checkpoint.transfer.thread.num). */
export const CHECKPOINT_TRANSFER_THREADS = 4;
/** RocksDB's max_file_opening_threads. */
export const FILE_OPENING_THREADS = 16;

/** A checkpoint: the files of a version, shared by reference, and the sequence it covers. */
export interface Checkpoint {
  id: number;
  version: Version;
  lastSequence: number;
  takenAtUs: number;
}

export interface CheckpointResult {
  durationUs: number;
  /** Bytes this checkpoint wrote to the DFS (uploads, or the flush that produced the newest file). */
  uploadedBytes: number;
  uploadedFiles: number;
  /** Bytes of files that were not in the previous checkpoint. */
  incrementalBytes: number;
  totalBytes: number;
  files: number;
  manifestBytes: number;
}

/** Files that need no download (already local) or no registration (written by this store). */
export interface OpenHints {
  downloaded?: ReadonlySet<number>;
  registered?: ReadonlySet<number>;
}

export interface RestoreResult {
  durationUs: number;
  downloadedBytes: number;
  files: number;
  bytes: number;
}

/** Moves `files` with `threads` parallel workers, each running `move` per file; returns when all are done. */
export function* transfer(scheduler: Scheduler, files: readonly SstFile[], threads: number,
  move: (now: number, f: SstFile) => Sim<number>): Sim<void> {
  let next = 0;
  function* worker(): Sim<void> {
    while (next < files.length) {
      const f = files[next++]!;
      yield* move(scheduler.now, f);
    }
  }
  const workers: Sim<void>[] = [];
  for (let i = 0; i < Math.min(threads, files.length); i++) workers.push(worker());
  if (workers.length > 0) yield* all(scheduler, workers);
}

export class Db implements StateStore {
  readonly options: DbOptions;
  readonly stats: DbStats;
  readonly versions: VersionSet;
  private mem: Memtable;
  /** Immutable memtables waiting for flush, oldest first. */
  private imm: Memtable[] = [];
  /** A flushed memtable, emptied, for the next switch (nothing else holds a flushed memtable). */
  private spareMem: Memtable | undefined;
  private seq: number;
  private memBytes = 0;
  private readonly flushWake: WaitQueue;
  private readonly compactionWake: WaitQueue;
  /** Writers waiting for a flush or compaction to make room. */
  private readonly stalled: WaitQueue;
  /** Waiters for the background to go idle (settle). */
  private readonly idleWaiters: WaitQueue;
  /** Waiters for the next flush to finish (checkpoints). */
  private readonly flushWaiters: WaitQueue;
  private flushing = false;
  private compacting = 0;
  private readonly accPool: MergeAccumulator[] = [];
  private readonly getPool: DbGet[] = [];
  /** Where walkVersion stopped: the file and data block of the position it returned. */
  private walkedFile: SstFile | undefined = undefined;
  private walkedBlock = 0;
  private started = false;
  /** Files with a copy on the DFS: all of them when disaggregated; uploaded ones when local. */
  private readonly onDfs = new Set<number>();
  /** Files of the previous checkpoint, to size the next incremental one. */
  private previousCheckpoint = new Set<number>();
  private checkpointCount = 0;

  constructor(readonly env: DbEnv, options: DbOptionsInput = {}, initial?: Version, stats = new DbStats()) {
    this.options = dbOptions(options);
    this.stats = stats;
    this.versions = new VersionSet(this.options, initial ?? Version.empty(this.options.numLevels));
    this.seq = this.versions.current.maxSeq() + 1;
    this.mem = new Memtable(this.options.keyBytes);
    this.flushWake = new WaitQueue(env.scheduler);
    this.compactionWake = new WaitQueue(env.scheduler);
    this.stalled = new WaitQueue(env.scheduler);
    this.idleWaiters = new WaitQueue(env.scheduler);
    this.flushWaiters = new WaitQueue(env.scheduler);
  }

  /** Starts the background flush and compaction threads. */
  start(): void {
    if (this.started) return;
    this.started = true;
    new Process(this.env.scheduler, this.flushThread()).start();
    for (let i = 0; i < this.options.compactionThreads; i++) new Process(this.env.scheduler, this.compactionThread()).start();
  }

  get current(): Version {
    return this.versions.current;
  }

  /** Highest sequence number handed out so far. */
  get lastSequence(): number {
    return this.seq - 1;
  }

  /** Fills the bloom filters of every live file now rather than at their first probe. */
  fillFilters(): void {
    for (const files of this.versions.current.levels) for (const f of files) f.fillFilter();
  }

  levels(): { level: number; files: number; bytes: number }[] {
    return this.versions.current.summary();
  }

  writeAmplification(): number {
    const s = this.stats;
    return s.userBytesWritten > 0 ? (s.flushBytesWritten + s.compactionBytesWritten) / s.userBytesWritten : 0;
  }

  /** Memtable bytes (mutable and immutable), charged to the block cache. */
  get memtableBytes(): number {
    return this.memBytes;
  }

  // ---- writes ----

  *put(io: IoContext, key: number, size: number, token: number): Sim<void> {
    this.stats.puts++;
    yield* this.write(io, PUT, key, size, token);
  }

  *delete(io: IoContext, key: number): Sim<void> {
    this.stats.deletes++;
    yield* this.write(io, DELETE, key, 0, 0);
  }

  *merge(io: IoContext, key: number, size: number, token: number): Sim<void> {
    this.stats.merges++;
    yield* this.write(io, MERGE, key, size, token);
  }

  private mustStall(): boolean {
    const o = this.options;
    const memFull = this.mem.byteSize >= o.writeBufferSize && this.imm.length >= o.maxWriteBuffers - 1;
    return memFull || this.versions.current.levels[0]!.length >= o.l0StopWritesTrigger;
  }

  /** A write of any type (put, delete or merge), as the write batch of a re-insertion. */
  *write(io: IoContext, type: number, key: number, size: number, token: number): Sim<void> {
    if (this.mustStall()) {
      const start = this.env.scheduler.now;
      this.stats.stalls++;
      while (this.mustStall()) yield* this.stalled.wait();
      this.stats.stallUs += this.env.scheduler.now - start;
    }
    this.applyWrite(io, type, key, size, token);
  }

  /** A put that needs no wait, applied at once; false (and nothing done) when writes must stall. */
  tryPut(io: IoContext, key: number, size: number, token: number): boolean {
    if (this.mustStall()) return false;
    this.stats.puts++;
    this.applyWrite(io, PUT, key, size, token);
    return true;
  }

  private applyWrite(io: IoContext, type: number, key: number, size: number, token: number): void {
    io.cpuPendingUs += this.env.cpu.costs.memtableWriteUs;
    const before = this.mem.byteSize;
    this.mem.add(key, this.seq++, type, size, token);
    const added = this.mem.byteSize - before;
    this.memBytes += added;
    this.stats.userBytesWritten += encodedSize(this.options.keyBytes, type === DELETE ? 0 : size);
    this.env.fs.memory.setReserved(this.memBytes);
    if (this.mem.byteSize >= this.options.writeBufferSize && this.imm.length < this.options.maxWriteBuffers - 1) {
      this.switchMemtable();
    }
  }

  /** Makes the mutable memtable immutable and wakes the flush thread. */
  private switchMemtable(): void {
    if (this.mem.entryCount === 0) return;
    this.imm.push(this.mem);
    // A flushed one, or a new one sized like the last, so its tables need not grow entry by entry.
    this.mem = this.spareMem ?? new Memtable(this.options.keyBytes, this.mem.entryCount);
    this.spareMem = undefined;
    this.flushWake.notify();
  }

  // ---- background work ----

  private *flushThread(): Sim<void> {
    const builder = new SstBuilder(this.options);
    const io: IoContext = { cpuPendingUs: 0, background: true };
    for (;;) {
      while (this.imm.length === 0) {
        this.flushing = false;
        this.maybeIdle();
        yield* this.flushWake.wait();
      }
      this.flushing = true;
      const mem = this.imm[0]!;
      const file = flushMemtable(mem, this.versions.newFileNumber(), this.options, builder);
      if (file) {
        io.cpuPendingUs += (file.fileSize / 1024) * this.env.cpu.costs.flushPerKiBUs;
        yield* this.env.fs.writeFile(io, file);
        if (this.env.fs.placement === 'disaggregated') this.onDfs.add(file.fileNumber);
        this.versions.addFlushedFile(file);
        this.stats.flushes++;
        this.stats.flushBytesWritten += file.fileSize;
      }
      this.imm.shift();
      this.memBytes -= mem.byteSize;
      // Gets and scans read memtables without waiting, so once flushed this one is free.
      if (!this.spareMem) {
        mem.reset();
        this.spareMem = mem;
      }
      this.env.fs.memory.setReserved(this.memBytes);
      this.env.timeline.add('flushes', this.env.scheduler.now);
      this.flushWaiters.notifyAll();
      this.stalled.notifyAll();
      this.compactionWake.notifyAll();
    }
  }

  private *compactionThread(): Sim<void> {
    const builder = new SstBuilder(this.options);
    const io: IoContext = { cpuPendingUs: 0, background: true };
    const { fs, scheduler, cpu } = this.env;
    const remote = this.options.remoteCompaction;
    const dfs = remote ? this.env.remoteDfs : fs.dfs;
    for (;;) {
      const c = this.versions.pickCompaction();
      if (!c) {
        this.maybeIdle();
        yield* this.compactionWake.wait();
        continue;
      }
      this.compacting++;
      if (c.trivialMove) {
        this.versions.installCompaction(c, []);
        this.stats.trivialMoves++;
        this.compacting--;
        this.stalled.notifyAll();
        continue;
      }
      // Read every input with readahead, as RocksDB's compaction iterators do.
      const readahead = this.options.compactionReadahead;
      for (const f of c.allInputs()) {
        for (let off = 0; off < f.fileSize; off += readahead) {
          yield* fs.readRange(io, f, off, Math.min(readahead, f.fileSize - off), dfs);
        }
      }
      const result = runCompaction(c, this.options, () => this.versions.newFileNumber(), builder);
      let outBytes = 0;
      for (const f of result.outputs) outBytes += f.fileSize;
      const mergeUs = (outBytes / 1024) * cpu.costs.compactionPerKiBUs;
      if (remote) {
        // The merge runs on the compaction service's CPU, not the task's.
        yield scheduler.now + mergeUs;
        for (const f of result.outputs) yield* fs.writeFileRemote(f, dfs);
      } else {
        io.cpuPendingUs += mergeUs;
        for (const f of result.outputs) yield* fs.writeFile(io, f);
      }
      if (fs.placement === 'disaggregated') for (const f of result.outputs) this.onDfs.add(f.fileNumber);
      const dropped = this.versions.installCompaction(c, result.outputs);
      for (const f of dropped) fs.deleteFile(f);
      this.stats.compactions++;
      this.stats.compactionBytesRead += c.inputBytes;
      this.stats.compactionBytesWritten += outBytes;
      this.compacting--;
      this.env.timeline.add('compactions', scheduler.now);
      this.stalled.notifyAll();
    }
  }

  /** True when no flush or compaction is running or due. */
  get idle(): boolean {
    return this.imm.length === 0 && !this.flushing && this.compacting === 0 && !this.versions.needsCompaction();
  }

  private maybeIdle(): void {
    if (this.idle) this.idleWaiters.notifyAll();
  }

  /** Flushes the mutable memtable and waits until no background work is left. */
  *flushAndSettle(): Sim<void> {
    this.switchMemtable();
    while (!this.idle) {
      this.compactionWake.notifyAll();
      yield* this.idleWaiters.wait();
    }
  }

  /** Flushes the mutable memtable and waits for that flush only (checkpoints). */
  *flushMemtable(): Sim<void> {
    this.switchMemtable();
    while (this.imm.length > 0) yield* this.flushWaiters.wait();
  }

  // ---- checkpoints ----

  /**
   * An incremental checkpoint (Flink's native RocksDB/ForSt checkpoint): flush the
   * memtable, then make every live file durable on the DFS. Local placement uploads
   * each file not uploaded before (4 transfer threads, Flink's default);
   * disaggregated placement shares the files already on the DFS by reference and
   * only writes the manifest.
   */
  *checkpoint(): Sim<{ checkpoint: Checkpoint; result: CheckpointResult }> {
    const { scheduler, fs } = this.env;
    const start = scheduler.now;
    const flushedBefore = this.stats.flushBytesWritten;
    yield* this.flushMemtable();
    const v = this.versions.current;
    const files = v.allFiles();
    let uploadedBytes = 0;
    let uploadedFiles = 0;
    if (fs.placement === 'local') {
      const todo = files.filter((f) => !this.onDfs.has(f.fileNumber));
      for (const f of todo) { uploadedBytes += f.fileSize; uploadedFiles++; }
      yield* transfer(scheduler, todo, CHECKPOINT_TRANSFER_THREADS, (now, f) => fs.upload(now, f));
      for (const f of todo) this.onDfs.add(f.fileNumber);
    } else {
      // The flush just wrote the newest data to the DFS: that is what this checkpoint adds.
      uploadedBytes = this.stats.flushBytesWritten - flushedBefore;
      uploadedFiles = uploadedBytes > 0 ? 1 : 0;
    }
    // The checkpoint's metadata: one small DFS write listing the files.
    const manifestBytes = 4096 + 64 * files.length;
    yield fs.dfs.write(scheduler.now, manifestBytes, true);
    let incrementalBytes = 0;
    let totalBytes = 0;
    for (const f of files) {
      totalBytes += f.fileSize;
      if (!this.previousCheckpoint.has(f.fileNumber)) incrementalBytes += f.fileSize;
    }
    this.previousCheckpoint = new Set(files.map((f) => f.fileNumber));
    const checkpoint: Checkpoint = {
      id: ++this.checkpointCount, version: v, lastSequence: this.lastSequence, takenAtUs: scheduler.now,
    };
    return {
      checkpoint,
      result: {
        durationUs: scheduler.now - start, uploadedBytes, uploadedFiles, incrementalBytes, totalBytes,
        files: files.length, manifestBytes,
      },
    };
  }

  /**
   * Opens this (new, empty) store on a checkpoint's files: local placement downloads
   * every file before the store opens; disaggregated placement registers the files
   * (the cache starts cold) and reads each file's footer and top-level index.
   */
  *openFrom(version: Version, lastSequence: number, have: OpenHints = {}): Sim<RestoreResult> {
    const { scheduler, fs } = this.env;
    const start = scheduler.now;
    const files = version.allFiles();
    const downloaded = have.downloaded ?? new Set<number>();
    const registered = have.registered ?? new Set<number>();
    let downloadedBytes = 0;
    if (fs.placement === 'local') {
      const todo = files.filter((f) => !downloaded.has(f.fileNumber) && !registered.has(f.fileNumber));
      for (const f of todo) downloadedBytes += f.fileSize;
      yield* transfer(scheduler, todo, CHECKPOINT_TRANSFER_THREADS, (now, f) => fs.download(now, f));
    }
    for (const f of files) {
      if (!registered.has(f.fileNumber)) fs.registerRestored(f, fs.placement === 'local');
      if (fs.placement === 'disaggregated' || !registered.has(f.fileNumber)) this.onDfs.add(f.fileNumber);
    }
    // Opening a table reads its footer and top-level index (RocksDB opens every file
    // at DB open, on up to 16 threads).
    const device = fs.placement === 'local' ? fs.disk : fs.dfs;
    yield* transfer(scheduler, files, FILE_OPENING_THREADS, function* (now: number, f: SstFile): Sim<number> {
      return yield device.read(now, f.topLevelBytes + FOOTER_BYTES, true);
    });
    this.versions.install(version);
    if (lastSequence + 1 > this.seq) this.seq = lastSequence + 1;
    this.previousCheckpoint = new Set(files.map((f) => f.fileNumber));
    this.compactionWake.notifyAll();
    return { durationUs: scheduler.now - start, downloadedBytes, files: files.length, bytes: version.totalBytes() };
  }

  // ---- reads ----

  private takeAcc(): MergeAccumulator {
    const acc = this.accPool.pop() ?? new MergeAccumulator();
    acc.reset();
    return acc;
  }

  /** Looks key up in the memtables; true when resolved there. */
  private getFromMemtables(io: IoContext, key: number, acc: MergeAccumulator): boolean {
    const costs = this.env.cpu.costs;
    io.cpuPendingUs += costs.memtableReadUs;
    if (this.mem.get(key, scratch) && acc.add(scratch.seq, scratch.type, scratch.size, scratch.token)) return true;
    for (let i = this.imm.length - 1; i >= 0; i--) {
      io.cpuPendingUs += costs.memtableReadUs;
      if (this.imm[i]!.get(key, scratch) && acc.add(scratch.seq, scratch.type, scratch.size, scratch.token)) return true;
    }
    return false;
  }

  *get(io: IoContext, key: number, out: ValueOut): Sim<boolean> {
    const g = this.getPool.pop() ?? new DbGet(this);
    let t = g.start(io, key, out);
    while (t !== STEP_DONE) {
      yield t;
      t = g.resume(io);
    }
    this.getPool.push(g);
    return out.found;
  }

  /** A get that runs as steps, without a generator (one per caller, reused). */
  steppedGet(): SteppedGet {
    return new DbGet(this);
  }

  /**
   * A get's first steps (for DbGet): memtables, then the file walk. The memtables are
   * read at once and the version is pinned: the get sees the store as of its start,
   * whatever flushes and compactions do while it waits.
   */
  startGet(io: IoContext, key: number, out: ValueOut, g: DbGet): number {
    this.stats.gets++;
    const acc = this.takeAcc();
    g.acc = acc;
    g.out = out;
    g.key = key;
    if (this.getFromMemtables(io, key, acc)) return this.finishGet(g);
    g.version = this.versions.current;
    g.at = 0;
    g.reading = false;
    return this.resumeGet(io, g);
  }

  /** Walks on (reading blocks that missed memory) until the get is done or must wait. */
  resumeGet(io: IoContext, g: DbGet): number {
    const fs = this.env.fs;
    const v = g.version!;
    for (;;) {
      if (g.reading) {
        const t = fs.continueRead(io, g.read);
        if (t !== READ_DONE) return t;
        g.reading = false;
      }
      if (g.at & 3) {
        // Back in the file of the last miss (other gets may have walked meanwhile).
        this.walkedFile = g.file;
        this.walkedBlock = g.block;
      }
      const at = this.walkVersion(io, v, g.key, g.acc!, g.at);
      if (at === WALK_DONE) return this.finishGet(g);
      g.at = at + 1;
      // readWalkBlock's read: probe memory once more, then read what missed.
      const file = (g.file = this.walkedFile!);
      g.block = this.walkedBlock;
      const step = at & 3;
      const local = this.walkedLocalBlock(g.key, at);
      const id = file.blockId(local);
      if (fs.probeMemory(io, id)) continue;
      g.reading = true;
      const t = fs.startRead(io, g.read, file, id, file.blockOffset(local), file.blockSize(local), step !== STEP_DATA);
      if (t !== READ_DONE) return t;
      g.reading = false;
    }
  }

  private finishGet(g: DbGet): number {
    const acc = g.acc!;
    const out = g.out!;
    out.found = acc.found();
    out.size = out.found ? acc.size : 0;
    out.token = out.found ? acc.token : 0;
    this.accPool.push(acc);
    g.acc = undefined;
    g.out = undefined;
    g.version = undefined;
    g.file = undefined;
    return STEP_DONE;
  }

  /**
   * The file lookups of a get (Version::Get): L0 files newest first, then the one file
   * of each deeper level whose range holds the key, until one resolves it. Blocks in
   * memory are used at once; the walk stops only where a block must be read.
   */
  private *getFromVersion(io: IoContext, v: Version, key: number, acc: MergeAccumulator): Sim<void> {
    let at = this.walkVersion(io, v, key, acc, 0);
    while (at >= 0) {
      // The walk's file and block: other gets may walk while this one waits.
      const file = this.walkedFile!;
      const block = this.walkedBlock;
      yield* this.readWalkBlock(io, key, at);
      this.walkedFile = file;
      this.walkedBlock = block;
      at = this.walkVersion(io, v, key, acc, at + 1);
    }
  }

  /**
   * Runs the get's file lookups from position `from` (file ordinal · 4 + step) on while
   * their blocks are in memory. Returns WALK_DONE when the walk is over (resolved or
   * not), or the position (ordinal · 4 + STEP_*) of a block that missed memory: the
   * caller reads it and walks on from that position + 1. Ordinals count the L0 files,
   * then levels 1, 2, ….
   */
  private walkVersion(io: IoContext, v: Version, key: number, acc: MergeAccumulator, from: number): number {
    const l0 = v.levels[0]!;
    const n0 = l0.length;
    const end = n0 + v.numLevels - 1;
    let step = from & 3;
    for (let ord = from >> 2; ord < end; ord++, step = 0) {
      let file: SstFile;
      if (step > 0) {
        // Resuming inside the file of the last miss (walkedFile, and walkedBlock once found).
        file = this.walkedFile!;
      } else {
        if (ord < n0) {
          file = l0[ord]!;
          if (key < file.smallest || key > file.largest) continue;
        } else {
          const level = ord - n0 + 1;
          const f = v.findFile(level, key);
          if (f < 0) continue;
          file = v.levels[level]![f]!;
        }
      }
      const r = this.walkFile(io, file, key, acc, step);
      if (r === FILE_RESOLVED) return WALK_DONE;
      if (r !== FILE_NO) {
        this.walkedFile = file;
        return ord * 4 + r;
      }
    }
    return WALK_DONE;
  }

  /** The local block a walk position's step reads, in the file walkVersion left. */
  private walkedLocalBlock(key: number, at: number): number {
    const file = this.walkedFile!;
    switch (at & 3) {
      case STEP_FILTER: return file.filterBlockOfKey(key);
      case STEP_INDEX: return file.indexBlockOfKey(key);
      default: return this.walkedBlock;
    }
  }

  /** The block a walk position's step reads, read through memory (a miss reads it below). */
  private *readWalkBlock(io: IoContext, key: number, at: number): Sim<void> {
    yield* this.readBlock(io, this.walkedFile!, this.walkedLocalBlock(key, at), (at & 3) !== STEP_DATA);
  }

  /** Reads one block, from memory if it is there; true index/filter blocks go to the high-priority pool. */
  private *readBlock(io: IoContext, file: SstFile, local: number, high: boolean): Sim<void> {
    const fs = this.env.fs;
    const id = file.blockId(local);
    if (fs.probeMemory(io, id)) return;
    yield* fs.readMissedBlock(io, file, id, file.blockOffset(local), file.blockSize(local), high);
  }

  /**
   * One file's part of a get (TableReader::Get) from `step` on: filter partition, then
   * index partition and data block. Returns FILE_RESOLVED when the key is resolved,
   * FILE_NO when this file does not resolve it, or the STEP_* whose block missed memory
   * (probed once here; the caller reads it and comes back at the next step).
   */
  private walkFile(io: IoContext, file: SstFile, key: number, acc: MergeAccumulator, step: number): number {
    const fs = this.env.fs;
    const costs = this.env.cpu.costs;
    const hasFilter = file.filterPartitionCount > 0;
    // The partitions covering the key come from the key itself; the data block is
    // searched only once the filter has passed (and kept in walkedBlock).
    if (step === STEP_FILTER && hasFilter && !fs.probeMemory(io, file.blockId(file.filterBlockOfKey(key)))) return STEP_FILTER;
    if (step <= STEP_INDEX) {
      if (hasFilter) {
        io.cpuPendingUs += costs.bloomProbeUs;
        if (!file.mayContain(key)) return FILE_NO;
      }
      if (!fs.probeMemory(io, file.blockId(file.indexBlockOfKey(key)))) return STEP_INDEX;
    }
    let block: number;
    if (step <= STEP_DATA) {
      io.cpuPendingUs += costs.indexSeekUs;
      block = this.walkedBlock = file.findBlock(key);
      this.stats.getDataBlocks++;
      if (!fs.probeMemory(io, file.blockId(block))) return STEP_DATA;
      this.stats.getDataMemoryHits++;
    } else block = this.walkedBlock;
    const i = file.findInBlock(block, key);
    if (i < 0) return FILE_NO;
    // A get reads the value's type, size and token; the sequence number it folds in is
    // never read back, so the entry's seqs line is not touched.
    return acc.add(0, file.types[i]!, file.sizes[i]!, file.tokens[i]!) ? FILE_RESOLVED : FILE_NO;
  }

  /**
   * A grouped lookup (FLIP-426 → RocksDB MultiGet): one memtable pass, then the
   * keys' file lookups run concurrently, so their block reads overlap, and a block
   * two keys need is read once.
   */
  *multiGet(io: IoContext, keys: Float64Array, count: number, outs: ValueOut[]): Sim<void> {
    this.stats.multiGets++;
    const v = this.versions.current;
    const accs: MergeAccumulator[] = [];
    const pending: Sim<void>[] = [];
    const ios: IoContext[] = [];
    for (let i = 0; i < count; i++) {
      this.stats.gets++;
      const acc = this.takeAcc();
      accs.push(acc);
      if (this.getFromMemtables(io, keys[i]!, acc)) continue;
      const sub: IoContext = { cpuPendingUs: 0, background: false };
      ios.push(sub);
      pending.push(this.getFromVersion(sub, v, keys[i]!, acc));
    }
    if (pending.length > 0) yield* all(this.env.scheduler, pending);
    for (const sub of ios) io.cpuPendingUs += sub.cpuPendingUs;
    for (let i = 0; i < count; i++) {
      const acc = accs[i]!;
      const out = outs[i]!;
      out.found = acc.found();
      out.size = out.found ? acc.size : 0;
      out.token = out.found ? acc.token : 0;
      this.accPool.push(acc);
    }
  }

  /**
   * Visits up to `count` live keys from `start` on, through a merging iterator over
   * memtables and files, and reads every block that iterator would touch: for each
   * file overlapping the scanned range, its index partitions and data blocks from
   * the first key to the last one visited.
   */
  *scan(io: IoContext, start: number, count: number, visit?: ScanVisitor): Sim<number> {
    this.stats.scans++;
    if (count <= 0) return 0;
    const v = this.versions.current;
    const acc = this.takeAcc();
    let visited = 0;
    let last = start;
    let entries = 0;
    // The walk is synchronous (no write comes between), so the memtables are read in
    // place: each as its sorted keys and the newer keys beside them, two disjoint runs.
    const runs: SortedRun[] = [];
    let sources = 0;
    for (let i = -1; i < this.imm.length; i++) {
      const mem = i < 0 ? this.mem : this.imm[this.imm.length - 1 - i]!;
      const [sorted, newer] = mem.scanRuns();
      runs.push(sorted, newer);
      sources++;
    }
    for (const f of v.levels[0]!) { runs.push(f); sources++; }
    for (let level = 1; level < v.numLevels; level++) {
      const files = v.levels[level]!;
      if (files.length > 0) { runs.push(new LevelRun(files)); sources++; }
    }
    const it = new MergingIterator(runs);
    it.seek(start);
    scanKeys.length = scanSizes.length = scanTokens.length = 0;
    while (it.valid && visited < count) {
      const key = it.key();
      acc.reset();
      do {
        acc.add(it.seq(), it.type(), it.size(), it.token());
        entries++;
        it.next();
      } while (it.valid && it.key() === key);
      last = key;
      if (acc.found()) {
        visited++;
        if (visit) { scanKeys.push(key); scanSizes.push(acc.size); scanTokens.push(acc.token); }
      }
    }
    if (visit) for (let i = 0; i < scanKeys.length; i++) visit(scanKeys[i]!, scanSizes[i]!, scanTokens[i]!);
    this.accPool.push(acc);
    const costs = this.env.cpu.costs;
    // An index seek per source: each memtable, each L0 file, each level.
    io.cpuPendingUs += entries * costs.memtableReadUs * 0.25 + costs.indexSeekUs * sources;
    // The blocks behind that walk, file by file (a generator only for what misses memory).
    const fs = this.env.fs;
    for (let level = 0; level < v.numLevels; level++) {
      for (const f of v.overlapping(level, start, last)) {
        const first = Math.max(0, f.findBlock(Math.max(start, f.smallest)));
        const end = f.findBlock(Math.min(last, f.largest));
        let indexBlock = -1;
        for (let b = first; b <= end; b++) {
          const ib = f.indexBlockOf(b);
          if (ib !== indexBlock) {
            indexBlock = ib;
            const id = f.blockId(ib);
            if (!fs.probeMemory(io, id)) yield* fs.readMissedBlock(io, f, id, f.blockOffset(ib), f.blockSize(ib), true);
          }
          const id = f.blockId(b);
          if (!fs.probeMemory(io, id)) yield* fs.readMissedBlock(io, f, id, f.blockOffset(b), f.blockSize(b), false);
        }
      }
    }
    return visited;
  }
}

/** A get of the Db between its waits: the pinned version, the fold so far, the walk position. */
export class DbGet implements SteppedGet {
  acc: MergeAccumulator | undefined = undefined;
  out: ValueOut | undefined = undefined;
  version: Version | undefined = undefined;
  key = 0;
  /** Next walk position (file ordinal · 4 + step). */
  at = 0;
  /** A block read is in flight. */
  reading = false;
  /** The file and data block of the walk position before `at`. */
  file: SstFile | undefined = undefined;
  block = 0;
  readonly read = new BlockRead();

  constructor(private readonly db: Db) {}

  start(io: IoContext, key: number, out: ValueOut): number {
    return this.db.startGet(io, key, out, this);
  }

  resume(io: IoContext): number {
    return this.db.resumeGet(io, this);
  }
}
