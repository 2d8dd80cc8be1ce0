/**
 * LRU: one queue in recency order. A hit moves the object to the front; a miss
 * inserts at the front; eviction takes the back (least recently used).
 */
import { QueueCache, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

export class LruCache extends QueueCache {
  readonly name = 'lru';

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('lru', options, {});
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.slots.links.moveToFront(this.queue, s);
    return true;
  }

  /** The back: the least recently used. */
  protected victim(): number {
    return this.slots.links.back(this.queue);
  }

  /** The least recently used object's id (W-TinyLFU's window victim), or -1 when empty. */
  leastRecentId(): number {
    return this.count === 0 ? -1 : this.slots.ids[this.victim()]!;
  }

  /** The least recently used object's size, or 0 when empty. */
  leastRecentSize(): number {
    return this.count === 0 ? 0 : this.slots.sizes[this.victim()]!;
  }
}
