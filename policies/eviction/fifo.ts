/**
 * FIFO: one queue in insertion order. A hit changes nothing; a miss inserts at the
 * front; eviction takes the back (the oldest insertion).
 */
import { QueueCache, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

export class FifoCache extends QueueCache {
  readonly name = 'fifo';

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('fifo', options, {});
  }

  find(id: number): boolean {
    return this.index.get(id) >= 0;
  }

  /** The back: the oldest insertion. */
  protected victim(): number {
    return this.slots.links.back(this.queue);
  }
}
