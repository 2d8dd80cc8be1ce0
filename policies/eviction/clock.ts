/**
 * CLOCK (second chance): a FIFO queue with a reference counter per object, one bit
 * by default. A hit sets the bit; a miss inserts at the front with the bit clear.
 * Eviction looks at the back: an object with its bit set has it cleared and goes
 * back to the front (the hand moves on); the first with a clear bit is evicted.
 * With `bits` > 1 the counter saturates at 2^bits - 1 and each pass takes one off,
 * as libCacheSim's Clock with n-bit-counter.
 */
import { CacheBase, readOptions } from './base.ts';
import { InputError } from '../../sim/errors.ts';
import type { EvictionOptions } from './types.ts';

export class ClockCache extends CacheBase {
  readonly name = 'clock';
  private readonly queue: number;
  private readonly maxFreq: number;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('clock', options, { bits: 1 });
    if (!Number.isInteger(o.bits) || o.bits < 1 || o.bits > 16) throw new InputError(`clock: option bits=${o.bits} must be a whole number from 1 to 16`);
    this.maxFreq = 2 ** o.bits - 1;
    this.queue = this.slots.newList();
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const meta = this.slots.meta;
    if (meta[s]! < this.maxFreq) meta[s]!++;
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
    let s = links.back(this.queue);
    while (meta[s]! >= 1) {
      meta[s]!--;
      links.moveToFront(this.queue, s);
      s = links.back(this.queue);
    }
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
