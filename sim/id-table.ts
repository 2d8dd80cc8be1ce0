/**
 * A hash table from integer ids in [0, 2^53) to small non-negative integers (slots),
 * in one typed array of (id, value) pairs, so a lookup touches one cache line: open
 * addressing with linear probing and backward-shift deletion, no tombstones, no
 * object per entry. The hot-path replacement for a
 * Map<number, number> whose keys are past the small-integer range (block ids, keys),
 * where a Map hashes boxed doubles.
 */

const EMPTY = -1;

export class IdTable {
  /** (id, value) at [2i, 2i + 1]; id EMPTY marks a free bucket. */
  private cells: Float64Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.cells = new Float64Array(2 * cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number { return this.count; }

  /** The value of id, or -1 when absent. */
  get(id: number): number {
    const cells = this.cells;
    const mask = this.mask;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const k = cells[2 * i]!;
      if (k === id) return cells[2 * i + 1]!;
      if (k === EMPTY) return -1;
    }
  }

  has(id: number): boolean {
    return this.get(id) >= 0;
  }

  /** Sets id's value (value ≥ 0). */
  set(id: number, value: number): void {
    if ((this.count + 1) * 4 > this.cells.length) this.grow();
    const cells = this.cells;
    const mask = this.mask;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const k = cells[2 * i]!;
      if (k === id) { cells[2 * i + 1] = value; return; }
      if (k === EMPTY) {
        cells[2 * i] = id;
        cells[2 * i + 1] = value;
        this.count++;
        return;
      }
    }
  }

  /** Removes id; returns its value, or -1 when it was absent. */
  delete(id: number): number {
    const cells = this.cells;
    const mask = this.mask;
    let i = hash(id) & mask;
    for (;; i = (i + 1) & mask) {
      const k = cells[2 * i]!;
      if (k === id) break;
      if (k === EMPTY) return -1;
    }
    const value = cells[2 * i + 1]!;
    // Backward shift: pull later entries of the probe run into the hole when their
    // home position does not lie cyclically in (hole, their position].
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = cells[2 * j]!;
      if (k === EMPTY) break;
      const home = hash(k) & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      cells[2 * hole] = k;
      cells[2 * hole + 1] = cells[2 * j + 1]!;
      hole = j;
    }
    cells[2 * hole] = EMPTY;
    this.count--;
    return value;
  }

  clear(): void {
    this.cells.fill(EMPTY);
    this.count = 0;
  }

  /** Calls fn for every entry (in table order; fn must not change the table). */
  forEach(fn: (id: number, value: number) => void): void {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i += 2) if (cells[i] !== EMPTY) fn(cells[i]!, cells[i + 1]!);
  }

  private grow(): void {
    const old = this.cells;
    const cap = (old.length / 2) * 2;
    this.cells = new Float64Array(2 * cap).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== EMPTY) this.set(old[i]!, old[i + 1]!);
  }
}

/** A 32-bit mix of both halves of an id below 2^53. */
function hash(id: number): number {
  const lo = id >>> 0;
  const hi = (id / 4294967296) >>> 0;
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h;
}
