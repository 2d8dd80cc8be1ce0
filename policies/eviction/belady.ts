/**
 * Belady's MIN (1966), offline: evict the object whose next request is farthest in
 * the future (objects never requested again first). Every miss is admitted, as in
 * libCacheSim's Belady; with variable sizes this is the classic heuristic, not the
 * byte-optimal policy (which is NP-hard), but it is the reference the README's table
 * uses. Replay only: the caller tells it each request's next access time.
 *
 * An indexed binary max-heap over slots keyed by next access time.
 */
import { CacheBase, readOptions } from './base.ts';
import type { EvictionOptions, OracleEvictionCache } from './types.ts';

export class BeladyCache extends CacheBase implements OracleEvictionCache {
  readonly name = 'belady';
  readonly offline = true as const;
  private next = Infinity;
  private heap = new Int32Array(1024); // slots
  private heapSize = 0;
  private pos = new Int32Array(1024); // slot -> heap position
  private key = new Float64Array(1024); // slot -> next access time

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('belady', options, {});
  }

  setNextAccess(vtime: number): void {
    this.next = vtime;
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const old = this.key[s]!;
    this.key[s] = this.next;
    if (this.next > old) this.up(this.pos[s]!);
    else this.down(this.pos[s]!);
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    const s = this.slots.alloc(id, size);
    this.index.set(id, s);
    this.ensure(s);
    this.key[s] = this.next;
    this.heap[this.heapSize] = s;
    this.pos[s] = this.heapSize;
    this.up(this.heapSize++);
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
    const s = this.heap[0]!;
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  private drop(s: number): void {
    const i = this.pos[s]!;
    const last = this.heap[--this.heapSize]!;
    if (last !== s) {
      this.heap[i] = last;
      this.pos[last] = i;
      this.up(i);
      this.down(this.pos[last]!);
    }
    this.index.delete(this.slots.ids[s]!);
    this.used -= this.slots.sizes[s]!;
    this.count--;
    this.slots.release(s);
  }

  private up(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const s = heap[i]!;
    const k = key[s]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent]!;
      if (key[ps]! >= k) break;
      heap[i] = ps;
      this.pos[ps] = i;
      i = parent;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const key = this.key;
    const n = this.heapSize;
    const s = heap[i]!;
    const k = key[s]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && key[heap[child + 1]!]! > key[heap[child]!]!) child++;
      const cs = heap[child]!;
      if (key[cs]! <= k) break;
      heap[i] = cs;
      this.pos[cs] = i;
      i = child;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  /** Grows the heap arrays to cover slot `s` (slots and heap positions both stay below the slot count). */
  private ensure(s: number): void {
    if (s < this.pos.length && this.heapSize < this.heap.length) return;
    const cap = Math.max(this.pos.length * 2, s + 1);
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    const pos = new Int32Array(cap);
    pos.set(this.pos);
    const key = new Float64Array(cap);
    key.set(this.key);
    this.heap = heap;
    this.pos = pos;
    this.key = key;
  }
}
