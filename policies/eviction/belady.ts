/**
 * Belady's MIN (1966), offline: evict the object whose next request is farthest in
 * the future (objects never requested again first). Every miss is admitted, as in
 * libCacheSim's Belady; with variable sizes this is the classic heuristic, not the
 * byte-optimal policy (which is NP-hard), but it is the reference the README's table
 * uses. Replay only: the caller tells it each request's next access time.
 *
 * A heap of slots (slot-heap.ts), the farthest next access on top.
 */
import { ResidentCache, readOptions } from './base.ts';
import { SlotHeap } from './slot-heap.ts';
import type { EvictionOptions, OracleEvictionCache } from './types.ts';

export class BeladyCache extends ResidentCache implements OracleEvictionCache {
  readonly name = 'belady';
  readonly offline = true as const;
  private next = Infinity;
  private key = new Float64Array(1024); // slot -> next access time
  private readonly heap = new SlotHeap((a, b) => this.key[a]! > this.key[b]!);

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    readOptions('belady', options, {});
  }

  setNextAccess(vtime: number): void {
    this.next = vtime;
  }

  nextAccessOf(id: number): number {
    const s = this.index.get(id);
    return s < 0 ? NaN : this.key[s]!;
  }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    this.key[s] = this.next;
    this.heap.update(s);
    return true;
  }

  insert(id: number, size: number): boolean {
    if (this.index.get(id) >= 0) return true;
    if (size > this.capacityBytes) return false;
    while (this.used + size > this.capacityBytes) this.evict();
    const s = this.remember(id, size);
    if (s >= this.key.length) {
      const key = new Float64Array(Math.max(this.key.length * 2, s + 1));
      key.set(this.key);
      this.key = key;
    }
    this.key[s] = this.next;
    this.heap.push(s);
    return true;
  }

  private evict(): void {
    const s = this.heap.top();
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.drop(s);
    this.onEvict?.(id, size);
  }

  protected drop(s: number): void {
    this.heap.remove(s);
    this.forget(s);
  }
}
