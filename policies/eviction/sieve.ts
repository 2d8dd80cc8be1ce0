/**
 * SIEVE (Zhang et al., NSDI'24): a FIFO queue with a visited bit and a hand.
 * A hit sets the bit; a miss inserts at the front. Eviction starts at the hand (the
 * back if there is none), walks towards the front clearing visited bits, and evicts
 * the first unvisited object; the hand stays where it stopped (at the evicted
 * object's newer neighbour) and wraps to the back after passing the front. Unlike
 * CLOCK, survivors keep their place, so new objects are filtered quickly.
 */
import { CacheBase, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

const NO_HAND = -1;

export class SieveCache extends CacheBase {
  readonly name = 'sieve';
  private readonly queue: number;
  private hand = NO_HAND;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('sieve', options, {});
    this.queue = this.slots.newList();
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.slots.meta[s] = 1;
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    const s = this.slots.alloc(id, size, 0);
    this.index.set(id, s);
    this.slots.links.pushFront(this.queue, s);
    this.used += size;
    this.count++;
    return true;
  }

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.drop(s);
    return true;
  }

  private evict(): void {
    const links = this.slots.links;
    const meta = this.slots.meta;
    const q = this.queue;
    let s = this.hand === NO_HAND ? links.back(q) : this.hand;
    while (meta[s] !== 0) {
      meta[s] = 0;
      s = links.prev[s]!;
      if (s === q) s = links.back(q);
    }
    // The hand stays at the victim's newer neighbour (none past the front).
    const newer = links.prev[s]!;
    this.hand = newer === q ? NO_HAND : newer;
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  private drop(s: number): void {
    const links = this.slots.links;
    if (s === this.hand) {
      const newer = links.prev[s]!;
      this.hand = newer === this.queue ? NO_HAND : newer;
    }
    links.unlink(s);
    this.index.delete(this.slots.ids[s]!);
    this.used -= this.slots.sizes[s]!;
    this.count--;
    this.slots.release(s);
  }
}
