/**
 * The LSM tree's shape parameters, with RocksDB's and ForSt's defaults. One object per
 * store; every structure in sim/store reads its sizes from here.
 */

export interface StoreOptions {
  /** Every key's encoded size in bytes (keys are integers; this stands for their bytes). */
  keyBytes: number;
  /** Data blocks are cut when their accumulated encoded size reaches this. */
  blockSize: number;
  /** Filter and index partitions are cut at about this size (partitioned metadata). */
  metadataBlockSize: number;
  /** Bloom filter bits per key. */
  bloomBitsPerKey: number;
  /** A memtable is full (and is switched for flush) at this many bytes. */
  writeBufferSize: number;
  /** Compaction cuts its output files at this size. */
  targetFileSize: number;
  /** L0 compaction score = L0 files / this. */
  l0FileTrigger: number;
  /** Target size of L1; level n targets levelBase · levelMultiplier^(n-1). */
  levelBase: number;
  levelMultiplier: number;
  /** L0 .. L(numLevels-1). */
  numLevels: number;
}

export const DEFAULT_STORE_OPTIONS: Readonly<StoreOptions> = Object.freeze({
  keyBytes: 16,
  blockSize: 4096,
  metadataBlockSize: 4096,
  bloomBitsPerKey: 10,
  writeBufferSize: 64 * 2 ** 20,
  targetFileSize: 64 * 2 ** 20,
  l0FileTrigger: 4,
  levelBase: 256 * 2 ** 20,
  levelMultiplier: 10,
  numLevels: 7,
});

/** The defaults with `overrides` applied; rejects shapes the structures cannot hold. */
export function storeOptions(overrides: Partial<StoreOptions> = {}): StoreOptions {
  const d = DEFAULT_STORE_OPTIONS;
  // Every field named in one literal: the object's shape (V8's hidden class) is then the
  // same in every run of a process, so code optimized for one store serves the next.
  const o: StoreOptions = {
    keyBytes: overrides.keyBytes ?? d.keyBytes,
    blockSize: overrides.blockSize ?? d.blockSize,
    metadataBlockSize: overrides.metadataBlockSize ?? d.metadataBlockSize,
    bloomBitsPerKey: overrides.bloomBitsPerKey ?? d.bloomBitsPerKey,
    writeBufferSize: overrides.writeBufferSize ?? d.writeBufferSize,
    targetFileSize: overrides.targetFileSize ?? d.targetFileSize,
    l0FileTrigger: overrides.l0FileTrigger ?? d.l0FileTrigger,
    levelBase: overrides.levelBase ?? d.levelBase,
    levelMultiplier: overrides.levelMultiplier ?? d.levelMultiplier,
    numLevels: overrides.numLevels ?? d.numLevels,
  };
  const positive: (keyof StoreOptions)[] = ['keyBytes', 'blockSize', 'metadataBlockSize', 'writeBufferSize',
    'targetFileSize', 'l0FileTrigger', 'levelBase'];
  for (const name of positive) {
    if (!(o[name] > 0)) throw new RangeError(`store option ${name} must be > 0, got ${o[name]}`);
  }
  if (!(o.bloomBitsPerKey >= 0)) throw new RangeError(`store option bloomBitsPerKey must be >= 0, got ${o.bloomBitsPerKey}`);
  if (!(o.levelMultiplier > 1)) throw new RangeError(`store option levelMultiplier must be > 1, got ${o.levelMultiplier}`);
  if (!Number.isInteger(o.numLevels) || o.numLevels < 2) throw new RangeError(`store option numLevels must be an integer >= 2, got ${o.numLevels}`);
  return o;
}

/** Target bytes of level n ≥ 1 (L0 is triggered by file count instead). */
export function levelTargetBytes(o: StoreOptions, level: number): number {
  return o.levelBase * o.levelMultiplier ** (level - 1);
}
