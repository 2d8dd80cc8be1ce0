/**
 * GDSF, Greedy-Dual-Size-Frequency (Cherkasova 1998), as libCacheSim's GDSF runs it:
 * an object's priority is L + frequency · 10^6 / size, where L is the priority of the
 * last object evicted (the "inflation" that lets old favourites age out); the lowest
 * priority is evicted, the least recently requested first among equals. A miss is
 * admitted at frequency 1; a hit adds one and recomputes the priority with today's L.
 * Small, often requested objects stay: the policy for caches of objects of many sizes.
 */
import { ResidentCache, readOptions } from './base.ts';
import { SlotHeap } from './slot-heap.ts';
import type { EvictionOptions } from './types.ts';

export class GdsfCache extends ResidentCache {
  readonly name = 'gdsf';
  /** The priority of the last object evicted. */
  private inflation = 0;
  /** Requests seen: the tie-break among equal priorities (smaller: requested longer ago). */
  private tick = 0;
  private priority = new Float64Array(1024);
  private lastRequest = new Float64Array(1024);
  private frequency = new Float64Array(1024);
  private readonly heap = new SlotHeap((a, b) => {
    const pa = this.priority[a]!;
    const pb = this.priority[b]!;
    return pa < pb || (pa === pb && this.lastRequest[a]! < this.lastRequest[b]!);
  });

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('gdsf', options, {});
  }

  find(id: number): boolean {
    this.tick++;
    const s = this.index.get(id);
    if (s < 0) return false;
    this.frequency[s]++;
    this.rank(s);
    this.heap.update(s);
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    const s = this.remember(id, size);
    if (s >= this.priority.length) this.grow(s);
    this.frequency[s] = 1;
    this.rank(s);
    this.heap.push(s);
    return true;
  }

  /** Priority and recency of slot `s` as of this request (libCacheSim's order of operations, for equal doubles). */
  private rank(s: number): void {
    this.priority[s] = this.inflation + (this.frequency[s]! * 1.0e6) / this.slots.sizes[s]!;
    this.lastRequest[s] = this.tick;
  }

  private evict(): void {
    const s = this.heap.top();
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.inflation = this.priority[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  protected drop(s: number): void {
    this.heap.remove(s);
    this.forget(s);
  }

  private grow(s: number): void {
    const cap = Math.max(this.priority.length * 2, s + 1);
    const grow = (a: Float64Array) => {
      const out = new Float64Array(cap);
      out.set(a);
      return out;
    };
    this.priority = grow(this.priority);
    this.lastRequest = grow(this.lastRequest);
    this.frequency = grow(this.frequency);
  }
}
