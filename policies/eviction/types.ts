/**
 * The interface every eviction algorithm implements, used by the block caches of the
 * store and by cache-only trace replay.
 *
 * Caches hold bytes: capacityBytes is the budget, each object has its own size, and
 * no per-object metadata is charged (as libCacheSim without consider_obj_metadata).
 * Object ids are integers below 2^53, any of them (trace ids, or block ids such as
 * fileNumber * 2^21 + blockNo).
 */
export interface EvictionCache {
  readonly name: string;
  readonly capacityBytes: number;
  /** Bytes of the objects in the cache; never above capacityBytes. */
  readonly usedBytes: number;
  readonly objectCount: number;
  /** Looks an object up; on a hit updates the algorithm's state and returns true. No insertion. */
  find(id: number): boolean;
  /**
   * Inserts an object that is not cached, evicting as needed, and returns whether it
   * is now cached. An object larger than the capacity is refused and nothing changes;
   * some algorithms refuse smaller ones too (S3-FIFO: above the small queue; 2Q: above
   * A1in; LIRS: above the HIR part when the LIR part is full, but it remembers them;
   * SLRU: above a segment; W-TinyLFU: above its window or the main cache's lower segment).
   * An object already cached is left as it is (returns true).
   */
  insert(id: number, size: number): boolean;
  /** Removes an object if cached, forgetting its history (invalidation, e.g. its file was deleted). */
  remove(id: number): boolean;
  /** find, then insert on a miss: libCacheSim's `get`. Returns true on a hit. */
  access(id: number, size: number): boolean;
  /**
   * Called with every object the algorithm evicts (not for remove(), and not when a
   * ghost entry, which holds no data, is dropped). It must not call back into the cache.
   */
  onEvict?: (id: number, size: number) => void;
}

/**
 * An offline algorithm (Belady) that knows the future: before each find, insert or
 * access, it is told when the object is requested next.
 */
export interface OracleEvictionCache extends EvictionCache {
  readonly offline: true;
  /** Virtual time (request index) of the next request to the object about to be accessed; Infinity if none. */
  setNextAccess(vtime: number): void;
  /** The next access recorded for a cached object (Infinity: never again), NaN when not cached. */
  nextAccessOf(id: number): number;
}

export function isOracle(cache: EvictionCache): cache is OracleEvictionCache {
  return (cache as Partial<OracleEvictionCache>).offline === true;
}

/** Algorithm parameters by name, e.g. { smallRatio: 0.1 } for S3-FIFO. */
export type EvictionOptions = Readonly<Record<string, number>>;

export type EvictionFactory = (capacityBytes: number, options?: EvictionOptions) => EvictionCache;
