/**
 * The block region of the `adaptive` policy: single blocks on local disk in one LRU
 * list whose byte budget the policy moves at run time (an EvictionCache has a fixed
 * capacity, so this region keeps its own list and lets the caller decide when to
 * evict). Each block also sits on its file's chain, so a deleted or downloaded file
 * drops its blocks without a scan, and remembers its last access time, so the policy
 * can tell how old the least recent block is.
 *
 * Entries are slots of typed arrays (policies/eviction/slots.ts); nothing allocates
 * per access.
 */
import { IdTable } from '../sim/id-table.ts';
import { Slots, type Links } from './eviction/slots.ts';

export class BlockRegion {
  private readonly slots = new Slots(1024);
  private readonly index = new IdTable(1024);
  /** Per-file chains, threaded through a second set of links over the same slots. */
  private readonly chains: Links;
  private readonly lru: number;
  /** Last access (simulated µs) per slot. */
  private lastAccess = new Float64Array(1024);
  private used = 0;
  private count = 0;

  constructor() {
    this.chains = this.slots.newLinks();
    this.lru = this.slots.newList();
  }

  get usedBytes(): number { return this.used; }
  get blockCount(): number { return this.count; }

  /** A new, empty chain for a file's blocks; its handle is a slot number. */
  newChain(): number {
    const s = this.slots.newList();
    this.chains.initList(s);
    return s;
  }

  /** Releases an empty chain's handle. */
  freeChain(chain: number): void {
    this.slots.release(chain);
  }

  has(id: number): boolean {
    return this.index.get(id) >= 0;
  }

  /** Last access of the block found by the last successful find, before that find. */
  foundLastAccess = 0;

  /** On a hit the block becomes the most recent. */
  find(id: number, now: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.slots.links.moveToFront(this.lru, s);
    this.foundLastAccess = this.lastAccess[s]!;
    this.lastAccess[s] = now;
    return true;
  }

  /**
   * Last access of the block that ends the least recent `bytes` (walking at most
   * `maxSteps` blocks from the LRU end): blocks accessed at or before it would be gone
   * if the region were `bytes` smaller. -Infinity for no bytes; Infinity when the
   * region holds fewer bytes (all of it would go).
   */
  tailAccess(bytes: number, maxSteps = 1 << 14): number {
    if (bytes <= 0) return -Infinity;
    if (bytes >= this.used) return Infinity;
    let sum = 0;
    let s = this.slots.links.back(this.lru);
    for (let i = 0; s !== this.lru && i < maxSteps; i++) {
      sum += this.slots.sizes[s]!;
      if (sum >= bytes) break;
      s = this.slots.links.prev[s]!;
    }
    return s === this.lru ? Infinity : this.lastAccess[s]!;
  }

  /**
   * Inserts a block that is not cached as the most recent, last accessed at
   * `accessedAt`; with `leastRecent`, as the least recent instead (the next to go).
   */
  insert(id: number, size: number, chain: number, accessedAt: number, leastRecent = false): void {
    const s = this.slots.alloc(id, size, chain);
    if (s >= this.lastAccess.length) {
      const grown = new Float64Array(Math.max(s + 1, this.lastAccess.length * 2));
      grown.set(this.lastAccess);
      this.lastAccess = grown;
    }
    this.lastAccess[s] = accessedAt;
    this.index.set(id, s);
    if (leastRecent) this.slots.links.pushBack(this.lru, s);
    else this.slots.links.pushFront(this.lru, s);
    this.chains.pushFront(chain, s);
    this.used += size;
    this.count++;
  }

  /** Last access of the least recent block; -Infinity when empty. */
  oldestAccess(): number {
    const s = this.slots.links.back(this.lru);
    return s === this.lru ? -Infinity : this.lastAccess[s]!;
  }

  /** Id of the least recent block (call only when not empty). */
  lruId(): number {
    return this.slots.ids[this.slots.links.back(this.lru)]!;
  }

  /** Size of the least recent block (call only when not empty). */
  lruSize(): number {
    return this.slots.sizes[this.slots.links.back(this.lru)]!;
  }

  /** Chain of the least recent block (call only when not empty). */
  lruChain(): number {
    return this.slots.meta[this.slots.links.back(this.lru)]!;
  }

  /** Removes the least recent block (call only when not empty). */
  evictLru(): void {
    this.drop(this.slots.links.back(this.lru));
  }

  /**
   * Drops every block of a chain, telling `visit` of each (id, size, last access);
   * returns how many. The chain stays valid (empty).
   */
  dropChain(chain: number, visit?: (id: number, size: number, lastAccess: number) => void): number {
    let n = 0;
    for (let s = this.chains.front(chain); s !== chain; s = this.chains.front(chain)) {
      visit?.(this.slots.ids[s]!, this.slots.sizes[s]!, this.lastAccess[s]!);
      this.drop(s);
      n++;
    }
    return n;
  }

  private drop(s: number): void {
    this.slots.links.unlink(s);
    this.chains.unlink(s);
    this.index.delete(this.slots.ids[s]!);
    this.used -= this.slots.sizes[s]!;
    this.count--;
    this.slots.release(s);
  }
}
