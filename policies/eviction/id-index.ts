/**
 * IdIndex maps object ids (integers below 2^53) to slot numbers.
 *
 * Open addressing with linear probing, deletion by backward shift (no tombstones).
 * The home position is a multiplicative (Fibonacci) hash of both halves of the id:
 * the top bits of one 32-bit product. A Map<number, number> would box ids above 2^31
 * (block ids are fileNumber * 2^21 + blockNo) on every lookup; this table does not
 * allocate per request.
 *
 * Two layouts, so that a probe reads one cache line and the table is as small as the
 * ids allow. While every id stored is a 32-bit signed integer (block traces' block numbers, most
 * synthetic traces), an entry is 8 bytes: the id and its slot side by side in one
 * Int32Array. The first other id moves the table, once, to 16-byte entries: the id as
 * a double and the slot beside it. Halving the entries matters where the table
 * outgrows the processor's caches: a 100,000-object FIFO's table (4 MiB wide, 2 MiB
 * narrow) replayed the bench's zipfian trace 1.5x faster narrow on a host whose last
 * level cache held about 4 MiB (README, replay speed).
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
  /** Narrow layout: entry j is the id at pairs[2j] and its slot at pairs[2j + 1] (EMPTY when unused). */
  private pairs: Int32Array | undefined;
  /** Wide layout: entry j is the id at keys[2j] and its slot at vals[4j + 2] (one 16-byte entry). */
  private keys: Float64Array | undefined;
  private vals: Int32Array | undefined;
  private mask = 0;
  /** 32 - log2(entries): a product's top bits are the home position. */
  private shift = 0;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 3 < initialCapacity * 4) cap *= 2;
    this.allocateNarrow(cap);
  }

  get size(): number { return this.count; }

  /** Whether entries are 8 bytes (every id so far a 32-bit signed integer); for tests. */
  get narrow(): boolean { return this.pairs !== undefined; }

  /** The home position of `id` (for an id below 2^32 the high half is 0, so both layouts agree). */
  private home(id: number): number {
    const lo = id >>> 0;
    const hi = (id - lo) / 4294967296;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  /** The slot stored for `id`, or -1. */
  get(id: number): number {
    const pairs = this.pairs;
    const mask = this.mask;
    if (pairs !== undefined) {
      if ((id | 0) !== id) return EMPTY; // never stored: the table would be wide
      let j = Math.imul(id, 0x9e3779b1) >>> this.shift;
      for (;;) {
        const v = pairs[2 * j + 1]!;
        if (v === EMPTY || pairs[2 * j] === id) return v;
        j = (j + 1) & mask;
      }
    }
    const keys = this.keys!;
    const vals = this.vals!;
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
    if (this.pairs !== undefined && (id | 0) !== id) this.widen();
    // Grows past three quarters full: linear probes then stay within a line or two.
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const mask = this.mask;
    const pairs = this.pairs;
    if (pairs !== undefined) {
      let j = Math.imul(id, 0x9e3779b1) >>> this.shift;
      for (;;) {
        const v = pairs[2 * j + 1]!;
        if (v === EMPTY) {
          pairs[2 * j] = id;
          pairs[2 * j + 1] = slot;
          this.count++;
          return;
        }
        if (pairs[2 * j] === id) {
          pairs[2 * j + 1] = slot;
          return;
        }
        j = (j + 1) & mask;
      }
    }
    const keys = this.keys!;
    const vals = this.vals!;
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
    const pairs = this.pairs;
    if (pairs === undefined) return this.deleteWide(id);
    if ((id | 0) !== id) return false;
    const mask = this.mask;
    const shift = this.shift;
    let j = Math.imul(id, 0x9e3779b1) >>> shift;
    for (;;) {
      const v = pairs[2 * j + 1]!;
      if (v === EMPTY) return false;
      if (pairs[2 * j] === id) break;
      j = (j + 1) & mask;
    }
    // Backward shift: pull later members of the probe run into the hole so that
    // every key stays reachable from its home position.
    let hole = j;
    for (;;) {
      j = (j + 1) & mask;
      const v = pairs[2 * j + 1]!;
      if (v === EMPTY) break;
      const key = pairs[2 * j]!;
      const home = Math.imul(key, 0x9e3779b1) >>> shift;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        pairs[2 * hole] = key;
        pairs[2 * hole + 1] = v;
        hole = j;
      }
    }
    pairs[2 * hole + 1] = EMPTY;
    this.count--;
    return true;
  }

  private deleteWide(id: number): boolean {
    const keys = this.keys!;
    const vals = this.vals!;
    const mask = this.mask;
    let j = this.home(id);
    for (;;) {
      const v = vals[4 * j + 2]!;
      if (v === EMPTY) return false;
      if (keys[2 * j] === id) break;
      j = (j + 1) & mask;
    }
    let hole = j;
    for (;;) {
      j = (j + 1) & mask;
      if (vals[4 * j + 2] === EMPTY) break;
      const key = keys[2 * j]!;
      const home = this.home(key);
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
    if (this.pairs !== undefined) this.pairs.fill(EMPTY);
    else this.vals!.fill(EMPTY);
    this.count = 0;
  }

  private allocateNarrow(entries: number): void {
    this.pairs = new Int32Array(2 * entries).fill(EMPTY);
    this.keys = this.vals = undefined;
    this.setEntries(entries);
  }

  private allocateWide(entries: number): void {
    const buffer = new ArrayBuffer(entries * 16);
    this.keys = new Float64Array(buffer);
    this.vals = new Int32Array(buffer).fill(EMPTY);
    this.pairs = undefined;
    this.setEntries(entries);
  }

  private setEntries(entries: number): void {
    this.mask = entries - 1;
    this.shift = 32 - Math.log2(entries);
    this.count = 0;
  }

  /** Re-stores every entry of the old arrays (after allocate*). */
  private reinsert(pairs: Int32Array | undefined, keys: Float64Array | undefined, vals: Int32Array | undefined, entries: number): void {
    for (let j = 0; j < entries; j++) {
      if (pairs !== undefined) {
        const v = pairs[2 * j + 1]!;
        if (v !== EMPTY) this.set(pairs[2 * j]!, v);
      } else {
        const v = vals![4 * j + 2]!;
        if (v !== EMPTY) this.set(keys![2 * j]!, v);
      }
    }
  }

  /** To 16-byte entries, for good: an id outside 32-bit signed integers is being stored. */
  private widen(): void {
    const { pairs, keys, vals } = this;
    const entries = this.mask + 1;
    this.allocateWide(entries);
    this.reinsert(pairs, keys, vals, entries);
  }

  private grow(): void {
    const { pairs, keys, vals } = this;
    const entries = this.mask + 1;
    if (pairs !== undefined) this.allocateNarrow(entries * 2);
    else this.allocateWide(entries * 2);
    this.reinsert(pairs, keys, vals, entries);
  }
}
