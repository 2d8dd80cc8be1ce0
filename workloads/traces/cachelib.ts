/**
 * CacheLib cachebench trace replays, read as the replay generators of
 * cachelib/cachebench/workload/ read them: CSV whose first line is a header naming
 * the columns (found by name, in any order; columns it does not know are ignored).
 *
 * cachelib-kvcache (KVReplayGenerator; Meta's kvcache traces):
 *   op_time,key,key_size,op,op_count,size,cache_hits,ttl[,usecase,sub_usecase]
 *   or the older key,op,size,op_count,key_size[,ttl]
 *   key, op and size are required. op is GET, GET_LEASE, SET, SET_LEASE or DELETE;
 *   a line is op_count requests (default 1) of the object `key` (its bytes hashed to
 *   an id) with size `size`, the value bytes (as libCacheSim converts these traces).
 *   Gets and sets both become requests (replay looks up, and inserts on a miss);
 *   DELETE lines are skipped and counted, since a request batch cannot invalidate.
 *   A GET of size 0 (a miss whose size the trace does not know) is a request of size
 *   0, which replay skips.
 *
 * cachelib-block (BlockChunkReplayGenerator; Meta's block storage traces):
 *   op_time,block_id,block_id_size,io_size,io_offset,user_name,user_namespace,
 *   op_name,op_count,host_name,rs_shard_id
 *   block_id, op_name, io_offset and io_size are required. As in cachebench, a block
 *   (16 MiB) is cached as chunks (128 KiB): a line reads or writes the byte range
 *   [io_offset, io_offset + io_size) of block `<block_id>_<rs_shard_id:03d>` and is one
 *   request per chunk the range touches, id = the chunk's key `<block>-<chunk>` hashed,
 *   size = the chunk's bytes. op_name getChunkData.* reads (look up, insert on a miss,
 *   as cachebench's lookaside); putChunk.* writes (the chunks are inserted; replay
 *   counts them as requests too). Lines whose range ends past the block are skipped
 *   and counted, as cachebench counts them invalid; op_count is ignored, as cachebench
 *   does.
 *
 * Every line must have as many fields as the header (a trailing comma is allowed);
 * blank lines are skipped. Times are op_time as written (cachebench divides it by
 * timestampFactor to get seconds), 0 without the column.
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceBatch, TraceFormat, TraceReader } from './batch.ts';
import { FileChunks } from './file-chunks.ts';
import { idFromBytes } from './ids.ts';
import { parseNumberField, trimEnd, trimStart } from './text-lines.ts';

const COMMA = 44;

interface ColumnSpec {
  name: string;
  required: boolean;
}

/**
 * The streaming loop of the header-named CSV formats, where one line may stand for
 * several requests (op_count, chunks): a line is parsed into the reader's state and
 * its requests are emitted across as many batches as they need.
 */
abstract class HeaderCsvReader implements TraceReader {
  abstract readonly format: TraceFormat;
  readonly hasNextAccess = false;
  protected readonly file: FileChunks;
  protected lineNo = 0;
  private requests = 0;
  private headerSeen = false;
  /** Column index of each spec (-1: absent) and the field count of the header. */
  protected readonly col: Int32Array;
  private fields = 0;
  protected fieldStart = new Int32Array(0);
  protected fieldEnd = new Int32Array(0);
  /** Requests of the current line still to emit. */
  protected left = 0;

  constructor(readonly path: string, private readonly specs: readonly ColumnSpec[], private readonly what: string) {
    this.file = new FileChunks(path);
    this.col = new Int32Array(specs.length).fill(-1);
  }

  get totalBytes(): number { return this.file.totalBytes; }
  get bytesRead(): number { return this.file.consumed; }

  /** Parses a data line (fields in fieldStart/fieldEnd) into the reader's state; sets `left`. */
  protected abstract parseRow(buf: Buffer): void;
  /** Fills batch slots [i, i + k) with the next k requests of the current line (k <= left). */
  protected abstract emit(batch: TraceBatch, i: number, k: number): void;
  protected abstract emptyNote(): string;

  read(batch: TraceBatch): number {
    const f = this.file;
    let n = 0;
    while (n < batch.capacity) {
      if (this.left > 0) {
        const k = Math.min(this.left, batch.capacity - n);
        this.emit(batch, n, k);
        this.left -= k;
        n += k;
        continue;
      }
      if (!f.nextLine()) break;
      this.lineNo++;
      this.line(f.buf, f.lineStart, f.lineEnd);
    }
    this.requests += n;
    if (n === 0 && this.requests === 0) throw new InputError(`${this.path}: empty trace (no requests${this.emptyNote()})`);
    batch.n = n;
    return n;
  }

  private line(buf: Buffer, start: number, end: number): void {
    let blank = true;
    for (let k = start; k < end; k++) {
      const c = buf[k]!;
      if (c !== 32 && c !== 9) { blank = false; break; }
    }
    if (blank) return;
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.header(buf.toString('latin1', start, end));
      return;
    }
    const fs = this.fieldStart;
    const fe = this.fieldEnd;
    const max = fs.length;
    let count = 0;
    let s = start;
    for (let k = start; k < end; k++) {
      if (buf[k] === COMMA) {
        if (count < max) {
          fs[count] = s;
          fe[count] = k;
        }
        count++;
        s = k + 1;
      }
    }
    if (count < max) {
      fs[count] = s;
      fe[count] = end;
    }
    count++;
    const trailingComma = count === this.fields + 1 && fs[this.fields] === end;
    if (count !== this.fields && !trailingComma) {
      throw new InputError(`${this.path} line ${this.lineNo}: ${count} field${count === 1 ? '' : 's'}, expected ${this.fields} like the header`);
    }
    this.parseRow(buf);
  }

  private header(text: string): void {
    const names = text.split(',').map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
    let known = 0;
    names.forEach((name, i) => {
      const c = this.specs.findIndex((spec) => spec.name === name);
      if (c < 0) return;
      if (this.col[c] !== -1) throw new InputError(`${this.path} line ${this.lineNo}: column '${name}' appears twice in the header`);
      this.col[c] = i;
      known++;
    });
    const required = this.specs.filter((s) => s.required).map((s) => s.name);
    if (known === 0) {
      throw new InputError(`${this.path} line ${this.lineNo}: not a ${this.what} trace: the first line must be a header naming the columns (${required.join(', ')} at least)`);
    }
    const missing = this.specs.filter((s, c) => s.required && this.col[c] === -1).map((s) => s.name);
    if (missing.length > 0) throw new InputError(`${this.path} line ${this.lineNo}: the header has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'} (${this.what} needs ${required.join(', ')})`);
    this.fields = names.length;
    this.fieldStart = new Int32Array(this.fields + 2);
    this.fieldEnd = new Int32Array(this.fields + 2);
  }

  /** The field of column spec `c` without blanks and quotes: [s, e). */
  protected field(buf: Buffer, c: number): [number, number] {
    const k = this.col[c]!;
    const s = trimStart(buf, this.fieldStart[k]!, this.fieldEnd[k]!);
    return [s, trimEnd(buf, s, this.fieldEnd[k]!)];
  }

  /** A whole number >= min in column spec `c`. */
  protected integer(buf: Buffer, c: number, min: number): number {
    const [s, e] = this.field(buf, c);
    const v = parseNumberField(buf, s, e);
    if (Number.isNaN(v)) this.fail(this.specs[c]!.name, buf, s, e, 'is not a number');
    if (!Number.isSafeInteger(v) || v < min) this.fail(this.specs[c]!.name, buf, s, e, `is not a whole number >= ${min}`);
    return v;
  }

  protected fail(field: string, buf: Buffer, start: number, end: number, problem: string): never {
    let text = buf.toString('latin1', start, end);
    if (text.length > 40) text = `${text.slice(0, 37)}...`;
    throw new InputError(`${this.path} line ${this.lineNo}: ${field} '${text}' ${problem}`);
  }

  rewind(): void {
    this.file.rewind();
    this.lineNo = 0;
    this.requests = 0;
    this.left = 0;
    this.headerSeen = false;
    this.col.fill(-1);
  }

  close(): void {
    this.file.close();
  }
}

const KV_COLUMNS: readonly ColumnSpec[] = [
  { name: 'key', required: true },
  { name: 'op', required: true },
  { name: 'size', required: true },
  { name: 'op_count', required: false },
  { name: 'op_time', required: false },
];
const KV_KEY = 0;
const KV_OP = 1;
const KV_SIZE = 2;
const KV_COUNT = 3;
const KV_TIME = 4;

/** Op names: 1 for a request, 0 for DELETE (as bytes, so that a line builds no string). */
const KV_OPS: readonly [Buffer, number][] = [['GET', 1], ['SET', 1], ['GET_LEASE', 1], ['SET_LEASE', 1], ['DELETE', 0]]
  .map(([name, op]) => [Buffer.from(name as string, 'latin1'), op as number]);

/** The op of buf[s, e): 1 (a request), 0 (DELETE) or -1 (not an op name). */
function kvOp(buf: Buffer, s: number, e: number): number {
  for (const [name, op] of KV_OPS) {
    if (e - s !== name.length) continue;
    let k = 0;
    while (k < name.length && buf[s + k] === name[k]) k++;
    if (k === name.length) return op;
  }
  return -1;
}

export class CacheLibKvcacheReader extends HeaderCsvReader {
  readonly format = 'cachelib-kvcache' as const;
  /** DELETE lines skipped so far. */
  deletes = 0;
  private id = 0;
  private size = 0;
  private time = 0;

  constructor(path: string) {
    super(path, KV_COLUMNS, 'CacheLib kvcache');
  }

  protected parseRow(buf: Buffer): void {
    const [ks, ke] = this.field(buf, KV_KEY);
    if (ks === ke) this.fail('key', buf, ks, ke, 'is empty');
    const [os, oe] = this.field(buf, KV_OP);
    const op = kvOp(buf, os, oe);
    if (op < 0) this.fail('op', buf, os, oe, 'is not GET, GET_LEASE, SET, SET_LEASE or DELETE');
    const size = this.integer(buf, KV_SIZE, 0);
    const count = this.col[KV_COUNT] === -1 ? 1 : this.integer(buf, KV_COUNT, 1);
    let time = 0;
    if (this.col[KV_TIME] !== -1) {
      const [ts, te] = this.field(buf, KV_TIME);
      time = parseNumberField(buf, ts, te);
      if (Number.isNaN(time)) this.fail('op_time', buf, ts, te, 'is not a number');
    }
    if (op === 0) {
      this.deletes++;
      return;
    }
    this.id = idFromBytes(buf, ks, ke);
    this.size = size;
    this.time = time;
    this.left = count;
  }

  protected emit(batch: TraceBatch, i: number, k: number): void {
    if (k === 1) { // the common op_count
      batch.id[i] = this.id;
      batch.size[i] = this.size;
      batch.time[i] = this.time;
      return;
    }
    batch.id.fill(this.id, i, i + k);
    batch.size.fill(this.size, i, i + k);
    batch.time.fill(this.time, i, i + k);
  }

  protected emptyNote(): string {
    return this.deletes > 0 ? `; ${this.deletes} DELETE line${this.deletes === 1 ? '' : 's'} skipped` : '';
  }

  override rewind(): void {
    super.rewind();
    this.deletes = 0;
  }
}

const BLOCK_COLUMNS: readonly ColumnSpec[] = [
  { name: 'block_id', required: true },
  { name: 'op_name', required: true },
  { name: 'io_offset', required: true },
  { name: 'io_size', required: true },
  { name: 'op_time', required: false },
  { name: 'rs_shard_id', required: false },
];
const B_ID = 0;
const B_OP = 1;
const B_OFFSET = 2;
const B_SIZE = 3;
const B_TIME = 4;
const B_SHARD = 5;

/** cachebench's defaults (ReplayGeneratorConfig.blockSizeKB, chunkSizeKB). */
export const CACHELIB_BLOCK_BYTES = 16 * 1024 * 1024;
export const CACHELIB_CHUNK_BYTES = 128 * 1024;

function startsWith(buf: Buffer, s: number, e: number, prefix: string): boolean {
  if (e - s < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[s + k] !== prefix.charCodeAt(k)) return false;
  return true;
}

export class CacheLibBlockReader extends HeaderCsvReader {
  readonly format = 'cachelib-block' as const;
  /** Lines whose range ends past the block, skipped so far. */
  outOfBlock = 0;
  /** Read (getChunkData) and write (putChunk) lines so far. */
  reads = 0;
  writes = 0;
  /** The chunk key being built: `<block_id>[_<shard>]-`, then the chunk number. */
  private key = Buffer.alloc(320);
  private keyPrefix = 0;
  private piece = 0;
  private lastPiece = 0;
  private lastPieceBytes = 0;
  private time = 0;

  constructor(path: string, readonly blockBytes = CACHELIB_BLOCK_BYTES, readonly chunkBytes = CACHELIB_CHUNK_BYTES) {
    super(path, BLOCK_COLUMNS, 'CacheLib block');
  }

  protected parseRow(buf: Buffer): void {
    const [is, ie] = this.field(buf, B_ID);
    if (is === ie) this.fail('block_id', buf, is, ie, 'is empty');
    const [os, oe] = this.field(buf, B_OP);
    const read = startsWith(buf, os, oe, 'getChunkData');
    if (!read && !startsWith(buf, os, oe, 'putChunk')) this.fail('op_name', buf, os, oe, 'is not getChunkData.* or putChunk.*');
    const offset = this.integer(buf, B_OFFSET, 0);
    const size = this.integer(buf, B_SIZE, 1);
    let time = 0;
    if (this.col[B_TIME] !== -1) {
      const [ts, te] = this.field(buf, B_TIME);
      time = parseNumberField(buf, ts, te);
      if (Number.isNaN(time)) this.fail('op_time', buf, ts, te, 'is not a number');
    }
    const shard = this.col[B_SHARD] === -1 ? -1 : this.integer(buf, B_SHARD, 0);
    if (offset + size > this.blockBytes) {
      this.outOfBlock++;
      return;
    }
    if (read) this.reads++;
    else this.writes++;
    // The key: block id, then `_<shard:03d>`, then `-` and the chunk number.
    const idLen = ie - is;
    if (this.key.length < idLen + 64) this.key = Buffer.alloc(idLen + 64);
    buf.copy(this.key, 0, is, ie);
    let p = idLen;
    if (shard >= 0) p += this.key.write(`_${String(shard).padStart(3, '0')}`, p, 'latin1');
    this.key[p++] = 45; // '-'
    this.keyPrefix = p;
    // The chunks [offset, offset + size) touches; the last is cut at the end of the block.
    const chunk = this.chunkBytes;
    this.piece = Math.floor(offset / chunk);
    this.lastPiece = Math.floor((offset + size - 1) / chunk);
    this.lastPieceBytes = (Math.min((this.lastPiece + 1) * chunk - 1, this.blockBytes - 1) % chunk) + 1;
    this.time = time;
    this.left = this.lastPiece - this.piece + 1;
  }

  protected emit(batch: TraceBatch, i: number, k: number): void {
    for (let j = i; j < i + k; j++) {
      const piece = this.piece++;
      const len = this.keyPrefix + this.key.write(String(piece), this.keyPrefix, 'latin1');
      batch.id[j] = idFromBytes(this.key, 0, len);
      batch.size[j] = piece === this.lastPiece ? this.lastPieceBytes : this.chunkBytes;
      batch.time[j] = this.time;
    }
  }

  protected emptyNote(): string {
    return this.outOfBlock > 0 ? `; ${this.outOfBlock} line${this.outOfBlock === 1 ? '' : 's'} past the end of a ${this.blockBytes}-byte block skipped` : '';
  }

  override rewind(): void {
    super.rewind();
    this.outOfBlock = 0;
    this.reads = 0;
    this.writes = 0;
  }
}
