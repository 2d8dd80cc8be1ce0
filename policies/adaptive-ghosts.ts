/**
 * The ghosts of the `adaptive` policy: memories of what each region lost, holding ids
 * and no data. A read that misses the cache but hits a ghost is one that a larger
 * region would have served; ghost hits move the boundary between the regions, as
 * ghost hits move ARC's target (Megiddo & Modha, FAST 2003).
 *
 * - FileGhost: files that left the file region (demoted) or were refused by it,
 *   oldest forgotten first once their bytes pass the budget.
 * Each ghost also says how recently an entry was lost (the bytes or ids lost since),
 * so a hit can be credited only if a region a given margin larger would have served it.
 * - BlockGhost: block ids evicted from (or refused by) the block region, for a
 *   spatially sampled subset of ids (SHARDS, Waldspurger et al., FAST 2015): an id is
 *   tracked when its hash falls below rate · 2^32, the ring holds rate × the budget,
 *   and every tracked hit stands for 1/rate hits.
 */
import { hashId, IdTable } from '../sim/id-table.ts';

export class FileGhost {
  /** fileNumber → its entry, oldest first (a Map keeps insertion order). */
  private readonly files = new Map<number, { size: number; at: number }>();
  private total = 0;
  /** Bytes ever added: an entry's distance is the bytes added since it (itself included). */
  private clock = 0;

  constructor(private budgetBytes: number) {}

  get bytes(): number { return this.total; }
  get size(): number { return this.files.size; }

  has(fileNumber: number): boolean {
    return this.files.has(fileNumber);
  }

  /**
   * Bytes of files lost since `fileNumber` was, itself included: the growth of the
   * file region that would have kept it. Infinity when it is not remembered.
   */
  distance(fileNumber: number): number {
    const e = this.files.get(fileNumber);
    return e === undefined ? Infinity : this.clock - e.at;
  }

  /** Remembers a file as the newest; forgets the oldest beyond the budget. */
  add(fileNumber: number, size: number): void {
    this.delete(fileNumber);
    this.files.set(fileNumber, { size, at: this.clock });
    this.clock += size;
    this.total += size;
    while (this.total > this.budgetBytes && this.files.size > 0) {
      const [oldest, e] = this.files.entries().next().value!;
      this.files.delete(oldest);
      this.total -= e.size;
    }
  }

  delete(fileNumber: number): void {
    const e = this.files.get(fileNumber);
    if (e === undefined) return;
    this.files.delete(fileNumber);
    this.total -= e.size;
  }
}

/** 2^32 */
const HASH_RANGE = 4294967296;

export class BlockGhost {
  /** Ids tracked: hash below this. */
  private readonly threshold: number;
  private readonly ring: Float64Array;
  /** Sequence number of each ring slot's id (ids added before it, sampled). */
  private readonly seqs: Float64Array;
  private readonly index: IdTable;
  private next = 0;
  private seq = 0;

  /**
   * @param rate share of ids tracked, in (0, 1]
   * @param entries ids the full (unsampled) ghost would hold
   */
  constructor(readonly rate: number, entries: number) {
    this.threshold = rate * HASH_RANGE;
    const capacity = Math.max(16, Math.ceil(entries * rate));
    this.ring = new Float64Array(capacity).fill(-1);
    this.seqs = new Float64Array(capacity);
    this.index = new IdTable(Math.min(capacity, 1 << 16));
  }

  /** Ids remembered (sampled ones). */
  get size(): number { return this.index.size; }

  /** Whether `id` is in the sample. */
  sampled(id: number): boolean {
    return (hashId(id) >>> 0) < this.threshold;
  }

  /** Remembers a sampled id as the newest (forgetting the oldest when full). */
  add(id: number): void {
    const pos = this.index.get(id);
    if (pos >= 0) this.ring[pos] = -1; // re-remembered: its old place goes empty
    const at = this.next;
    const old = this.ring[at]!;
    if (old >= 0 && this.index.get(old) === at) this.index.delete(old);
    this.ring[at] = id;
    this.seqs[at] = this.seq++;
    this.index.set(id, at);
    this.next = at + 1 === this.ring.length ? 0 : at + 1;
  }

  /**
   * If a sampled id is remembered, forgets it (a ghost hit happens once) and returns
   * how many ids were lost since, itself included, scaled to the full ghost
   * (÷ rate); otherwise -1.
   */
  take(id: number): number {
    const pos = this.index.get(id);
    if (pos < 0) return -1;
    this.index.delete(id);
    this.ring[pos] = -1;
    return (this.seq - this.seqs[pos]!) / this.rate;
  }
}
