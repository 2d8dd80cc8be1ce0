/**
 * A sorted run: entries in key order, at most one per key, addressed by position.
 * SST files, memtable views and whole levels are runs; the merging iterator and
 * compaction read nothing else.
 */

export interface SortedRun {
  readonly length: number;
  keyAt(i: number): number;
  seqAt(i: number): number;
  typeAt(i: number): number;
  sizeAt(i: number): number;
  tokenAt(i: number): number;
  /** First position whose key is ≥ key (length when none). */
  lowerBound(key: number): number;
}

/** First index in keys[lo, hi) whose key is ≥ key (hi when none). */
export function lowerBoundIn(keys: Float64Array, lo: number, hi: number, key: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A run held in its own typed arrays (memtable snapshots, SST files). */
export class SortedEntries implements SortedRun {
  constructor(
    readonly keys: Float64Array,
    readonly seqs: Float64Array,
    readonly types: Uint8Array,
    readonly sizes: Uint32Array,
    readonly tokens: Uint32Array,
  ) {}

  get length(): number {
    return this.keys.length;
  }

  keyAt(i: number): number { return this.keys[i]!; }
  seqAt(i: number): number { return this.seqs[i]!; }
  typeAt(i: number): number { return this.types[i]!; }
  sizeAt(i: number): number { return this.sizes[i]!; }
  tokenAt(i: number): number { return this.tokens[i]!; }

  lowerBound(key: number): number {
    return lowerBoundIn(this.keys, 0, this.keys.length, key);
  }

  /** Allocates n entries' arrays in one buffer (one object for the GC, no padding waste). */
  static allocate(n: number): SortedEntries {
    const buf = new ArrayBuffer(n * 25);
    return new SortedEntries(
      new Float64Array(buf, 0, n),
      new Float64Array(buf, n * 8, n),
      new Uint8Array(buf, n * 24, n),
      new Uint32Array(buf, n * 16, n),
      new Uint32Array(buf, n * 20, n),
    );
  }
}
