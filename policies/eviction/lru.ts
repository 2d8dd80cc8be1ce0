/**
 * LRU: one queue in recency order. A hit moves the object to the front; a miss
 * inserts at the front; eviction takes the back (least recently used).
 */
import { CacheBase, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

export class LruCache extends CacheBase {
  readonly name = 'lru';
  private readonly queue: number;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('lru', options, {});
    this.queue = this.slots.newList();
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.slots.links.moveToFront(this.queue, s);
    return true;
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
