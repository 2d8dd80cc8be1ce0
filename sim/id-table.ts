/**
 * IdTable maps integer ids (below 2^53 in magnitude: block ids, keys, trace object
 * ids) to small non-negative integers (slots): the hot-path replacement for a
 * Map<number, number>, which hashes boxed doubles once keys pass the small-integer
 * range. Open addressing with linear probing, deletion by backward shift (no
 * tombstones), no object per entry; grown at three quarters full, where a probe
 * still ends within a line or two. The home position is a multiplicative
 * (Fibonacci) hash of both halves of the id: the top bits of one 32-bit product.
 *
 * Two layouts, so that a probe reads one cache line and the table is as small as the
 * ids allow. While every id stored is a 32-bit signed integer (block traces' block
 * numbers, most synthetic traces, block ids of the first 1024 SST files), an entry
 * is 8 bytes: the id and its value side by side in one Int32Array. The first other
 * id moves the table, once, to 16-byte entries: the id as a double and the value
 * beside it. Halving the entries matters where the table outgrows the processor's
 * caches: the bench's 10M-request replays ran 1.37-1.67x faster (FIFO, CLOCK, SIEVE,
 * S3-FIFO, LRU) on a host whose last-level cache held about 4 MiB (README, replay
 * speed). Each probe loop is written once per layout on purpose: one loop over both
 * would put a branch or an indirection on every probe of the replay's hot path.
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

export class IdTable {
  /** Narrow layout: entry j is the id at pairs[2j] and its value at pairs[2j + 1] (EMPTY when unused). */
  private pairs: Int32Array | undefined;
  /** Wide layout: entry j is the id at keys[2j] and its value at vals[4j + 2] (one 16-byte entry). */
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

  /** The value stored for `id`, or -1. */
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

  /** Stores `value` (an integer in [0, 2^31)) for `id`, replacing any previous one. */
  set(id: number, value: number): void {
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
          pairs[2 * j + 1] = value;
          this.count++;
          return;
        }
        if (pairs[2 * j] === id) {
          pairs[2 * j + 1] = value;
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
        vals[4 * j + 2] = value;
        this.count++;
        return;
      }
      if (keys[2 * j] === id) {
        vals[4 * j + 2] = value;
        return;
      }
      j = (j + 1) & mask;
    }
  }

  /** Removes `id`; returns its value, or -1 when it was absent. */
  delete(id: number): number {
    const pairs = this.pairs;
    if (pairs === undefined) return this.deleteWide(id);
    if ((id | 0) !== id) return EMPTY;
    const mask = this.mask;
    const shift = this.shift;
    let j = Math.imul(id, 0x9e3779b1) >>> shift;
    for (;;) {
      const v = pairs[2 * j + 1]!;
      if (v === EMPTY) return EMPTY;
      if (pairs[2 * j] === id) break;
      j = (j + 1) & mask;
    }
    const value = pairs[2 * j + 1]!;
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
    return value;
  }

  private deleteWide(id: number): number {
    const keys = this.keys!;
    const vals = this.vals!;
    const mask = this.mask;
    let j = this.home(id);
    for (;;) {
      const v = vals[4 * j + 2]!;
      if (v === EMPTY) return EMPTY;
      if (keys[2 * j] === id) break;
      j = (j + 1) & mask;
    }
    const value = vals[4 * j + 2]!;
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
    return value;
  }

  clear(): void {
    if (this.pairs !== undefined) this.pairs.fill(EMPTY);
    else this.vals!.fill(EMPTY);
    this.count = 0;
  }

  /** Calls fn for every entry (in table order; fn must not change the table). */
  forEach(fn: (id: number, value: number) => void): void {
    const entries = this.mask + 1;
    const pairs = this.pairs;
    for (let j = 0; j < entries; j++) {
      if (pairs !== undefined) {
        if (pairs[2 * j + 1] !== EMPTY) fn(pairs[2 * j]!, pairs[2 * j + 1]!);
      } else if (this.vals![4 * j + 2] !== EMPTY) fn(this.keys![2 * j]!, this.vals![4 * j + 2]!);
    }
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
