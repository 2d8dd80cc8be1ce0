/**
 * The read path as pure steps, RocksDB's DBImpl::GetImpl and Version::Get without
 * I/O: memtables, then L0 files newest first, then one file per level, folding
 * versions until a base resolves the key. The DB drives the same steps with
 * simulated reads in between; `getFromTree` is that sequence in one synchronous
 * function, the reference for the DB and for tests. It reports each block a real
 * store would read, in order, to an optional sink.
 */
import { EntryOut } from './format.ts';
import type { Memtable } from './memtable.ts';
import type { MergeAccumulator } from './merge.ts';
import type { SstFile } from './sst.ts';
import type { Version } from './version.ts';

export const READ_FILTER = 0;
export const READ_INDEX = 1;
export const READ_DATA = 2;

/** Told of every block the lookup would read: file, local block number, and READ_*. */
export interface BlockReadSink {
  read(file: SstFile, localBlock: number, kind: number): void;
}

const scratch = new EntryOut();

/**
 * Looks key up in one file, feeding a found entry to acc. Returns true when acc is
 * resolved. Reads: filter partition, then (if the filter passes) index partition
 * and data block.
 */
export function getFromFile(file: SstFile, key: number, acc: MergeAccumulator, sink?: BlockReadSink): boolean {
  const block = file.findBlock(key);
  if (block < 0) return false; // outside [smallest, largest]: no read at all
  const filterBlock = file.filterBlockOf(block);
  if (filterBlock >= 0) {
    sink?.read(file, filterBlock, READ_FILTER);
    if (!file.mayContain(key)) return false;
  }
  sink?.read(file, file.indexBlockOf(block), READ_INDEX);
  sink?.read(file, block, READ_DATA);
  const i = file.findInBlock(block, key);
  if (i < 0) return false; // a false positive of the filter
  return acc.add(file.seqs[i]!, file.types[i]!, file.sizes[i]!, file.tokens[i]!);
}

/**
 * Full lookup. memtables: the active one first, then immutable ones newest first.
 * True when the key has a value; acc then holds its size and token.
 */
export function getFromTree(key: number, memtables: readonly Memtable[], version: Version,
  acc: MergeAccumulator, sink?: BlockReadSink): boolean {
  acc.reset();
  for (const mem of memtables) {
    if (mem.get(key, scratch) && acc.add(scratch.seq, scratch.type, scratch.size, scratch.token)) return acc.found();
  }
  const l0 = version.levels[0]!;
  for (let i = 0; i < l0.length; i++) {
    if (getFromFile(l0[i]!, key, acc, sink)) return acc.found();
  }
  for (let level = 1; level < version.numLevels; level++) {
    const f = version.findFile(level, key);
    if (f >= 0 && getFromFile(version.levels[level]![f]!, key, acc, sink)) return acc.found();
  }
  return acc.found();
}
