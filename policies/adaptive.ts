/**
 * `adaptive`: tiersim's adaptive local cache (FLIP-423's promise; neither Flink nor
 * ForSt ships one). One local-disk budget is split between two regions, and the
 * boundary moves with the workload:
 *
 * - the file region holds whole SST files, as ForSt's file cache does: new files are
 *   written through, a cold file is promoted (downloaded whole) after
 *   `accessBeforePromote` DFS misses while it stays in the front half of the cold
 *   files, unless it was demoted `promoteLimit` times; files leave least recently
 *   used first. A lookup costs `fileCacheLookupUs`.
 * - the block region holds single blocks of the other files, least recently used
 *   out first, admitted as the memory block cache evicts them (a victim cache of
 *   memory, copied from memory with no DFS read) or, with `blockAdmission` miss, after
 *   their DFS miss. Probing it costs `blockCacheLookupUs`, paid only for files that
 *   have blocks there.
 *
 * A file leaving the file region is demoted, not just dropped: the blocks read from
 * its copy more recently than the block region's least recent block stay, as blocks
 * (the rest of the file is dropped). So the file region acts as a file-sized
 * probation: a new or promoted file serves every block at once, and what the
 * workload actually reads of it survives the file. A promoted file's single blocks
 * are dropped when its copy arrives, and the copy takes over their access times: as
 * in one LRU over all blocks, a block read just before the download outlives a
 * demotion like one read from the copy.
 *
 * The boundary: the file region may hold up to `fileTarget` bytes, the block region
 * the rest; it starts where the cache stands the first time it is full, but leaves
 * the block region at least 1 - maxInitialFileShare of the cache (unless the file
 * region would then hold less than a margin). Two ghosts
 * (adaptive-ghosts.ts) remember what each region lost: files demoted or refused, and
 * (sampled) blocks evicted or refused. The policy weighs the two moves of the boundary
 * by one `margin`, each on its own evidence (adaptive-ledger.ts): growing the file
 * region gains the file ghost's hits within the margin (on files that a region grown
 * to hold them would still fit the cache: a cache of one file keeps no second) and
 * loses the block region's hits in its least recent margin; shrinking it gains the
 * block ghost's hits within the margin and loses first reads of blocks of the file
 * region's least recent files. A move's window closes after decisionEvidence of its
 * gains and losses (but not before decisionMinLookups lookups: a burst of hits on one
 * file is one event) or decisionLookups lookups; the move goes ahead (adaptStep ×
 * margin) if its net gain passes minEvidence, hysteresis × its gains and losses and
 * `significance` × their square root (a sign test: a window of a few dozen hits is
 * mostly chance); a move back the way the last one came must also win on its last
 * reversalWindows windows summed (a region just shrunk has its hot, freshly lost
 * entries in its ghost and would win them back at once).
 * While the state fits, nothing is lost, no ghost is hit and the target stays at the
 * whole cache: that is `file`.
 *
 * Everything a move costs is charged in simulated time: promotions download the file
 * through the DFS device (4 loader threads, as ForSt) and write it to local disk;
 * demotion copies the kept blocks on local disk (a read and a write) and pays
 * metadata CPU per block it indexes (`metadataUsPerBlock`; the rest of the copy is
 * one file delete); blocks of a file that finished downloading are dropped from the
 * block region, with their CPU; a move toward blocks fetches the blocks the block
 * region lost most recently back into the free space it gets (`refill`: background DFS
 * reads, a local write and index CPU per block).
 *
 * Signals (timeline, per simulated second): adaptiveFileTargetBytes,
 * adaptiveFileBytes, adaptiveBlockBytes (gauges, summed over task slots),
 * adaptiveFileGhostHits, adaptiveBlockGhostHits (estimated, sampled ×1/rate),
 * adaptivePromotions, adaptiveDemotions, adaptiveDownloadBytes, adaptiveKeptBlocks,
 * adaptiveRefillQueued, adaptiveRefillBytes.
 */
import { z } from 'zod';
import { BLOCKS_PER_FILE } from '../sim/fs.ts';
import type { FileRef, IoContext, LocalCachePolicy, PolicyContext, PolicyFactory } from '../sim/local-cache.ts';
import type { Timeline } from '../sim/metrics.ts';
import { Process, type Sim } from '../sim/process.ts';
import { BlockRegion } from './adaptive-blocks.ts';
import { BlockGhost, FileGhost } from './adaptive-ghosts.ts';
import { LostBlocks } from './adaptive-lost.ts';
import { Ledger } from './adaptive-ledger.ts';
import { FileList } from './file-list.ts';
import { GHOST_ENTRY_BYTES } from './miss-ghost.ts';
import { parsePolicyOptions, sizeOption } from './options.ts';

const MiB = 2 ** 20;
/** Block size the ghost length assumes (the store's default data block). */
const TYPICAL_BLOCK_BYTES = 4096;
/** ForSt's loader pool. */
export const ADAPTIVE_LOADER_THREADS = 4;

export const adaptiveCacheOptions = z.object({
  /** Cache size; 0 = the local disk (ctx.diskBytes) less the reserve. */
  sizeLimit: sizeOption.default(0),
  /** Disk kept free (ForSt's reserve-size): a file is added only if it fits above it. */
  reserve: sizeOption.default(256 * MiB),
  /** DFS misses of a cold file (within the front half of the cold files) before it is downloaded. */
  accessBeforePromote: z.number().int().min(1).default(6),
  /** Demotions after which a file is never downloaded again. */
  promoteLimit: z.number().int().min(0).default(3),
  /**
   * Where the boundary starts, as the file region's share of the cache. Absent: where
   * the cache stands the first time it is full (what the file region holds then).
   */
  initialFileShare: z.number().min(0).max(1).optional(),
  /**
   * Absent initialFileShare, the file region's start is capped at this share of the
   * cache, but not below the margin (two target-size files): the block region starts
   * with the rest, so that both regions serve and lose reads, and both ghosts fill, from
   * the start (evidence is thin where memory serves most reads). 1 = as the cache stands.
   */
  maxInitialFileShare: z.number().min(0).max(1).default(0.6),
  /** false pins the boundary at initialFileShare (for ablations). */
  adapt: z.boolean().default(true),
  /**
   * The growth a ghost hit is credited for: only a miss that a region this much larger
   * would have served moves the boundary. 0 = two target-size files (capped at the cache).
   */
  margin: sizeOption.default(0),
  /** Foreground lookups in a move's window of evidence, at most. */
  decisionLookups: z.number().int().positive().default(1024),
  /**
   * A move's window closes sooner once it holds this many of its gains and losses: a
   * store whose memory serves almost every read sends few lookups, and its evidence
   * must not wait.
   */
  decisionEvidence: z.number().int().positive().default(32),
  /**
   * A move's window stays open for at least this many lookups, however soon it holds
   * decisionEvidence: a burst of ghost hits on one file (Nexmark q20 reads a new
   * file's blocks in a row) is one event, weighed with the other region's hits over
   * the same stretch, not 32 of them alone.
   */
  decisionMinLookups: z.number().int().nonnegative().default(64),
  /** Least net hits a move must promise. */
  minEvidence: z.number().nonnegative().default(4),
  /** A move must promise more than this share of the hits weighed for it (its gains and losses). */
  hysteresis: z.number().nonnegative().default(0.1),
  /**
   * A move must also promise more than this many standard deviations of its evidence
   * (√ of the hits weighed for it, as for a sign test): a short window of a few dozen hits
   * is noise. 0 = off.
   */
  significance: z.number().nonnegative().default(2),
  /** How far one decision moves the boundary, as a share of the margin. */
  adaptStep: z.number().positive().max(1).default(1),
  /** Ghost budget of each region, as a multiple of the cache size (hits beyond the margin are only counted). */
  ghostRatio: z.number().positive().default(1),
  /** Share of block ids the block ghost tracks (spatial sampling); 1 = all. */
  ghostSample: z.number().gt(0).max(1).default(0.25),
  /** Demotion keeps the blocks read from the file's copy more recently than the block region's oldest. */
  keepTouched: z.boolean().default(true),
  /** CPU per block moved between the regions or dropped with a file, µs (an index insert or delete). */
  metadataUsPerBlock: z.number().nonnegative().default(0.5),
  /** CPU per ghost probe or insert, µs. */
  ghostUs: z.number().nonnegative().default(0.1),
  /** Memory per cached block (reported, as `block`'s). */
  metadataBytesPerBlock: z.number().nonnegative().default(64),
  /** A move back the way the last one came needs its last reversalWindows windows (this one among them), summed, to favour it too. */
  reversalWindows: z.number().int().min(1).default(3),
  /** A downloaded file takes over its dropped blocks' access times (their reads from the copy are not first reads). */
  inheritBlocks: z.boolean().default(true),
  /** A file ghost hit counts only if the file region, grown to hold that file, would still fit the cache. */
  reachable: z.boolean().default(true),
  /**
   * Each move that grows the file region right after another (its window before moved
   * it up too), on one-sided evidence (net gain ≥ accelerateShare of its hits weighed), is
   * this many times the last one: a hot set that moved to other files is downloaded
   * within a few windows. 1 = every move is one step.
   */
  accelerate: z.number().min(1).default(2),
  accelerateShare: z.number().min(0).max(1).default(0.6),
  /**
   * A move toward blocks fetches the blocks the block region lost most recently back
   * from the DFS into the free space it gets (background reads, refillStreams at a
   * time), so the grown region serves at once instead of filling at the rate of misses.
   */
  refill: z.boolean().default(true),
  /** Refill reads in flight at once (single blocks: many small reads, unlike a download's one stream). */
  refillStreams: z.number().int().positive().default(32),
  /**
   * A running download serves reads of the blocks it has already written to local
   * disk. Off by default: over the matrix and its 4 MiB Nexmark rows it met the bar in
   * 437 of 450 setups against 439 (docs/adaptive-history.md).
   */
  readWhileLoading: z.boolean().default(false),
  /**
   * When the block region admits a block: `miss`, after its DFS read (as `block`
   * does), or `memory-eviction`, when the memory block cache evicts it (a victim cache
   * that holds what memory no longer does; the block comes from memory, no DFS read).
   * When it became the default (2026-12-07, each move on its own evidence), 442 of the
   * 450 setups of the matrix and its 4 MiB Nexmark rows met the bar with
   * `memory-eviction`, 438 with `miss` (docs/adaptive.md).
   */
  blockAdmission: z.enum(['miss', 'memory-eviction']).default('memory-eviction'),
}).strict();
export type AdaptiveCacheOptions = z.output<typeof adaptiveCacheOptions>;

export const ADAPTIVE_CACHE_KEYS: Readonly<Record<string, string>> = {
  'state.backend.forst.cache.size-based-limit': 'sizeLimit',
  'state.backend.forst.cache.reserve-size': 'reserve',
  'state.backend.forst.cache.lru.access-before-promote': 'accessBeforePromote',
  'state.backend.forst.cache.lru.promote-limit': 'promoteLimit',
};

export function parseAdaptiveCacheOptions(raw?: unknown): AdaptiveCacheOptions {
  return parsePolicyOptions('adaptive', adaptiveCacheOptions, ADAPTIVE_CACHE_KEYS, raw);
}

const NO_COPY = 0;
const LOADING = 1;
const LOADED = 2;
const CLOSED = 3;

/** One SST file the store knows. */
export class AdaptiveFile {
  /** Links of the file region's LRU list (itself when not in it). */
  prev: AdaptiveFile = this;
  next: AdaptiveFile = this;
  /** In the file region (its copy loaded or loading, its bytes charged). */
  inFileRegion = false;
  status = NO_COPY;
  /** Chain of its blocks in the block region; -1 until it has one. */
  chain = -1;
  blocks = 0;
  /** Promotion counting, as ForSt's cold list: epoch of the last counted miss, misses counted. */
  coldEpoch = 0;
  coldMisses = 0;
  /** When the current count of misses began (simulated µs). */
  countStart = 0;
  /** Last foreground read while in the file region (simulated µs). */
  lastAccess = 0;
  /** The running download's stream: when it began and when its last byte is on local disk (0: none running). */
  loadStart = 0;
  loadEnd = 0;
  demotions = 0;
  /** Blocks read from the copy: time of the last read (0 = never) and bytes, by block number. */
  touchedAt: Float64Array | undefined = undefined;
  touchedBytes: Int32Array | undefined = undefined;
  /** Block numbers read from the copy, in order of first read. */
  touched: Int32Array | undefined = undefined;
  touchedCount = 0;

  constructor(readonly fileNumber: number, readonly size: number) {}
}

/**
 * Gauges of every adaptive cache writing to one timeline, keyed by the slot's seed:
 * a timeline gauge keeps one value per second, so each write is the sum over slots.
 * A slot's new instance (after a restore) replaces its old one.
 */
const onTimeline = new WeakMap<Timeline, Map<number, AdaptiveCache>>();

export class AdaptiveCache implements LocalCachePolicy {
  readonly name = 'adaptive';
  readonly capacity: number;
  /** Bytes the file region may hold; the block region may hold the rest. */
  fileTarget: number;
  /** Growth of a region that a ghost hit is credited for (bytes). */
  readonly margin: number;
  /** Whether the boundary has been placed (at the first time the cache was full). */
  private targetSet: boolean;
  private readonly files = new Map<number, AdaptiveFile>();
  private readonly fileList = new FileList(new AdaptiveFile(-1, 0)); // the file region, front = most recent
  private readonly blocks = new BlockRegion();
  private readonly fileGhost: FileGhost;
  private readonly blockGhost: BlockGhost;
  private readonly lost: LostBlocks;
  /** Blocks queued to be fetched back (ids, sizes, last reads), and fetches running. */
  private refillIds: number[] = [];
  private refillSizes: number[] = [];
  private refillAt: number[] = [];
  private refillHead = 0;
  private refillQueuedBytes = 0;
  private refillersRunning = 0;
  /** The last move was toward blocks, on fresh ghost evidence: free space a demotion leaves is refilled too. */
  private refillArmed = false;
  /** Bytes charged to the file region (loaded and loading copies). */
  private fileBytes = 0;
  /** Files not in the file region, and ForSt's cold epoch over them. */
  private coldFiles = 0;
  private coldEpoch = 0;
  private readonly loadQueue: AdaptiveFile[] = [];
  private loadHead = 0;
  private loadersRunning = 0;
  private readonly slotsOnTimeline: Map<number, AdaptiveCache>;
  // Counters.
  private fileHits = 0;
  private blockHits = 0;
  private misses = 0;
  private fileGhostHits = 0;
  private blockGhostHits = 0;
  private creditedFileGhostHits = 0;
  private creditedBlockGhostHits = 0;
  /**
   * The evidence for each move of the boundary by one margin: growing the file region
   * (`up`: file ghost hits within the margin against the block region's tail hits) and
   * shrinking it (`down`: block ghost hits within the margin against first reads of
   * the file region's least recent files).
   */
  private readonly up: Ledger;
  private readonly down: Ledger;
  /** Direction of the last move (+1 up, -1 down, 0 none yet). */
  private lastDirection = 0;
  /** Whether the up ledger's last window moved the boundary up, and the size of the last move (bytes). */
  private grewLast = false;
  private lastStep = 0;
  /** Decisions that moved the boundary, and those of them that reversed the last move. */
  private moves = 0;
  private reversals = 0;
  /** Accesses at or before these are in a region's least recent margin. */
  private blockTail = -Infinity;
  private fileTail = -Infinity;
  private promotions = 0;
  private loadbacks = 0;
  private demotions = 0;
  private writeThroughs = 0;
  private admits = 0;
  private evicts = 0;
  private keptBlocks = 0;
  private droppedBlocks = 0;
  private downloadBytes = 0;
  /** Blocks refills admitted, and bytes they fetched (a block that found no room on arrival is fetched, not admitted). */
  private refilledBlocks = 0;
  private refillBytes = 0;
  private metadataUs = 0;

  constructor(private readonly ctx: PolicyContext, readonly options: AdaptiveCacheOptions = parseAdaptiveCacheOptions()) {
    this.capacity = options.sizeLimit > 0 ? options.sizeLimit : Math.max(0, ctx.diskBytes - options.reserve);
    this.fileTarget = (options.initialFileShare ?? 1) * this.capacity;
    this.targetSet = options.initialFileShare !== undefined;
    this.margin = Math.min(this.capacity, options.margin > 0 ? options.margin : 2 * ctx.targetFileSize);
    this.up = new Ledger(options.reversalWindows);
    this.down = new Ledger(options.reversalWindows);
    const ghostBytes = Math.max(this.margin, options.ghostRatio * this.capacity);
    this.fileGhost = new FileGhost(ghostBytes);
    this.blockGhost = new BlockGhost(options.ghostSample, Math.max(1024, Math.floor(ghostBytes / TYPICAL_BLOCK_BYTES)));
    // A move toward blocks frees at most a margin (and what was already free): two
    // margins of lost blocks leave room for ids lost twice and files deleted since.
    this.lost = new LostBlocks(options.refill ? (2 * this.margin) / TYPICAL_BLOCK_BYTES : 0);
    let slots = onTimeline.get(ctx.timeline);
    if (slots === undefined) onTimeline.set(ctx.timeline, (slots = new Map()));
    slots.set(ctx.seed, this);
    this.slotsOnTimeline = slots;
    this.gauges();
  }

  // ---------------------------------------------------------------- the interface

  lookup(file: FileRef, blockId: number, offset: number, bytes: number, io: IoContext): boolean {
    const e = this.files.get(file.fileNumber);
    if (io.background) {
      // Compaction reads use what is local and change nothing.
      if (e === undefined) return false;
      if (e.status === LOADED) return true;
      return blockId >= 0 && e.blocks > 0 && this.blocks.has(blockId);
    }
    const costs = this.ctx.cpu.costs;
    io.cpuPendingUs += costs.fileCacheLookupUs;
    if (e === undefined) return false;
    const now = this.ctx.scheduler.now;
    this.up.lookups++;
    this.down.lookups++;
    if (this.windowDue(this.up) || this.windowDue(this.down)) this.decide(now);
    const previousAccess = e.lastAccess;
    if (e.inFileRegion) {
      this.fileList.moveToFront(e);
      e.lastAccess = now;
    }
    if (e.status === LOADED || (e.status === LOADING && blockId >= 0 && this.arrived(e, offset + bytes, now))) {
      // A first read of a block of a file in the file region's tail: what a smaller
      // file region would lose (blocks read before stay as blocks when it is demoted).
      if (blockId >= 0 && this.touch(e, blockId - e.fileNumber * BLOCKS_PER_FILE, bytes, now) && previousAccess <= this.fileTail) this.down.loss++;
      this.fileHits++;
      return true;
    }
    if (blockId >= 0 && e.blocks > 0) {
      io.cpuPendingUs += costs.blockCacheLookupUs;
      if (this.blocks.find(blockId, now)) {
        if (this.blocks.foundLastAccess <= this.blockTail) this.up.loss++;
        this.blockHits++;
        return true;
      }
    }
    this.misses++;
    if (!e.inFileRegion && this.countColdMiss(e, now)) this.promote(e, now);
    return false;
  }

  afterRemoteRead(file: FileRef, blockId: number, _offset: number, bytes: number, io: IoContext): void {
    if (io.background || blockId < 0) return;
    const e = this.files.get(file.fileNumber);
    if (e === undefined || e.status === CLOSED) return;
    const now = this.ctx.scheduler.now;
    // The ghosts: would a larger region have served this read?
    const fileDistance = this.fileGhost.distance(e.fileNumber);
    if (fileDistance !== Infinity) this.onFileGhostHit(fileDistance, now);
    if (this.blockGhost.sampled(blockId)) {
      io.cpuPendingUs += this.options.ghostUs;
      const blockDistance = this.blockGhost.take(blockId);
      if (blockDistance >= 0) this.onBlockGhostHit(blockDistance * bytes, now);
    }
    // A copy of the whole file is on its way, or two readers missed the same block.
    if (this.options.blockAdmission !== 'miss' || e.inFileRegion || this.blocks.has(blockId)) return;
    this.admitBlock(e, blockId, bytes, now);
  }

  onMemoryEvict(fileNumber: number, blockId: number, bytes: number): void {
    if (this.options.blockAdmission !== 'memory-eviction') return;
    const e = this.files.get(fileNumber);
    if (e === undefined || e.status === CLOSED || e.inFileRegion) return;
    const now = this.ctx.scheduler.now;
    // Already local (a read that memory missed found it here): now the most recently evicted.
    if (this.blocks.find(blockId, now)) return;
    const before = this.admits;
    this.admitBlock(e, blockId, bytes, now);
    // The copy from memory: its local write is charged by admitBlock, its index entry here.
    if (this.admits > before) this.chargeMetadata(now, 1);
  }

  onFileCreated(file: FileRef): boolean {
    const e = this.register(file);
    if (this.admitFile(e)) {
      e.status = LOADED;
      this.writeThroughs++;
      this.gauges();
      return true;
    }
    this.addCold(e);
    this.fileGhost.add(e.fileNumber, e.size); // a larger file region would have kept it
    return false;
  }

  onFileDeleted(file: FileRef): void {
    const e = this.files.get(file.fileNumber);
    if (e === undefined) return;
    this.files.delete(e.fileNumber);
    if (e.inFileRegion) {
      this.fileList.unlink(e);
      this.fileBytes -= e.size;
      e.inFileRegion = false;
    } else {
      this.coldFiles--;
    }
    this.dropBlocks(e);
    if (e.chain >= 0) this.blocks.freeChain(e.chain);
    e.chain = -1;
    this.fileGhost.delete(e.fileNumber);
    e.status = CLOSED;
    e.touchedAt = e.touchedBytes = e.touched = undefined;
    this.gauges();
  }

  onFileRestored(file: FileRef): void {
    const e = this.register(file);
    this.addCold(e);
    // As ForSt: a restored file needs only two misses to be downloaded.
    e.coldMisses = Math.max(0, this.options.accessBeforePromote - 2);
  }

  usedBytes(): number {
    return this.fileBytes + this.blocks.usedBytes;
  }

  metrics(): Record<string, number> {
    return {
      hit: this.fileHits + this.blockHits,
      miss: this.misses,
      fileHit: this.fileHits,
      blockHit: this.blockHits,
      fileGhostHit: this.fileGhostHits,
      blockGhostHit: Math.round(this.blockGhostHits),
      fileGhostHitCredited: this.creditedFileGhostHits,
      blockGhostHitCredited: Math.round(this.creditedBlockGhostHits),
      fileTargetBytes: Math.round(this.fileTarget),
      boundaryMoves: this.moves,
      boundaryReversals: this.reversals,
      fileBytes: this.fileBytes,
      blockBytes: this.blocks.usedBytes,
      usedBytes: this.usedBytes(),
      filesInFileRegion: this.fileList.count,
      blocks: this.blocks.blockCount,
      writeThrough: this.writeThroughs,
      promote: this.promotions,
      loadback: this.loadbacks,
      demote: this.demotions,
      admit: this.admits,
      evict: this.evicts,
      keptBlocks: this.keptBlocks,
      droppedBlocks: this.droppedBlocks,
      downloadBytes: this.downloadBytes,
      refilledBlocks: this.refilledBlocks,
      refillBytes: this.refillBytes,
      metadataCpuUs: Math.round(this.metadataUs),
      metadataBytes: this.blocks.blockCount * this.options.metadataBytesPerBlock + this.blockGhost.size * GHOST_ENTRY_BYTES,
    };
  }

  /** Downloads queued or running. */
  get pendingLoads(): number {
    return this.loadQueue.length - this.loadHead + this.loadersRunning;
  }

  /** The state of one file, for tests. */
  fileState(fileNumber: number): { inFileRegion: boolean; status: 'none' | 'loading' | 'loaded' | 'closed'; blocks: number; coldMisses: number } | undefined {
    const e = this.files.get(fileNumber);
    if (e === undefined) return undefined;
    return { inFileRegion: e.inFileRegion, status: (['none', 'loading', 'loaded', 'closed'] as const)[e.status]!, blocks: e.blocks, coldMisses: e.coldMisses };
  }

  get fileRegionBytes(): number { return this.fileBytes; }
  get blockRegionBytes(): number { return this.blocks.usedBytes; }
  get blockCount(): number { return this.blocks.blockCount; }
  hasBlock(id: number): boolean { return this.blocks.has(id); }

  // ---------------------------------------------------------------- the boundary

  /** A miss on a file the file region lost `distance` bytes of files ago. */
  private onFileGhostHit(distance: number, now: number): void {
    this.fileGhostHits++;
    this.ctx.timeline.add('adaptiveFileGhostHits', now);
    if (distance > this.margin || (this.options.reachable && this.fileBytes + distance > this.capacity)) return;
    this.creditedFileGhostHits++;
    this.up.gain++;
  }

  /** A miss on a block the block region lost about `distance` bytes of blocks ago (a sampled hit). */
  private onBlockGhostHit(distance: number, now: number): void {
    const hits = 1 / this.blockGhost.rate;
    this.blockGhostHits += hits;
    this.ctx.timeline.add('adaptiveBlockGhostHits', now, hits);
    if (distance > this.margin) return;
    this.creditedBlockGhostHits += hits;
    this.down.gain += hits;
  }

  /** The first time the cache is full, the boundary starts where the regions stand (with the file being added, if one is). */
  private placeTarget(now: number, adding = 0): void {
    if (this.targetSet) return;
    this.targetSet = true;
    const cap = Math.max(this.options.maxInitialFileShare * this.capacity, this.margin);
    this.fileTarget = Math.min(this.capacity, this.fileBytes + adding, cap);
    this.gauge('adaptiveFileTargetBytes', now, (c) => c.fileTarget);
  }

  /**
   * Weighs a move of the boundary by one margin whose window is complete: growing the
   * file region gains the misses its ghost saw within the margin and loses the block
   * region's hits in its least recent margin (beyond free space); shrinking it gains
   * the block ghost's hits and loses the first reads of blocks of the file region's
   * least recent files. A move goes ahead if it promises enough on its own evidence
   * (the better one, if both do). Then the tails are measured again.
   */
  private decide(now: number): void {
    const o = this.options;
    const upDue = this.windowDue(this.up);
    const downDue = this.windowDue(this.down);
    const upNet = this.up.gain - this.up.loss;
    const downNet = this.down.gain - this.down.loss;
    const upWeighed = this.up.gain + this.up.loss;
    const downGain = this.down.gain;
    const downWeighed = downGain + this.down.loss;
    if (upDue) this.up.close();
    if (downDue) this.down.close();
    if (o.adapt && this.targetSet) {
      const upWins = upDue && this.wins(this.up, upNet, upWeighed, 1);
      const downWins = downDue && this.wins(this.down, downNet, downWeighed, -1);
      const dir = upWins && (!downWins || upNet >= downNet) ? 1 : downWins ? -1 : 0;
      const grewLast = this.grewLast;
      if (upDue || dir !== 0) this.grewLast = false;
      if (dir !== 0) {
        if (dir === -this.lastDirection) this.reversals++;
        // Growth of the file region on one-sided evidence, window after window, speeds
        // up: the new files are downloaded in a few windows (a block region fills only
        // at the rate of misses, so shrinking the file region has nothing to hurry).
        const accelerating = dir > 0 && grewLast && upNet >= o.accelerateShare * upWeighed;
        this.lastStep = accelerating ? Math.min(this.capacity, this.lastStep * o.accelerate) : o.adaptStep * this.margin;
        // A decision that finds the boundary at an end of the cache already moves nothing.
        if (this.moveTarget(dir * this.lastStep, now)) this.moves++;
        if (o.refill) {
          // Refill where this window's block ghost hits alone pass the bar: its lost
          // blocks are being read again now (always so for a move down on one window;
          // a reversal, decided on windows summed, may rest on older evidence).
          this.refillArmed = dir < 0 && downGain > this.threshold(downWeighed);
          if (this.refillArmed) this.startRefill(now);
          else this.dropRefills();
        }
        this.lastDirection = dir;
        this.grewLast = dir > 0;
        this.up.reset();
        this.down.reset();
      }
    }
    const free = this.capacity - this.fileBytes - this.blocks.usedBytes;
    this.blockTail = this.blocks.tailAccess(this.margin - free);
    this.fileTail = this.fileTailAccess(this.margin - free);
  }

  /** Whether a move's window of evidence is complete. */
  private windowDue(ledger: Ledger): boolean {
    const o = this.options;
    return ledger.due(o.decisionEvidence, o.decisionLookups, o.decisionMinLookups);
  }

  /**
   * Whether a move (`dir`) wins on its window just closed: its net gain passes the bar
   * set by its own evidence. A move back the way the last one came must also win on its
   * last reversalWindows windows summed: a region just shrunk has its hot, freshly lost
   * entries in its ghost and would win them back at once, and one short window is noisy.
   */
  private wins(ledger: Ledger, net: number, weighed: number, dir: number): boolean {
    if (!(net > this.threshold(weighed))) return false;
    if (dir !== -this.lastDirection) return true;
    if (!ledger.full) return false;
    const gain = ledger.summedGain();
    const loss = ledger.summedLoss();
    return gain - loss > this.threshold(gain + loss);
  }

  /** The net gain a move must pass, with `weighed` hits weighed. */
  private threshold(weighed: number): number {
    const o = this.options;
    return Math.max(o.minEvidence, o.hysteresis * weighed, o.significance * Math.sqrt(weighed));
  }

  /** As BlockRegion.tailAccess, over the file region's files. */
  private fileTailAccess(bytes: number): number {
    if (bytes <= 0) return -Infinity;
    if (bytes >= this.fileBytes) return Infinity;
    let sum = 0;
    for (let v = this.fileList.back(); v !== undefined; v = this.fileList.before(v)) {
      sum += v.size;
      if (sum >= bytes) return v.lastAccess;
    }
    return Infinity;
  }

  /** Moves the boundary by `delta` within the cache; false when it stays where it is. */
  private moveTarget(delta: number, now: number): boolean {
    const t = Math.min(this.capacity, Math.max(0, this.fileTarget + delta));
    if (t === this.fileTarget) return false;
    this.fileTarget = t;
    this.gauge('adaptiveFileTargetBytes', now, (c) => c.fileTarget);
    return true;
  }

  // ---------------------------------------------------------------- the file region

  private register(file: FileRef): AdaptiveFile {
    const old = this.files.get(file.fileNumber);
    if (old !== undefined) this.onFileDeleted({ fileNumber: old.fileNumber, fileSize: old.size }); // RocksDB never reuses a number
    const e = new AdaptiveFile(file.fileNumber, file.fileSize);
    this.files.set(e.fileNumber, e);
    return e;
  }

  private addCold(e: AdaptiveFile): void {
    this.coldFiles++;
    e.coldEpoch = ++this.coldEpoch;
    e.coldMisses = 0;
  }

  /**
   * Counts a DFS miss of a cold file; true when it should be downloaded (ForSt's rule,
   * but a file drifts into the back half only after two others' restarts: with two or
   * three cold files ForSt's half is one, and two files read in turn would restart
   * each other's count forever).
   */
  private countColdMiss(e: AdaptiveFile, now: number): boolean {
    if (this.coldEpoch - e.coldEpoch >= Math.max(2, Math.floor(this.coldFiles / 2))) {
      // Other files' misses have pushed it into the back half: its count restarts.
      e.coldMisses = 0;
      this.coldEpoch++;
    }
    e.coldEpoch = this.coldEpoch;
    if (e.coldMisses === 0) e.countStart = now;
    return e.demotions < this.options.promoteLimit && ++e.coldMisses >= this.options.accessBeforePromote;
  }

  /**
   * Whether the files a promotion of `e` would demote were all last read before
   * `e`'s misses began counting: only then is `e` the more recently used (in one LRU
   * order over files). Without this, two files that share a small file region would
   * push each other out, each download wasted.
   */
  private victimsOlderThan(e: AdaptiveFile): boolean {
    let fileBytes = this.fileBytes;
    let total = fileBytes + this.blocks.usedBytes;
    for (let v = this.fileList.back(); v !== undefined; v = this.fileList.before(v)) {
      if (total + e.size <= this.capacity || fileBytes + e.size <= this.fileTarget) break;
      if (v.lastAccess >= e.countStart) return false;
      fileBytes -= v.size;
      total -= v.size;
    }
    return true;
  }

  /**
   * Adds `e` to the file region, making room (demoting least recent files while the
   * region is above its target, else evicting blocks); false if it cannot be added.
   */
  private admitFile(e: AdaptiveFile): boolean {
    if (!this.fileFits(e.size)) return false;
    const reserve = this.options.reserve;
    if (reserve > 0 && e.size > this.ctx.diskFreeBytes() - reserve + this.usedBytes()) return false;
    const now = this.ctx.scheduler.now;
    // The target binds only when the cache is full: the file region first gives up
    // its own least recent files while it is above target, then takes blocks.
    // A file that fills the cache is placed with the file region: it holds it.
    if (this.fileBytes + this.blocks.usedBytes + e.size > this.capacity) this.placeTarget(now, e.size);
    while (this.fileBytes + this.blocks.usedBytes + e.size > this.capacity) {
      if (this.fileList.count > 0 && this.fileBytes + e.size > this.fileTarget) this.demote(this.fileList.back()!, now);
      else this.evictBlock();
    }
    e.inFileRegion = true;
    e.lastAccess = now;
    this.fileList.pushFront(e);
    this.fileBytes += e.size;
    return true;
  }

  /** A file of `size` can be added: into free space, or within the file region's target. */
  private fileFits(size: number): boolean {
    if (size > this.capacity) return false;
    return this.fileBytes + this.blocks.usedBytes + size <= this.capacity || size <= this.fileTarget;
  }

  private promote(e: AdaptiveFile, now: number): void {
    // Once the boundary is placed, a download must fit the file region's target: free
    // space (left by a demotion) is not a reason to fetch a file the region will shed.
    if (!this.fileFits(e.size) || (this.targetSet && e.size > this.fileTarget)) {
      // The file region is too small to take a file the workload now reads densely:
      // its ghost remembers the file, and further misses on it argue for a larger one.
      e.coldMisses = 0;
      this.fileGhost.add(e.fileNumber, e.size);
      return;
    }
    if (!this.victimsOlderThan(e)) {
      e.coldMisses = 0;
      return;
    }
    this.coldFiles--;
    if (!this.admitFile(e)) {
      this.coldFiles++;
      e.coldMisses = 0;
      return;
    }
    e.coldMisses = 0;
    e.status = LOADING;
    this.promotions++;
    this.ctx.timeline.add('adaptivePromotions', now);
    this.gauges();
    this.loadQueue.push(e);
    if (this.loadersRunning < ADAPTIVE_LOADER_THREADS) {
      this.loadersRunning++;
      new Process(this.ctx.scheduler, this.loader()).start();
    }
  }

  /**
   * The least recent file leaves the file region: its recently read blocks stay as
   * blocks (copied on local disk), the rest of it is dropped.
   */
  private demote(e: AdaptiveFile, now: number): void {
    this.fileList.unlink(e);
    e.inFileRegion = false;
    this.fileBytes -= e.size;
    e.demotions++;
    this.demotions++;
    this.addCold(e);
    this.fileGhost.add(e.fileNumber, e.size);
    let kept = 0;
    let keptBytes = 0;
    if (e.status === LOADED && this.options.keepTouched && e.touchedCount > 0) {
      // Blocks read after the block region's least recent one would not be the next
      // to go in one LRU over all blocks: they stay. With room to spare, all stay.
      const blockRoom = this.capacity - this.fileTarget;
      const since = this.blocks.usedBytes < blockRoom ? -Infinity : this.blocks.oldestAccess();
      const base = e.fileNumber * BLOCKS_PER_FILE;
      const at = e.touchedAt!;
      const sizes = e.touchedBytes!;
      const list = e.touched!;
      for (let i = 0; i < e.touchedCount; i++) {
        const b = list[i]!;
        if (at[b]! < since) continue;
        if (e.chain < 0) e.chain = this.blocks.newChain();
        this.blocks.insert(base + b, sizes[b]!, e.chain, at[b]!);
        e.blocks++;
        kept++;
        keptBytes += sizes[b]!;
      }
    }
    // Blocks of the copy that go: its size less what stayed, in typical blocks.
    const dropped = e.status === LOADED ? Math.max(0, Math.round((e.size - keptBytes) / TYPICAL_BLOCK_BYTES)) : 0;
    this.keptBlocks += kept;
    this.droppedBlocks += dropped;
    if (keptBytes > 0) {
      const { disk } = this.ctx;
      const readDone = disk.read(now, keptBytes, true);
      disk.write(readDone, keptBytes, true);
      this.ctx.timeline.add('adaptiveKeptBlocks', now, kept);
    }
    // Index inserts for the kept blocks; the rest of the copy goes as one file delete.
    this.chargeMetadata(now, kept);
    e.status = NO_COPY; // a download still running throws its copy away when it ends
    e.touchedAt = e.touchedBytes = e.touched = undefined;
    e.touchedCount = 0;
    this.ctx.timeline.add('adaptiveDemotions', now);
    this.gauges();
  }

  /** Records a read from a file copy (the block's time and size); true on the block's first read. */
  private touch(e: AdaptiveFile, blockNo: number, bytes: number, now: number): boolean {
    let at = e.touchedAt;
    if (at === undefined || blockNo >= at.length) at = this.growTouched(e, blockNo);
    const first = at[blockNo] === 0;
    if (first) {
      e.touched![e.touchedCount++] = blockNo;
      e.touchedBytes![blockNo] = bytes;
    }
    at[blockNo] = now > 0 ? now : Number.MIN_VALUE;
    return first;
  }

  private growTouched(e: AdaptiveFile, blockNo: number): Float64Array {
    const old = e.touchedAt?.length ?? 0;
    const n = Math.max(blockNo + 1, old * 2, Math.ceil(e.size / TYPICAL_BLOCK_BYTES) + 16);
    const at = new Float64Array(n);
    const sizes = new Int32Array(n);
    const list = new Int32Array(n);
    if (e.touchedAt !== undefined) {
      at.set(e.touchedAt);
      sizes.set(e.touchedBytes!);
      list.set(e.touched!);
    }
    e.touchedAt = at;
    e.touchedBytes = sizes;
    e.touched = list;
    return at;
  }

  // ---------------------------------------------------------------- the block region

  private admitBlock(e: AdaptiveFile, blockId: number, bytes: number, now: number): void {
    if (this.fileBytes + this.blocks.usedBytes + bytes > this.capacity) this.placeTarget(now);
    const blockRoom = this.capacity - this.fileTarget;
    let demoted = false;
    while (this.fileBytes + this.blocks.usedBytes + bytes > this.capacity) {
      if (this.blocks.blockCount > 0 && this.blocks.usedBytes + bytes > blockRoom) this.evictBlock();
      else if (this.fileBytes > this.fileTarget && this.fileList.count > 0) {
        this.demote(this.fileList.back()!, now);
        demoted = true;
      } else {
        // Refused: the block region is at its share. Its ghost remembers the block.
        if (this.blockGhost.sampled(blockId)) this.blockGhost.add(blockId);
        if (this.options.refill) this.lost.add(blockId, bytes, now);
        return;
      }
    }
    if (e.chain < 0) e.chain = this.blocks.newChain();
    this.blocks.insert(blockId, bytes, e.chain, now);
    e.blocks++;
    this.admits++;
    this.ctx.disk.write(now, bytes, true);
    this.gauge('adaptiveBlockBytes', now, (c) => c.blocks.usedBytes);
    if (demoted && this.refillArmed) this.startRefill(now);
  }

  private evictBlock(): void {
    const id = this.blocks.lruId();
    const chain = this.blocks.lruChain();
    if (this.options.refill) this.lost.add(id, this.blocks.lruSize(), this.blocks.oldestAccess());
    this.blocks.evictLru();
    const e = this.files.get(Math.floor(id / BLOCKS_PER_FILE));
    if (e !== undefined && e.chain === chain) e.blocks--;
    if (this.blockGhost.sampled(id)) this.blockGhost.add(id);
    this.evicts++;
  }

  /**
   * Drops every single block of a file (deleted, or now whole in the file region). A
   * file whose copy just arrived takes their access times over (`inherit`): reading
   * one of them from the copy is not a first read, and a demotion weighs them for
   * keeping like any block the copy served.
   */
  private dropBlocks(e: AdaptiveFile, inherit = false): void {
    if (e.chain < 0 || e.blocks === 0) return;
    const base = e.fileNumber * BLOCKS_PER_FILE;
    const n = this.blocks.dropChain(e.chain, inherit && this.options.inheritBlocks
      ? (id, size, lastAccess) => { this.touch(e, id - base, size, lastAccess); }
      : undefined);
    e.blocks = 0;
    this.droppedBlocks += n;
    this.chargeMetadata(this.ctx.scheduler.now, n);
  }

  private chargeMetadata(now: number, blocks: number): void {
    if (blocks === 0) return;
    const us = blocks * this.options.metadataUsPerBlock;
    this.metadataUs += us;
    this.ctx.cpu.run(now, us);
  }

  // ---------------------------------------------------------------- loaders

  private *loader(): Sim<void> {
    while (this.loadHead < this.loadQueue.length) {
      const e = this.loadQueue[this.loadHead++]!;
      if (this.loadHead === this.loadQueue.length) {
        this.loadQueue.length = 0;
        this.loadHead = 0;
      }
      if (e.status === LOADING) yield* this.download(e);
    }
    this.loadersRunning--;
  }

  /**
   * Whether a running download has written the file's first `bytes` to local disk by
   * `now`: the stream is taken to arrive evenly from its submission to its end (queue
   * wait and first-byte latency spread over it, so never ahead of the real stream).
   */
  private arrived(e: AdaptiveFile, bytes: number, now: number): boolean {
    return this.options.readWhileLoading && e.loadEnd > e.loadStart && bytes * (e.loadEnd - e.loadStart) <= e.size * (now - e.loadStart);
  }

  /** One DFS stream of the whole file, written to local disk as it arrives; what has arrived serves reads. */
  private *download(e: AdaptiveFile): Sim<void> {
    const { dfs, disk, scheduler } = this.ctx;
    const start = scheduler.now;
    const received = dfs.read(start, e.size, true);
    const written = disk.write(start, e.size, true);
    this.downloadBytes += e.size;
    this.ctx.timeline.add('adaptiveDownloadBytes', start, e.size);
    e.loadStart = start;
    e.loadEnd = Math.max(received, written);
    const now: number = yield e.loadEnd;
    e.loadStart = e.loadEnd = 0;
    if (e.status !== LOADING) return; // demoted or deleted meanwhile: the copy is thrown away
    e.status = LOADED;
    this.loadbacks++;
    // The whole file is local now: its single blocks are redundant.
    this.dropBlocks(e, true);
    this.gauge('adaptiveBlockBytes', now, (c) => c.blocks.usedBytes);
  }

  // ---------------------------------------------------------------- refill

  /**
   * After a move toward blocks, or a demotion that left free space below the block
   * region's share: queues the blocks lost most recently that fit that space (less
   * what is already queued), newest first, and starts fetching. A refill takes only
   * free space: it demotes no file and evicts no block.
   */
  private startRefill(now: number): void {
    const room = Math.min(this.capacity - this.fileTarget, this.capacity - this.fileBytes) - this.blocks.usedBytes - this.refillQueuedBytes;
    if (room <= 0) return;
    const pick = this.lost.take(room, (id) => this.refillable(id));
    if (pick.ids.length === 0) return;
    if (this.refillHead === this.refillIds.length) {
      this.refillIds = [];
      this.refillSizes = [];
      this.refillAt = [];
      this.refillHead = 0;
    }
    this.refillIds.push(...pick.ids);
    this.refillSizes.push(...pick.sizes);
    this.refillAt.push(...pick.at);
    for (const size of pick.sizes) this.refillQueuedBytes += size;
    this.ctx.timeline.add('adaptiveRefillQueued', now, pick.ids.length);
    while (this.refillersRunning < this.options.refillStreams && this.refillersRunning < this.refillIds.length - this.refillHead) {
      this.refillersRunning++;
      new Process(this.ctx.scheduler, this.refiller()).start();
    }
  }

  /** Forgets the refills not yet started (the room went back to files). */
  private dropRefills(): void {
    this.refillHead = this.refillIds.length;
    this.refillQueuedBytes = 0;
  }

  /** A lost block worth fetching: its file lives, is not whole in the file region, and the block is not cached. */
  private refillable(id: number): boolean {
    const e = this.files.get(Math.floor(id / BLOCKS_PER_FILE));
    return e !== undefined && e.status !== CLOSED && !e.inFileRegion && !this.blocks.has(id);
  }

  /** One stream of block reads from the DFS, each admitted when it arrives if there is still room for it. */
  private *refiller(): Sim<void> {
    while (this.refillHead < this.refillIds.length) {
      const i = this.refillHead++;
      const id = this.refillIds[i]!;
      const size = this.refillSizes[i]!;
      this.refillQueuedBytes -= size;
      if (!this.refillable(id)) continue;
      const lastRead = this.refillAt[i]!; // the queue may be replaced while the read runs
      const start = this.ctx.scheduler.now;
      this.refillBytes += size;
      this.ctx.timeline.add('adaptiveRefillBytes', start, size);
      const now: number = yield this.ctx.dfs.read(start, size, true);
      this.admitRefilled(id, size, lastRead, now);
    }
    this.refillersRunning--;
  }

  /**
   * Adds a fetched block, last read at `lastRead`, if there is still free space for it
   * within the block region's share. It goes in as the least recent block: it was lost
   * before everything the region holds, so it is the next to go unless it is read.
   */
  private admitRefilled(id: number, size: number, lastRead: number, now: number): void {
    if (!this.refillable(id)) return;
    const used = this.fileBytes + this.blocks.usedBytes + size;
    if (used > this.capacity || this.blocks.usedBytes + size > this.capacity - this.fileTarget) return;
    const e = this.files.get(Math.floor(id / BLOCKS_PER_FILE))!;
    if (e.chain < 0) e.chain = this.blocks.newChain();
    this.blocks.insert(id, size, e.chain, lastRead, true);
    e.blocks++;
    this.refilledBlocks++;
    this.ctx.disk.write(now, size, true);
    this.chargeMetadata(now, 1);
    this.gauge('adaptiveBlockBytes', now, (c) => c.blocks.usedBytes);
  }

  // ---------------------------------------------------------------- timeline

  private gauge(series: string, now: number, value: (c: AdaptiveCache) => number): void {
    let sum = 0;
    for (const c of this.slotsOnTimeline.values()) sum += value(c);
    this.ctx.timeline.set(series, now, sum);
  }

  private gauges(): void {
    const now = this.ctx.scheduler.now;
    this.gauge('adaptiveFileTargetBytes', now, (c) => c.fileTarget);
    this.gauge('adaptiveFileBytes', now, (c) => c.fileBytes);
    this.gauge('adaptiveBlockBytes', now, (c) => c.blocks.usedBytes);
  }
}

/** The `adaptive` policy with its options (Flink's cache keys or short names). */
export function adaptiveCache(options?: unknown): PolicyFactory {
  const parsed = parseAdaptiveCacheOptions(options);
  return Object.assign((ctx: PolicyContext) => new AdaptiveCache(ctx, parsed), { options: parsed });
}
