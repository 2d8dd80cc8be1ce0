/**
 * Rescaling by key-group ranges (DESIGN §1.3), in simulated time.
 *
 * Scale up, ClipDB: a new instance takes the part [lo, hi) of a checkpoint. Files
 * outside the range are dropped by metadata, files inside are kept, and files
 * that straddle a boundary are rewritten to their part inside (RocksDB's
 * ClipColumnFamily: delete range, then compact the boundary files).
 *
 * Scale down, IngestDB: one instance takes several checkpoints of disjoint ranges.
 * Disaggregated, their files are merged into one version by metadata. Local
 * placement does what Flink 1.x does: the first part is downloaded and opened as
 * the base; every other part is downloaded and its live entries are re-inserted
 * through the write path.
 */
import type { Sim } from '../process.ts';
import type { IoContext } from '../local-cache.ts';
import { CHECKPOINT_TRANSFER_THREADS, transfer, type Checkpoint, type Db, type RestoreResult } from './db.ts';
import { PUT } from './format.ts';
import { LevelRun, MergingIterator } from './iterator.ts';
import { MergeAccumulator } from './merge.ts';
import type { SortedRun } from './run.ts';
import { SstBuilder, type SstFile } from './sst.ts';
import { Version, clipVersion, ingestVersions } from './version.ts';

export interface RescaleResult extends RestoreResult {
  /** Bytes rewritten (clipped boundary files) or re-inserted (local merge). */
  rewrittenBytes: number;
  droppedFiles: number;
}

/** ClipDB: opens `db` (new, empty) on the key range [lo, hi) of a checkpoint. */
export function* openClipped(db: Db, cp: Checkpoint, lo: number, hi: number): Sim<RescaleResult> {
  const { scheduler, fs } = db.env;
  const start = scheduler.now;
  const builder = new SstBuilder(db.options);
  let next = maxFileNumber(cp.version) + 1;
  const clipped = clipVersion(cp.version, lo, hi, () => next++, builder);
  const io: IoContext = { cpuPendingUs: 0, background: true };
  let rewrittenBytes = 0;
  const local = fs.placement === 'local';
  const downloaded = new Set<number>();
  const written = new Set<number>();
  let downloadedBytes = 0;
  if (local) {
    // Flink 1.x downloads every file of the overlapping state handle first.
    const needed = cp.version.allFiles().filter((f) => f.largest >= lo && f.smallest < hi);
    for (const f of needed) { downloadedBytes += f.fileSize; downloaded.add(f.fileNumber); }
    yield* transfer(scheduler, needed, CHECKPOINT_TRANSFER_THREADS, (now, f) => fs.download(now, f));
  }
  // Boundary files: read whole, merge CPU, write the part inside.
  for (const { from, to } of clipped.rewritten) {
    for (let off = 0; off < from.fileSize; off += db.options.compactionReadahead) {
      yield* fs.readRange(io, from, off, Math.min(db.options.compactionReadahead, from.fileSize - off));
    }
    if (to) {
      io.cpuPendingUs += (to.fileSize / 1024) * db.env.cpu.costs.compactionPerKiBUs;
      yield* fs.writeFile(io, to);
      rewrittenBytes += to.fileSize;
      written.add(to.fileNumber);
    }
  }
  const opened = yield* db.openFrom(clipped.version, cp.lastSequence, { downloaded, registered: written });
  return {
    ...opened, durationUs: scheduler.now - start, downloadedBytes: downloadedBytes + opened.downloadedBytes,
    rewrittenBytes, droppedFiles: clipped.dropped.length,
  };
}

/** IngestDB: opens `db` (new, empty) on several checkpoints holding disjoint key ranges. */
export function* openMerged(db: Db, parts: readonly Checkpoint[]): Sim<RescaleResult> {
  const { scheduler, fs } = db.env;
  const start = scheduler.now;
  let next = 1;
  const renumbered = new Map<SstFile, number>();
  for (const cp of parts) for (const f of cp.version.allFiles()) renumbered.set(f, next++);
  const lastSequence = Math.max(...parts.map((p) => p.lastSequence));
  if (fs.placement === 'disaggregated') {
    const version = ingestVersions(parts.map((p) => p.version), db.options.numLevels, (f) => renumbered.get(f)!);
    const opened = yield* db.openFrom(version, lastSequence);
    return { ...opened, durationUs: scheduler.now - start, rewrittenBytes: 0, droppedFiles: 0 };
  }
  // Local (Flink 1.x): the first part is the base; the others are re-inserted key by key.
  const base = ingestVersions([parts[0]!.version], db.options.numLevels, (f) => renumbered.get(f)!);
  const opened = yield* db.openFrom(base, lastSequence);
  let downloadedBytes = opened.downloadedBytes;
  let rewrittenBytes = 0;
  const io: IoContext = { cpuPendingUs: 0, background: false };
  for (const cp of parts.slice(1)) {
    const files = cp.version.allFiles();
    for (const f of files) downloadedBytes += f.fileSize;
    yield* transfer(scheduler, files, CHECKPOINT_TRANSFER_THREADS, (now, f) => fs.download(now, f));
    const runs: SortedRun[] = [...cp.version.levels[0]!];
    for (let level = 1; level < cp.version.numLevels; level++) {
      if (cp.version.levels[level]!.length > 0) runs.push(new LevelRun(cp.version.levels[level]!));
    }
    const it = new MergingIterator(runs);
    const acc = new MergeAccumulator();
    it.seekToFirst();
    let n = 0;
    while (it.valid) {
      const key = it.key();
      acc.reset();
      do { acc.add(it.seq(), it.type(), it.size(), it.token()); it.next(); } while (it.valid && it.key() === key);
      if (!acc.found()) continue;
      // Reading the entry back from the downloaded file costs a decode; writing it, a memtable insert.
      io.cpuPendingUs += db.env.cpu.costs.blockDecodePerKiBUs * (acc.size / 1024);
      yield* db.write(io, PUT, key, acc.size, acc.token);
      rewrittenBytes += acc.size;
      if (++n % 1024 === 0) yield* fs.chargeCpu(io);
    }
    yield* fs.chargeCpu(io);
  }
  return {
    durationUs: scheduler.now - start, downloadedBytes, files: db.current.allFiles().length,
    bytes: db.current.totalBytes(), rewrittenBytes, droppedFiles: 0,
  };
}

function maxFileNumber(v: Version): number {
  let max = 0;
  for (const f of v.allFiles()) if (f.fileNumber > max) max = f.fileNumber;
  return max;
}
