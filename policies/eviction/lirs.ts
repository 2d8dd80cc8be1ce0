/**
 * LIRS (Jiang and Zhang, SIGMETRICS'02), in bytes.
 *
 * Objects are LIR (low inter-reference recency, cached for sure) or HIR. The LIR
 * set holds at most 99% of the bytes, the resident HIR objects the rest (hirRatio,
 * 1% as in the paper's experiments and libCacheSim).
 *  - Stack S, in recency order, holds the LIR objects and recently seen HIR objects,
 *    resident or not; its bottom is always LIR ("stack pruning" removes HIR entries
 *    from the bottom).
 *  - Queue Q holds the resident HIR objects; eviction takes its oldest.
 * On a hit to a LIR object it moves to the top of S (pruning if it was the bottom).
 * On a hit to a resident HIR object: if it is in S, its recency beats the bottom
 * LIR object's, so it becomes LIR and LIR objects from the bottom of S are demoted
 * to Q until the LIR set fits again; if it is not in S, it moves to the top of S and
 * the end of Q. On a miss: an object still in S (non-resident HIR) becomes LIR in the
 * same way; while the LIR set has room (warm-up) a new object becomes LIR; otherwise
 * it enters as resident HIR, evicting from Q as needed.
 *
 * Sizes: every "one block" step of the paper becomes "until it fits in bytes". A new
 * object larger than the HIR share, arriving while the LIR set is full, cannot be a
 * resident HIR; it is not admitted but is put on S as non-resident, so a second
 * request while it is still in S makes it LIR (libCacheSim refuses such objects
 * outright, and refuses anything above 1% of the cache even during warm-up). S holds
 * at most 2x the capacity in bytes: beyond that the oldest non-resident entries are
 * forgotten (libCacheSim's limitStack).
 */
import { CacheBase, checkRatio, readOptions } from './base.ts';
import type { Links } from './slots.ts';
import type { EvictionOptions } from './types.ts';

const LIR = 1;
const RESIDENT = 2;
const IN_S = 4;
const IN_Q = 8;
const IN_NH = 16;

export class LirsCache extends CacheBase {
  readonly name = 'lirs';
  /** S uses the primary links; Q and the non-resident list NH have their own. */
  private readonly qLinks: Links;
  private readonly nhLinks: Links;
  private readonly s: number;
  private readonly q: number;
  private readonly nh: number;
  private readonly lirLimit: number;
  private readonly hirLimit: number;
  private lirBytes = 0;
  private hirBytes = 0;
  /** Bytes of every entry on S, resident or not. */
  private sBytes = 0;

  constructor(capacityBytes: number, options?: EvictionOptions) {
    super(capacityBytes);
    const o = readOptions('lirs', options, { hirRatio: 0.01 });
    checkRatio('lirs', 'hirRatio', o.hirRatio);
    this.hirLimit = Math.min(this.capacityBytes, Math.max(1, Math.floor(o.hirRatio * this.capacityBytes)));
    this.lirLimit = this.capacityBytes - this.hirLimit;
    this.qLinks = this.slots.newLinks();
    this.nhLinks = this.slots.newLinks();
    this.s = this.slots.newList();
    this.q = this.slots.newList();
    this.nh = this.slots.newList();
  }

  override get usedBytes(): number { return this.lirBytes + this.hirBytes; }

  find(id: number): boolean {
    const e = this.index.get(id);
    if (e < 0) return false;
    const m = this.slots.meta[e]!;
    if (!(m & RESIDENT)) return false;
    const links = this.slots.links;
    if (m & LIR) {
      const wasBottom = links.back(this.s) === e;
      links.moveToFront(this.s, e);
      if (wasBottom) this.prune();
      return true;
    }
    const size = this.slots.sizes[e]!;
    if (m & IN_S && size <= this.lirLimit) {
      // Resident HIR with a small recency: it becomes LIR (unless larger than the LIR set may be).
      this.qLinks.unlink(e);
      this.hirBytes -= size;
      this.slots.meta[e] = LIR | RESIDENT | IN_S;
      links.moveToFront(this.s, e);
      this.makeLirRoom(size, e);
      this.lirBytes += size;
    } else {
      if (m & IN_S) links.moveToFront(this.s, e);
      else {
        this.slots.meta[e] = m | IN_S;
        links.pushFront(this.s, e);
        this.sBytes += size;
      }
      this.qLinks.moveToFront(this.q, e);
      this.prune(); // only does something if S holds no LIR object
      this.limitStack();
    }
    return true;
  }

  insert(id: number, size: number): boolean {
    let e = this.index.get(id);
    if (e >= 0 && this.slots.meta[e]! & RESIDENT) return true;
    if (size > this.capacityBytes) return false;
    const links = this.slots.links;
    if (e >= 0) {
      // A non-resident HIR still on S: its reuse distance is small, it becomes LIR.
      if (size > this.lirLimit) return false;
      this.nhLinks.unlink(e);
      this.sBytes += size - this.slots.sizes[e]!;
      this.slots.sizes[e] = size;
      this.slots.meta[e] = LIR | RESIDENT | IN_S;
      links.moveToFront(this.s, e);
      this.makeLirRoom(size, e);
      this.lirBytes += size;
      this.count++;
      return true;
    }
    if (this.lirBytes + size <= this.lirLimit) {
      e = this.slots.alloc(id, size, LIR | RESIDENT | IN_S);
      this.index.set(id, e);
      links.pushFront(this.s, e);
      this.sBytes += size;
      this.lirBytes += size;
      this.count++;
      this.limitStack();
      return true;
    }
    if (size > this.hirLimit) {
      e = this.slots.alloc(id, size, IN_S | IN_NH);
      this.index.set(id, e);
      links.pushFront(this.s, e);
      this.nhLinks.pushFront(this.nh, e);
      this.sBytes += size;
      this.prune();
      this.limitStack();
      return false;
    }
    this.makeHirRoom(size);
    e = this.slots.alloc(id, size, RESIDENT | IN_S | IN_Q);
    this.index.set(id, e);
    links.pushFront(this.s, e);
    this.qLinks.pushFront(this.q, e);
    this.sBytes += size;
    this.hirBytes += size;
    this.count++;
    this.prune();
    this.limitStack();
    return true;
  }

  remove(id: number): boolean {
    const e = this.index.get(id);
    if (e < 0) return false;
    const m = this.slots.meta[e]!;
    const size = this.slots.sizes[e]!;
    const wasBottom = this.slots.links.back(this.s) === e;
    if (m & IN_S) {
      this.slots.links.unlink(e);
      this.sBytes -= size;
    }
    if (m & IN_Q) this.qLinks.unlink(e);
    if (m & IN_NH) this.nhLinks.unlink(e);
    if (m & RESIDENT) {
      if (m & LIR) this.lirBytes -= size;
      else this.hirBytes -= size;
      this.count--;
    }
    this.index.delete(id);
    this.slots.release(e);
    if (wasBottom) this.prune();
    return (m & RESIDENT) !== 0;
  }

  /** Demotes LIR objects from the bottom of S until `size` more bytes fit (never `keep`). */
  private makeLirRoom(size: number, keep: number): void {
    while (this.lirBytes + size > this.lirLimit) {
      const b = this.slots.links.back(this.s);
      if (b === keep || b === this.s) break;
      this.demoteBottom();
    }
    this.limitStack();
  }

  /** The bottom LIR object of S becomes a resident HIR at the end of Q (or leaves if too big). */
  private demoteBottom(): void {
    const e = this.slots.links.back(this.s);
    const size = this.slots.sizes[e]!;
    this.slots.links.unlink(e);
    this.sBytes -= size;
    this.lirBytes -= size;
    if (size <= this.hirLimit) {
      this.makeHirRoom(size);
      this.slots.meta[e] = RESIDENT | IN_Q;
      this.qLinks.pushFront(this.q, e);
      this.hirBytes += size;
    } else {
      const id = this.slots.ids[e]!;
      this.index.delete(id);
      this.slots.release(e);
      this.count--;
      this.onEvict?.(id, size);
    }
    this.prune();
  }

  private makeHirRoom(size: number): void {
    while (this.hirBytes + size > this.hirLimit && !this.qLinks.isEmpty(this.q)) this.evictHir();
  }

  /** Evicts the oldest resident HIR; if it is on S it stays there as non-resident. */
  private evictHir(): void {
    const e = this.qLinks.back(this.q);
    const id = this.slots.ids[e]!;
    const size = this.slots.sizes[e]!;
    this.qLinks.unlink(e);
    this.hirBytes -= size;
    this.count--;
    const m = this.slots.meta[e]!;
    if (m & IN_S) {
      this.slots.meta[e] = IN_S | IN_NH;
      this.nhLinks.pushFront(this.nh, e);
    } else {
      this.index.delete(id);
      this.slots.release(e);
    }
    this.onEvict?.(id, size);
  }

  /**
   * Stack pruning: remove HIR entries from the bottom of S until a LIR one is there,
   * so that the bottom of S is always LIR (or S holds no LIR object at all, and no HIR
   * entry either). Costs nothing when the bottom is already LIR.
   */
  private prune(): void {
    const links = this.slots.links;
    const meta = this.slots.meta;
    for (;;) {
      const e = links.back(this.s);
      if (e === this.s) return;
      const m = meta[e]!;
      if (m & LIR) return;
      links.unlink(e);
      this.sBytes -= this.slots.sizes[e]!;
      if (m & RESIDENT) {
        meta[e] = m & ~IN_S; // still in Q
      } else {
        this.nhLinks.unlink(e);
        this.index.delete(this.slots.ids[e]!);
        this.slots.release(e);
      }
    }
  }

  /** Keeps S within 2x the capacity by forgetting the oldest non-resident entries. */
  private limitStack(): void {
    const limit = 2 * this.capacityBytes;
    while (this.sBytes > limit && !this.nhLinks.isEmpty(this.nh)) {
      const e = this.nhLinks.back(this.nh);
      this.nhLinks.unlink(e);
      this.slots.links.unlink(e);
      this.sBytes -= this.slots.sizes[e]!;
      this.index.delete(this.slots.ids[e]!);
      this.slots.release(e);
    }
  }
}
