/**
 * Versions and the compaction picker, after LevelDB's version_set and RocksDB's
 * LevelCompactionPicker. A Version is an immutable list of files per level
 * (L0 overlapping, newest first; L1.. non-overlapping, sorted by key), so a read
 * that waits for I/O keeps a consistent view while flushes and compactions install
 * new versions. The VersionSet holds the current version, the compaction cursors,
 * the files under compaction and the write statistics.
 */
import { levelTargetBytes, type StoreOptions } from './options.ts';
import type { SstBuilder, SstFile } from './sst.ts';

/** A file and the level it sits in. */
export interface LevelFile {
  level: number;
  file: SstFile;
}

/** A change between versions: files removed (by number) and files added. */
export interface VersionEdit {
  deleted: { level: number; fileNumber: number }[];
  added: LevelFile[];
}

export class Version {
  readonly levels: readonly (readonly SstFile[])[];
  /** Bytes of each level's files. */
  readonly levelBytes: Float64Array;
  /** Largest and smallest key of each file of levels ≥ 1, for binary search. */
  private readonly largest: Float64Array[];
  private readonly smallest: Float64Array[];

  /** L0 is ordered newest first (by max sequence); other levels are sorted by key and checked for overlap. */
  constructor(levels: readonly (readonly SstFile[])[]) {
    const sorted: SstFile[][] = [];
    this.levelBytes = new Float64Array(levels.length);
    this.largest = [];
    this.smallest = [];
    for (let l = 0; l < levels.length; l++) {
      const files = levels[l]!.slice();
      if (l === 0) files.sort((a, b) => b.maxSeq - a.maxSeq || b.fileNumber - a.fileNumber);
      else {
        files.sort((a, b) => a.smallest - b.smallest);
        for (let i = 1; i < files.length; i++) {
          if (files[i]!.smallest <= files[i - 1]!.largest) {
            throw new Error(`version: L${l} files ${files[i - 1]!.fileNumber} [${files[i - 1]!.smallest}, ${files[i - 1]!.largest}] `
              + `and ${files[i]!.fileNumber} [${files[i]!.smallest}, ${files[i]!.largest}] overlap`);
          }
        }
      }
      let bytes = 0;
      const largest = new Float64Array(files.length);
      const smallest = new Float64Array(files.length);
      for (let i = 0; i < files.length; i++) {
        bytes += files[i]!.fileSize;
        largest[i] = files[i]!.largest;
        smallest[i] = files[i]!.smallest;
      }
      this.levelBytes[l] = bytes;
      this.largest.push(largest);
      this.smallest.push(smallest);
      sorted.push(files);
    }
    this.levels = sorted;
  }

  static empty(numLevels: number): Version {
    return new Version(Array.from({ length: numLevels }, () => []));
  }

  get numLevels(): number { return this.levels.length; }

  fileCount(level: number): number { return this.levels[level]!.length; }

  totalBytes(): number {
    let sum = 0;
    for (const b of this.levelBytes) sum += b;
    return sum;
  }

  /** Every file, L0 first. */
  allFiles(): SstFile[] {
    return this.levels.flat();
  }

  /** Highest sequence number in any file (-1 when empty). */
  maxSeq(): number {
    let max = -1;
    for (const files of this.levels) for (const f of files) if (f.maxSeq > max) max = f.maxSeq;
    return max;
  }

  /** In a level ≥ 1: index of the file whose [smallest, largest] holds key, or -1. */
  findFile(level: number, key: number): number {
    const largest = this.largest[level]!;
    let lo = 0;
    let hi = largest.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (largest[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === largest.length || this.smallest[level]![lo]! > key) return -1;
    return lo;
  }

  /** Files of a level that meet the inclusive key range [lo, hi]. */
  overlapping(level: number, lo: number, hi: number): SstFile[] {
    const files = this.levels[level]!;
    if (level === 0) return files.filter((f) => f.overlaps(lo, hi));
    const largest = this.largest[level]!;
    let first = 0;
    let end = largest.length;
    while (first < end) {
      const mid = (first + end) >>> 1;
      if (largest[mid]! < lo) first = mid + 1;
      else end = mid;
    }
    const out: SstFile[] = [];
    for (let i = first; i < files.length && files[i]!.smallest <= hi; i++) out.push(files[i]!);
    return out;
  }

  /** Whether any file in levels (fromLevel, numLevels) meets [lo, hi]. */
  hasOverlapBelow(fromLevel: number, lo: number, hi: number): boolean {
    for (let l = fromLevel + 1; l < this.levels.length; l++) {
      if (l === 0 ? this.overlapping(0, lo, hi).length > 0 : this.findFirstOverlap(l, lo, hi)) return true;
    }
    return false;
  }

  private findFirstOverlap(level: number, lo: number, hi: number): boolean {
    const largest = this.largest[level]!;
    let first = 0;
    let end = largest.length;
    while (first < end) {
      const mid = (first + end) >>> 1;
      if (largest[mid]! < lo) first = mid + 1;
      else end = mid;
    }
    return first < largest.length && this.levels[level]![first]!.smallest <= hi;
  }

  /** The version after an edit. */
  apply(edit: VersionEdit): Version {
    const levels = this.levels.map((files) => files.slice());
    for (const d of edit.deleted) {
      const files = levels[d.level]!;
      const at = files.findIndex((f) => f.fileNumber === d.fileNumber);
      if (at < 0) throw new Error(`version edit: file ${d.fileNumber} is not in L${d.level}`);
      files.splice(at, 1);
    }
    for (const a of edit.added) levels[a.level]!.push(a.file);
    return new Version(levels);
  }

  /** Levels, file counts and bytes, for summaries. */
  summary(): { level: number; files: number; bytes: number }[] {
    return this.levels.map((files, level) => ({ level, files: files.length, bytes: this.levelBytes[level]! }));
  }
}

/** A picked compaction: inputs at `level`, overlapping files at `outputLevel`. */
export class Compaction {
  constructor(
    readonly level: number,
    readonly outputLevel: number,
    readonly inputs: readonly SstFile[],
    /** Files of the output level that overlap the inputs (they are rewritten too). */
    readonly outputInputs: readonly SstFile[],
    /** Smallest and largest key over all input files. */
    readonly smallest: number,
    readonly largest: number,
    /** No data below outputLevel overlaps: tombstones can be dropped. */
    readonly bottommost: boolean,
    /** One input file and nothing to merge with: moved by metadata, no I/O. */
    readonly trivialMove: boolean,
    /** The level's score when picked. */
    readonly score: number,
  ) {}

  /** Bytes the merge reads (0 for a trivial move). */
  get inputBytes(): number {
    if (this.trivialMove) return 0;
    let sum = 0;
    for (const f of this.inputs) sum += f.fileSize;
    for (const f of this.outputInputs) sum += f.fileSize;
    return sum;
  }

  allInputs(): SstFile[] {
    return [...this.inputs, ...this.outputInputs];
  }
}

/** Flush and compaction counters; write amplification = (flush + compaction bytes) / user bytes. */
export class LsmStats {
  flushes = 0;
  flushBytesWritten = 0;
  compactions = 0;
  trivialMoves = 0;
  compactionBytesRead = 0;
  compactionBytesWritten = 0;
  /** Compaction bytes written into each output level. */
  readonly compactionBytesByLevel: number[];

  constructor(numLevels: number) {
    this.compactionBytesByLevel = new Array<number>(numLevels).fill(0);
  }

  writeAmplification(userBytesWritten: number): number {
    return userBytesWritten > 0 ? (this.flushBytesWritten + this.compactionBytesWritten) / userBytesWritten : 0;
  }
}

export class VersionSet {
  current: Version;
  readonly stats: LsmStats;
  private nextFile: number;
  /** Per level, the largest key of the last file compacted out of it (RocksDB's compaction cursor). */
  private readonly cursor: Float64Array;
  private readonly busy = new Set<number>();
  private readonly running = new Set<Compaction>();

  constructor(readonly options: StoreOptions, initial: Version = Version.empty(options.numLevels)) {
    if (initial.numLevels !== options.numLevels) {
      throw new RangeError(`version set: version has ${initial.numLevels} levels, options say ${options.numLevels}`);
    }
    this.current = initial;
    this.stats = new LsmStats(options.numLevels);
    let maxFile = 0;
    for (const f of initial.allFiles()) maxFile = Math.max(maxFile, f.fileNumber);
    this.nextFile = maxFile + 1;
    this.cursor = new Float64Array(options.numLevels).fill(-1);
  }

  newFileNumber(): number { return this.nextFile++; }

  /** Makes sure new file numbers stay above n (after adopting files numbered elsewhere). */
  markFileNumberUsed(n: number): void {
    if (n >= this.nextFile) this.nextFile = n + 1;
  }

  /** Installs a flushed memtable as the newest L0 file. */
  addFlushedFile(file: SstFile): void {
    this.current = this.current.apply({ deleted: [], added: [{ level: 0, file }] });
    this.markFileNumberUsed(file.fileNumber);
    this.stats.flushes++;
    this.stats.flushBytesWritten += file.fileSize;
  }

  /** Compaction score of a level: L0 by file count, others by bytes over target; files under compaction excluded. */
  score(level: number): number {
    const o = this.options;
    if (level >= o.numLevels - 1) return 0;
    const files = this.current.levels[level]!;
    if (level === 0) {
      let n = 0;
      for (const f of files) if (!this.busy.has(f.fileNumber)) n++;
      return n / o.l0FileTrigger;
    }
    let bytes = 0;
    for (const f of files) if (!this.busy.has(f.fileNumber)) bytes += f.fileSize;
    return bytes / levelTargetBytes(o, level);
  }

  /** Whether any level has a score ≥ 1. */
  needsCompaction(): boolean {
    for (let l = 0; l < this.options.numLevels - 1; l++) if (this.score(l) >= 1) return true;
    return false;
  }

  /** The number of compactions running (picked and not yet installed or abandoned). */
  get runningCompactions(): number { return this.running.size; }

  isBeingCompacted(file: SstFile): boolean { return this.busy.has(file.fileNumber); }

  /**
   * The next compaction, RocksDB-style: levels by score, highest first, among those
   * ≥ 1; the first level that yields a compaction free of conflicts with running
   * ones wins. Its files are marked busy until install or abandon.
   */
  pickCompaction(): Compaction | null {
    const n = this.options.numLevels - 1;
    const order: { level: number; score: number }[] = [];
    for (let l = 0; l < n; l++) {
      const s = this.score(l);
      if (s >= 1) order.push({ level: l, score: s });
    }
    order.sort((a, b) => b.score - a.score || a.level - b.level);
    for (const { level, score } of order) {
      const c = level === 0 ? this.pickL0(score) : this.pickLevel(level, score);
      if (c) {
        for (const f of c.inputs) this.busy.add(f.fileNumber);
        for (const f of c.outputInputs) this.busy.add(f.fileNumber);
        this.running.add(c);
        return c;
      }
    }
    return null;
  }

  /**
   * Installs a compaction's result: inputs out, outputs (or, for a trivial move, the
   * input itself) in at the output level. Returns the files no longer in the version,
   * for the DB to delete.
   */
  installCompaction(c: Compaction, outputs: readonly SstFile[]): SstFile[] {
    if (!this.running.delete(c)) throw new Error('version set: compaction is not running');
    this.release(c);
    const edit: VersionEdit = { deleted: [], added: [] };
    for (const f of c.inputs) edit.deleted.push({ level: c.level, fileNumber: f.fileNumber });
    if (c.trivialMove) {
      for (const f of c.inputs) edit.added.push({ level: c.outputLevel, file: f });
      this.current = this.current.apply(edit);
      this.stats.trivialMoves++;
      return [];
    }
    for (const f of c.outputInputs) edit.deleted.push({ level: c.outputLevel, fileNumber: f.fileNumber });
    let written = 0;
    for (const f of outputs) {
      edit.added.push({ level: c.outputLevel, file: f });
      this.markFileNumberUsed(f.fileNumber);
      written += f.fileSize;
    }
    this.current = this.current.apply(edit);
    this.stats.compactions++;
    this.stats.compactionBytesRead += c.inputBytes;
    this.stats.compactionBytesWritten += written;
    this.stats.compactionBytesByLevel[c.outputLevel]! += written;
    return c.allInputs();
  }

  /** Gives up a picked compaction (its files become pickable again). */
  abandonCompaction(c: Compaction): void {
    if (this.running.delete(c)) this.release(c);
  }

  /** Replaces the current version wholesale (restore, rescale); nothing may be running. */
  install(version: Version): void {
    if (this.running.size > 0) throw new Error('version set: cannot replace the version while compactions run');
    this.current = version;
    for (const f of version.allFiles()) this.markFileNumberUsed(f.fileNumber);
  }

  private release(c: Compaction): void {
    for (const f of c.inputs) this.busy.delete(f.fileNumber);
    for (const f of c.outputInputs) this.busy.delete(f.fileNumber);
  }

  /** Whether a running compaction writes into level over a range meeting [lo, hi]. */
  private outputRangeTaken(level: number, lo: number, hi: number): boolean {
    for (const r of this.running) {
      if (r.outputLevel === level && r.smallest <= hi && r.largest >= lo) return true;
    }
    return false;
  }

  private anyBusy(files: readonly SstFile[]): boolean {
    for (const f of files) if (this.busy.has(f.fileNumber)) return true;
    return false;
  }

  /** L0 → L1: every L0 file and the L1 files they overlap. */
  private pickL0(score: number): Compaction | null {
    const v = this.current;
    const inputs = v.levels[0]!;
    if (inputs.length === 0 || this.anyBusy(inputs)) return null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const f of inputs) {
      if (f.smallest < lo) lo = f.smallest;
      if (f.largest > hi) hi = f.largest;
    }
    return this.build(0, inputs, lo, hi, score);
  }

  /** Ln → Ln+1: the next file after the level's cursor (wrapping), and its overlaps below. */
  private pickLevel(level: number, score: number): Compaction | null {
    const files = this.current.levels[level]!;
    if (files.length === 0) return null;
    const cursor = this.cursor[level]!;
    let start = files.findIndex((f) => f.smallest > cursor);
    if (start < 0) start = 0;
    for (let k = 0; k < files.length; k++) {
      const f = files[(start + k) % files.length]!;
      if (this.busy.has(f.fileNumber)) continue;
      const c = this.build(level, [f], f.smallest, f.largest, score);
      if (c) {
        this.cursor[level] = f.largest;
        return c;
      }
    }
    return null;
  }

  private build(level: number, inputs: readonly SstFile[], lo: number, hi: number, score: number): Compaction | null {
    const v = this.current;
    const out = level + 1;
    const below = v.overlapping(out, lo, hi);
    if (this.anyBusy(below) || this.outputRangeTaken(out, lo, hi)) return null;
    let smallest = lo;
    let largest = hi;
    for (const f of below) {
      if (f.smallest < smallest) smallest = f.smallest;
      if (f.largest > largest) largest = f.largest;
    }
    const bottommost = !v.hasOverlapBelow(out, smallest, largest);
    const trivial = inputs.length === 1 && below.length === 0;
    return new Compaction(level, out, inputs, below, smallest, largest, bottommost, trivial, score);
  }
}

/** How the files of a version lie against a key range [lo, hi) (ClipDB's first step). */
export interface RangeClassification {
  /** Entirely outside: drop. */
  outside: LevelFile[];
  /** Entirely inside: keep as they are. */
  inside: LevelFile[];
  /** Partly inside: range-delete or rewrite. */
  partial: LevelFile[];
}

export function classifyFiles(v: Version, lo: number, hi: number): RangeClassification {
  const result: RangeClassification = { outside: [], inside: [], partial: [] };
  v.levels.forEach((files, level) => {
    for (const file of files) {
      const lf = { level, file };
      if (file.largest < lo || file.smallest >= hi) result.outside.push(lf);
      else if (file.smallest >= lo && file.largest < hi) result.inside.push(lf);
      else result.partial.push(lf);
    }
  });
  return result;
}

/**
 * ClipDB by rewriting: the version restricted to [lo, hi), files outside dropped,
 * partial files rewritten to their part inside (new numbers from newFileNumber).
 */
export function clipVersion(v: Version, lo: number, hi: number, newFileNumber: () => number,
  builder?: SstBuilder): { version: Version; dropped: SstFile[]; rewritten: { from: SstFile; to: SstFile | null }[] } {
  const c = classifyFiles(v, lo, hi);
  const levels: SstFile[][] = v.levels.map(() => []);
  for (const { level, file } of c.inside) levels[level]!.push(file);
  const rewritten: { from: SstFile; to: SstFile | null }[] = [];
  for (const { level, file } of c.partial) {
    const to = file.clip(lo, hi, newFileNumber(), builder);
    if (to) levels[level]!.push(to);
    rewritten.push({ from: file, to });
  }
  return { version: new Version(levels), dropped: c.outside.map((lf) => lf.file), rewritten };
}

/**
 * IngestDB: several stores' files merged into one version by metadata. The stores
 * must hold disjoint key ranges; each L0 file goes to L0, each Ln file to Ln
 * (non-overlapping because the ranges are disjoint). `renumber` gives each file
 * its number in the new store (identity by default).
 */
export function ingestVersions(versions: readonly Version[], numLevels: number,
  renumber: (file: SstFile) => number = (f) => f.fileNumber): Version {
  const ranges: { lo: number; hi: number; at: number }[] = [];
  versions.forEach((v, at) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const f of v.allFiles()) {
      if (f.smallest < lo) lo = f.smallest;
      if (f.largest > hi) hi = f.largest;
    }
    if (lo <= hi) ranges.push({ lo, hi, at });
  });
  ranges.sort((a, b) => a.lo - b.lo);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.lo <= ranges[i - 1]!.hi) {
      throw new Error(`ingest: stores ${ranges[i - 1]!.at} and ${ranges[i]!.at} have overlapping key ranges`);
    }
  }
  const levels: SstFile[][] = Array.from({ length: numLevels }, () => []);
  const numbers = new Set<number>();
  for (const v of versions) {
    if (v.numLevels > numLevels) throw new RangeError(`ingest: a store has ${v.numLevels} levels, more than ${numLevels}`);
    v.levels.forEach((files, level) => {
      for (const f of files) {
        const n = renumber(f);
        if (numbers.has(n)) throw new Error(`ingest: file number ${n} used twice (renumber the files)`);
        numbers.add(n);
        levels[level]!.push(n === f.fileNumber ? f : f.withFileNumber(n));
      }
    });
  }
  return new Version(levels);
}
