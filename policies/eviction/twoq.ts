/**
 * 2Q (Johnson and Shasha, VLDB'94), the full version:
 *  - A1in, a FIFO of new objects (Kin = 25% of the bytes);
 *  - A1out, a FIFO of ids recently evicted from A1in (Kout = 50% of the bytes' worth);
 *  - Am, an LRU of objects re-referenced after leaving A1in (the other 75%).
 * A hit in A1in changes nothing (correlated references); a hit in Am moves the object
 * to Am's front. A miss remembered in A1out goes to the front of Am; any other miss
 * enters A1in. To make room, A1in gives up its oldest object (into A1out) while it is
 * over Kin, otherwise Am evicts its least recent one. Am never grows past its share:
 * an object entering it evicts Am's back first (libCacheSim's TwoQ inserts with
 * Am->get, which does the same). Objects larger than Kin are not admitted.
 */
import { CacheBase, checkRatio, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

const A1IN = 1;
const A1OUT = 2;
const AM = 3;

export class TwoQCache extends CacheBase {
  readonly name = 'twoq';
  private readonly a1in: number;
  private readonly a1out: number;
  private readonly am: number;
  private readonly kin: number;
  private readonly kout: number;
  private readonly amCap: number;
  private inUsed = 0;
  private outUsed = 0;
  private amUsed = 0;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('twoq', options, { inRatio: 0.25, outRatio: 0.5 });
    checkRatio('twoq', 'inRatio', o.inRatio);
    checkRatio('twoq', 'outRatio', o.outRatio, true);
    this.kin = Math.floor(this.capacityBytes * o.inRatio);
    this.kout = Math.floor(this.capacityBytes * o.outRatio);
    this.amCap = this.capacityBytes - this.kin;
    this.a1in = this.slots.newList();
    this.a1out = this.slots.newList();
    this.am = this.slots.newList();
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const tag = this.slots.meta[s]!;
    if (tag === AM) {
      this.slots.links.moveToFront(this.am, s);
      return true;
    }
    return tag === A1IN;
  }

  insert(id: number, size: number): boolean {
    let s = this.index.get(id);
    const tag = s >= 0 ? this.slots.meta[s]! : 0;
    if (tag === A1IN || tag === AM) return true;
    if (size > this.kin) return false;
    if (tag === A1OUT) this.dropGhost(s);
    while (this.inUsed + this.amUsed + size > this.capacityBytes) this.evict();
    if (tag === A1OUT) {
      while (this.amUsed + size > this.amCap && !this.slots.links.isEmpty(this.am)) this.evictAm();
      s = this.slots.alloc(id, size, AM);
      this.slots.links.pushFront(this.am, s);
      this.amUsed += size;
    } else {
      s = this.slots.alloc(id, size, A1IN);
      this.slots.links.pushFront(this.a1in, s);
      this.inUsed += size;
    }
    this.index.set(id, s);
    this.count++;
    return true;
  }

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const tag = this.slots.meta[s]!;
    if (tag === A1OUT) {
      this.dropGhost(s);
      return false;
    }
    this.dropResident(s);
    return true;
  }

  override get usedBytes(): number { return this.inUsed + this.amUsed; }

  private evict(): void {
    if (this.inUsed > this.kin || this.slots.links.isEmpty(this.am)) this.evictIn();
    else this.evictAm();
  }

  private evictIn(): void {
    const links = this.slots.links;
    const s = links.back(this.a1in);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    links.unlink(s);
    this.inUsed -= size;
    this.count--;
    if (size <= this.kout) {
      while (this.outUsed + size > this.kout) this.dropGhost(links.back(this.a1out));
      this.slots.meta[s] = A1OUT;
      links.pushFront(this.a1out, s);
      this.outUsed += size;
    } else {
      this.index.delete(id);
      this.slots.release(s);
    }
    this.onEvict?.(id, size);
  }

  private evictAm(): void {
    const s = this.slots.links.back(this.am);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.dropResident(s);
    this.onEvict?.(id, size);
  }

  private dropGhost(s: number): void {
    this.slots.links.unlink(s);
    this.outUsed -= this.slots.sizes[s]!;
    this.index.delete(this.slots.ids[s]!);
    this.slots.release(s);
  }

  private dropResident(s: number): void {
    const size = this.slots.sizes[s]!;
    if (this.slots.meta[s] === AM) this.amUsed -= size;
    else this.inUsed -= size;
    this.slots.links.unlink(s);
    this.index.delete(this.slots.ids[s]!);
    this.count--;
    this.slots.release(s);
  }
}
