/**
 * The write buffer. It keeps at most one resolved entry per key (a later PUT or
 * DELETE replaces, a MERGE folds in at once), but its byte size grows by every
 * write's encoded size, as RocksDB's arena does, so it fills and flushes as often
 * as the real one.
 *
 * Keys live in slots (typed arrays that grow), found through a hash index of
 * fingerprints (key-index.ts). Key order is built lazily: a sorted prefix of slots
 * plus a small tail of new keys kept sorted on demand and merged in when it grows,
 * so a scan after a few inserts does not re-sort the whole memtable.
 */
import { DELETE, EntryOut, MERGE, PUT, encodedSize } from './format.ts';
import { mergeToken } from './merge.ts';
import { SortedEntries, type SortedRun } from './run.ts';
import { KeyIndex } from './key-index.ts';
import { sortKeyPositions } from './key-sort.ts';

/** New keys kept apart from the sorted prefix before one linear merge folds them in. */
const TAIL_LIMIT = 4096;
/** Up to this many unsorted new keys are placed by binary insertion, more by a sort. */
const INSERT_LIMIT = 32;
/** From this many keys on, a sort is a radix sort (key-sort.ts). */
const RADIX_SORT_MIN = 1024;

export class Memtable implements SortedRun {
  private readonly slotOf: KeyIndex;
  private keys: Float64Array;
  private seqs: Float64Array;
  private types: Uint8Array;
  private sizes: Uint32Array;
  private tokens: Uint32Array;
  private count = 0;
  private bytes = 0;
  private writes = 0;
  private lastSeq = -1;

  /** order[0, sortedCount) lists slots [0, sortedCount) in key order. */
  private order: Uint32Array;
  private spare: Uint32Array;
  private sortedCount = 0;
  /** tail[0, tailSorted) lists slots [sortedCount, sortedCount + tailSorted) in key order. */
  private tail = new Uint32Array(TAIL_LIMIT + INSERT_LIMIT);
  private tailSorted = 0;
  private readonly tailRun: SortedRun;

  constructor(readonly keyBytes = 16, initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.slotOf = new KeyIndex(cap);
    // The tail (newer keys, sorted) as a run; it reads the fields at each call, as they grow.
    const m = this;
    this.tailRun = {
      get length() { return m.tailSorted; },
      keyAt: (i) => m.keys[m.tail[i]!]!,
      seqAt: (i) => m.seqs[m.tail[i]!]!,
      typeAt: (i) => m.types[m.tail[i]!]!,
      sizeAt: (i) => m.sizes[m.tail[i]!]!,
      tokenAt: (i) => m.tokens[m.tail[i]!]!,
      lowerBound: (key) => lowerBoundSlots(m.keys, m.tail, 0, m.tailSorted, key),
    };
    this.keys = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.types = new Uint8Array(cap);
    this.sizes = new Uint32Array(cap);
    this.tokens = new Uint32Array(cap);
    this.order = new Uint32Array(cap);
    this.spare = new Uint32Array(cap);
  }

  /**
   * Empties the memtable, keeping its tables at the size they grew to: a flushed
   * memtable becomes the next mutable one, so a store does not allocate (and V8 does
   * not collect) its tables at every switch.
   */
  reset(): void {
    this.slotOf.clear();
    this.count = 0;
    this.bytes = 0;
    this.writes = 0;
    this.lastSeq = -1;
    this.sortedCount = 0;
    this.tailSorted = 0;
  }

  /** Bytes written into this memtable (every write counts, as in an arena). */
  get byteSize(): number { return this.bytes; }
  /** Distinct keys held. */
  get entryCount(): number { return this.count; }
  /** Writes applied (put, delete and merge calls). */
  get writeCount(): number { return this.writes; }
  /** Highest sequence number written, -1 when empty. */
  get maxSeq(): number { return this.lastSeq; }

  /** Applies one write. DELETE ignores size and token. Sequence numbers must increase. */
  add(key: number, seq: number, type: number, size: number, token: number): void {
    if (!(seq > this.lastSeq)) throw new RangeError(`memtable: sequence ${seq} after ${this.lastSeq}`);
    if (type === DELETE) { size = 0; token = 0; }
    this.lastSeq = seq;
    this.writes++;
    this.bytes += encodedSize(this.keyBytes, size);
    const found = this.slotOf.getOrAdd(key, this.keys, this.count);
    if (found < 0) {
      if (this.count === this.keys.length) this.grow();
      const slot = this.count++;
      this.keys[slot] = key;
      this.seqs[slot] = seq;
      this.types[slot] = type;
      this.sizes[slot] = size;
      this.tokens[slot] = token >>> 0;
      return;
    }
    const slot = found;
    this.seqs[slot] = seq;
    if (type === MERGE && this.types[slot] !== DELETE) {
      // Onto PUT it stays a PUT, onto MERGE a longer operand.
      const total = this.sizes[slot]! + size;
      if (total > 0xffffffff) throw new RangeError(`memtable: merged value of key ${key} exceeds 4 GiB`);
      this.tokens[slot] = mergeToken(this.tokens[slot]!, size, token);
      this.sizes[slot] = total;
      return;
    }
    // PUT/DELETE replace; MERGE onto a tombstone is the operand onto the empty value.
    this.types[slot] = type === MERGE ? PUT : type;
    this.sizes[slot] = size;
    this.tokens[slot] = token >>> 0;
  }

  /** The key's entry into `out`; false when the memtable has none. */
  get(key: number, out: EntryOut): boolean {
    const slot = this.slotOf.get(key, this.keys);
    if (slot < 0) return false;
    out.seq = this.seqs[slot]!;
    out.type = this.types[slot]!;
    out.size = this.sizes[slot]!;
    out.token = this.tokens[slot]!;
    return true;
  }

  /**
   * This memtable as a sorted run over every key (for flush, or a scan that runs
   * to completion before the next write). Positions stay valid until the next call
   * of sortedRun or snapshot; updates of existing keys show through.
   */
  sortedRun(): SortedRun {
    this.sortTail();
    if (this.tailSorted > 0) this.mergeTail();
    return this;
  }

  /**
   * For a scan that walks to completion before the next write: the memtable in place
   * as two sorted runs of disjoint keys, its sorted prefix (the memtable itself) and
   * the newer keys beside it. Positions stay valid until the next write.
   */
  scanRuns(): [SortedRun, SortedRun] {
    this.sortTail();
    if (this.tailSorted > TAIL_LIMIT) this.mergeTail();
    return [this, this.tailRun];
  }

  /**
   * A copy of up to maxEntries entries from fromKey on, for a scan that waits for
   * I/O while writes continue.
   */
  snapshot(fromKey = 0, maxEntries = Infinity): SortedEntries {
    this.sortTail();
    if (this.tailSorted > TAIL_LIMIT) this.mergeTail();
    const { keys, order, tail } = this;
    const mainEnd = this.sortedCount;
    const tailEnd = this.tailSorted;
    let i = this.lowerBound(fromKey);
    let j = lowerBoundSlots(keys, tail, 0, tailEnd, fromKey);
    const n = Math.min(maxEntries, mainEnd - i + tailEnd - j);
    const out = SortedEntries.allocate(n);
    for (let k = 0; k < n; k++) {
      let slot: number;
      if (j >= tailEnd || (i < mainEnd && keys[order[i]!]! < keys[tail[j]!]!)) slot = order[i++]!;
      else slot = tail[j++]!;
      out.keys[k] = keys[slot]!;
      out.seqs[k] = this.seqs[slot]!;
      out.types[k] = this.types[slot]!;
      out.sizes[k] = this.sizes[slot]!;
      out.tokens[k] = this.tokens[slot]!;
    }
    return out;
  }

  // SortedRun over the sorted prefix (all keys right after sortedRun()).
  get length(): number { return this.sortedCount; }
  keyAt(i: number): number { return this.keys[this.order[i]!]!; }
  seqAt(i: number): number { return this.seqs[this.order[i]!]!; }
  typeAt(i: number): number { return this.types[this.order[i]!]!; }
  sizeAt(i: number): number { return this.sizes[this.order[i]!]!; }
  tokenAt(i: number): number { return this.tokens[this.order[i]!]!; }
  lowerBound(key: number): number {
    return lowerBoundSlots(this.keys, this.order, 0, this.sortedCount, key);
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.keys = grown(this.keys, (n) => new Float64Array(n));
    this.seqs = grown(this.seqs, (n) => new Float64Array(n));
    this.types = grown(this.types, (n) => new Uint8Array(n));
    this.sizes = grown(this.sizes, (n) => new Uint32Array(n));
    this.tokens = grown(this.tokens, (n) => new Uint32Array(n));
    this.order = grown(this.order, (n) => new Uint32Array(n));
    this.spare = new Uint32Array(cap);
  }

  /** Brings the tail (slots after the sorted prefix) into key order. */
  private sortTail(): void {
    const first = this.sortedCount;
    const pending = this.count - first - this.tailSorted;
    if (pending === 0) return;
    if (this.count - first > this.tail.length) {
      // Too many new keys for the tail: sort them all into the prefix at once.
      this.sortAllNew();
      return;
    }
    const { keys, tail } = this;
    if (pending <= INSERT_LIMIT) {
      for (let slot = first + this.tailSorted; slot < this.count; slot++) {
        const key = keys[slot]!;
        const at = lowerBoundSlots(keys, tail, 0, this.tailSorted, key);
        tail.copyWithin(at + 1, at, this.tailSorted);
        tail[at] = slot;
        this.tailSorted++;
      }
      return;
    }
    this.tailSorted = this.sortSlots(first, this.count, tail);
  }

  /** Writes slots [from, to) in key order into dst; returns their number. */
  private sortSlots(from: number, to: number, dst: Uint32Array): number {
    // Many keys (a flush): a radix sort that carries the slots; its passes cost about
    // 10 µs whatever the count, so few keys (a scan's tail) sort as numbers and find
    // their slots in the index (1.7 µs against 7.7 for 33 keys, 31 against 46 for 1024).
    if (to - from >= RADIX_SORT_MIN) return sortKeyPositions(this.keys, from, to, dst);
    const sorted = this.keys.slice(from, to).sort();
    for (let i = 0; i < sorted.length; i++) dst[i] = this.slotOf.get(sorted[i]!, this.keys);
    return sorted.length;
  }

  /** Sorts every slot past the prefix and merges them in (many new keys, e.g. before a flush). */
  private sortAllNew(): void {
    const first = this.sortedCount;
    const n = this.count - first;
    const news = new Uint32Array(n);
    this.sortSlots(first, this.count, news);
    this.mergeInto(news, n);
    this.tailSorted = 0;
  }

  private mergeTail(): void {
    this.mergeInto(this.tail, this.tailSorted);
    this.tailSorted = 0;
  }

  /** Merges n sorted slots (all ≥ the prefix) into the prefix order. */
  private mergeInto(src: Uint32Array, n: number): void {
    const { keys, order, spare } = this;
    const a = this.sortedCount;
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a && j < n) {
      if (keys[order[i]!]! < keys[src[j]!]!) spare[k++] = order[i++]!;
      else spare[k++] = src[j++]!;
    }
    while (i < a) spare[k++] = order[i++]!;
    while (j < n) spare[k++] = src[j++]!;
    this.order = spare;
    this.spare = order;
    this.sortedCount = a + n;
  }
}

/** First index in slots[lo, hi) whose key is ≥ key. */
function lowerBoundSlots(keys: Float64Array, slots: Uint32Array, lo: number, hi: number, key: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[slots[mid]!]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
