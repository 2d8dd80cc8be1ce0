/**
 * `block`: tiersim's own block-granularity local cache (neither Flink nor ForSt has
 * one). Single data, index and filter blocks live on local disk, keyed by block id
 * (fileNumber·2^21 + block number):
 * - a block that missed memory and local disk is admitted after its DFS read, on the
 *   first miss or only on a second miss within a bounded memory of missed ids;
 * - any eviction algorithm of policies/eviction decides what leaves; its capacity is
 *   the cache size;
 * - an admitted block is written to local disk in the background (the reader does not
 *   wait for it);
 * - deleting a file drops its blocks through a per-file index, not a scan;
 * - the price of the finer grain is charged: per-block metadata memory (reported) and
 *   a dearer lookup on the CPU (blockCacheLookupUs against fileCacheLookupUs).
 * Background (compaction) reads are served by cached blocks but neither reorder,
 * count, nor admit anything, as RocksDB does not fill caches from compaction reads.
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import { BLOCKS_PER_FILE } from '../sim/fs.ts';
import type { FileRef, IoContext, LocalCachePolicy, PolicyContext, PolicyFactory } from '../sim/local-cache.ts';
import { evictionAlgorithmName, makeEvictionCache } from './eviction/registry.ts';
import { isOracle, type EvictionCache } from './eviction/types.ts';
import { GHOST_ENTRY_BYTES, MissGhost } from './miss-ghost.ts';
import { parsePolicyOptions, sizeOption } from './options.ts';

const MiB = 2 ** 20;
/** Block size the default ghost length assumes (the store's default data block). */
const TYPICAL_BLOCK_BYTES = 4096;

export const blockCacheOptions = z.object({
  /** Cache size; 0 = the local disk (ctx.diskBytes) less the reserve. */
  sizeLimit: sizeOption.default(0),
  /** Disk kept free when the size is derived from the disk, as ForSt's reserve-size. */
  reserve: sizeOption.default(256 * MiB),
  /**
   * Admit a block on its first miss, only on a second miss while its id is remembered,
   * or when the memory block cache evicts it (a victim cache of memory: it holds what
   * memory no longer does, copied from memory with no DFS read).
   */
  admission: z.enum(['miss', 'second-miss', 'memory-eviction']).default('miss'),
  /** An eviction algorithm of policies/eviction/registry.ts. */
  eviction: z.string().default('lru').transform((name, ctx) => {
    try {
      return evictionAlgorithmName(name);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  /** The algorithm's own parameters, e.g. { smallRatio: 0.1 } for s3fifo. */
  evictionOptions: z.record(z.string(), z.number()).default({}),
  /** Memory per cached block: key, disk offset, size, eviction state, hash-table slot. */
  metadataBytesPerBlock: z.number().nonnegative().default(64),
  /** Missed ids remembered for second-miss admission; default: the cache's size in 4 KiB blocks. */
  ghostEntries: z.number().int().positive().optional(),
}).strict();
export type BlockCacheOptions = z.output<typeof blockCacheOptions>;

/** Flink's names for the two limits are accepted too, so one config drives both policies. */
export const BLOCK_CACHE_KEYS: Readonly<Record<string, string>> = {
  'state.backend.forst.cache.size-based-limit': 'sizeLimit',
  'state.backend.forst.cache.reserve-size': 'reserve',
};

export function parseBlockCacheOptions(raw?: unknown): BlockCacheOptions {
  return parsePolicyOptions('block', blockCacheOptions, BLOCK_CACHE_KEYS, raw);
}

export class BlockCache implements LocalCachePolicy {
  readonly name = 'block';
  readonly capacityBytes: number;
  private readonly cache: EvictionCache;
  private readonly ghost: MissGhost | undefined;
  /** Cached block numbers of each file, for deletion without a scan. */
  private readonly byFile = new Map<number, Set<number>>();
  private hits = 0;
  private misses = 0;
  private admits = 0;
  private evicts = 0;

  constructor(private readonly ctx: PolicyContext, readonly options: BlockCacheOptions = parseBlockCacheOptions()) {
    this.capacityBytes = options.sizeLimit > 0 ? options.sizeLimit : Math.max(0, ctx.diskBytes - options.reserve);
    this.cache = onlineEvictionCache(options, this.capacityBytes);
    this.cache.onEvict = (id) => this.evicted(id);
    if (options.admission === 'second-miss') {
      const entries = options.ghostEntries ?? Math.max(1024, Math.floor(this.capacityBytes / TYPICAL_BLOCK_BYTES));
      this.ghost = new MissGhost(entries);
    }
  }

  lookup(file: FileRef, blockId: number, _offset: number, _bytes: number, io: IoContext): boolean {
    // A byte-range read (blockId < 0) does not map to single blocks: the DFS serves it.
    if (blockId < 0) return false;
    if (io.background) return this.byFile.get(file.fileNumber)?.has(blockId - file.fileNumber * BLOCKS_PER_FILE) === true;
    io.cpuPendingUs += this.ctx.cpu.costs.blockCacheLookupUs;
    if (this.cache.find(blockId)) {
      this.hits++;
      return true;
    }
    this.misses++;
    return false;
  }

  afterRemoteRead(file: FileRef, blockId: number, _offset: number, bytes: number, io: IoContext): void {
    if (io.background || blockId < 0 || this.options.admission === 'memory-eviction') return;
    // Two readers missed the same block at once: the first one admitted it.
    if (this.byFile.get(file.fileNumber)?.has(blockId - file.fileNumber * BLOCKS_PER_FILE)) return;
    if (this.ghost !== undefined && !this.ghost.miss(blockId)) return;
    this.admit(file.fileNumber, blockId, bytes);
  }

  onMemoryEvict(fileNumber: number, blockId: number, bytes: number): void {
    if (this.options.admission !== 'memory-eviction') return;
    // Already here (memory missed it and this cache served it): now the most recently evicted.
    if (this.byFile.get(fileNumber)?.has(blockId - fileNumber * BLOCKS_PER_FILE)) this.cache.find(blockId);
    else this.admit(fileNumber, blockId, bytes);
  }

  private admit(fileNumber: number, blockId: number, bytes: number): void {
    const blockNo = blockId - fileNumber * BLOCKS_PER_FILE;
    if (!this.cache.insert(blockId, bytes)) return; // refused (too large, or the algorithm's rule)
    let blocks = this.byFile.get(fileNumber);
    if (blocks === undefined) this.byFile.set(fileNumber, (blocks = new Set()));
    blocks.add(blockNo);
    this.admits++;
    const now = this.ctx.scheduler.now;
    this.ctx.disk.write(now, bytes, true);
    this.ctx.timeline.set('localCacheBytes', now, this.cache.usedBytes);
  }

  onFileCreated(_file: FileRef): boolean {
    return false; // blocks enter on reads only
  }

  onFileDeleted(file: FileRef): void {
    const blocks = this.byFile.get(file.fileNumber);
    if (blocks === undefined) return;
    this.byFile.delete(file.fileNumber);
    const base = file.fileNumber * BLOCKS_PER_FILE;
    for (const blockNo of blocks) this.cache.remove(base + blockNo);
    this.ctx.timeline.set('localCacheBytes', this.ctx.scheduler.now, this.cache.usedBytes);
  }

  onFileRestored(_file: FileRef): void {
    // Nothing is local after a restore; blocks come back as they are read.
  }

  usedBytes(): number {
    return this.cache.usedBytes;
  }

  metrics(): Record<string, number> {
    return {
      hit: this.hits,
      miss: this.misses,
      admit: this.admits,
      evict: this.evicts,
      usedBytes: this.cache.usedBytes,
      metadataBytes: this.cache.objectCount * this.options.metadataBytesPerBlock + (this.ghost?.size ?? 0) * GHOST_ENTRY_BYTES,
      blocks: this.cache.objectCount,
    };
  }

  /** Cached block numbers of a file (tests). */
  blocksOf(fileNumber: number): number[] {
    return [...(this.byFile.get(fileNumber) ?? [])].sort((a, b) => a - b);
  }

  private evicted(id: number): void {
    const fileNumber = Math.floor(id / BLOCKS_PER_FILE);
    const blocks = this.byFile.get(fileNumber);
    if (blocks !== undefined) {
      blocks.delete(id - fileNumber * BLOCKS_PER_FILE);
      if (blocks.size === 0) this.byFile.delete(fileNumber);
    }
    this.evicts++;
    this.ctx.timeline.set('localCacheBytes', this.ctx.scheduler.now, this.cache.usedBytes);
  }
}

/** The eviction cache the options name; an offline one (Belady) cannot serve a live store. */
function onlineEvictionCache(options: BlockCacheOptions, capacityBytes: number): EvictionCache {
  const cache = makeEvictionCache(options.eviction, capacityBytes, options.evictionOptions);
  if (isOracle(cache)) {
    throw new InputError(`policy 'block': eviction '${options.eviction}' needs the future and runs only in trace replay`);
  }
  return cache;
}

/** The `block` policy with its options (checked here, before any run starts). */
export function blockCache(options?: unknown): PolicyFactory {
  const parsed = parseBlockCacheOptions(options);
  onlineEvictionCache(parsed, 0); // the algorithm and its options are valid
  return Object.assign((ctx: PolicyContext) => new BlockCache(ctx, parsed), { options: parsed });
}
