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

// An entry's links, flags and size side by side (one cache line holds four entries):
// e[4·slot + PREV], e[4·slot + NEXT], e[4·slot + FLAGS], e[4·slot + SIZE].
const PREV = 0;
const NEXT = 1;
const FLAGS = 2;
const SIZE = 3;

export class BlockCache {
  private ids = new Float64Array(1024);
  private e = new Int32Array(4 * 1024);
  private readonly index = new IdTable();
  private free: number[] = [];
  private top = 1; // next never-used slot
  /** First entry of the low-priority part, or NIL when the part is empty. */
  private lowHead = NIL;
  private used = 0;
  private poolUsed = 0;
  private reserved = 0;
  private readonly poolLimit: number;
  hits = 0;
  misses = 0;
  evictions = 0;
  /** Told of every block the cache evicts for room (not of erased ones): id and bytes. */
  onEvict: ((id: number, bytes: number) => void) | undefined = undefined;

  constructor(readonly capacity: number, readonly highPriRatio = 0.1) {
    this.poolLimit = capacity * highPriRatio;
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
    this.e[4 * slot + FLAGS]! |= HIT;
    this.link(slot);
    return true;
  }

  /** Bytes of a cached block (0 if absent); changes nothing. */
  sizeOf(id: number): number {
    const slot = this.index.get(id);
    return slot < 0 ? 0 : this.e[4 * slot + SIZE]!;
  }

  /** True if present; changes nothing. */
  contains(id: number): boolean {
    return this.index.has(id);
  }

  /** Inserts a block of `bytes` (whole bytes) unless present; one larger than the cache passes through, evicted at once. */
  insert(id: number, bytes: number, highPriority: boolean): void {
    if (this.index.has(id)) return;
    if (bytes > this.capacity) {
      this.onEvict?.(id, bytes);
      return;
    }
    if (!(Number.isInteger(bytes) && bytes >= 0 && bytes < 2 ** 31)) throw new RangeError(`block cache: block of ${bytes} bytes`);
    this.makeRoom(bytes);
    const slot = this.allocate();
    this.ids[slot] = id;
    this.e[4 * slot + SIZE] = bytes;
    this.e[4 * slot + FLAGS] = highPriority ? HIGH : 0;
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
    while (this.used + this.reserved + bytes > this.capacity && this.e[4 * NIL + PREV] !== NIL) {
      this.evictions++;
      const slot = this.e[4 * NIL + PREV]!;
      const id = this.ids[slot]!;
      const size = this.e[4 * slot + SIZE]!;
      this.remove(slot);
      this.onEvict?.(id, size);
    }
  }

  /** Inserts a detached slot at the front of the pool or of the low part. */
  private link(slot: number): void {
    const e = this.e;
    const f = e[4 * slot + FLAGS]!;
    if (this.highPriRatio > 0 && (f & (HIGH | HIT)) !== 0) {
      this.insertAfter(NIL, slot);
      e[4 * slot + FLAGS] = f | IN_POOL;
      this.poolUsed += e[4 * slot + SIZE]!;
      this.maintainPool();
    } else {
      // front of the low part: before lowHead (or at the tail when the part is empty)
      this.insertAfter(e[4 * this.lowHead + PREV]!, slot);
      e[4 * slot + FLAGS] = f & ~IN_POOL;
      this.lowHead = slot;
    }
  }

  /** Moves the pool's least recent entries into the low part while the pool is over its share. */
  private maintainPool(): void {
    const e = this.e;
    while (this.poolUsed > this.poolLimit) {
      const last = e[4 * this.lowHead + PREV]!; // lowHead NIL: the list's tail
      if (last === NIL || (e[4 * last + FLAGS]! & IN_POOL) === 0) break;
      e[4 * last + FLAGS]! &= ~IN_POOL;
      this.poolUsed -= e[4 * last + SIZE]!;
      this.lowHead = last;
    }
  }

  private unlink(slot: number): void {
    const e = this.e;
    const p = e[4 * slot + PREV]!;
    const n = e[4 * slot + NEXT]!;
    if (slot === this.lowHead) this.lowHead = n;
    if (e[4 * slot + FLAGS]! & IN_POOL) this.poolUsed -= e[4 * slot + SIZE]!;
    e[4 * p + NEXT] = n;
    e[4 * n + PREV] = p;
  }

  private insertAfter(p: number, slot: number): void {
    const e = this.e;
    const n = e[4 * p + NEXT]!;
    e[4 * slot + PREV] = p;
    e[4 * slot + NEXT] = n;
    e[4 * p + NEXT] = slot;
    e[4 * n + PREV] = slot;
  }

  private remove(slot: number): void {
    this.unlink(slot);
    this.used -= this.e[4 * slot + SIZE]!;
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
    const ids = new Float64Array(n);
    ids.set(this.ids);
    this.ids = ids;
    const e = new Int32Array(4 * n);
    e.set(this.e);
    this.e = e;
  }

  /** Ids from most to least recent, with whether each sits in the pool: for tests. */
  order(): { id: number; pool: boolean }[] {
    const out: { id: number; pool: boolean }[] = [];
    for (let s = this.e[4 * NIL + NEXT]!; s !== NIL; s = this.e[4 * s + NEXT]!) out.push({ id: this.ids[s]!, pool: (this.e[4 * s + FLAGS]! & IN_POOL) !== 0 });
    return out;
  }
}
