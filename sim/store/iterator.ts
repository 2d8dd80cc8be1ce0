/**
 * Iteration over several sorted runs at once, as RocksDB's MergingIterator: per
 * key in ascending order, every run's entry for that key, newest (highest sequence)
 * first. Scan and compaction both read through it. Cursors and a binary heap of
 * run numbers live in typed arrays, so stepping allocates nothing.
 */
import type { SortedRun } from './run.ts';
import type { SstFile } from './sst.ts';

export class MergingIterator {
  private readonly runs: readonly SortedRun[];
  /** Cursor of each run, and the key and sequence under it (cached for the heap). */
  private readonly pos: Float64Array;
  private readonly curKey: Float64Array;
  private readonly curSeq: Float64Array;
  /** Min-heap of run numbers by (key ascending, sequence descending, run number). */
  private readonly heap: Int32Array;
  private live = 0;

  constructor(runs: readonly SortedRun[]) {
    this.runs = runs;
    const n = runs.length;
    this.pos = new Float64Array(n);
    this.curKey = new Float64Array(n);
    this.curSeq = new Float64Array(n);
    this.heap = new Int32Array(n);
  }

  seekToFirst(): void {
    this.seek(-Infinity);
  }

  /** Positions at the first entry whose key is ≥ key. */
  seek(key: number): void {
    this.live = 0;
    for (let r = 0; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      const p = key === -Infinity ? 0 : run.lowerBound(key);
      this.pos[r] = p;
      if (p < run.length) {
        this.curKey[r] = run.keyAt(p);
        this.curSeq[r] = run.seqAt(p);
        this.heap[this.live++] = r;
      }
    }
    for (let i = (this.live >>> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get valid(): boolean { return this.live > 0; }

  /** The run the current entry comes from, and its position there. */
  get run(): number { return this.heap[0]!; }
  get position(): number { return this.pos[this.heap[0]!]!; }

  key(): number { return this.curKey[this.heap[0]!]!; }
  seq(): number { return this.curSeq[this.heap[0]!]!; }
  type(): number { const r = this.heap[0]!; return this.runs[r]!.typeAt(this.pos[r]!); }
  size(): number { const r = this.heap[0]!; return this.runs[r]!.sizeAt(this.pos[r]!); }
  token(): number { const r = this.heap[0]!; return this.runs[r]!.tokenAt(this.pos[r]!); }

  /** Steps to the next entry: the next older version of this key, or the next key. */
  next(): void {
    const r = this.heap[0]!;
    const run = this.runs[r]!;
    const p = this.pos[r]! + 1;
    this.pos[r] = p;
    if (p < run.length) {
      this.curKey[r] = run.keyAt(p);
      this.curSeq[r] = run.seqAt(p);
    } else {
      this.heap[0] = this.heap[--this.live]!;
    }
    if (this.live > 1) this.siftDown(0);
  }

  /** Skips the remaining versions of the current key. */
  nextKey(): void {
    const key = this.key();
    do this.next();
    while (this.live > 0 && this.curKey[this.heap[0]!] === key);
  }

  private less(a: number, b: number): boolean {
    const ka = this.curKey[a]!;
    const kb = this.curKey[b]!;
    if (ka !== kb) return ka < kb;
    const sa = this.curSeq[a]!;
    const sb = this.curSeq[b]!;
    if (sa !== sb) return sa > sb;
    return a < b;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.live;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(heap[child + 1]!, heap[child]!)) child++;
      if (!this.less(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}

/**
 * A level of non-overlapping files sorted by key, as one run (RocksDB's
 * LevelIterator): positions count entries across the files. Sequential access
 * stays in the current file; a jump finds its file by binary search.
 */
export class LevelRun implements SortedRun {
  readonly files: readonly SstFile[];
  /** First position of each file, and the total at [files.length]. */
  private readonly starts: Float64Array;
  private file = 0;
  private base = 0;
  private end: number;

  constructor(files: readonly SstFile[]) {
    this.files = files;
    this.starts = new Float64Array(files.length + 1);
    for (let f = 0; f < files.length; f++) this.starts[f + 1] = this.starts[f]! + files[f]!.entryCount;
    this.end = files.length > 0 ? this.starts[1]! : 0;
  }

  get length(): number { return this.starts[this.files.length]!; }

  keyAt(i: number): number { return this.files[this.locate(i)]!.keys[i - this.base]!; }
  seqAt(i: number): number { return this.files[this.locate(i)]!.seqs[i - this.base]!; }
  typeAt(i: number): number { return this.files[this.locate(i)]!.types[i - this.base]!; }
  sizeAt(i: number): number { return this.files[this.locate(i)]!.sizes[i - this.base]!; }
  tokenAt(i: number): number { return this.files[this.locate(i)]!.tokens[i - this.base]!; }

  lowerBound(key: number): number {
    // First file whose largest key is ≥ key.
    let lo = 0;
    let hi = this.files.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.files[mid]!.largest < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.files.length) return this.length;
    return this.starts[lo]! + this.files[lo]!.lowerBound(key);
  }

  /** The file holding position i (for the DB to charge its block reads). */
  fileAt(i: number): SstFile { return this.files[this.locate(i)]!; }
  /** Position i's entry index inside fileAt(i). */
  indexInFile(i: number): number { this.locate(i); return i - this.base; }

  /** Makes the file holding position i current; returns its number in the level. */
  private locate(i: number): number {
    if (i >= this.base && i < this.end) return this.file;
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    this.file = lo;
    this.base = this.starts[lo]!;
    this.end = this.starts[lo + 1]!;
    return lo;
  }
}
