/**
 * SIEVE (Zhang et al., NSDI'24): a FIFO queue with a visited bit and a hand.
 * A hit sets the bit; a miss inserts at the front. Eviction starts at the hand (the
 * back if there is none), walks towards the front clearing visited bits, and evicts
 * the first unvisited object; the hand stays where it stopped (at the evicted
 * object's newer neighbour) and wraps to the back after passing the front. Unlike
 * CLOCK, survivors keep their place, so new objects are filtered quickly.
 */
import { QueueCache, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

const NO_HAND = -1;

export class SieveCache extends QueueCache {
  readonly name = 'sieve';
  private hand = NO_HAND;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('sieve', options, {});
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.slots.meta[s] = 1;
    return true;
  }

  /** From the hand towards the front, clearing visited bits; the first unvisited goes. */
  protected victim(): number {
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
    return s;
  }

  /** A removed object under the hand passes the hand to its newer neighbour. */
  protected override drop(s: number): void {
    if (s === this.hand) {
      const newer = this.slots.links.prev[s]!;
      this.hand = newer === this.queue ? NO_HAND : newer;
    }
    super.drop(s);
  }
}
