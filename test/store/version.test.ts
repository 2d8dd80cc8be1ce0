import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SstBuilder, type SstFile } from '../../sim/store/sst.ts';
import { storeOptions, type StoreOptions } from '../../sim/store/options.ts';
import { DELETE, PUT } from '../../sim/store/format.ts';
import { Version, VersionSet, classifyFiles, clipVersion, ingestVersions } from '../../sim/store/version.ts';
import { getFromTree } from '../../sim/store/lookup.ts';
import { MergeAccumulator } from '../../sim/store/merge.ts';

const opts = storeOptions({ levelBase: 100_000, levelMultiplier: 10, l0FileTrigger: 4, numLevels: 4, targetFileSize: 30_000 });

let seq = 0;
/** A file of keys lo, lo+step, ... < hi, values of `size` bytes. */
function file(o: StoreOptions, n: number, lo: number, hi: number, step = 1, size = 100, type = PUT): SstFile {
  const b = new SstBuilder(o);
  for (let k = lo; k < hi; k += step) b.add(k, ++seq, type, size, k);
  return b.finish(n);
}

test('L0 scores by file count and compacts all of L0 with the overlapping L1 files', () => {
  const l1 = [file(opts, 1, 0, 100), file(opts, 2, 200, 300), file(opts, 3, 400, 500)];
  const vs = new VersionSet(opts, new Version([[], l1, [], []]));
  for (let i = 0; i < 3; i++) vs.addFlushedFile(file(opts, vs.newFileNumber(), 150 + i, 250, 3));
  assert.equal(vs.score(0), 0.75);
  assert.equal(vs.pickCompaction(), null, 'below the trigger');
  vs.addFlushedFile(file(opts, vs.newFileNumber(), 120, 260, 5));
  assert.equal(vs.score(0), 1);
  assert.equal(vs.current.levels[0]![0]!.smallest, 120, 'L0 newest first');
  const c = vs.pickCompaction()!;
  assert.equal(c.level, 0);
  assert.equal(c.outputLevel, 1);
  assert.equal(c.inputs.length, 4);
  assert.deepEqual(c.outputInputs.map((f) => f.fileNumber), [2], 'only the L1 file meeting [120, 259]');
  assert.equal(c.trivialMove, false);
  assert.equal(c.bottommost, true, 'nothing below L1');
  assert.equal(vs.score(0), 0, 'files under compaction do not count');
  assert.equal(vs.pickCompaction(), null);
  const dropped = vs.installCompaction(c, [file(opts, vs.newFileNumber(), 120, 300)]);
  assert.equal(dropped.length, 5);
  assert.equal(vs.current.fileCount(0), 0);
  assert.deepEqual(vs.current.levels[1]!.map((f) => f.smallest), [0, 120, 400]);
  assert.equal(vs.stats.flushes, 4);
  assert.equal(vs.stats.compactions, 1);
  assert.equal(vs.stats.compactionBytesRead, c.inputBytes);
});

test('Ln compacts one file at a time, round-robin by key, with its overlaps below', () => {
  // L1: 6 files of ~25 KB each (150 KB > 100 KB target); L2: files under some of them.
  const l1 = Array.from({ length: 6 }, (_, i) => file(opts, 10 + i, i * 1000, i * 1000 + 200));
  const l2 = [file(opts, 20, 50, 1100, 10), file(opts, 21, 3000, 3100)];
  const vs = new VersionSet(opts, new Version([[], l1, l2, []]));
  assert.ok(vs.score(1) > 1.4 && vs.score(1) < 1.6, `score ${vs.score(1)}`);
  const picked: number[] = [];
  for (let i = 0; i < 8; i++) {
    const c = vs.pickCompaction()!;
    assert.equal(c.level, 1);
    assert.equal(c.inputs.length, 1);
    picked.push(c.inputs[0]!.fileNumber);
    const f = c.inputs[0]!;
    const want = l2.filter((g) => g.overlaps(f.smallest, f.largest)).map((g) => g.fileNumber);
    assert.deepEqual(c.outputInputs.map((g) => g.fileNumber), want);
    assert.equal(c.trivialMove, want.length === 0);
    vs.abandonCompaction(c);
  }
  assert.deepEqual(picked, [10, 11, 12, 13, 14, 15, 10, 11], 'the cursor walks the level and wraps');
});

test('concurrent picks never share files or output ranges', () => {
  const l1 = Array.from({ length: 6 }, (_, i) => file(opts, 10 + i, i * 1000, i * 1000 + 200));
  const l2 = [file(opts, 20, 0, 2500, 10)]; // under files 10, 11, 12
  const vs = new VersionSet(opts, new Version([[], l1, l2, []]));
  const a = vs.pickCompaction()!;
  assert.deepEqual([a.inputs[0]!.fileNumber, a.outputInputs[0]!.fileNumber], [10, 20]);
  const b = vs.pickCompaction()!;
  assert.equal(b.inputs[0]!.fileNumber, 13, 'files 11 and 12 would need the busy L2 file');
  assert.ok(vs.isBeingCompacted(l2[0]!));
  assert.equal(vs.runningCompactions, 2);
  vs.installCompaction(b, []);
  assert.throws(() => vs.installCompaction(b, []), /not running/);
});

test('trivial move, bottommost and its tombstones', () => {
  const vs = new VersionSet(opts, new Version([[], [], [], [file(opts, 5, 0, 10)]]));
  vs.addFlushedFile(file(opts, 6, 100, 200));
  for (let i = 0; i < 3; i++) vs.addFlushedFile(file(opts, 7 + i, 5, 8));
  const c = vs.pickCompaction()!;
  assert.equal(c.trivialMove, false);
  assert.equal(c.bottommost, false, 'L3 holds keys in [5, 199]');
  vs.abandonCompaction(c);

  // The output level's file widens the compaction past its input; deeper data under
  // that wider range keeps it from being bottommost (its tombstones still matter).
  const small = storeOptions({ ...opts, levelBase: 1000 });
  const wide = new VersionSet(small, new Version([[], [file(small, 1, 100, 111)], [file(small, 2, 50, 200, 10)], [file(small, 3, 10, 61)]]));
  const w = wide.pickCompaction()!;
  assert.deepEqual([w.level, w.smallest, w.largest], [1, 50, 190]);
  assert.equal(w.bottommost, false);

  const solo = new VersionSet(opts, new Version([[], [file(opts, 1, 0, 2000, 1, 100)], [file(opts, 2, 5000, 6000)], []]));
  const m = solo.pickCompaction()!;
  assert.equal(m.trivialMove, true);
  assert.equal(m.inputBytes, 0);
  assert.deepEqual(solo.installCompaction(m, []), [], 'a move deletes nothing');
  assert.deepEqual(solo.current.levels[2]!.map((f) => f.fileNumber), [1, 2]);
  assert.equal(solo.stats.trivialMoves, 1);
  assert.equal(solo.stats.compactionBytesWritten, 0);
});

test('version lookups: findFile, overlapping, overlap checks', () => {
  const v = new Version([[], [file(opts, 1, 10, 20), file(opts, 2, 30, 40)], [], []]);
  assert.equal(v.findFile(1, 5), -1);
  assert.equal(v.findFile(1, 10), 0);
  assert.equal(v.findFile(1, 19), 0);
  assert.equal(v.findFile(1, 25), -1);
  assert.equal(v.findFile(1, 39), 1);
  assert.equal(v.findFile(1, 40), -1);
  assert.equal(v.findFile(2, 10), -1);
  assert.deepEqual(v.overlapping(1, 19, 30).map((f) => f.fileNumber), [1, 2]);
  assert.deepEqual(v.overlapping(1, 20, 29).map((f) => f.fileNumber), []);
  assert.throws(() => new Version([[], [file(opts, 3, 10, 20), file(opts, 4, 19, 30)]]), /overlap/);
  assert.equal(v.hasOverlapBelow(0, 0, 100), true);
  assert.equal(v.hasOverlapBelow(1, 0, 100), false);
});

test('ClipDB: classify files against [lo, hi) and rewrite the partial ones', () => {
  const v = new Version([[file(opts, 1, 0, 1000, 7)], [file(opts, 2, 0, 100), file(opts, 3, 200, 300), file(opts, 4, 400, 500)], [], []]);
  const c = classifyFiles(v, 200, 450);
  assert.deepEqual(c.outside.map((x) => x.file.fileNumber), [2]);
  assert.deepEqual(c.inside.map((x) => x.file.fileNumber), [3]);
  assert.deepEqual(c.partial.map((x) => [x.level, x.file.fileNumber]), [[0, 1], [1, 4]]);
  let next = 100;
  const r = clipVersion(v, 200, 450, () => next++);
  assert.deepEqual(r.dropped.map((f) => f.fileNumber), [2]);
  const acc = new MergeAccumulator();
  for (let k = 0; k < 1000; k++) {
    const inRange = k >= 200 && k < 450;
    const before = getFromTree(k, [], v, acc);
    const after = getFromTree(k, [], r.version, acc);
    assert.equal(after, inRange && before, `key ${k}`);
  }
  for (const f of r.version.allFiles()) assert.ok(f.smallest >= 200 && f.largest < 450);
});

test('IngestDB: disjoint stores merge by metadata, L0 to L0', () => {
  const a = new Version([[file(opts, 1, 0, 100)], [file(opts, 2, 0, 50)], [file(opts, 3, 50, 100)], []]);
  const b = new Version([[file(opts, 1, 1000, 1100)], [file(opts, 2, 1000, 1050), file(opts, 5, 1060, 1099)], [], []]);
  assert.throws(() => ingestVersions([a, b], 4), /used twice/);
  let next = 50;
  const renumbered = new Map<SstFile, number>();
  const v = ingestVersions([a, b], 4, (f) => { const n = next++; renumbered.set(f, n); return n; });
  assert.equal(v.fileCount(0), 2);
  assert.deepEqual(v.levels[1]!.map((f) => f.smallest), [0, 1000, 1060]);
  assert.equal(v.fileCount(2), 1);
  assert.equal(v.totalBytes(), a.totalBytes() + b.totalBytes());
  const acc = new MergeAccumulator();
  for (const k of [0, 49, 50, 99, 1000, 1099, 1055, 500]) {
    assert.equal(getFromTree(k, [], v, acc), getFromTree(k, [], a, acc) || getFromTree(k, [], b, acc));
  }
  const overlapping = new Version([[file(opts, 9, 90, 200)], [], [], []]);
  assert.throws(() => ingestVersions([a, overlapping], 4, () => next++), /overlapping key ranges/);
  const vs = new VersionSet(opts, v);
  assert.ok(vs.newFileNumber() > 54, 'new numbers above the ingested ones');
});

test('the reference get reports filter, index and data reads and skips files by range and filter', () => {
  const del = file(opts, 1, 100, 200, 1, 0, DELETE);
  const put = file(opts, 2, 0, 1000, 2);
  const v = new Version([[del], [put], [], []]);
  const reads: string[] = [];
  const sink = { read: (f: SstFile, block: number, kind: number) => reads.push(`${f.fileNumber}:${kind}:${block}`) };
  const acc = new MergeAccumulator();
  assert.equal(getFromTree(150, [], v, acc, sink), false, 'the tombstone shadows the put');
  assert.deepEqual(reads.map((r) => r.split(':')[1]), ['0', '1', '2']);
  reads.length = 0;
  assert.equal(getFromTree(500, [], v, acc, sink), true);
  assert.ok(reads.every((r) => r.startsWith('2:')), 'L0 file is outside [100, 199]: no reads');
  const b = put.findBlock(500);
  assert.deepEqual(reads, [`2:0:${put.filterBlockOf(b)}`, `2:1:${put.indexBlockOf(b)}`, `2:2:${b}`]);
});
