/**
 * FIFO: one queue in insertion order. A hit changes nothing; a miss inserts at the
 * front; eviction takes the back (the oldest insertion).
 */
import { CacheBase, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

export class FifoCache extends CacheBase {
  readonly name = 'fifo';
  private readonly queue: number;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('fifo', options, {});
    this.queue = this.slots.newList();
  }

  find(id: number): boolean {
    return this.index.get(id) >= 0;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    const s = this.slots.alloc(id, size);
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
    const s = this.slots.links.back(this.queue);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  private drop(s: number): void {
    this.slots.links.unlink(s);
    this.index.delete(this.slots.ids[s]!);
    this.used -= this.slots.sizes[s]!;
    this.count--;
    this.slots.release(s);
  }
}
