/**
 * A memtable's index from keys to slots: open addressing over 8-byte entries, a 32-bit
 * hash of the key (its fingerprint) beside the slot. The key itself stays in the
 * memtable's keys array and is compared only where a fingerprint matches, so an entry
 * is half of an IdTable's wide one (a memtable's keys are hashed 53-bit integers): a
 * memtable of small values holds a few hundred thousand keys, and at 16 bytes an
 * entry its index outgrew the processor's last-level cache, a miss on every write.
 * Growing rehashes from the fingerprints alone.
 */

const EMPTY = -1;

/** A 32-bit hash of a key's two 32-bit halves (MurmurHash3's finalizer over their mix). */
export function fingerprint(key: number): number {
  const lo = key >>> 0;
  const hi = (key - lo) / 4294967296;
  let h = lo ^ Math.imul(hi | 0, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class KeyIndex {
  /** Entry j: fingerprint at entries[2j], slot at entries[2j + 1] (EMPTY when unused). */
  private entries: Int32Array;
  private mask: number;
  /** 32 - log2(entries): a fingerprint's top bits are its home position. */
  private shift: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 3 < initialCapacity * 4) cap *= 2;
    this.entries = new Int32Array(2 * cap).fill(EMPTY);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  get size(): number { return this.count; }

  /** The slot of `key` (whose keys are in `keys`), or -1. */
  get(key: number, keys: Float64Array): number {
    const fp = fingerprint(key);
    const e = this.entries;
    const mask = this.mask;
    for (let j = fp >>> this.shift; ; j = (j + 1) & mask) {
      const slot = e[2 * j + 1]!;
      if (slot === EMPTY) return EMPTY;
      if (e[2 * j] === fp && keys[slot] === key) return slot;
    }
  }

  /**
   * The slot of `key` if it has one; otherwise records `slot` for it (the caller then
   * stores the key at keys[slot]) and returns -1. One probe sequence either way.
   */
  getOrAdd(key: number, keys: Float64Array, slot: number): number {
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const fp = fingerprint(key);
    const e = this.entries;
    const mask = this.mask;
    for (let j = fp >>> this.shift; ; j = (j + 1) & mask) {
      const s = e[2 * j + 1]!;
      if (s === EMPTY) {
        e[2 * j] = fp;
        e[2 * j + 1] = slot;
        this.count++;
        return EMPTY;
      }
      if (e[2 * j] === fp && keys[s] === key) return s;
    }
  }

  clear(): void {
    this.entries.fill(EMPTY);
    this.count = 0;
  }

  private grow(): void {
    const old = this.entries;
    const cap = 2 * (this.mask + 1);
    const e = new Int32Array(2 * cap).fill(EMPTY);
    const mask = cap - 1;
    const shift = this.shift - 1;
    for (let i = 0; i < old.length; i += 2) {
      const slot = old[i + 1]!;
      if (slot === EMPTY) continue;
      const fp = old[i]!;
      let j = fp >>> shift;
      while (e[2 * j + 1] !== EMPTY) j = (j + 1) & mask;
      e[2 * j] = fp;
      e[2 * j + 1] = slot;
    }
    this.entries = e;
    this.mask = mask;
    this.shift = shift;
  }
}
