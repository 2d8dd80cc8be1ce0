/**
 * IdIndex maps object ids (integers below 2^53) to slot numbers.
 *
 * Open addressing with linear probing, deletion by backward shift (no tombstones).
 * Each entry is 16 bytes of one buffer, the id as a double and the slot beside it,
 * so a lookup reads one cache line. The home position is a multiplicative
 * (Fibonacci) hash of both halves of the id: the top bits of one 32-bit product.
 * A Map<number, number> would box ids above 2^31 (block ids are
 * fileNumber * 2^21 + blockNo) on every lookup; this table does not allocate per
 * request.
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
  /** Entry j: the id at keys[2j], its slot at vals[4j + 2] (EMPTY when unused). */
  private keys!: Float64Array;
  private vals!: Int32Array;
  private mask = 0;
  /** 32 - log2(entries): a product's top bits are the home position. */
  private shift = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.allocate(cap);
  }

  get size(): number { return this.count; }

  /** The home position of `id`. */
  private home(id: number): number {
    const lo = id >>> 0;
    const hi = (id - lo) / 4294967296;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot stored for `id`, or -1. */
  get(id: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let j = this.home(id);
    for (;;) {
      const v = vals[4 * j + 2]!;
      if (v === EMPTY || keys[2 * j] === id) return v;
      j = (j + 1) & mask;
    }
  }

  has(id: number): boolean {
    return this.get(id) !== EMPTY;
  }

  /** Stores `slot` (>= 0) for `id`, replacing any previous value. */
  set(id: number, slot: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let j = this.home(id);
    for (;;) {
      const v = vals[4 * j + 2]!;
      if (v === EMPTY) {
        keys[2 * j] = id;
        vals[4 * j + 2] = slot;
        this.count++;
        return;
      }
      if (keys[2 * j] === id) {
        vals[4 * j + 2] = slot;
        return;
      }
      j = (j + 1) & mask;
    }
  }

  /** Removes `id`; returns whether it was present. */
  delete(id: number): boolean {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let j = this.home(id);
    for (;;) {
      const v = vals[4 * j + 2]!;
      if (v === EMPTY) return false;
      if (keys[2 * j] === id) break;
      j = (j + 1) & mask;
    }
    // Backward shift: pull later members of the probe run into the hole so that
    // every key stays reachable from its home position.
    let hole = j;
    for (;;) {
      j = (j + 1) & mask;
      if (vals[4 * j + 2] === EMPTY) break;
      const key = keys[2 * j]!;
      const home = this.home(key);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[2 * hole] = key;
        vals[4 * hole + 2] = vals[4 * j + 2]!;
        hole = j;
      }
    }
    vals[4 * hole + 2] = EMPTY;
    this.count--;
    return true;
  }

  clear(): void {
    this.vals.fill(EMPTY);
    this.count = 0;
  }

  private allocate(entries: number): void {
    const buffer = new ArrayBuffer(entries * 16);
    this.keys = new Float64Array(buffer);
    this.vals = new Int32Array(buffer).fill(EMPTY);
    this.mask = entries - 1;
    this.shift = 32 - Math.log2(entries);
    this.count = 0;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const entries = this.mask + 1;
    this.allocate(entries * 2);
    for (let j = 0; j < entries; j++) {
      const v = oldVals[4 * j + 2]!;
      if (v !== EMPTY) this.set(oldKeys[2 * j]!, v);
    }
  }
}
