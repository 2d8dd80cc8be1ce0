/**
 * The memory block cache: RocksDB's LRUCache with a high-priority pool.
 *
 * One list from most to least recent. The front part is the high-priority pool
 * (at most `highPriRatio` of the capacity): index and filter blocks, and blocks that
 * have been hit before, enter there (RocksDB's LRU_Insert). Other blocks enter at the
 * front of the low-priority part (midpoint insertion), so a scan does not flush the
 * pool. When the pool overflows, its least recent entries slide into the low part.
 * Eviction takes the least recent entry of the whole list.
 *
 * Memory reserved by others (the write buffer manager charges memtables to the
 * cache, as Flink configures it) counts against the capacity.
 *
 * Entries live in typed arrays with index links; no object per block. Dropping a
 * deleted file's blocks scans the entries' ids (a typed array, no hashing), which is
 * cheaper than keeping per-file lists up to date on every insert.
 */
import { IdTable } from './id-table.ts';

const NIL = 0; // slot 0 is the list's sentinel
const HIGH = 1; // entry has high priority (index/filter)
const HIT = 2; // entry has been hit since insertion
const IN_POOL = 4; // entry sits in the high-priority pool

export class BlockCache {
  private ids = new Float64Array(1024);
  private sizes = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private prev = new Int32Array(1024);
  private next = new Int32Array(1024);
  private readonly index = new IdTable();
  private free: number[] = [];
  private top = 1; // next never-used slot
  /** First entry of the low-priority part, or NIL when the part is empty. */
  private lowHead = NIL;
  private used = 0;
  private poolUsed = 0;
  private reserved = 0;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(readonly capacity: number, readonly highPriRatio = 0.1) {
    this.prev[NIL] = NIL;
    this.next[NIL] = NIL;
  }

  get usedBytes(): number { return this.used; }
  get reservedBytes(): number { return this.reserved; }
  get entries(): number { return this.index.size; }

  /** Looks a block up; a hit moves it to the front (of the pool, as RocksDB does for hit entries). */
  lookup(id: number): boolean {
    const slot = this.index.get(id);
    if (slot < 0) {
      this.misses++;
      return false;
    }
    this.hits++;
    this.unlink(slot);
    this.flags[slot]! |= HIT;
    this.link(slot);
    return true;
  }

  /** True if present; changes nothing. */
  contains(id: number): boolean {
    return this.index.has(id);
  }

  insert(id: number, bytes: number, highPriority: boolean): void {
    if (this.index.has(id) || bytes > this.capacity) return;
    this.makeRoom(bytes);
    const slot = this.allocate();
    this.ids[slot] = id;
    this.sizes[slot] = bytes;
    this.flags[slot] = highPriority ? HIGH : 0;
    this.index.set(id, slot);
    this.used += bytes;
    this.link(slot);
  }

  erase(id: number): void {
    const slot = this.index.get(id);
    if (slot < 0) return;
    this.remove(slot);
  }

  /** Erases every block whose id lies in [lo, hi), e.g. all blocks of one file. */
  eraseRange(lo: number, hi: number): void {
    if (this.index.size === 0) return;
    // Free slots hold id -1, which no range contains.
    const ids = this.ids;
    for (let slot = 1; slot < this.top; slot++) {
      const id = ids[slot]!;
      if (id >= lo && id < hi) this.remove(slot);
    }
  }

  /** Sets memory charged to the cache by others (memtables); evicts blocks to make room. */
  setReserved(bytes: number): void {
    this.reserved = bytes;
    this.makeRoom(0);
  }

  private makeRoom(bytes: number): void {
    while (this.used + this.reserved + bytes > this.capacity && this.prev[NIL] !== NIL) {
      this.evictions++;
      this.remove(this.prev[NIL]!);
    }
  }

  /** Inserts a detached slot at the front of the pool or of the low part. */
  private link(slot: number): void {
    const f = this.flags[slot]!;
    if (this.highPriRatio > 0 && (f & (HIGH | HIT)) !== 0) {
      this.insertAfter(NIL, slot);
      this.flags[slot] = f | IN_POOL;
      this.poolUsed += this.sizes[slot]!;
      this.maintainPool();
    } else {
      // front of the low part: before lowHead (or at the tail when the part is empty)
      const before = this.lowHead === NIL ? NIL : this.lowHead;
      this.insertAfter(this.prev[before]!, slot);
      this.flags[slot] = f & ~IN_POOL;
      this.lowHead = slot;
    }
  }

  /** Moves the pool's least recent entries into the low part while the pool is over its share. */
  private maintainPool(): void {
    const limit = this.capacity * this.highPriRatio;
    while (this.poolUsed > limit) {
      const last = this.lowHead === NIL ? this.prev[NIL]! : this.prev[this.lowHead]!;
      if (last === NIL || (this.flags[last]! & IN_POOL) === 0) break;
      this.flags[last]! &= ~IN_POOL;
      this.poolUsed -= this.sizes[last]!;
      this.lowHead = last;
    }
  }

  private unlink(slot: number): void {
    if (slot === this.lowHead) {
      const n = this.next[slot]!;
      this.lowHead = n;
    }
    if (this.flags[slot]! & IN_POOL) this.poolUsed -= this.sizes[slot]!;
    const p = this.prev[slot]!, n = this.next[slot]!;
    this.next[p] = n;
    this.prev[n] = p;
  }

  private insertAfter(p: number, slot: number): void {
    const n = this.next[p]!;
    this.prev[slot] = p;
    this.next[slot] = n;
    this.next[p] = slot;
    this.prev[n] = slot;
  }

  private remove(slot: number): void {
    this.unlink(slot);
    this.used -= this.sizes[slot]!;
    this.index.delete(this.ids[slot]!);
    this.ids[slot] = -1;
    this.free.push(slot);
  }

  private allocate(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    if (this.top === this.ids.length) this.grow();
    return this.top++;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const f64 = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    const i32 = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
    this.ids = f64(this.ids);
    this.sizes = f64(this.sizes);
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.flags = flags;
    this.prev = i32(this.prev);
    this.next = i32(this.next);
  }

  /** Ids from most to least recent, with whether each sits in the pool: for tests. */
  order(): { id: number; pool: boolean }[] {
    const out: { id: number; pool: boolean }[] = [];
    for (let s = this.next[NIL]!; s !== NIL; s = this.next[s]!) out.push({ id: this.ids[s]!, pool: (this.flags[s]! & IN_POOL) !== 0 });
    return out;
  }
}
