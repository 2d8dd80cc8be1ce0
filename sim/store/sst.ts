/**
 * SST files: immutable sorted entries in typed arrays, one entry per key, cut into
 * data blocks by accumulated encoded size, with a real bloom filter and
 * partitioned metadata (filter and index partitions, as ForSt configures RocksDB),
 * laid out in bytes so that every block has an offset, a size and a cache id.
 *
 * File layout (offsets in bytes):
 *   [data blocks][filter partitions][index partitions][top-level filter index]
 *   [top-level index][footer]
 * Local block numbers: data blocks 0..D-1, filter partitions D..D+F-1, index
 * partitions D+F..D+F+I-1. The top-level indexes and footer are read at open and
 * pinned by the DB; they have no block number.
 */
import { BLOCKS_PER_FILE } from '../fs.ts';
import { bloomAddAll, bloomMayContain, bloomProbes, bloomWords } from './bloom.ts';
import { DELETE, MERGE, encodedSize } from './format.ts';
import type { StoreOptions } from './options.ts';
import { SortedEntries, lowerBoundIn } from './run.ts';

/** Block ids of one file lie in [fileNumber·2^21, (fileNumber+1)·2^21). */
export { BLOCKS_PER_FILE };
/** RocksDB's footer (format_version ≥ 1): checksum type, two handles, version, magic. */
export const FOOTER_BYTES = 53;
/** A block handle (varint offset and size) in an index entry. */
export const HANDLE_BYTES = 8;
/** A full filter's trailer (RocksDB's 5-byte metadata: probes and format). */
export const FILTER_TRAILER_BYTES = 5;
/** Index of the last element ≤ key in a sorted array whose first element is ≤ key. */
function lastAtMost(a: Float64Array, key: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (a[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Bucket of key in a file's radix table: the key's place between the file's smallest
 * key and its largest, scaled to the table's size and clamped to its last bucket.
 * Monotone in key, so the blocks whose first key falls in one bucket are contiguous.
 */
function bucketOf(key: number, smallest: number, scale: number, last: number): number {
  const t = Math.floor((key - smallest) * scale);
  return t < last ? t : last;
}

/** The filter and index partitions of a file's data blocks. */
interface Partitions {
  /** Filter / index partition of each data block. */
  readonly filterPartOf: Uint32Array;
  readonly indexPartOf: Uint32Array;
  /** Bytes of each partition. */
  readonly filterPartBytes: number[];
  readonly indexPartBytes: number[];
}

// The loops of SstBuilder.finish live in functions of their own: in one large function
// that runs once per file, V8 kept optimizing a loop on the stack and throwing the code
// away at the next, never-profiled one (38 deoptimizations in 40 files).

/** Partitions the filter and the index over contiguous runs of data blocks of about metadataBlockSize. */
function partitionMetadata(blockStarts: Uint32Array, D: number, o: StoreOptions): Partitions {
  const filterPartOf = new Uint32Array(D);
  const indexPartOf = new Uint32Array(D);
  const filterPartBytes: number[] = [];
  const indexPartBytes: number[] = [];
  const hasFilter = o.bloomBitsPerKey > 0;
  const entryOfKey = o.keyBytes + HANDLE_BYTES;
  let filterBits = 0;
  let indexBytes = 0;
  for (let b = 0; b < D; b++) {
    if (hasFilter) {
      filterPartOf[b] = filterPartBytes.length;
      filterBits += (blockStarts[b + 1]! - blockStarts[b]!) * o.bloomBitsPerKey;
      if (filterBits / 8 >= o.metadataBlockSize || b === D - 1) {
        filterPartBytes.push(Math.ceil(filterBits / 8) + FILTER_TRAILER_BYTES);
        filterBits = 0;
      }
    }
    indexPartOf[b] = indexPartBytes.length;
    indexBytes += entryOfKey;
    if (indexBytes >= o.metadataBlockSize || b === D - 1) {
      indexPartBytes.push(indexBytes);
      indexBytes = 0;
    }
  }
  return { filterPartOf, indexPartOf, filterPartBytes, indexPartBytes };
}

/** Fills blockHeads and the radix table (SstFile) of n keys in D blocks; returns the radix scale. */
function indexBlocks(keys: Float64Array, blockStarts: Uint32Array, D: number, blockHeads: Float64Array, radix: Uint32Array): number {
  const n = keys.length;
  for (let b = 0; b < D; b++) {
    blockHeads[2 * b] = keys[blockStarts[b]!]!;
    blockHeads[2 * b + 1] = blockStarts[b]!;
  }
  blockHeads[2 * D] = Infinity;
  blockHeads[2 * D + 1] = n;
  // radix[t]: blocks after the first whose first key's bucket is below t.
  const smallest = keys[0]!;
  const span = keys[n - 1]! - smallest;
  const radixScale = span > 0 ? D / span : 0;
  for (let b = 1, t = 0; b <= D; b++) {
    const bucket = b < D ? bucketOf(blockHeads[2 * b]!, smallest, radixScale, D - 1) : D;
    while (t < bucket) radix[++t] = b - 1;
  }
  return radixScale;
}

/** The first key of each partition (of its first data block), given each data block's partition. */
function partitionFirstKeys(keys: Float64Array, blockStarts: Uint32Array, partOf: Uint32Array, firstKeys: Float64Array): void {
  // Walking back, the last write of each partition is its first block's key.
  for (let b = partOf.length - 1; b >= 0; b--) firstKeys[partOf[b]!] = keys[blockStarts[b]!]!;
}

/** The arrays and figures that make a file; SstFile.withFileNumber shares them. */
interface SstParts {
  readonly options: StoreOptions;
  readonly keys: Float64Array;
  readonly seqs: Float64Array;
  readonly types: Uint8Array;
  readonly sizes: Uint32Array;
  readonly tokens: Uint32Array;
  readonly blockHeads: Float64Array;
  readonly radix: Uint32Array;
  readonly radixScale: number;
  readonly filterFirstKeys: Float64Array;
  readonly indexFirstKeys: Float64Array;
  readonly blockOffsets: Float64Array;
  readonly filterPartOf: Uint32Array;
  readonly indexPartOf: Uint32Array;
  readonly bloom: Uint32Array;
  readonly bloomK: number;
  readonly dataBlockCount: number;
  readonly filterPartitionCount: number;
  readonly indexPartitionCount: number;
  readonly topLevelOffset: number;
  readonly topLevelBytes: number;
  readonly fileSize: number;
  readonly minSeq: number;
  readonly maxSeq: number;
  readonly deletionCount: number;
  readonly mergeCount: number;
  readonly valueBytes: number;
}

export class SstFile extends SortedEntries implements SstParts {
  readonly fileNumber: number;
  readonly options: StoreOptions;
  /**
   * Every data block's first key and first entry, interleaved (key at 2b, entry at
   * 2b + 1; +Infinity and entryCount at b = dataBlockCount): the line that findBlock
   * compares keys in also tells findInBlock where the block's entries are.
   */
  readonly blockHeads: Float64Array;
  /**
   * A radix table over the first keys, one bucket per data block: the key range
   * [smallest, largest] cut into equal buckets, and radix[t] the number of blocks
   * after the first whose first key lies in a bucket before t. The block of a key in
   * bucket t lies in [radix[t], radix[t + 1]]: for keys spread as evenly as hashed
   * keys are, one or two first keys to compare, two cache lines instead of a search's
   * five dependent ones. Clustered keys only widen the range, searched in halves.
   */
  readonly radix: Uint32Array;
  /** Buckets per unit of key: radix.length - 1 over the key range. */
  readonly radixScale: number;
  /**
   * The first key of each filter and each index partition (of its first data block):
   * the partition covering a key, found without the data block, from a few keys per
   * file that stay in cache.
   */
  readonly filterFirstKeys: Float64Array;
  readonly indexFirstKeys: Float64Array;
  /** Byte offset of every local block, and the end of the last partition at [blockCount]. */
  readonly blockOffsets: Float64Array;
  /** Filter / index partition of each data block. */
  readonly filterPartOf: Uint32Array;
  readonly indexPartOf: Uint32Array;
  /**
   * The bloom filter over all keys (partitions matter for I/O, not for answers),
   * filled on the file's first probe (fillFilter): most files a load writes are
   * compacted away before anything reads them, and never pay for it.
   */
  readonly bloom: Uint32Array;
  readonly bloomK: number;
  private bloomFilled = false;
  readonly dataBlockCount: number;
  readonly filterPartitionCount: number;
  readonly indexPartitionCount: number;
  /** Where the pinned part (top-level filter index, top-level index, footer) starts, and its size. */
  readonly topLevelOffset: number;
  readonly topLevelBytes: number;
  readonly fileSize: number;
  readonly smallest: number;
  readonly largest: number;
  readonly minSeq: number;
  readonly maxSeq: number;
  /** Tombstones and merge operands among the entries. */
  readonly deletionCount: number;
  readonly mergeCount: number;
  /** Sum of value sizes. */
  readonly valueBytes: number;

  constructor(fileNumber: number, p: SstParts) {
    super(p.keys, p.seqs, p.types, p.sizes, p.tokens);
    if (!(Number.isInteger(fileNumber) && fileNumber >= 0 && fileNumber < 2 ** 32)) {
      throw new RangeError(`sst: file number ${fileNumber} out of range`);
    }
    if (p.keys.length === 0) throw new RangeError('sst: a file holds at least one entry');
    this.fileNumber = fileNumber;
    this.options = p.options;
    this.blockHeads = p.blockHeads;
    this.radix = p.radix;
    this.radixScale = p.radixScale;
    this.filterFirstKeys = p.filterFirstKeys;
    this.indexFirstKeys = p.indexFirstKeys;
    this.blockOffsets = p.blockOffsets;
    this.filterPartOf = p.filterPartOf;
    this.indexPartOf = p.indexPartOf;
    this.bloom = p.bloom;
    this.bloomK = p.bloomK;
    this.dataBlockCount = p.dataBlockCount;
    this.filterPartitionCount = p.filterPartitionCount;
    this.indexPartitionCount = p.indexPartitionCount;
    this.topLevelOffset = p.topLevelOffset;
    this.topLevelBytes = p.topLevelBytes;
    this.fileSize = p.fileSize;
    this.minSeq = p.minSeq;
    this.maxSeq = p.maxSeq;
    this.deletionCount = p.deletionCount;
    this.mergeCount = p.mergeCount;
    this.valueBytes = p.valueBytes;
    this.smallest = p.keys[0]!;
    this.largest = p.keys[p.keys.length - 1]!;
  }

  get entryCount(): number { return this.keys.length; }
  /** Data blocks, filter partitions and index partitions. */
  get blockCount(): number { return this.dataBlockCount + this.filterPartitionCount + this.indexPartitionCount; }
  /** Bytes of the data blocks. */
  get dataBytes(): number { return this.blockOffsets[this.dataBlockCount]!; }

  /** Global cache id of a local block. */
  blockId(localBlock: number): number { return this.fileNumber * BLOCKS_PER_FILE + localBlock; }
  blockOffset(localBlock: number): number { return this.blockOffsets[localBlock]!; }
  blockSize(localBlock: number): number { return this.blockOffsets[localBlock + 1]! - this.blockOffsets[localBlock]!; }

  /** Filter partition (0..F-1) covering a data block; -1 when the file has no filter. */
  filterPartitionOf(dataBlock: number): number {
    return this.filterPartitionCount === 0 ? -1 : this.filterPartOf[dataBlock]!;
  }
  /** Local block number of that filter partition; -1 when none. */
  filterBlockOf(dataBlock: number): number {
    return this.filterPartitionCount === 0 ? -1 : this.dataBlockCount + this.filterPartOf[dataBlock]!;
  }
  /** Index partition (0..I-1) holding a data block's handle. */
  indexPartitionOf(dataBlock: number): number { return this.indexPartOf[dataBlock]!; }
  /** Local block number of that index partition. */
  indexBlockOf(dataBlock: number): number {
    return this.dataBlockCount + this.filterPartitionCount + this.indexPartOf[dataBlock]!;
  }

  /** Local block number of the filter partition covering key (within [smallest, largest]); -1 when none. */
  filterBlockOfKey(key: number): number {
    return this.filterPartitionCount === 0 ? -1 : this.dataBlockCount + lastAtMost(this.filterFirstKeys, key);
  }
  /** Local block number of the index partition covering key (within [smallest, largest]). */
  indexBlockOfKey(key: number): number {
    return this.dataBlockCount + this.filterPartitionCount + lastAtMost(this.indexFirstKeys, key);
  }

  /** The bloom filter's answer (true when the file has no filter). */
  mayContain(key: number): boolean {
    if (this.bloomK === 0) return true;
    if (!this.bloomFilled) this.fillFilter();
    return bloomMayContain(this.bloom, this.bloomK, key);
  }

  /**
   * Sets the bloom filter's bits from the keys, once. Copies of a file
   * (withFileNumber) share its filter: one taken before the fill fills it again,
   * which sets the same bits.
   */
  fillFilter(): void {
    if (!this.bloomFilled && this.bloomK > 0) bloomAddAll(this.bloom, this.bloomK, this.keys);
    this.bloomFilled = true;
  }

  /** The data block that would hold key; -1 outside [smallest, largest]. */
  findBlock(key: number): number {
    if (key < this.smallest || key > this.largest) return -1;
    // Last block whose first key ≤ key, within the bounds of the key's bucket.
    const radix = this.radix;
    const t = bucketOf(key, this.smallest, this.radixScale, radix.length - 2);
    let lo = radix[t]!;
    let hi = radix[t + 1]!;
    const heads = this.blockHeads;
    while (hi - lo > 4) {
      const mid = (lo + hi + 1) >>> 1;
      if (heads[2 * mid]! <= key) lo = mid;
      else hi = mid - 1;
    }
    while (lo < hi && heads[2 * lo + 2]! <= key) lo++;
    return lo;
  }

  /**
   * First entry whose key is ≥ key (a scan's seek): the data block from the radix
   * table, then a search of that block's entries, as a get finds its block (a search
   * of the whole keys array reads a cold line at most of its steps).
   */
  override lowerBound(key: number): number {
    if (!(key > this.smallest)) return 0;
    if (key > this.largest) return this.keys.length;
    const heads = this.blockHeads;
    const b = this.findBlock(key);
    return lowerBoundIn(this.keys, heads[2 * b + 1]!, heads[2 * b + 3]!, key);
  }

  /** Entry index of key within a data block, or -1. */
  findInBlock(dataBlock: number, key: number): number {
    const heads = this.blockHeads;
    const end = heads[2 * dataBlock + 3]!;
    const i = lowerBoundIn(this.keys, heads[2 * dataBlock + 1]!, end, key);
    return i < end && this.keys[i] === key ? i : -1;
  }

  /** Index of a data block's first entry (entryCount for b = dataBlockCount). */
  blockStart(b: number): number { return this.blockHeads[2 * b + 1]!; }

  /** The data block holding entry i. */
  blockOfEntry(i: number): number {
    const heads = this.blockHeads;
    let lo = 0;
    let hi = this.dataBlockCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (heads[2 * mid + 1]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Whether [smallest, largest] meets the inclusive range [lo, hi]. */
  overlaps(lo: number, hi: number): boolean {
    return this.smallest <= hi && this.largest >= lo;
  }

  /** Bytes of the typed arrays behind this file (what the simulator holds per file). */
  bytesOfMetadata(): number {
    return this.keys.byteLength + this.seqs.byteLength + this.types.byteLength + this.sizes.byteLength
      + this.tokens.byteLength + this.blockHeads.byteLength + this.radix.byteLength
      + this.filterFirstKeys.byteLength + this.indexFirstKeys.byteLength + this.blockOffsets.byteLength
      + this.filterPartOf.byteLength + this.indexPartOf.byteLength + this.bloom.byteLength;
  }

  /** The same file under another number (ingestion into another store); shares the arrays. */
  withFileNumber(fileNumber: number): SstFile {
    const copy = new SstFile(fileNumber, this);
    copy.bloomFilled = this.bloomFilled; // the bits are shared
    return copy;
  }

  /** A new file of this file's entries with key in [lo, hi); null when none are. */
  clip(lo: number, hi: number, fileNumber: number, builder = new SstBuilder(this.options)): SstFile | null {
    const from = this.lowerBound(lo);
    const to = this.lowerBound(hi);
    if (from >= to) return null;
    builder.reset();
    for (let i = from; i < to; i++) {
      builder.add(this.keys[i]!, this.seqs[i]!, this.types[i]!, this.sizes[i]!, this.tokens[i]!);
    }
    return builder.finish(fileNumber);
  }
}

/**
 * Builds one SST at a time from entries in strictly increasing key order. Entries
 * go into scratch arrays the builder keeps between files; finish() copies them once
 * into one exactly sized buffer for the file.
 */
export class SstBuilder {
  private keys = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private types = new Uint8Array(1024);
  private sizes = new Uint32Array(1024);
  private tokens = new Uint32Array(1024);
  private blockStarts = new Uint32Array(64);
  private blockEnds = new Float64Array(64);
  private n = 0;
  private blocks = 0;
  private blockBytes = 0;
  private data = 0;
  private values = 0;
  private minSeq = Infinity;
  private maxSeq = -Infinity;
  private deletions = 0;
  private merges = 0;

  constructor(readonly options: StoreOptions) {}

  get entryCount(): number { return this.n; }
  /** Bytes of data blocks so far, the open block included. */
  get dataBytes(): number { return this.data; }
  /**
   * Whether the file, were it finished now (data plus a metadata estimate), would be at
   * least `bytes`: where flush and compaction cut their output at targetFileSize. A
   * boolean, not the size: asked after every entry, a fractional size returned from a
   * call that is not inlined is a heap allocation each time.
   */
  reachedSize(bytes: number): boolean {
    const o = this.options;
    return this.data + (this.n * o.bloomBitsPerKey) / 8 + (this.blocks + 1) * (o.keyBytes + HANDLE_BYTES) + FOOTER_BYTES >= bytes;
  }

  reset(): void {
    this.n = 0;
    this.blocks = 0;
    this.blockBytes = 0;
    this.data = 0;
    this.values = 0;
    this.minSeq = Infinity;
    this.maxSeq = -Infinity;
    this.deletions = 0;
    this.merges = 0;
  }

  add(key: number, seq: number, type: number, size: number, token: number): void {
    const n = this.n;
    if (n > 0 && !(key > this.keys[n - 1]!)) {
      throw new RangeError(`sst builder: key ${key} after ${this.keys[n - 1]} (keys must increase)`);
    }
    if (n === this.keys.length) this.growEntries();
    if (this.blockBytes === 0) {
      if (this.blocks + 1 >= this.blockStarts.length) this.growBlocks();
      this.blockStarts[this.blocks] = n;
    }
    this.keys[n] = key;
    this.seqs[n] = seq;
    this.types[n] = type;
    this.sizes[n] = size;
    this.tokens[n] = token;
    this.n = n + 1;
    if (seq < this.minSeq) this.minSeq = seq;
    if (seq > this.maxSeq) this.maxSeq = seq;
    if (type === DELETE) this.deletions++;
    else if (type === MERGE) this.merges++;
    const bytes = encodedSize(this.options.keyBytes, size);
    this.blockBytes += bytes;
    this.data += bytes;
    this.values += size;
    if (this.blockBytes >= this.options.blockSize) this.closeBlock();
  }

  /** The file of the entries added since the last reset; resets the builder. */
  finish(fileNumber: number): SstFile {
    if (this.n === 0) throw new RangeError('sst builder: no entries');
    if (this.blockBytes > 0) this.closeBlock();
    const o = this.options;
    const n = this.n;
    const D = this.blocks;
    const entryOfKey = o.keyBytes + HANDLE_BYTES;

    const hasFilter = o.bloomBitsPerKey > 0;
    const { filterPartOf, indexPartOf, filterPartBytes, indexPartBytes } = partitionMetadata(this.blockStarts, D, o);
    const F = filterPartBytes.length;
    const I = indexPartBytes.length;
    const blockCount = D + F + I;
    if (blockCount >= BLOCKS_PER_FILE) throw new RangeError(`sst: ${blockCount} blocks exceed 2^21 per file`);
    const words = hasFilter ? bloomWords(n, o.bloomBitsPerKey) : 0;

    // One buffer: float64 arrays first (aligned), then uint32, then uint8.
    const f64 = 2 * n + 2 * (D + 1) + F + I + blockCount + 1;
    const u32 = 2 * n + 2 * D + (D + 1) + words;
    const buf = new ArrayBuffer(f64 * 8 + u32 * 4 + n);
    let at = 0;
    const f64Array = (len: number) => { const a = new Float64Array(buf, at, len); at += len * 8; return a; };
    const u32Array = (len: number) => { const a = new Uint32Array(buf, at, len); at += len * 4; return a; };
    const keys = f64Array(n);
    const seqs = f64Array(n);
    const blockHeads = f64Array(2 * (D + 1));
    const filterFirstKeys = f64Array(F);
    const indexFirstKeys = f64Array(I);
    const blockOffsets = f64Array(blockCount + 1);
    const sizes = u32Array(n);
    const tokens = u32Array(n);
    const filterPart = u32Array(D);
    const indexPart = u32Array(D);
    const radix = u32Array(D + 1);
    const bloom = u32Array(words);
    const types = new Uint8Array(buf, at, n);

    keys.set(this.keys.subarray(0, n));
    seqs.set(this.seqs.subarray(0, n));
    sizes.set(this.sizes.subarray(0, n));
    tokens.set(this.tokens.subarray(0, n));
    types.set(this.types.subarray(0, n));
    const blockStart = this.blockStarts;
    const radixScale = indexBlocks(keys, blockStart, D, blockHeads, radix);
    filterPart.set(filterPartOf);
    indexPart.set(indexPartOf);
    if (hasFilter) partitionFirstKeys(keys, blockStart, filterPartOf, filterFirstKeys);
    partitionFirstKeys(keys, blockStart, indexPartOf, indexFirstKeys);
    blockOffsets[0] = 0;
    blockOffsets.set(this.blockEnds.subarray(0, D), 1);
    let offset = blockOffsets[D]!;
    for (let p = 0; p < F; p++) blockOffsets[D + p + 1] = offset += filterPartBytes[p]!;
    for (let p = 0; p < I; p++) blockOffsets[D + F + p + 1] = offset += indexPartBytes[p]!;
    const topLevelOffset = offset;
    const topLevelBytes = (F + I) * entryOfKey + FOOTER_BYTES;

    const bloomK = hasFilter ? bloomProbes(o.bloomBitsPerKey) : 0;
    const file = new SstFile(fileNumber, {
      options: o, keys, seqs, types, sizes, tokens, blockHeads, radix, radixScale, filterFirstKeys, indexFirstKeys, blockOffsets,
      filterPartOf: filterPart, indexPartOf: indexPart, bloom, bloomK,
      dataBlockCount: D, filterPartitionCount: F, indexPartitionCount: I,
      topLevelOffset, topLevelBytes, fileSize: topLevelOffset + topLevelBytes,
      minSeq: this.minSeq, maxSeq: this.maxSeq, deletionCount: this.deletions, mergeCount: this.merges, valueBytes: this.values,
    });
    this.reset();
    return file;
  }

  private closeBlock(): void {
    this.blockEnds[this.blocks] = this.data;
    this.blocks++;
    this.blockStarts[this.blocks] = this.n;
    this.blockBytes = 0;
  }

  private growEntries(): void {
    const cap = this.keys.length * 2;
    const keys = new Float64Array(cap); keys.set(this.keys); this.keys = keys;
    const seqs = new Float64Array(cap); seqs.set(this.seqs); this.seqs = seqs;
    const types = new Uint8Array(cap); types.set(this.types); this.types = types;
    const sizes = new Uint32Array(cap); sizes.set(this.sizes); this.sizes = sizes;
    const tokens = new Uint32Array(cap); tokens.set(this.tokens); this.tokens = tokens;
  }

  private growBlocks(): void {
    const cap = this.blockStarts.length * 2;
    const starts = new Uint32Array(cap); starts.set(this.blockStarts); this.blockStarts = starts;
    const ends = new Float64Array(cap); ends.set(this.blockEnds); this.blockEnds = ends;
  }
}
