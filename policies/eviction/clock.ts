/**
 * CLOCK (second chance): a FIFO queue with a reference counter per object, one bit
 * by default. A hit sets the bit; a miss inserts at the front with the bit clear.
 * Eviction looks at the back: an object with its bit set has it cleared and goes
 * back to the front (the hand moves on); the first with a clear bit is evicted.
 * With `bits` > 1 the counter saturates at 2^bits - 1 and each pass takes one off,
 * as libCacheSim's Clock with n-bit-counter.
 */
import { QueueCache, readOptions } from './base.ts';
import { InputError } from '../../sim/errors.ts';
import type { EvictionOptions } from './types.ts';

export class ClockCache extends QueueCache {
  readonly name = 'clock';
  private readonly maxFreq: number;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('clock', options, { bits: 1 });
    if (!Number.isInteger(o.bits) || o.bits < 1 || o.bits > 16) throw new InputError(`clock: option bits=${o.bits} must be a whole number from 1 to 16`);
    this.maxFreq = 2 ** o.bits - 1;
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const meta = this.slots.meta;
    if (meta[s]! < this.maxFreq) meta[s]!++;
    return true;
  }

  /** The hand at the back: referenced objects lose one count and go round again. */
  protected victim(): number {
    const links = this.slots.links;
    const meta = this.slots.meta;
    let s = links.back(this.queue);
    while (meta[s]! >= 1) {
      meta[s]!--;
      links.moveToFront(this.queue, s);
      s = links.back(this.queue);
    }
    return s;
  }
}
