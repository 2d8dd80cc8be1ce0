/**
 * QD-LP-FIFO (Yang et al., "FIFO queues are all you need for cache eviction",
 * HotOS'23) as libCacheSim's QDLP runs it: quick demotion through a small FIFO in
 * front of a main cache with lazy promotion (a 2-bit CLOCK), and a ghost FIFO.
 *  - A miss enters the small FIFO (10% of the bytes), unless its id is in the ghost:
 *    then it goes straight to the main CLOCK (the rest of the bytes).
 *  - A hit in the small FIFO counts; a hit in main sets its CLOCK counter.
 *  - To make room: with the small FIFO empty, main evicts; otherwise the small FIFO's
 *    oldest object moves to main if it was requested since it entered
 *    (`moveToMainThreshold`, 1), main evicting within its own share as it takes it,
 *    or leaves the cache with its id going to the ghost (90% of the bytes, FIFO).
 *  - Objects of the small FIFO's size or larger are not admitted (libCacheSim makes
 *    room for one of exactly that size first, then refuses it; so does this).
 * S3-FIFO (s3fifo.ts) differs in its main queue (FIFO with reinsertion, evicted when
 * over its share) and its threshold (2).
 */
import { CacheBase, checkRatio, readOptions } from './base.ts';
import { ClockCache } from './clock.ts';
import { InputError } from '../../sim/errors.ts';
import type { EvictionOptions } from './types.ts';

const IN_GHOST = -1; // meta of a ghost entry; a small-FIFO entry's meta is its request count
const MAX_COUNT = 2 ** 30;

export class QdlpCache extends CacheBase {
  readonly name = 'qdlp';
  /** The small FIFO and the ghost: slots of this cache; main is a CLOCK of its own. */
  private readonly small: number;
  private readonly ghost: number;
  private readonly main: ClockCache;
  private readonly smallCap: number;
  private readonly ghostCap: number;
  private readonly threshold: number;
  private smallUsed = 0;
  private ghostUsed = 0;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('qdlp', options, { smallRatio: 0.1, ghostRatio: 0.9, moveToMainThreshold: 1, mainBits: 2 });
    checkRatio('qdlp', 'smallRatio', o.smallRatio);
    if (!(o.ghostRatio >= 0 && o.ghostRatio <= 10)) throw new InputError(`qdlp: option ghostRatio=${o.ghostRatio} must be from 0 to 10`);
    if (!Number.isInteger(o.moveToMainThreshold) || o.moveToMainThreshold < 1) {
      throw new InputError(`qdlp: option moveToMainThreshold=${o.moveToMainThreshold} must be a whole number of at least 1`);
    }
    this.smallCap = Math.floor(this.capacityBytes * o.smallRatio);
    this.ghostCap = Math.floor(this.capacityBytes * o.ghostRatio);
    this.threshold = o.moveToMainThreshold;
    this.main = new ClockCache(this.capacityBytes - this.smallCap, { bits: o.mainBits });
    this.main.onEvict = (id, size) => this.onEvict?.(id, size);
    this.small = this.slots.newList();
    this.ghost = this.slots.newList();
  }

  override get usedBytes(): number { return this.smallUsed + this.main.usedBytes; }
  override get objectCount(): number { return this.count + this.main.objectCount; }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s >= 0 && this.slots.meta[s] !== IN_GHOST) {
      const m = this.slots.meta[s]!;
      if (m < MAX_COUNT) this.slots.meta[s] = m + 1;
      return true;
    }
    return this.main.find(id);
  }

  /**
   * A ghost entry leaves the ghost when its object is inserted (libCacheSim takes it
   * out at the lookup just before; the same in a replay, and a block cache may look
   * other blocks up between a miss and its insert).
   */
  insert(id: number, size: number): boolean {
    const s = this.index.get(id);
    const ghost = s >= 0 && this.slots.meta[s] === IN_GHOST;
    if ((s >= 0 && !ghost) || this.main.contains(id)) return true;
    if (ghost) this.dropGhost(s); // first, so that making room cannot drop it
    if (size > this.smallCap) return false;
    while (this.usedBytes + size > this.capacityBytes) this.makeRoom();
    if (ghost) return this.main.insert(id, size);
    if (size === this.smallCap) return false;
    this.slots.links.pushFront(this.small, this.remember(id, size, 0));
    this.smallUsed += size;
    return true;
  }

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s >= 0) {
      if (this.slots.meta[s] === IN_GHOST) this.dropGhost(s);
      else {
        this.dropSmall(s);
        return true;
      }
    }
    return this.main.remove(id);
  }

  /** libCacheSim's QDLP_evict: one object leaves the small FIFO (to main or out), or main evicts. */
  private makeRoom(): void {
    if (this.smallUsed === 0) {
      this.main.evictOne();
      return;
    }
    const s = this.slots.links.back(this.small);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    const promote = this.slots.meta[s]! >= this.threshold;
    this.dropSmall(s);
    if (promote) {
      if (!this.main.insert(id, size)) this.onEvict?.(id, size); // larger than main: it leaves
      return;
    }
    this.toGhost(id, size);
    this.onEvict?.(id, size);
  }

  private dropSmall(s: number): void {
    this.slots.links.unlink(s);
    this.smallUsed -= this.slots.sizes[s]!;
    this.forget(s);
  }

  private toGhost(id: number, size: number): void {
    if (size > this.ghostCap) return;
    while (this.ghostUsed + size > this.ghostCap) this.dropGhost(this.slots.links.back(this.ghost));
    const s = this.slots.alloc(id, size, IN_GHOST);
    this.index.set(id, s);
    this.slots.links.pushFront(this.ghost, s);
    this.ghostUsed += size;
  }

  private dropGhost(s: number): void {
    this.slots.links.unlink(s);
    this.ghostUsed -= this.slots.sizes[s]!;
    this.index.delete(this.slots.ids[s]!);
    this.slots.release(s);
  }
}
