/**
 * S3-FIFO (Yang et al., SOSP'23): three FIFO queues.
 *  - small S (10% of the bytes): where new objects enter;
 *  - main M (the rest): objects that proved themselves;
 *  - ghost G (ids only, sized at 90% of the cache's bytes): recently evicted from S.
 * A hit only increments the object's frequency (capped at 3). A miss on a ghost id
 * goes straight to M; any other miss enters S.
 * Eviction evicts from M when M is over its share (or S is empty), else from S:
 *  - from S, the back object moves to M if its frequency reached the threshold
 *    (2, libCacheSim's default), otherwise it is evicted and its id enters G;
 *  - from M, the back object with frequency f > 0 is reinserted at the front with
 *    min(f, 3) - 1 (a 2-bit CLOCK), otherwise it is evicted.
 * Objects larger than S are not admitted (libCacheSim's S3FIFO_can_insert).
 */
import { CacheBase, checkRatio, readOptions } from './base.ts';
import { InputError } from '../../sim/errors.ts';
import type { EvictionOptions } from './types.ts';

const FREQ = 3; // meta bits 0-1
const IN_SMALL = 4;
const IN_MAIN = 8;
const IN_GHOST = 16;

export class S3FifoCache extends CacheBase {
  readonly name = 's3fifo';
  private readonly small: number;
  private readonly main: number;
  private readonly ghost: number;
  private readonly smallCap: number;
  private readonly mainCap: number;
  private readonly ghostCap: number;
  private readonly threshold: number;
  private smallUsed = 0;
  private mainUsed = 0;
  private ghostUsed = 0;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('s3fifo', options, { smallRatio: 0.1, ghostRatio: 0.9, moveToMainThreshold: 2 });
    checkRatio('s3fifo', 'smallRatio', o.smallRatio);
    if (!(o.ghostRatio >= 0 && o.ghostRatio <= 10)) throw new InputError(`s3fifo: option ghostRatio=${o.ghostRatio} must be from 0 to 10`);
    if (!Number.isInteger(o.moveToMainThreshold) || o.moveToMainThreshold < 1 || o.moveToMainThreshold > FREQ) {
      throw new InputError(`s3fifo: option moveToMainThreshold=${o.moveToMainThreshold} must be 1, 2 or 3`);
    }
    // Byte shares rounded down as libCacheSim does.
    this.smallCap = Math.floor(this.capacityBytes * o.smallRatio);
    this.mainCap = this.capacityBytes - this.smallCap;
    this.ghostCap = Math.floor(this.capacityBytes * o.ghostRatio);
    this.threshold = o.moveToMainThreshold;
    this.small = this.slots.newList();
    this.main = this.slots.newList();
    this.ghost = this.slots.newList();
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    return s >= 0 && this.hit(s);
  }

  /** A request for the entry in slot `s`: false for a ghost, else its frequency counts up. */
  private hit(s: number): boolean {
    const m = this.slots.meta[s]!;
    if (m & IN_GHOST) return false;
    if ((m & FREQ) < FREQ) this.slots.meta[s] = m + 1;
    return true;
  }

  /** One index lookup per request: a miss goes on with the slot it found (a ghost) or none. */
  override access(id: number, size: number): boolean {
    const s = this.index.get(id);
    if (s >= 0 && this.hit(s)) return true;
    this.admit(id, size, s);
    return false;
  }

  insert(id: number, size: number): boolean {
    const s = this.index.get(id);
    if (s >= 0 && !(this.slots.meta[s]! & IN_GHOST)) return true;
    return this.admit(id, size, s);
  }

  /** Inserts `id`, not resident; `ghost` is its ghost slot or -1. A ghost hit reuses its slot and goes to M. */
  private admit(id: number, size: number, ghost: number): boolean {
    if (size > this.smallCap) return false;
    if (ghost >= 0) {
      // Out of G first, so that making room cannot drop it.
      this.slots.links.unlink(ghost);
      this.ghostUsed -= this.slots.sizes[ghost]!;
    }
    while (this.smallUsed + this.mainUsed + size > this.capacityBytes) this.evict();
    if (ghost >= 0) {
      this.slots.meta[ghost] = IN_MAIN;
      this.slots.sizes[ghost] = size;
      this.slots.links.pushFront(this.main, ghost);
      this.mainUsed += size;
    } else {
      const s = this.slots.alloc(id, size, IN_SMALL);
      this.index.set(id, s);
      this.slots.links.pushFront(this.small, s);
      this.smallUsed += size;
    }
    this.count++;
    return true;
  }

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const m = this.slots.meta[s]!;
    if (m & IN_GHOST) {
      this.dropGhost(s);
      return false;
    }
    this.dropResident(s);
    return true;
  }

  override get usedBytes(): number { return this.smallUsed + this.mainUsed; }

  private evict(): void {
    if (this.mainUsed > this.mainCap || this.smallUsed === 0) this.evictMain();
    else this.evictSmall();
  }

  private evictSmall(): void {
    const links = this.slots.links;
    const meta = this.slots.meta;
    const sizes = this.slots.sizes;
    while (this.smallUsed > 0) {
      const s = links.back(this.small);
      const size = sizes[s]!;
      links.unlink(s);
      this.smallUsed -= size;
      if ((meta[s]! & FREQ) >= this.threshold) {
        meta[s] = IN_MAIN; // frequency starts again from 0 in M
        links.pushFront(this.main, s);
        this.mainUsed += size;
        continue;
      }
      const id = this.slots.ids[s]!;
      this.count--;
      this.toGhost(s);
      this.onEvict?.(id, size);
      return;
    }
  }

  private evictMain(): void {
    const links = this.slots.links;
    const meta = this.slots.meta;
    while (this.mainUsed > 0) {
      const s = links.back(this.main);
      const freq = meta[s]! & FREQ;
      if (freq >= 1) {
        meta[s] = IN_MAIN | (freq - 1);
        links.moveToFront(this.main, s);
        continue;
      }
      const id = this.slots.ids[s]!;
      const size = this.slots.sizes[s]!;
      this.dropResident(s);
      this.onEvict?.(id, size);
      return;
    }
  }

  /** Turns an entry just unlinked from S into a ghost (or forgets it if G cannot hold it). */
  private toGhost(s: number): void {
    const size = this.slots.sizes[s]!;
    if (size > this.ghostCap) {
      this.index.delete(this.slots.ids[s]!);
      this.slots.release(s);
      return;
    }
    while (this.ghostUsed + size > this.ghostCap) this.dropGhost(this.slots.links.back(this.ghost));
    this.slots.meta[s] = IN_GHOST;
    this.slots.links.pushFront(this.ghost, s);
    this.ghostUsed += size;
  }

  private dropGhost(s: number): void {
    this.slots.links.unlink(s);
    this.ghostUsed -= this.slots.sizes[s]!;
    this.index.delete(this.slots.ids[s]!);
    this.slots.release(s);
  }

  private dropResident(s: number): void {
    const size = this.slots.sizes[s]!;
    if (this.slots.meta[s]! & IN_SMALL) this.smallUsed -= size;
    else this.mainUsed -= size;
    this.slots.links.unlink(s);
    this.index.delete(this.slots.ids[s]!);
    this.count--;
    this.slots.release(s);
  }
}
