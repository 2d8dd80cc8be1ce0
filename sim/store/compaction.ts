/**
 * Flush and compaction as data transformations (RocksDB's FlushJob and
 * CompactionJob without the I/O): the DB decides when, charges the reads and
 * writes, and installs the result in the VersionSet.
 */
import { DELETE, MERGE, PUT } from './format.ts';
import { LevelRun, MergingIterator } from './iterator.ts';
import { ACC_OPERANDS, MergeAccumulator } from './merge.ts';
import type { Memtable } from './memtable.ts';
import type { StoreOptions } from './options.ts';
import type { SortedRun } from './run.ts';
import { SstBuilder, type SstFile } from './sst.ts';
import type { Compaction } from './version.ts';

/** The memtable as one L0 file, every entry kept (tombstones must still shadow older data). */
export function flushMemtable(mem: Memtable, fileNumber: number, options: StoreOptions,
  builder = new SstBuilder(options)): SstFile | null {
  const run = mem.sortedRun();
  if (run.length === 0) return null;
  builder.reset();
  for (let i = 0; i < run.length; i++) {
    builder.add(run.keyAt(i), run.seqAt(i), run.typeAt(i), run.sizeAt(i), run.tokenAt(i));
  }
  return builder.finish(fileNumber);
}

export interface MergeResult {
  outputs: SstFile[];
  entriesIn: number;
  entriesOut: number;
}

/**
 * Merges sorted runs into new files cut at targetFileSize. Per key, versions are
 * folded newest first (by sequence): a PUT or DELETE base ends the key with one
 * resolved entry; operands with no base stay one combined MERGE. At the bottommost
 * level nothing older exists, so tombstones vanish and a base-less MERGE becomes
 * a PUT onto the empty value.
 */
export function mergeRuns(runs: readonly SortedRun[], options: StoreOptions, bottommost: boolean,
  newFileNumber: () => number, builder = new SstBuilder(options)): MergeResult {
  const it = new MergingIterator(runs);
  const acc = new MergeAccumulator();
  const outputs: SstFile[] = [];
  let entriesIn = 0;
  let entriesOut = 0;
  builder.reset();
  it.seekToFirst();
  while (it.valid) {
    const key = it.key();
    acc.reset();
    do {
      entriesIn++;
      acc.add(it.seq(), it.type(), it.size(), it.token());
      it.next();
    } while (it.valid && it.key() === key);
    let type = acc.type;
    if (acc.state === ACC_OPERANDS) type = bottommost ? PUT : MERGE;
    if (type === DELETE && bottommost) continue;
    builder.add(key, acc.seq, type, acc.size, acc.token);
    entriesOut++;
    if (builder.reachedSize(options.targetFileSize)) outputs.push(builder.finish(newFileNumber()));
  }
  if (builder.entryCount > 0) outputs.push(builder.finish(newFileNumber()));
  return { outputs, entriesIn, entriesOut };
}

/** The runs a compaction reads: each L0 file alone (they overlap), each other level as one run. */
export function compactionRuns(c: Compaction): SortedRun[] {
  const runs: SortedRun[] = [];
  if (c.level === 0) for (const f of c.inputs) runs.push(f);
  else if (c.inputs.length > 0) runs.push(new LevelRun(c.inputs));
  if (c.outputInputs.length > 0) runs.push(new LevelRun(c.outputInputs));
  return runs;
}

/** Runs a picked (non-trivial) compaction's merge. */
export function runCompaction(c: Compaction, options: StoreOptions, newFileNumber: () => number,
  builder = new SstBuilder(options)): MergeResult {
  // The same runs as compactionRuns(c), as lists of files for the direct merge.
  const runs: SstFile[][] = [];
  if (c.level === 0) for (const f of c.inputs) runs.push([f]);
  else if (c.inputs.length > 0) runs.push([...c.inputs]);
  if (c.outputInputs.length > 0) runs.push([...c.outputInputs]);
  return mergeFileRuns(runs, options, c.bottommost, newFileNumber, builder);
}

/**
 * mergeRuns for runs made of SST files (what compactions read): the same entries in
 * the same order, read straight from the files' arrays. Each run is a list of files
 * in key order; the heap orders runs by (key ascending, sequence descending, run
 * number), as MergingIterator does.
 */
export function mergeFileRuns(runs: readonly (readonly SstFile[])[], options: StoreOptions, bottommost: boolean,
  newFileNumber: () => number, builder = new SstBuilder(options)): MergeResult {
  const k = runs.length;
  const fileOf = new Int32Array(k);
  const pos = new Int32Array(k);
  const curKey = new Float64Array(k);
  const curSeq = new Float64Array(k);
  const heap = new Int32Array(k);
  const current: SstFile[] = [];
  let live = 0;
  const less = (a: number, b: number): boolean => {
    const ka = curKey[a]!;
    const kb = curKey[b]!;
    if (ka !== kb) return ka < kb;
    const sa = curSeq[a]!;
    const sb = curSeq[b]!;
    if (sa !== sb) return sa > sb;
    return a < b;
  };
  const siftDown = (i: number): void => {
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= live) break;
      if (child + 1 < live && less(heap[child + 1]!, heap[child]!)) child++;
      if (!less(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  };
  for (let r = 0; r < k; r++) {
    const first = runs[r]!.findIndex((f) => f.entryCount > 0);
    if (first < 0) { current.push(runs[r]![0]!); continue; }
    const f = runs[r]![first]!;
    current.push(f);
    fileOf[r] = first;
    pos[r] = 0;
    curKey[r] = f.keys[0]!;
    curSeq[r] = f.seqs[0]!;
    heap[live++] = r;
  }
  for (let i = (live >>> 1) - 1; i >= 0; i--) siftDown(i);

  const acc = new MergeAccumulator();
  const outputs: SstFile[] = [];
  let entriesIn = 0;
  let entriesOut = 0;
  builder.reset();
  while (live > 0) {
    const key = curKey[heap[0]!]!;
    acc.reset();
    do {
      // The entry under the heap's top, then its run steps on.
      const r = heap[0]!;
      const f = current[r]!;
      const p = pos[r]!;
      entriesIn++;
      acc.add(f.seqs[p]!, f.types[p]!, f.sizes[p]!, f.tokens[p]!);
      if (p + 1 < f.keys.length) {
        pos[r] = p + 1;
        curKey[r] = f.keys[p + 1]!;
        curSeq[r] = f.seqs[p + 1]!;
      } else {
        let next = fileOf[r]! + 1;
        const files = runs[r]!;
        while (next < files.length && files[next]!.entryCount === 0) next++;
        if (next < files.length) {
          const g = files[next]!;
          fileOf[r] = next;
          current[r] = g;
          pos[r] = 0;
          curKey[r] = g.keys[0]!;
          curSeq[r] = g.seqs[0]!;
        } else {
          heap[0] = heap[--live]!;
        }
      }
      if (live > 1) siftDown(0);
    } while (live > 0 && curKey[heap[0]!] === key);
    let type = acc.type;
    if (acc.state === ACC_OPERANDS) type = bottommost ? PUT : MERGE;
    if (type === DELETE && bottommost) continue;
    builder.add(key, acc.seq, type, acc.size, acc.token);
    entriesOut++;
    if (builder.reachedSize(options.targetFileSize)) outputs.push(builder.finish(newFileNumber()));
  }
  if (builder.entryCount > 0) outputs.push(builder.finish(newFileNumber()));
  return { outputs, entriesIn, entriesOut };
}
