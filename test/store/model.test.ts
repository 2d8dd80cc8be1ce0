/**
 * The store's structures against a plain Map: random writes go through memtables,
 * flushes and (possibly overlapping) compactions, driven directly through the API;
 * every get and every scan must agree with the Map, whose merges use merge.ts's
 * combine on its own stored values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Memtable } from '../../sim/store/memtable.ts';
import { DELETE, MERGE, PUT } from '../../sim/store/format.ts';
import { MergeAccumulator, mergeToken } from '../../sim/store/merge.ts';
import { storeOptions, type StoreOptions } from '../../sim/store/options.ts';
import { VersionSet, type Compaction } from '../../sim/store/version.ts';
import { flushMemtable, mergeRuns, runCompaction } from '../../sim/store/compaction.ts';
import { SstBuilder } from '../../sim/store/sst.ts';
import { LevelRun, MergingIterator } from '../../sim/store/iterator.ts';
import type { SortedRun } from '../../sim/store/run.ts';
import { getFromTree } from '../../sim/store/lookup.ts';

type Op =
  | { t: 'put' | 'merge'; k: number; size: number; token: number }
  | { t: 'del'; k: number }
  | { t: 'switch' | 'flush' | 'pick' | 'install' }
  | { t: 'get'; k: number }
  | { t: 'scan'; from: number; count: number };

/** Mostly small keys (collisions), a few at the top of the 53-bit range. */
const KEYS = 40;
const keyOf = (i: number) => (i < 32 ? i * 3 : 2 ** 53 - 1 - (i - 32));
const keyArb = fc.nat(KEYS - 1).map(keyOf);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('put' as const), k: keyArb, size: fc.nat(60), token: fc.nat(0xffffffff) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('merge' as const), k: keyArb, size: fc.nat(60), token: fc.nat(0xffffffff) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), k: keyArb }) },
  { weight: 1, arbitrary: fc.constant({ t: 'switch' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'flush' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'pick' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'install' as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('get' as const), k: keyArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('scan' as const), from: keyArb, count: fc.integer({ min: 1, max: 50 }) }) },
);

type Value = { size: number; token: number };

/** The store under test: memtables, version set, pending compactions. */
class Tree {
  mem: Memtable;
  /** Immutable memtables, oldest first (flushed in that order, as RocksDB requires). */
  imm: Memtable[] = [];
  vs: VersionSet;
  pending: Compaction[] = [];
  seq = 0;
  builder: SstBuilder;
  acc = new MergeAccumulator();

  constructor(readonly o: StoreOptions) {
    this.mem = new Memtable(o.keyBytes, 4);
    this.vs = new VersionSet(o);
    this.builder = new SstBuilder(o);
  }

  write(type: number, k: number, size: number, token: number): void {
    this.mem.add(k, ++this.seq, type, size, token);
    if (this.mem.byteSize >= this.o.writeBufferSize) this.switch();
  }

  switch(): void {
    if (this.mem.entryCount === 0) return;
    this.imm.push(this.mem);
    this.mem = new Memtable(this.o.keyBytes, 4);
  }

  flush(): void {
    const m = this.imm.shift();
    if (!m) return;
    const f = flushMemtable(m, this.vs.newFileNumber(), this.o, this.builder);
    if (f) this.vs.addFlushedFile(f);
  }

  pick(): void {
    const c = this.vs.pickCompaction();
    if (c) this.pending.push(c);
  }

  install(): void {
    const c = this.pending.shift();
    if (!c) return;
    const outputs = c.trivialMove ? [] : runCompaction(c, this.o, () => this.vs.newFileNumber(), this.builder).outputs;
    this.vs.installCompaction(c, outputs);
  }

  get(k: number): Value | undefined {
    const memtables = [this.mem, ...this.imm.slice().reverse()];
    return getFromTree(k, memtables, this.vs.current, this.acc) ? { size: this.acc.size, token: this.acc.token } : undefined;
  }

  scan(from: number, count: number): [number, number, number][] {
    const v = this.vs.current;
    const runs: SortedRun[] = [this.mem.snapshot(from)];
    for (let i = this.imm.length - 1; i >= 0; i--) runs.push(this.imm[i]!.sortedRun());
    for (const f of v.levels[0]!) runs.push(f);
    for (let l = 1; l < v.numLevels; l++) runs.push(new LevelRun(v.levels[l]!));
    const it = new MergingIterator(runs);
    it.seek(from);
    const out: [number, number, number][] = [];
    while (it.valid && out.length < count) {
      const key = it.key();
      this.acc.reset();
      do { this.acc.add(it.seq(), it.type(), it.size(), it.token()); it.next(); } while (it.valid && it.key() === key);
      if (this.acc.found()) out.push([key, this.acc.size, this.acc.token]);
    }
    return out;
  }
}

function modelScan(model: Map<number, Value>, from: number, count: number): [number, number, number][] {
  return [...model.entries()].filter(([k]) => k >= from).sort((a, b) => a[0] - b[0]).slice(0, count)
    .map(([k, v]) => [k, v.size, v.token]);
}

function checkAll(tree: Tree, model: Map<number, Value>): void {
  for (let i = 0; i < KEYS; i++) {
    const k = keyOf(i);
    assert.deepEqual(tree.get(k), model.get(k), `get(${k})`);
  }
  assert.deepEqual(tree.scan(0, Infinity), modelScan(model, 0, Infinity), 'full scan');
}

const shapes: Partial<StoreOptions>[] = [
  // tiny everything: many flushes, levels, concurrent compactions
  { blockSize: 128, metadataBlockSize: 64, writeBufferSize: 600, targetFileSize: 400, l0FileTrigger: 2, levelBase: 900, levelMultiplier: 2, numLevels: 4 },
  // no bloom filter, one-entry blocks, deeper tree
  { blockSize: 1, metadataBlockSize: 1, bloomBitsPerKey: 0, writeBufferSize: 300, targetFileSize: 200, l0FileTrigger: 3, levelBase: 500, levelMultiplier: 3, numLevels: 5 },
];

test('random writes, flushes and compactions agree with a Map for get and scan', () => {
  let sequences = 0;
  let withCompactions = 0;
  let withMoves = 0;
  let deep = 0;
  fc.assert(fc.property(fc.nat(shapes.length - 1), fc.array(opArb, { minLength: 1, maxLength: 300, size: 'max' }), (shape, ops) => {
    sequences++;
    const tree = new Tree(storeOptions(shapes[shape]));
    const model = new Map<number, Value>();
    for (const op of ops) {
      switch (op.t) {
        case 'put':
          tree.write(PUT, op.k, op.size, op.token);
          model.set(op.k, { size: op.size, token: op.token });
          break;
        case 'merge': {
          tree.write(MERGE, op.k, op.size, op.token);
          const old = model.get(op.k) ?? { size: 0, token: 0 };
          model.set(op.k, { size: old.size + op.size, token: mergeToken(old.token, op.size, op.token) });
          break;
        }
        case 'del':
          tree.write(DELETE, op.k, 0, 0);
          model.delete(op.k);
          break;
        case 'switch': tree.switch(); break;
        case 'flush': tree.flush(); break;
        case 'pick': tree.pick(); break;
        case 'install': tree.install(); break;
        case 'get':
          assert.deepEqual(tree.get(op.k), model.get(op.k), `get(${op.k})`);
          break;
        case 'scan':
          assert.deepEqual(tree.scan(op.from, op.count), modelScan(model, op.from, op.count), `scan(${op.from}, ${op.count})`);
          break;
      }
    }
    checkAll(tree, model);
    // Drain: every memtable flushed, every compaction run, until no level wants one.
    tree.switch();
    while (tree.imm.length > 0) tree.flush();
    while (tree.pending.length > 0) tree.install();
    for (;;) {
      tree.pick();
      if (tree.pending.length === 0) break;
      tree.install();
    }
    checkAll(tree, model);
    // Settled: every level below its trigger.
    assert.equal(tree.vs.needsCompaction(), false);
    const s = tree.vs.stats;
    if (s.compactions > 0) withCompactions++;
    if (s.trivialMoves > 0) withMoves++;
    if (tree.vs.current.levels.slice(2).some((files) => files.length > 0)) deep++;
  }), { numRuns: 600 });
  assert.ok(sequences >= 500);
  // The generator must reach the interesting shapes, not just memtables.
  assert.ok(withCompactions > sequences / 2, `${withCompactions} of ${sequences} sequences compacted`);
  assert.ok(withMoves > sequences / 10, `${withMoves} of ${sequences} sequences moved files`);
  assert.ok(deep > sequences / 4, `${deep} of ${sequences} sequences reached L2`);
  console.log(`${sequences} sequences: ${withCompactions} compacted, ${withMoves} moved files, ${deep} reached L2`);
});

test('compacting everything into the bottom level drops tombstones and resolves merges', () => {
  const o = storeOptions(shapes[0]);
  const tree = new Tree(o);
  for (let i = 0; i < 30; i++) tree.write(PUT, i, 10, i);
  for (let i = 0; i < 30; i += 2) tree.write(DELETE, i, 0, 0);
  for (let i = 1; i < 30; i += 3) tree.write(MERGE, i, 5, 1000 + i);
  for (let i = 100; i < 110; i++) tree.write(MERGE, i, 5, i); // operands with no base
  tree.switch();
  while (tree.imm.length > 0) tree.flush();
  // One manual full compaction: everything into the last level as bottommost.
  const v = tree.vs.current;
  const runs: SortedRun[] = [...v.levels[0]!];
  for (let l = 1; l < v.numLevels; l++) runs.push(new LevelRun(v.levels[l]!));
  const before = tree.scan(0, Infinity);
  let n = 1000;
  const { outputs, entriesIn, entriesOut } = mergeRuns(runs, o, true, () => n++);
  assert.ok(entriesIn > entriesOut);
  const bottom = outputs;
  let tombstones = 0;
  let merges = 0;
  for (const f of bottom) { tombstones += f.deletionCount; merges += f.mergeCount; }
  assert.equal(tombstones, 0);
  assert.equal(merges, 0);
  const keys = bottom.flatMap((f) => [...f.keys]);
  assert.deepEqual(keys, before.map((e) => e[0]));
  const tokens = bottom.flatMap((f) => [...f.tokens]);
  assert.deepEqual(tokens, before.map((e) => e[2]));
});
