/**
 * LFU: evict the object with the fewest hits since it entered the cache; among
 * equals, the one that reached that count first (libCacheSim's LFU).
 *
 * The O(1) structure of Shah, Mitra and Matani (2010): a list of frequency buckets
 * in increasing order, each holding its objects in the order they arrived at that
 * frequency. A hit moves an object to the bucket of frequency + 1 (created next to
 * its old one if missing); eviction takes the oldest object of the first bucket.
 * Counts are per residency: an evicted object starts again from 1.
 */
import { ResidentCache, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

const HEAD = 0; // bucket 0 is the sentinel of the bucket list

export class LfuCache extends ResidentCache {
  readonly name = 'lfu';
  private bFreq = new Float64Array(64);
  private bPrev = new Int32Array(64);
  private bNext = new Int32Array(64);
  /** Sentinel slot of each bucket's object list. */
  private bList = new Int32Array(64);
  private bTop = 1;
  private bFree: number[] = [];

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('lfu', options, {});
    this.bPrev[HEAD] = HEAD;
    this.bNext[HEAD] = HEAD;
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const b = this.slots.meta[s]!;
    const f = this.bFreq[b]! + 1;
    let nb = this.bNext[b]!;
    if (nb === HEAD || this.bFreq[nb] !== f) nb = this.newBucket(f, b);
    this.slots.links.unlink(s);
    this.slots.links.pushFront(this.bList[nb]!, s);
    this.slots.meta[s] = nb;
    if (this.slots.links.isEmpty(this.bList[b]!)) this.freeBucket(b);
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    let b = this.bNext[HEAD]!;
    if (b === HEAD || this.bFreq[b] !== 1) b = this.newBucket(1, HEAD);
    this.slots.links.pushFront(this.bList[b]!, this.remember(id, size, b));
    return true;
  }

  private evict(): void {
    const b = this.bNext[HEAD]!;
    const s = this.slots.links.back(this.bList[b]!);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  protected drop(s: number): void {
    const b = this.slots.meta[s]!;
    this.slots.links.unlink(s);
    if (this.slots.links.isEmpty(this.bList[b]!)) this.freeBucket(b);
    this.forget(s);
  }

  /** A new empty bucket of frequency `freq`, linked after bucket `after`. */
  private newBucket(freq: number, after: number): number {
    let b = this.bFree.pop();
    if (b === undefined) {
      if (this.bTop === this.bFreq.length) this.growBuckets();
      b = this.bTop++;
      this.bList[b] = this.slots.newList();
    }
    this.bFreq[b] = freq;
    const n = this.bNext[after]!;
    this.bPrev[b] = after;
    this.bNext[b] = n;
    this.bPrev[n] = b;
    this.bNext[after] = b;
    return b;
  }

  /** Unlinks an empty bucket; its list sentinel stays with it for reuse. */
  private freeBucket(b: number): void {
    const p = this.bPrev[b]!;
    const n = this.bNext[b]!;
    this.bNext[p] = n;
    this.bPrev[n] = p;
    this.bFree.push(b);
  }

  private growBuckets(): void {
    const cap = this.bFreq.length * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const out = make(cap);
      out.set(a);
      return out;
    };
    this.bFreq = grow(this.bFreq, (n) => new Float64Array(n));
    this.bPrev = grow(this.bPrev, (n) => new Int32Array(n));
    this.bNext = grow(this.bNext, (n) => new Int32Array(n));
    this.bList = grow(this.bList, (n) => new Int32Array(n));
  }
}
