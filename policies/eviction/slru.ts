/**
 * Segmented LRU as libCacheSim's SLRU runs it: `segments` LRU queues (4 by default)
 * of equal byte shares, segment 0 the coldest.
 *  - A hit in the top segment moves the object to its front; a hit below promotes it
 *    to the front of the next segment up, which, if now over its share, hands its
 *    least recent objects down to the front of the segment below (and so on down;
 *    what falls out of segment 0 is evicted).
 *  - A miss enters the lowest segment with room for it, so an empty cache fills
 *    segment by segment from the bottom; when none has room, segment 0 takes it
 *    after evictions make room in the cache as a whole (segment 0 may then sit
 *    over its share until evictions drain it).
 *  - Eviction takes the back of the lowest segment that holds anything.
 * Objects larger than segment 0 are not admitted. Segments share the capacity evenly,
 * or by the shares a caller gives (W-TinyLFU's main cache: 1:4, as libCacheSim's
 * `seg-size=1:4`).
 */
import { ResidentCache, readOptions } from './base.ts';
import { InputError } from '../../sim/errors.ts';
import type { EvictionOptions } from './types.ts';

export class SlruCache extends ResidentCache {
  readonly name = 'slru';
  /** Sentinel slot of each segment's list, bottom (0) first. */
  private readonly segments: number[];
  private readonly segmentBytes: Float64Array;
  /** Each segment's byte share, rounded down as libCacheSim rounds it. */
  private readonly share: Float64Array;

  /** `weights`: the segments' relative sizes, bottom first (the `segments` option is then not read). */
  constructor(capacityBytes: number, options?: EvictionOptions, weights?: readonly number[]) {
    super(capacityBytes);
    const o = readOptions('slru', options, { segments: 4 });
    if (!Number.isInteger(o.segments) || o.segments < 1 || o.segments > 16) {
      throw new InputError(`slru: option segments=${o.segments} must be a whole number from 1 to 16`);
    }
    const n = weights?.length ?? o.segments;
    this.segments = Array.from({ length: n }, () => this.slots.newList());
    this.segmentBytes = new Float64Array(n);
    this.share = new Float64Array(n);
    const sum = weights?.reduce((a, w) => a + w, 0) ?? n;
    for (let i = 0; i < n; i++) {
      this.share[i] = weights ? Math.floor((weights[i]! / sum) * this.capacityBytes) : Math.floor(this.capacityBytes / n);
    }
  }

  /** The largest object admitted: segment 0's share. */
  get largestObject(): number {
    return this.share[0]!;
  }

  /** The id of the object `evictOne` would evict (the back of the lowest non-empty segment), or -1 when empty. */
  victimId(): number {
    if (this.count === 0) return -1;
    return this.slots.ids[this.victimSlot()]!;
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const seg = this.slots.meta[s]!;
    const top = this.segments.length - 1;
    if (seg === top) {
      this.slots.links.moveToFront(this.segments[top]!, s);
      return true;
    }
    this.move(s, seg, seg + 1);
    while (this.segmentBytes[seg + 1]! > this.share[seg + 1]!) this.cool(seg + 1);
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.share[0]!) return false;
    while (this.used + size > this.capacityBytes) this.evictOne();
    this.place(id, size);
    return true;
  }

  /**
   * libCacheSim's SLRU_insert, for an object not cached and no larger than segment 0:
   * the lowest segment with room takes it; with none, evictions make room in the cache
   * as a whole and segment 0 takes it. Called alone (W-TinyLFU's main cache), it may
   * leave the cache over its capacity while a segment has room, as libCacheSim does.
   */
  place(id: number, size: number): void {
    const n = this.segmentBytes.length;
    let seg = 0;
    while (seg < n && this.segmentBytes[seg]! + size > this.share[seg]!) seg++;
    if (seg === n) {
      while (this.used + size > this.capacityBytes) this.evictOne();
      seg = 0;
    }
    this.slots.links.pushFront(this.segments[seg]!, this.remember(id, size, seg));
    this.segmentBytes[seg] += size;
  }

  /** Moves slot `s` from segment `from` to the front of segment `to`. */
  private move(s: number, from: number, to: number): void {
    const size = this.slots.sizes[s]!;
    this.slots.links.unlink(s);
    this.segmentBytes[from] -= size;
    this.slots.links.pushFront(this.segments[to]!, s);
    this.segmentBytes[to] += size;
    this.slots.meta[s] = to;
  }

  /** Segment `seg` is over its share: its least recent object goes down one segment (out of the cache from segment 0). */
  private cool(seg: number): void {
    if (seg === 0) {
      this.evictOne();
      return;
    }
    this.move(this.slots.links.back(this.segments[seg]!), seg, seg - 1);
    while (this.segmentBytes[seg - 1]! > this.share[seg - 1]!) this.cool(seg - 1);
  }

  private victimSlot(): number {
    let seg = 0;
    while (this.segmentBytes[seg] === 0) seg++;
    return this.slots.links.back(this.segments[seg]!);
  }

  /** Evicts the back of the lowest non-empty segment. */
  evictOne(): void {
    const s = this.victimSlot();
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  protected drop(s: number): void {
    this.slots.links.unlink(s);
    this.segmentBytes[this.slots.meta[s]!] -= this.slots.sizes[s]!;
    this.forget(s);
  }
}
