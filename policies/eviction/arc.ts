/**
 * ARC (Megiddo and Modha, FAST'03), in bytes.
 *
 * Four LRU lists: T1 (seen once recently) and T2 (seen at least twice) hold data;
 * B1 and B2 remember ids recently evicted from T1 and T2. The target size p of T1
 * adapts: a miss that hits B1 grows p, one that hits B2 shrinks it.
 *  - hit in T1 or T2: move to the front of T2;
 *  - miss found in B1: p += max(|B2| / |B1|, 1) step; REPLACE; insert at the front of T2;
 *  - miss found in B2: p -= max(|B1| / |B2|, 1) step; REPLACE; insert at the front of T2;
 *  - other miss (case IV): if |T1| + |B1| is full, drop the back of B1 and REPLACE
 *    (or, with B1 empty, evict the back of T1 outright); otherwise, when the whole
 *    directory holds 2c, drop the back of B2; then REPLACE; insert at the front of T1.
 * REPLACE evicts the back of T1 into B1 if |T1| > p (or |T1| = p and the miss was in
 * B2), else the back of T2 into B2.
 *
 * With variable sizes, |X| is bytes and the case IV and REPLACE steps repeat until the
 * new object fits (libCacheSim's ARC does the same). The adaptation step is the paper's
 * ratio times the missed object's size: the paper counts one page per step, and the
 * size is what a page becomes when objects differ in size. libCacheSim steps by the
 * bare ratio, a byte or so, which keeps p near 0 in a byte-sized cache (T1 always
 * yields first). That is the whole difference from its table in
 * ../shared/traces/README.md; on cloudPhysicsIO (miss / byte miss ratio):
 *              16 MiB          64 MiB          256 MiB         1024 MiB
 *   this    0.8228/0.9773   0.8137/0.9640   0.7587/0.8846   0.5771/0.6234
 *   table   0.8233/0.9773   0.8129/0.9638   0.7540/0.8748   0.5688/0.6211
 * With { stepBySize: 0 } this class takes libCacheSim's step and matches the table to
 * the fourth decimal.
 */
import { CacheBase, readOptions } from './base.ts';
import type { EvictionOptions } from './types.ts';

const T1 = 1;
const T2 = 2;
const B1 = 3;
const B2 = 4;

export class ArcCache extends CacheBase {
  readonly name = 'arc';
  private readonly lists: number[] = [];
  /** Bytes in T1, T2, B1, B2 (indexed by the tags above). */
  private readonly bytes = new Float64Array(5);
  private p = 0;
  private readonly stepBySize: boolean;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('arc', options, { stepBySize: 1 });
    this.stepBySize = o.stepBySize !== 0;
    this.lists = [-1, this.slots.newList(), this.slots.newList(), this.slots.newList(), this.slots.newList()];
  }

  /** The target size of T1 in bytes (for tests and reports). */
  get target(): number { return this.p; }

  find(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const tag = this.slots.meta[s]!;
    if (tag === B1 || tag === B2) return false;
    if (tag === T1) this.move(s, T1, T2);
    else this.slots.links.moveToFront(this.lists[T2]!, s);
    return true;
  }

  insert(id: number, size: number): boolean {
    let s = this.index.get(id);
    const tag = s >= 0 ? this.slots.meta[s]! : 0;
    if (tag === T1 || tag === T2) return true;
    if (size > this.capacityBytes) return false;
    const b = this.bytes;
    if (tag === B1 || tag === B2) {
      const step = this.stepBySize ? size : 1;
      if (tag === B1) this.p = Math.min(this.p + Math.max(b[B2]! / b[B1]!, 1) * step, this.capacityBytes);
      else this.p = Math.max(this.p - Math.max(b[B1]! / b[B2]!, 1) * step, 0);
      this.dropGhost(s);
      while (b[T1]! + b[T2]! + size > this.capacityBytes) this.replace(tag === B2);
      s = this.slots.alloc(id, size, T2);
      this.index.set(id, s);
      this.slots.links.pushFront(this.lists[T2]!, s);
      b[T2] += size;
    } else {
      while (b[T1]! + b[T2]! + size > this.capacityBytes) this.makeRoomForNew(size);
      s = this.slots.alloc(id, size, T1);
      this.index.set(id, s);
      this.slots.links.pushFront(this.lists[T1]!, s);
      b[T1] += size;
    }
    this.count++;
    return true;
  }

  remove(id: number): boolean {
    const s = this.index.get(id);
    if (s < 0) return false;
    const tag = this.slots.meta[s]!;
    if (tag === B1 || tag === B2) {
      this.dropGhost(s);
      return false;
    }
    this.slots.links.unlink(s);
    this.bytes[tag] -= this.slots.sizes[s]!;
    this.index.delete(id);
    this.slots.release(s);
    this.count--;
    return true;
  }

  override get usedBytes(): number { return this.bytes[T1]! + this.bytes[T2]!; }

  /** One eviction step for a miss in no list (the paper's case IV). */
  private makeRoomForNew(size: number): void {
    const b = this.bytes;
    const c = this.capacityBytes;
    if (b[T1]! + b[B1]! + size > c) {
      if (b[B1]! > 0) {
        this.dropGhost(this.slots.links.back(this.lists[B1]!));
        this.replace(false);
      } else {
        const s = this.slots.links.back(this.lists[T1]!);
        const id = this.slots.ids[s]!;
        const sz = this.slots.sizes[s]!;
        this.slots.links.unlink(s);
        b[T1] -= sz;
        this.index.delete(id);
        this.slots.release(s);
        this.count--;
        this.onEvict?.(id, sz);
      }
    } else {
      if (b[T1]! + b[T2]! + b[B1]! + b[B2]! >= 2 * c && b[B2]! > 0) {
        this.dropGhost(this.slots.links.back(this.lists[B2]!));
      }
      this.replace(false);
    }
  }

  /** The paper's REPLACE: evict the back of T1 into B1, or of T2 into B2. */
  private replace(missInB2: boolean): void {
    const b = this.bytes;
    const t1 = b[T1]!;
    const fromT1 = (t1 > 0 && (t1 > this.p || (t1 === this.p && missInB2))) || b[T2] === 0;
    const from = fromT1 ? T1 : T2;
    const s = this.slots.links.back(this.lists[from]!);
    const id = this.slots.ids[s]!;
    const size = this.slots.sizes[s]!;
    this.move(s, from, fromT1 ? B1 : B2);
    this.count--;
    this.onEvict?.(id, size);
  }

  private move(s: number, from: number, to: number): void {
    const size = this.slots.sizes[s]!;
    this.slots.links.unlink(s);
    this.bytes[from] -= size;
    this.slots.links.pushFront(this.lists[to]!, s);
    this.bytes[to] += size;
    this.slots.meta[s] = to;
  }

  private dropGhost(s: number): void {
    this.slots.links.unlink(s);
    this.bytes[this.slots.meta[s]!] -= this.slots.sizes[s]!;
    this.index.delete(this.slots.ids[s]!);
    this.slots.release(s);
  }
}
