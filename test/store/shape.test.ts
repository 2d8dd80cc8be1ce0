/**
 * The tree's shape against RocksDB's arithmetic. N unique keys with 1000-byte values
 * go through 64 MiB memtables and leveled compaction with the default triggers
 * (L0 trigger 4 files, L1 target 256 MiB, ×10 per level, 64 MiB files); the
 * expectations below are derived here from those numbers, not read from the code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Memtable } from '../../sim/store/memtable.ts';
import { PUT } from '../../sim/store/format.ts';
import { DEFAULT_STORE_OPTIONS, storeOptions } from '../../sim/store/options.ts';
import { VersionSet } from '../../sim/store/version.ts';
import { flushMemtable, runCompaction } from '../../sim/store/compaction.ts';
import { SstBuilder } from '../../sim/store/sst.ts';

const MiB = 2 ** 20;

test('levels, sizes and write amplification of a 2 GiB load follow the leveled triggers', () => {
  const o = storeOptions();
  // Independent restatement of the defaults the expectations are built on.
  assert.equal(o.writeBufferSize, 64 * MiB);
  assert.equal(o.levelBase, 256 * MiB);
  assert.equal(o.levelMultiplier, 10);
  assert.equal(o.l0FileTrigger, 4);
  assert.equal(o.targetFileSize, 64 * MiB);
  assert.deepEqual(o, { ...DEFAULT_STORE_OPTIONS });

  const valueBytes = 1000;
  // Encoded entry: 16 B key + value + 8 B seq/type + 3 B lengths.
  const entryBytes = 16 + valueBytes + 8 + 3;
  // A memtable switches on the write that takes it to ≥ 64 MiB.
  const perMemtable = Math.ceil((64 * MiB) / entryBytes);
  const flushesWanted = 34; // 8 L0→L1 compactions (32 files) and 2 files left in L0
  const n = flushesWanted * perMemtable;
  const userBytes = n * entryBytes;

  const vs = new VersionSet(o);
  const builder = new SstBuilder(o);
  let mem = new Memtable(o.keyBytes, perMemtable);
  let seq = 0;
  let flushes = 0;
  const flush = () => {
    vs.addFlushedFile(flushMemtable(mem, vs.newFileNumber(), o, builder)!);
    flushes++;
    mem = new Memtable(o.keyBytes, perMemtable);
    // A compaction thread that keeps up: run compactions until no level scores ≥ 1.
    for (let c = vs.pickCompaction(); c; c = vs.pickCompaction()) {
      vs.installCompaction(c, c.trivialMove ? [] : runCompaction(c, o, () => vs.newFileNumber(), builder).outputs);
    }
  };
  for (let i = 0; i < n; i++) {
    // i·φ mod 2^40 is a permutation: unique keys in pseudo-random order, uniform over the key space.
    mem.add((i * 0x9e3779b1) % 2 ** 40, ++seq, PUT, valueBytes, i);
    if (mem.byteSize >= o.writeBufferSize) flush();
  }
  if (mem.entryCount > 0) flush();
  assert.equal(flushes, flushesWanted);

  const v = vs.current;
  const levelMiB = Array.from(v.levelBytes, (b) => b / MiB);
  console.log(`levels (MiB): ${levelMiB.map((b) => b.toFixed(1)).join(' | ')}; files ${v.levels.map((f) => f.length).join(' | ')}`);

  // --- Total bytes: every entry once, plus the metadata the layout implies ---
  // Blocks are cut once ≥ 4096 B: ceil(4096 / 1027) = 4 entries per block. Per entry that adds
  // 10/8 B of filter and (16 + 8)/4 B of index; partition trailers, top-level indexes and
  // footers add about 0.05% more.
  const perBlock = Math.ceil(4096 / entryBytes);
  const expectTotal = n * (entryBytes + 10 / 8 + (16 + 8) / perBlock);
  const total = v.totalBytes();
  assert.ok(total >= expectTotal && total < expectTotal * 1.001, `total ${total} vs ${expectTotal}`);
  assert.ok(Math.abs(total / userBytes - 1) < 0.01, 'SST bytes ≈ N × encoded entry size');

  // --- Shape ---
  // L0: every 4th flush takes all of L0 into L1, so 34 flushes leave 34 mod 4 = 2 files.
  assert.equal(v.fileCount(0), flushesWanted % 4);
  // Below L0: 32 memtables ≈ 2048 MiB. Level n ≥ 1 may hold target(n) = 256 MiB·10^(n-1)
  // before it compacts down, so the data spreads over L1 (256) and L2 (2560): since
  // 256 < 2048 ≤ 256 + 2560 the deepest level is L2 and L3.. stay empty.
  const belowL0 = (32 * perMemtable * entryBytes) / MiB;
  const target = (level: number) => 256 * 10 ** (level - 1);
  let deepest = 1;
  for (let cum = target(1); cum < belowL0; cum += target(++deepest));
  assert.equal(deepest, 2);
  for (let l = deepest + 1; l < o.numLevels; l++) assert.equal(v.fileCount(l), 0, `L${l} should be empty`);
  // L1 ends below its target (score < 1) but above target − one 64 MiB file: it only
  // shrinks one file at a time, and stops as soon as it is under 256 MiB.
  assert.ok(levelMiB[1]! < target(1) && levelMiB[1]! > target(1) - 64.1, `L1 = ${levelMiB[1]} MiB`);
  // L2 holds the rest, under its own target.
  assert.ok(levelMiB[2]! < target(2));
  assert.ok(Math.abs(levelMiB[1]! + levelMiB[2]! - belowL0 * (total / userBytes)) < 1);
  // Every file of L1.. is at most the target file size (plus one entry).
  for (let l = 1; l < o.numLevels; l++) {
    for (const f of v.levels[l]!) assert.ok(f.fileSize <= 64 * MiB + 2 * entryBytes + 4096, `L${l} file of ${f.fileSize} B`);
  }

  // --- Write amplification, component by component ---
  const s = vs.stats;
  // Flush: each byte is written once into L0 (plus metadata).
  const flushRatio = s.flushBytesWritten / userBytes;
  assert.ok(flushRatio >= 1 && flushRatio < 1.01);
  // L0→L1: k = 8 compactions, each writing its 4 L0 files (256 MiB) plus L1 as it stood:
  // 0 before the first, and in (192, 256] MiB before each later one (see the L1 band above).
  const k = Math.floor(32 / 4);
  const l0ToL1 = s.compactionBytesByLevel[1]! / MiB;
  const l0Lo = k * 256 + (k - 1) * 192;
  const l0Hi = (k * 256 + (k - 1) * 256) * 1.01;
  assert.ok(l0ToL1 > l0Lo && l0ToL1 < l0Hi, `L0→L1 wrote ${l0ToL1} MiB, band [${l0Lo}, ${l0Hi}]`);
  // L1→L2: each L1 file f moved down is written with the L2 bytes under its key range.
  // Keys are uniform and an L0→L1 compaction rewrites all of L1, so a file of f bytes
  // spans f / L1peak of the key space, L1peak = L1 after that compaction ∈ [448, 512] MiB.
  // With L2 growing from 0 to M (≈ 2048 − 224 MiB), the bytes written are about
  //   Σ (f + L2·f/L1peak) ≈ M + M² / (2·L1peak).
  // Trivial moves (no overlap while L2 is sparse) push it lower, partially overlapping
  // boundary files higher; allow ±25%.
  const M = levelMiB[2]!;
  const l1ToL2Estimate = M + (M * M) / (2 * 480);
  const l1ToL2 = s.compactionBytesByLevel[2]! / MiB;
  assert.ok(Math.abs(l1ToL2 / l1ToL2Estimate - 1) < 0.25, `L1→L2 wrote ${l1ToL2} MiB, estimate ${l1ToL2Estimate}`);
  // So WA ≈ 1 + (8·256 + 7·224)/2176 + (M + M²/960)/2176, about 1 + 1.66 + 2.5 ≈ 5.2 for M ≈ 1870 MiB.
  const user = userBytes / MiB;
  const waEstimate = 1 + (k * 256 + (k - 1) * 224) / user + l1ToL2Estimate / user;
  const wa = s.writeAmplification(userBytes);
  console.log(`write amplification ${wa.toFixed(2)} (estimate ${waEstimate.toFixed(2)}); `
    + `${s.compactions} compactions, ${s.trivialMoves} trivial moves`);
  assert.ok(Math.abs(wa / waEstimate - 1) < 0.2, `WA ${wa} vs estimate ${waEstimate}`);
  assert.ok(wa > 3 && wa < 8);
});
