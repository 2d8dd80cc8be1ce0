/**
 * W-TinyLFU (Einziger, Friedman, Manes, "TinyLFU: A Highly Efficient Cache Admission
 * Policy", 2017) as libCacheSim's WTinyLFU runs it: a small LRU window in front of a
 * main segmented LRU (two segments, 1:4, as `seg-size=1:4`), and a frequency sketch
 * that decides, when the cache is full, whether the window's least recent object may
 * take the place of the main cache's victim.
 *  - A miss enters the window (which holds 1% of the bytes by default, and may run
 *    over that share while the main cache has room) and is counted.
 *  - A hit in the window moves the object to the window's front, uncounted; a hit in
 *    the main cache is counted and promotes it there as SLRU does.
 *  - To make room: the window's least recent object moves into the main cache if it
 *    fits; otherwise the more frequent of it and the main cache's victim stays (the
 *    main victim is evicted and the window's moves in, and the loop goes on with the
 *    next window object) and a window object that is not more frequent is evicted,
 *    which ends the loop. Each window object looked at is counted once more. With the
 *    window empty, the main cache evicts.
 *  - Objects larger than the window's share or the main cache's lower segment are
 *    not admitted.
 * The sketch: libCacheSim counts in a minimal-increment counting Bloom filter with
 * 14.4 counters per byte of the main cache (an error of 0.001 over as many entries as
 * bytes), halved after 32 main-cache hits per byte; at those sizes its counts are
 * exact, and here they are: a count per object ever requested, halved likewise.
 */
import { checkRatio, readOptions } from './base.ts';
import { LruCache } from './lru.ts';
import { SlruCache } from './slru.ts';
import { IdTable } from '../../sim/id-table.ts';
import type { EvictionCache, EvictionOptions } from './types.ts';

export class WTinyLfuCache implements EvictionCache {
  readonly name = 'wtinylfu';
  readonly capacityBytes: number;
  onEvict?: (id: number, size: number) => void;
  /** The window: an LRU that never evicts by itself (its capacity is the whole cache's). */
  private readonly window: LruCache;
  private readonly windowShare: number;
  private readonly main: SlruCache;
  /** Requests per object (see the file comment). */
  private readonly counts = new IdTable();
  private mainHits = 0;
  private readonly hitsPerDecay: number;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    const o = readOptions('wtinylfu', options, { windowRatio: 0.01 });
    checkRatio('wtinylfu', 'windowRatio', o.windowRatio);
    this.window = new LruCache(capacityBytes);
    this.capacityBytes = this.window.capacityBytes;
    this.windowShare = Math.floor(this.capacityBytes * o.windowRatio);
    this.main = new SlruCache(this.capacityBytes - this.windowShare, undefined, [1, 4]);
    this.main.onEvict = (id, size) => this.onEvict?.(id, size);
    this.hitsPerDecay = 32 * this.main.capacityBytes;
  }

  get usedBytes(): number { return this.window.usedBytes + this.main.usedBytes; }
  get objectCount(): number { return this.window.objectCount + this.main.objectCount; }

  find(id: number): boolean {
    if (this.window.find(id)) return true;
    if (!this.main.find(id)) return false;
    this.count(id);
    if (++this.mainHits >= this.hitsPerDecay) {
      this.mainHits = 0;
      this.decay();
    }
    return true;
  }

  access(id: number, size: number): boolean {
    if (this.find(id)) return true;
    this.admit(id, size);
    return false;
  }

  insert(id: number, size: number): boolean {
    if (this.window.find(id) || this.main.find(id)) return true;
    return this.admit(id, size);
  }

  remove(id: number): boolean {
    return this.window.remove(id) || this.main.remove(id);
  }

  private admit(id: number, size: number): boolean {
    if (size > this.capacityBytes || size > this.windowShare || size > this.main.largestObject) return false;
    while (this.usedBytes + size > this.capacityBytes) this.makeRoom();
    this.window.insert(id, size);
    this.count(id);
    return true;
  }

  /** One round of libCacheSim's WTinyLFU_evict: ends when an object has left the cache. */
  private makeRoom(): void {
    for (;;) {
      const id = this.window.leastRecentId();
      if (id < 0) {
        this.main.evictOne();
        return;
      }
      const size = this.window.leastRecentSize();
      let evicted = false;
      if (this.main.usedBytes + size <= this.main.capacityBytes) {
        this.window.remove(id);
        this.main.place(id, size);
      } else if (this.estimate(id) > this.estimate(this.main.victimId())) {
        this.main.evictOne();
        this.window.remove(id);
        this.main.place(id, size);
      } else {
        this.window.remove(id);
        this.onEvict?.(id, size);
        evicted = true;
      }
      this.count(id);
      if (evicted) return;
    }
  }

  private estimate(id: number): number {
    const c = this.counts.get(id);
    return c < 0 ? 0 : c;
  }

  private count(id: number): void {
    this.counts.set(id, this.estimate(id) + 1);
  }

  /** Halves every count (the sketch's aging). */
  private decay(): void {
    const ids: number[] = [];
    const halved: number[] = [];
    this.counts.forEach((id, c) => { ids.push(id); halved.push(c >> 1); });
    for (let i = 0; i < ids.length; i++) this.counts.set(ids[i]!, halved[i]!);
  }
}
