/**
 * IdIndex maps object ids (integers below 2^53) to slot numbers.
 *
 * Open addressing with linear probing over a Float64Array of keys and an Int32Array
 * of values, deletion by backward shift (no tombstones). A Map<number, number> would
 * box ids above 2^31 (block ids are fileNumber * 2^21 + blockNo) on every lookup;
 * this table does not allocate per request.
 */

const EMPTY = -1;

/** A 32-bit mix of both halves of an integer id (murmur3's finaliser). */
export function hashId(id: number): number {
  const lo = id >>> 0;
  const hi = ((id - lo) / 4294967296) | 0;
  let h = lo ^ Math.imul(hi ^ 0x5bd1e995, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class IdIndex {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number { return this.count; }

  /** The slot stored for `id`, or -1. */
  get(id: number): number {
    const keys = this.keys;
    const vals = this.vals;
    let i = hashId(id) & this.mask;
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY) return EMPTY;
      if (keys[i] === id) return v;
      i = (i + 1) & this.mask;
    }
  }

  has(id: number): boolean {
    return this.get(id) !== EMPTY;
  }

  /** Stores `slot` (>= 0) for `id`, replacing any previous value. */
  set(id: number, slot: number): void {
    if ((this.count + 1) * 2 > this.vals.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    let i = hashId(id) & this.mask;
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY) {
        keys[i] = id;
        vals[i] = slot;
        this.count++;
        return;
      }
      if (keys[i] === id) {
        vals[i] = slot;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Removes `id`; returns whether it was present. */
  delete(id: number): boolean {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hashId(id) & mask;
    for (;;) {
      const v = vals[i]!;
      if (v === EMPTY) return false;
      if (keys[i] === id) break;
      i = (i + 1) & mask;
    }
    // Backward shift: pull later members of the probe run into the hole so that
    // every key stays reachable from its home position.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (vals[j] === EMPTY) break;
      const home = hashId(keys[j]!) & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!between) {
        keys[hole] = keys[j]!;
        vals[hole] = vals[j]!;
        hole = j;
      }
    }
    vals[hole] = EMPTY;
    this.count--;
    return true;
  }

  clear(): void {
    this.vals.fill(EMPTY);
    this.count = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldVals.length * 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldVals.length; i++) {
      if (oldVals[i] !== EMPTY) this.set(oldKeys[i]!, oldVals[i]!);
    }
  }
}
