import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bloomAdd, bloomProbes, bloomWords } from '../../sim/store/bloom.ts';
import { BLOCKS_PER_FILE, FOOTER_BYTES, SstBuilder, type SstFile } from '../../sim/store/sst.ts';
import { DELETE, MERGE, PUT, encodedSize } from '../../sim/store/format.ts';
import { storeOptions, type StoreOptions } from '../../sim/store/options.ts';
import { mulberry32 } from './helpers.ts';

/** n sorted random keys (even numbers, so odd ones are absent), random value sizes below maxValue. */
function build(n: number, maxValue: number, o: StoreOptions, seed = 1, fileNumber = 9): SstFile {
  const rnd = mulberry32(seed);
  const b = new SstBuilder(o);
  let key = 0;
  for (let i = 0; i < n; i++) {
    key += 2 * (1 + Math.floor(rnd() * 1000));
    const type = i % 17 === 0 ? DELETE : i % 5 === 0 ? MERGE : PUT;
    const size = type === DELETE ? 0 : Math.floor(rnd() * maxValue);
    b.add(key, i + 1, type, size, (key * 31) >>> 0);
  }
  return b.finish(fileNumber);
}

test('every key is found in its block; absent keys are not', () => {
  for (const n of [1, 5, 60, 20_000]) checkLookups(build(n, 300, storeOptions()));
});

function checkLookups(f: SstFile): void {
  for (let i = 0; i < f.entryCount; i++) {
    const key = f.keys[i]!;
    assert.ok(f.mayContain(key), 'no false negatives');
    const b = f.findBlock(key);
    assert.ok(b >= 0 && b < f.dataBlockCount);
    assert.equal(f.findInBlock(b, key), i);
    assert.equal(f.blockOfEntry(i), b);
    // The partitions found from the key agree with those of its block.
    assert.equal(f.filterBlockOfKey(key), f.filterBlockOf(b));
    assert.equal(f.indexBlockOfKey(key), f.indexBlockOf(b));
    assert.equal(f.tokenAt(i), (key * 31) >>> 0);
  }
  let falsePositives = 0;
  for (let i = 0; i < f.entryCount; i++) {
    const absent = f.keys[i]! + 1;
    const b = f.findBlock(absent);
    if (b >= 0) assert.equal(f.findInBlock(b, absent), -1);
    // The block of the last entry below the key, found through the entries instead.
    if (absent < f.largest) {
      assert.equal(b, f.blockOfEntry(f.lowerBound(absent) - 1));
      assert.equal(f.filterBlockOfKey(absent), f.filterBlockOf(b));
      assert.equal(f.indexBlockOfKey(absent), f.indexBlockOf(b));
    }
    if (f.mayContain(absent)) falsePositives++;
  }
  if (f.entryCount >= 1000) assert.ok(falsePositives / f.entryCount < 0.015, `filter passes ${falsePositives} absent keys`);
  assert.equal(f.findBlock(f.smallest - 1), -1);
  assert.equal(f.findBlock(f.largest + 1), -1);
  assert.equal(f.findBlock(f.smallest), 0);
  assert.equal(f.findBlock(f.largest), f.dataBlockCount - 1);
  assert.equal(f.lowerBound(f.largest + 1), f.entryCount);
}

test('blocks are found however the keys spread over their range', () => {
  // The radix table cuts a file's key range into equal buckets; clustered keys put
  // many blocks in one bucket and leave others empty. Each layout is checked against
  // the entries themselves (checkLookups: blockOfEntry and lowerBound).
  const rnd = mulberry32(7);
  const layouts: Record<string, (i: number, previous: number) => number> = {
    // Dense keys, then one gap of 2^50 and dense keys again.
    twoClusters: (i) => (i < 3000 ? 2 * i : 2 ** 50 + 2 * i),
    // Gaps growing geometrically: most keys in the first buckets.
    geometric: (i) => 2 * Math.floor(1.002 ** i * 1000) + 2 * i,
    // A few far outliers at both ends of dense keys.
    outliers: (i) => (i === 0 ? 0 : i === 5999 ? 2 ** 52 : 2 ** 40 + 2 * i),
    // Random gaps of 2 to 2^30, most of them small.
    wild: (_, previous) => previous + 2 * (1 + Math.floor(rnd() ** 8 * 2 ** 29)),
  };
  for (const [name, keyOf] of Object.entries(layouts)) {
    const b = new SstBuilder(storeOptions({ blockSize: 512 }));
    let key = 0;
    for (let i = 0; i < 6000; i++) {
      const next = keyOf(i, key);
      assert.ok(next > key || i === 0, name);
      key = next;
      b.add(key, i + 1, PUT, 40, (key * 31) >>> 0);
    }
    const f = b.finish(1);
    assert.ok(f.dataBlockCount > 300, name);
    checkLookups(f);
  }
});

test('a file counts its tombstones and merge operands and knows its sequence range', () => {
  // One builder for several files, as flush and compaction use it: nothing carries over.
  const b = new SstBuilder(storeOptions());
  const rnd = mulberry32(3);
  for (let file = 0; file < 4; file++) {
    const n = 1 + Math.floor(rnd() * 3000);
    let key = 0;
    let deletions = 0;
    let merges = 0;
    let minSeq = Infinity;
    let maxSeq = -Infinity;
    for (let i = 0; i < n; i++) {
      key += 1 + Math.floor(rnd() * 50);
      const type = rnd() < 0.2 ? DELETE : rnd() < 0.3 ? MERGE : PUT;
      const seq = 1 + Math.floor(rnd() * 1e9);
      if (type === DELETE) deletions++;
      if (type === MERGE) merges++;
      minSeq = Math.min(minSeq, seq);
      maxSeq = Math.max(maxSeq, seq);
      b.add(key, seq, type, type === DELETE ? 0 : 100, 1);
    }
    const f = b.finish(file + 1);
    assert.deepEqual([f.deletionCount, f.mergeCount, f.minSeq, f.maxSeq], [deletions, merges, minSeq, maxSeq]);
  }
});

test('data blocks are cut by encoded size and cover the entries exactly once', () => {
  for (const [blockSize, maxValue] of [[4096, 300], [4096, 9000], [512, 40], [100, 1]]) {
    const o = storeOptions({ blockSize: blockSize! });
    const f = build(5000, maxValue!, o, blockSize! + maxValue!);
    assert.equal(f.blockStart(0), 0);
    assert.equal(f.blockStart(f.dataBlockCount), f.entryCount);
    let offset = 0;
    for (let b = 0; b < f.dataBlockCount; b++) {
      const from = f.blockStart(b);
      const to = f.blockStart(b + 1);
      assert.ok(to > from, 'no empty block');
      let bytes = 0;
      let largest = 0;
      for (let i = from; i < to; i++) {
        const e = encodedSize(o.keyBytes, f.sizes[i]!);
        bytes += e;
        largest = Math.max(largest, e);
        // cut as soon as the block reaches blockSize: only the last entry may cross it
        if (i < to - 1) assert.ok(bytes < blockSize!, `block ${b} went on past blockSize`);
      }
      assert.ok(bytes <= blockSize! + largest, `block ${b} (${bytes} B) exceeds blockSize + one entry`);
      if (b < f.dataBlockCount - 1) assert.ok(bytes >= blockSize!, `block ${b} cut early`);
      assert.equal(f.blockOffset(b), offset);
      assert.equal(f.blockSize(b), bytes);
      offset += bytes;
    }
    assert.equal(f.dataBytes, offset);
  }
});

test('partitioned metadata: contiguous partitions of about metadataBlockSize, laid out after the data', () => {
  const o = storeOptions();
  const f = build(200_000, 100, o);
  const D = f.dataBlockCount;
  const F = f.filterPartitionCount;
  const I = f.indexPartitionCount;
  assert.ok(F > 1 && I > 1, `expected several partitions, got ${F} filter and ${I} index`);
  // Partitions cover contiguous, increasing runs of data blocks.
  for (let b = 1; b < D; b++) {
    const df = f.filterPartitionOf(b) - f.filterPartitionOf(b - 1);
    const di = f.indexPartitionOf(b) - f.indexPartitionOf(b - 1);
    assert.ok(df === 0 || df === 1);
    assert.ok(di === 0 || di === 1);
  }
  assert.equal(f.filterPartitionOf(0), 0);
  assert.equal(f.filterPartitionOf(D - 1), F - 1);
  assert.equal(f.indexPartitionOf(D - 1), I - 1);
  // Sizes: filter ≈ bits/8 per key, index ≈ keyBytes + 8 per data block, cut near metadataBlockSize.
  let filterBytes = 0;
  for (let p = 0; p < F; p++) {
    const s = f.blockSize(D + p);
    filterBytes += s;
    if (p < F - 1) assert.ok(s >= o.metadataBlockSize && s < o.metadataBlockSize + 1000, `filter partition ${s} B`);
  }
  assert.ok(Math.abs(filterBytes - (f.entryCount * 10) / 8) < F * 10);
  let indexBytes = 0;
  for (let p = 0; p < I; p++) {
    const s = f.blockSize(D + F + p);
    indexBytes += s;
    if (p < I - 1) assert.ok(s >= o.metadataBlockSize && s < o.metadataBlockSize + 24);
  }
  assert.equal(indexBytes, D * (o.keyBytes + 8));
  // Layout: data, filter partitions, index partitions, pinned top level, footer.
  assert.equal(f.blockOffset(D), f.dataBytes);
  assert.equal(f.blockOffset(D + F), f.dataBytes + filterBytes);
  assert.equal(f.topLevelOffset, f.dataBytes + filterBytes + indexBytes);
  assert.equal(f.topLevelBytes, (F + I) * (o.keyBytes + 8) + FOOTER_BYTES);
  assert.equal(f.fileSize, f.topLevelOffset + f.topLevelBytes);
  // Cache ids: data blocks first, then filter partitions, then index partitions.
  assert.equal(f.blockId(0), 9 * BLOCKS_PER_FILE);
  assert.equal(f.filterBlockOf(5), D + f.filterPartitionOf(5));
  assert.equal(f.indexBlockOf(5), D + F + f.indexPartitionOf(5));
  assert.equal(f.blockCount, D + F + I);
  assert.ok(f.blockId(f.blockCount - 1) < 10 * BLOCKS_PER_FILE);
});

test('metadata held in memory is at most 40 bytes per entry', () => {
  const o = storeOptions();
  // Small values give many entries per block: the per-entry arrays dominate.
  for (const maxValue of [20, 200, 2000]) {
    const f = build(300_000, maxValue, o);
    const perEntry = f.bytesOfMetadata() / f.entryCount;
    console.log(`values < ${maxValue} B: ${perEntry.toFixed(2)} bytes of metadata per entry`);
    assert.ok(perEntry <= 40, `${perEntry} bytes per entry`);
  }
});

test('clip keeps the entries in [lo, hi) and renumbering shares the arrays', () => {
  const o = storeOptions({ blockSize: 256 });
  const f = build(3000, 50, o);
  const lo = f.keys[1000]!;
  const hi = f.keys[2000]! + 1; // includes key 2000
  const c = f.clip(lo, hi, 77)!;
  assert.equal(c.fileNumber, 77);
  assert.equal(c.entryCount, 1001);
  assert.equal(c.smallest, lo);
  assert.equal(c.largest, f.keys[2000]);
  for (let i = 0; i < c.entryCount; i++) {
    assert.equal(c.keys[i], f.keys[1000 + i]);
    assert.equal(c.seqs[i], f.seqs[1000 + i]);
    assert.equal(c.types[i], f.types[1000 + i]);
    assert.equal(c.sizes[i], f.sizes[1000 + i]);
    assert.equal(c.tokens[i], f.tokens[1000 + i]);
    assert.ok(c.mayContain(c.keys[i]!));
  }
  assert.equal(f.clip(f.largest + 1, f.largest + 10, 78), null);
  assert.equal(f.clip(0, f.smallest, 78), null, 'hi is exclusive');
  const r = f.withFileNumber(12);
  assert.equal(r.fileNumber, 12);
  assert.equal(r.keys, f.keys);
  assert.equal(r.blockId(3), 12 * BLOCKS_PER_FILE + 3);
  assert.equal(r.fileSize, f.fileSize);
});

test('a filter filled on first probe answers as one built with the file, and its copies share it', () => {
  const o = storeOptions();
  const f = build(20_000, 300, o, 3);
  assert.ok(f.bloom.every((w) => w === 0), 'nothing set before the first probe');
  // The same filter built key by key, apart from the file.
  const k = bloomProbes(o.bloomBitsPerKey);
  const eager = new Uint32Array(bloomWords(f.entryCount, o.bloomBitsPerKey));
  for (const key of f.keys) bloomAdd(eager, k, key);
  const copy = f.withFileNumber(21); // taken before any probe: fills the shared bits itself
  const probes = [...f.keys, ...f.keys.map((key) => key + 1)];
  const answers = probes.map((key) => f.mayContain(key));
  assert.deepEqual(f.bloom, eager);
  assert.deepEqual(probes.map((key) => copy.mayContain(key)), answers);
  assert.deepEqual(copy.bloom, eager, 'a second fill sets the same bits');
  assert.ok(answers.slice(f.entryCount).some((a) => !a), 'the filter rules keys out');
});

test('the builder rejects keys out of order and empty files', () => {
  const b = new SstBuilder(storeOptions());
  b.add(5, 1, PUT, 1, 1);
  assert.throws(() => b.add(5, 2, PUT, 1, 1), RangeError);
  assert.throws(() => b.add(4, 2, PUT, 1, 1), RangeError);
  b.reset();
  assert.throws(() => b.finish(1), RangeError);
});

test('a file without a filter reads no filter partition', () => {
  const o = storeOptions({ bloomBitsPerKey: 0 });
  const f = build(1000, 100, o);
  assert.equal(f.filterPartitionCount, 0);
  assert.equal(f.filterBlockOf(0), -1);
  assert.ok(f.mayContain(f.keys[0]! + 1));
  assert.equal(f.indexBlockOf(0), f.dataBlockCount);
});
