/**
 * A hash table from integer ids in [0, 2^53) to small non-negative integers (slots),
 * in typed arrays: open addressing with linear probing and backward-shift deletion,
 * so there are no tombstones and no object per entry. The hot-path replacement for a
 * Map<number, number> whose keys are past the small-integer range (block ids, keys),
 * where a Map hashes boxed doubles.
 */

const EMPTY = -1;

export class IdTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number { return this.count; }

  /** The value of id, or -1 when absent. */
  get(id: number): number {
    const keys = this.keys;
    const mask = this.mask;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === id) return this.vals[i]!;
      if (k === EMPTY) return -1;
    }
  }

  has(id: number): boolean {
    return this.get(id) >= 0;
  }

  /** Sets id's value (value ≥ 0). */
  set(id: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === id) { this.vals[i] = value; return; }
      if (k === EMPTY) {
        keys[i] = id;
        this.vals[i] = value;
        this.count++;
        return;
      }
    }
  }

  /** Removes id; returns its value, or -1 when it was absent. */
  delete(id: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(id) & mask;
    for (;; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === id) break;
      if (k === EMPTY) return -1;
    }
    const value = vals[i]!;
    // Backward shift: pull later entries of the probe run into the hole when their
    // home position does not lie cyclically in (hole, their position].
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = keys[j]!;
      if (k === EMPTY) break;
      const home = hash(k) & mask;
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      keys[hole] = k;
      vals[hole] = vals[j]!;
      hole = j;
    }
    keys[hole] = EMPTY;
    this.count--;
    return value;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  /** Calls fn for every entry (in table order; fn must not change the table). */
  forEach(fn: (id: number, value: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) fn(keys[i]!, this.vals[i]!);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.set(oldKeys[i]!, oldVals[i]!);
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
