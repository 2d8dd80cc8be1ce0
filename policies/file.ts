/**
 * `file`: ForSt's FileBasedCache (Flink 2.x, org.apache.flink.state.forst.fs.cache),
 * modelled rule by rule. Details and sources: ../shared/reference/forst-file-cache.md.
 *
 * - The unit is a whole SST file. One LRU list with a middle pointer (DoubleListLru):
 *   in front the hot part, whose files have a local copy; behind it the cold part,
 *   which only tracks files. Here the two parts are two lists, the middle being the
 *   front of the cold one.
 * - Eviction only demotes: the least recent hot entry becomes the most recent cold one
 *   and its copy is deleted. Cold entries leave only when their file is deleted.
 * - New SSTs are written through when a file of the target size would fit.
 * - Every foreground positional read is one LRU access. A cold entry is promoted after
 *   `accessBeforePromote` accesses while it stays in the front half of the cold part
 *   (an epoch counter measures that), unless it was evicted `promoteLimit` times.
 * - Promotion charges the space at once and downloads the file on a pool of 4 loader
 *   threads in 64 KiB chunks; reads stay remote until the download has finished.
 * - Limits (size-based, free-space reserve) are checked only when adding or promoting.
 *
 * Entry states follow FileCacheEntry: REMOVED (no copy), LOADING, LOADED, CLOSED
 * (file deleted). ForSt's INVALID/REMOVING, the window between invalidating a copy
 * and its deletion on the loader executor, is collapsed: a demoted copy is gone at once.
 */
import { z } from 'zod';
import type { FileRef, IoContext, LocalCachePolicy, PolicyContext, PolicyFactory } from '../sim/local-cache.ts';
import { Process, type Sim } from '../sim/process.ts';
import { FileList } from './file-list.ts';
import { parsePolicyOptions, sizeOption } from './options.ts';

const MiB = 2 ** 20;

/** ForSt's loader pool (`ForSt-LruLoader`, a fixed pool of 4 threads). */
export const LOADER_THREADS = 4;
/** FileCacheEntry.load copies through a 64 KiB buffer. */
export const LOAD_CHUNK_BYTES = 64 * 1024;

export const fileCacheOptions = z.object({
  /** `state.backend.forst.cache.size-based-limit`: used + new ≤ limit; 0 = off. */
  sizeLimit: sizeOption.default(0),
  /** `state.backend.forst.cache.reserve-size`: keep this much of the disk free; 0 = off. */
  reserve: sizeOption.default(256 * MiB),
  /** `state.backend.forst.cache.lru.access-before-promote`; Flink raises anything below 1 to 1. */
  accessBeforePromote: z.number().int().min(0).default(6),
  /** `state.backend.forst.cache.lru.promote-limit`: evictions after which a file stays cold. */
  promoteLimit: z.number().int().min(0).default(3),
}).strict();
export type FileCacheOptions = z.output<typeof fileCacheOptions>;

export const FILE_CACHE_KEYS: Readonly<Record<string, string>> = {
  'state.backend.forst.cache.size-based-limit': 'sizeLimit',
  'state.backend.forst.cache.reserve-size': 'reserve',
  'state.backend.forst.cache.lru.access-before-promote': 'accessBeforePromote',
  'state.backend.forst.cache.lru.promote-limit': 'promoteLimit',
};

export function parseFileCacheOptions(raw?: unknown): FileCacheOptions {
  return parsePolicyOptions('file', fileCacheOptions, FILE_CACHE_KEYS, raw);
}

/** Entry states, as FileCacheEntry's. */
const EntryStatus = {
  /** No local copy. */
  Removed: 0,
  /** A loader is downloading the copy; reads go to the DFS. */
  Loading: 1,
  /** The copy is on local disk; reads are served from it. */
  Loaded: 2,
  /** The file was deleted; a running download throws its copy away when it ends. */
  Closed: 3,
} as const;
type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

export class FileEntry {
  prev: FileEntry = this;
  next: FileEntry = this;
  hot = false;
  status: EntryStatus = EntryStatus.Removed;
  /** Bytes of the local copy now on disk (grows chunk by chunk while loading). */
  localBytes = 0;
  /** Value of the cold epoch at this entry's last cold insertion or access. */
  coldEpoch = 0;
  /** Accesses counted towards promotion (accessCountInColdLink). */
  coldAccesses = 0;
  /** Times a local copy was invalidated (evictCount). */
  evictions = 0;

  constructor(readonly fileNumber: number, readonly size: number) {}
}

/** A snapshot of one entry, front to back, for tests and reports. */
export interface FileEntryView {
  fileNumber: number;
  hot: boolean;
  status: 'removed' | 'loading' | 'loaded' | 'closed';
  coldAccesses: number;
  evictions: number;
}

const STATUS_NAMES = ['removed', 'loading', 'loaded', 'closed'] as const;

export class FileBasedCache implements LocalCachePolicy {
  readonly name = 'file';
  readonly options: FileCacheOptions;
  /** Flink builds no cache when neither limit is set. */
  readonly enabled: boolean;
  private readonly accessBeforePromote: number;
  private readonly entries = new Map<number, FileEntry>();
  private readonly hot = new FileList(new FileEntry(-1, 0));
  private readonly cold = new FileList(new FileEntry(-1, 0));
  /** Bytes charged to the limits: the sizes of hot entries (CacheLimitPolicy usage). */
  private charged = 0;
  /** Bytes of copies on local disk right now, whatever their entries' state. */
  private onDisk = 0;
  private coldEpoch = 0;
  private readonly loadQueue: FileEntry[] = [];
  private loadHead = 0;
  private loadersRunning = 0;
  private hits = 0;
  private misses = 0;
  private loadbacks = 0;
  private evicts = 0;

  constructor(private readonly ctx: PolicyContext, options: FileCacheOptions = parseFileCacheOptions()) {
    this.options = options;
    this.enabled = options.sizeLimit > 0 || options.reserve > 0;
    this.accessBeforePromote = Math.max(1, options.accessBeforePromote);
  }

  // ---------------------------------------------------------------- the interface

  lookup(file: FileRef, _blockId: number, _offset: number, _bytes: number, io: IoContext): boolean {
    if (!this.enabled) return false;
    const e = this.entries.get(file.fileNumber);
    // Compaction threads are not Flink threads: no reordering, no counting. They read
    // a copy if one is there.
    if (io.background) return e !== undefined && e.status === EntryStatus.Loaded;
    io.cpuPendingUs += this.ctx.cpu.costs.fileCacheLookupUs;
    if (e === undefined) return false; // not a cached file: a plain DFS stream, no metrics
    this.access(e);
    if (e.status === EntryStatus.Loaded) {
      this.hits++;
      return true;
    }
    this.misses++;
    return false;
  }

  afterRemoteRead(_file: FileRef, _blockId: number, _offset: number, _bytes: number, _io: IoContext): void {
    // ForSt never caches what it reads remotely; only promotion downloads files.
  }

  onFileCreated(file: FileRef): boolean {
    if (!this.enabled) return false;
    this.forget(file.fileNumber);
    const e = new FileEntry(file.fileNumber, file.fileSize);
    this.entries.set(e.fileNumber, e);
    // CachedDataOutputStream: a local copy is written only if a target-size file fits.
    if (!this.isSafeToAdd(this.ctx.targetFileSize)) {
      this.addCold(e);
      return false;
    }
    // On close the copy exists (it occupies the disk before the limits are checked).
    e.status = EntryStatus.Loaded;
    this.addLocalBytes(e, e.size);
    this.addHot(e);
    return true;
  }

  onFileDeleted(file: FileRef): void {
    const e = this.entries.get(file.fileNumber);
    if (e !== undefined) this.remove(e);
  }

  onFileRestored(file: FileRef): void {
    if (!this.enabled) return;
    this.forget(file.fileNumber);
    const e = new FileEntry(file.fileNumber, file.fileSize);
    this.entries.set(e.fileNumber, e);
    // FileBasedCache.registerInCache: load restored files soon, two accesses suffice.
    e.coldAccesses = Math.max(0, this.accessBeforePromote - 2);
    this.addCold(e);
  }

  /** Bytes of copies on local disk (what the disk's free space sees). */
  usedBytes(): number {
    return this.onDisk;
  }

  metrics(): Record<string, number> {
    const m: Record<string, number> = {
      hit: this.hits,
      miss: this.misses,
      'lru.loadback': this.loadbacks,
      'lru.evict': this.evicts,
      usedBytes: this.charged,
    };
    if (this.enabled && this.options.reserve > 0) m.remainingBytes = this.ctx.diskFreeBytes() - this.options.reserve;
    // tiersim's own, not ForSt's:
    m.hotFiles = this.hot.count;
    m.coldFiles = this.cold.count;
    m.localBytes = this.onDisk;
    return m;
  }

  /** The list front to back: hot entries, then cold ones from the middle. */
  view(): FileEntryView[] {
    const out: FileEntryView[] = [];
    for (const list of [this.hot, this.cold]) {
      for (const e of list.entries()) {
        out.push({
          fileNumber: e.fileNumber, hot: e.hot, status: STATUS_NAMES[e.status],
          coldAccesses: e.coldAccesses, evictions: e.evictions,
        });
      }
    }
    return out;
  }

  /** Downloads queued or running. */
  get pendingLoads(): number {
    return this.loadQueue.length - this.loadHead + this.loadersRunning;
  }

  // ---------------------------------------------------------------- the list

  /** DoubleListLru.addFirst with FileBasedCache's hooks. */
  private addHot(e: FileEntry): void {
    if (!this.isSafeToAdd(e.size)) {
      this.addCold(e); // and the fresh copy is invalidated there
      return;
    }
    e.hot = true;
    this.hot.pushFront(e);
    this.makeRoomFor(e, e.status === EntryStatus.Loaded);
  }

  /** DoubleListLru.addSecond: a new entry at the middle. */
  private addCold(e: FileEntry): void {
    e.hot = false;
    this.cold.pushFront(e);
    e.coldEpoch = ++this.coldEpoch;
    this.invalidate(e);
  }

  /** One foreground access (DoubleListLru.accessNode). */
  private access(e: FileEntry): void {
    if (e.hot) {
      this.hot.moveToFront(e);
      return;
    }
    this.cold.moveToFront(e);
    if (this.countColdAccess(e) && this.isSafeToAdd(e.size)) this.promote(e);
  }

  /** FileBasedCache.nodeAccessedAtSecond: true when the entry should be promoted. */
  private countColdAccess(e: FileEntry): boolean {
    // Java's int division: with one cold entry every access resets.
    if (this.coldEpoch - e.coldEpoch >= Math.floor(this.cold.count / 2)) {
      // The entry had drifted into the back half of the cold part.
      e.coldAccesses = 0;
      this.coldEpoch++;
    }
    e.coldEpoch = this.coldEpoch;
    return e.evictions < this.options.promoteLimit && ++e.coldAccesses >= this.accessBeforePromote;
  }

  /** moveMiddleBack + moveToFront + promotedToFirst. */
  private promote(e: FileEntry): void {
    this.cold.unlink(e);
    e.hot = true;
    this.hot.pushFront(e);
    // movedToFirst: start a download unless a copy exists or one is already loading.
    if (e.status === EntryStatus.Removed) {
      e.status = EntryStatus.Loading;
      this.enqueueLoad(e);
    }
    e.coldAccesses = 0;
    // "The loading has started, so we believe the entry has its file."
    this.makeRoomFor(e, true);
  }

  /** Demotes least recent hot entries while the limits overflow, then charges `e`. */
  private makeRoomFor(e: FileEntry, hasFile: boolean): void {
    while (this.isOverflow(e.size, hasFile)) {
      const victim = this.hot.back()!; // `e` itself is hot, so never empty
      // ForSt would demote `e` too, release bytes it never charged and spin; here `e`
      // goes cold uncharged (only reachable when the disk fills up from elsewhere).
      this.demote(victim, victim !== e);
      if (victim === e) return;
    }
    this.charged += e.size;
  }

  /** moveMiddleFront: the least recent hot entry becomes the most recent cold one. */
  private demote(e: FileEntry, wasCharged = true): void {
    this.hot.unlink(e);
    e.hot = false;
    this.cold.pushFront(e);
    if (wasCharged) this.release(e.size);
    this.invalidate(e);
  }

  /** FileBasedCache.tryEvict: drops a loaded copy; a running download is not cancelled. */
  private invalidate(e: FileEntry): void {
    if (e.status !== EntryStatus.Loaded) return;
    e.status = EntryStatus.Removed;
    this.addLocalBytes(e, -e.localBytes);
    e.evictions++;
    this.evicts++;
  }

  /** DoubleListLru.remove with removedFromFirst/Second. */
  private remove(e: FileEntry): void {
    this.entries.delete(e.fileNumber);
    if (e.hot) {
      this.hot.unlink(e);
      this.release(e.size);
    } else {
      this.cold.unlink(e);
    }
    // FileCacheEntry.close: a copy is deleted now; a download finishing later drops its own.
    if (e.status === EntryStatus.Loaded) this.addLocalBytes(e, -e.localBytes);
    e.status = EntryStatus.Closed;
  }

  /** Drops a stale entry of the same file number (RocksDB never reuses one). */
  private forget(fileNumber: number): void {
    const old = this.entries.get(fileNumber);
    if (old !== undefined) this.remove(old);
  }

  // ---------------------------------------------------------------- limits

  /** CacheLimitPolicy.isSafeToAdd: could `size` fit if every hot entry were demoted. */
  private isSafeToAdd(size: number): boolean {
    const { sizeLimit, reserve } = this.options;
    if (sizeLimit > 0 && size > sizeLimit) return false;
    if (reserve > 0 && size > this.ctx.diskFreeBytes() - reserve + this.charged) return false;
    return true;
  }

  /**
   * CacheLimitPolicy.isOverflow. The space-based limit counts a file that is (believed)
   * on disk already as 0: the live free space has it.
   */
  private isOverflow(size: number, hasFile: boolean): boolean {
    const { sizeLimit, reserve } = this.options;
    if (sizeLimit > 0 && this.charged + size > sizeLimit) return true;
    if (reserve > 0 && (hasFile ? 0 : size) > this.ctx.diskFreeBytes() - reserve) return true;
    return false;
  }

  private release(size: number): void {
    this.charged -= Math.min(this.charged, size);
  }

  private addLocalBytes(e: FileEntry, delta: number): void {
    e.localBytes += delta;
    this.onDisk += delta;
    this.ctx.timeline.set('localCacheBytes', this.ctx.scheduler.now, this.onDisk);
  }

  // ---------------------------------------------------------------- loaders

  private enqueueLoad(e: FileEntry): void {
    this.loadQueue.push(e);
    if (this.loadersRunning < LOADER_THREADS) {
      this.loadersRunning++;
      new Process(this.ctx.scheduler, this.loader()).start();
    }
  }

  /** One loader thread: takes queued downloads in order until none is left. */
  private *loader(): Sim<void> {
    while (this.loadHead < this.loadQueue.length) {
      const e = this.loadQueue[this.loadHead++]!;
      if (this.loadHead === this.loadQueue.length) {
        this.loadQueue.length = 0;
        this.loadHead = 0;
      }
      // A file deleted before its turn is skipped.
      if (e.status === EntryStatus.Loading) yield* this.download(e);
    }
    this.loadersRunning--;
  }

  /**
   * FileCacheEntry.load: one sequential DFS stream of the whole file, copied to local
   * disk in 64 KiB writes as the bytes arrive.
   */
  private *download(e: FileEntry): Sim<void> {
    const { dfs, disk, scheduler } = this.ctx;
    const start = scheduler.now;
    const size = e.size;
    const received = dfs.read(start, size, true);
    // The stream delivers at its per-stream rate and ends at `received`.
    const usPerByte = 1e6 / dfs.spec.read.bandwidthBytesPerSec;
    let now = start;
    let copied = 0;
    while (copied < size) {
      const n = Math.min(LOAD_CHUNK_BYTES, size - copied);
      const arrives = Math.max(start, received - (size - copied - n) * usPerByte);
      if (arrives > now) now = yield arrives;
      now = yield disk.write(now, n, true);
      copied += n;
      this.addLocalBytes(e, n);
    }
    if (copied === 0 && received > now) now = yield received;
    if (e.status === EntryStatus.Loading) {
      // Loaded even if the entry was demoted meanwhile: it then sits cold with a copy
      // that serves reads and is not charged to the limits, as in ForSt.
      e.status = EntryStatus.Loaded;
      this.loadbacks++;
    } else {
      this.addLocalBytes(e, -e.localBytes); // deleted while loading
    }
  }
}

/** The `file` policy with its options (Flink keys or short names). */
export function fileCache(options?: unknown): PolicyFactory {
  const parsed = parseFileCacheOptions(options);
  return Object.assign((ctx: PolicyContext) => new FileBasedCache(ctx, parsed), { options: parsed });
}
