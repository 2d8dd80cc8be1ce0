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
    if (builder.estimatedFileSize >= options.targetFileSize) outputs.push(builder.finish(newFileNumber()));
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
  return mergeRuns(compactionRuns(c), options, c.bottommost, newFileNumber, builder);
}
