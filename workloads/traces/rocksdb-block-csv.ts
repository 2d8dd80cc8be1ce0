/**
 * RocksDB block-cache traces in their human-readable CSV form, as written by
 * block_cache_trace_analyzer `-human_readable_trace_file_path` (RocksDB's
 * BlockCacheHumanReadableTraceWriter): no header, one block-cache access per line,
 * 21 comma-separated fields
 *
 *   timestamp, block_id, block_type, block_size, cf_id, cf_name, level, fd, caller,
 *   no_insert, get_id, get_key_id, kv_size, is_hit, referenced_key_exist_in_block,
 *   num_keys_in_block, table_id, seq_number, block_key_size, referenced_key_size,
 *   block_offset_in_file
 *
 * all unsigned decimal integers except cf_name (the column family's name). timestamp
 * is the access time in microseconds; block_id is the analyzer's id of the block.
 * A request is id = block_id, size = block_size, time = timestamp. (RocksDB's Python
 * simulator block_cache_pysim.py charges block_size + block_key_size; this reader
 * keeps the block's own bytes.)
 *
 * no_insert = 1 marks a lookup whose block must not be inserted on a miss (e.g. a
 * read with fill_cache = false). A TraceBatch has no field for it, so the reader keeps
 * the flags of the last batch beside it in `noInsert` (hasNoInsert is true); the
 * replay looks such a block up and, on a miss, does not insert it (as RocksDB's cache
 * simulator, CacheSimulator::Access).
 *
 * Like RocksDB's own reader, every line must have exactly 21 fields; blank lines are
 * skipped, and so is a first line that is a header (its first field `timestamp`).
 */
import type { TraceBatch } from './batch.ts';
import { TextLineReader, parseIdField, parseNumberField } from './text-lines.ts';
import { InputError } from '../../sim/errors.ts';

export const ROCKSDB_BLOCK_COLUMNS = [
  'timestamp', 'block_id', 'block_type', 'block_size', 'cf_id', 'cf_name', 'level', 'fd', 'caller',
  'no_insert', 'get_id', 'get_key_id', 'kv_size', 'is_hit', 'referenced_key_exist_in_block',
  'num_keys_in_block', 'table_id', 'seq_number', 'block_key_size', 'referenced_key_size', 'block_offset_in_file',
] as const;

const FIELDS = ROCKSDB_BLOCK_COLUMNS.length; // 21
const CF_NAME = 5;
const NO_INSERT = 9;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;
const NL = 10;
const CR = 13;
/** Most digits the fast path takes for an id or a size (as parseIdField: exact below 2^53). */
const MAX_DIGITS = 15;

export class RocksDbBlockCsvReader extends TextLineReader {
  readonly format = 'rocksdb-block-csv' as const;
  readonly hasNextAccess = false;
  readonly hasNoInsert = true;
  /** no_insert of each request of the last batch (1: look up only, do not insert on a miss). */
  noInsert = new Uint8Array(0);
  /** Requests with no_insert = 1 so far. */
  noInsertRequests = 0;
  private readonly fieldStart = new Int32Array(FIELDS + 1);
  private readonly fieldEnd = new Int32Array(FIELDS + 1);

  override read(batch: TraceBatch): number {
    if (this.noInsert.length < batch.capacity) this.noInsert = new Uint8Array(batch.capacity);
    return super.read(batch);
  }

  override rewind(): void {
    super.rewind();
    this.noInsertRequests = 0;
  }

  /**
   * Lines of 21 fields, every one but cf_name of plain digits, read in one pass over
   * the chunk (a line of about 100 bytes: this reader's time went in splitting it,
   * checking each field's digits, then parsing three of them). The timestamp may take
   * 16 digits (microseconds since 1970) as long as it stays an exact integer; id and
   * size 15. Any other line — a header, a blank, an empty or odd field, a line the
   * chunk cuts — goes to parseLine, which reads it the same way or names the error.
   */
  protected override readFast(batch: TraceBatch, n: number): number {
    if (this.lineNo === 0) return n; // the first line may be a header
    const f = this.file;
    const buf = f.buf;
    const end = f.end;
    const noInsert = this.noInsert;
    let line = f.start;
    while (n < batch.capacity) {
      let p = line;
      let field = 0;
      let value = 0;
      let digits = 0;
      let time = 0;
      let id = 0;
      let size = 0;
      let flag = 0;
      for (;;) {
        if (p >= end) return this.stopFast(line, n);
        const c = buf[p]!;
        if (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          digits++;
        } else if (c === COMMA || c === NL || (c === CR && p + 1 < end && buf[p + 1] === NL)) {
          if (field !== CF_NAME) {
            if (digits === 0) return this.stopFast(line, n);
            if (field === 0) {
              if (value > Number.MAX_SAFE_INTEGER) return this.stopFast(line, n);
              time = value;
            } else if (field === 1 || field === 3) {
              if (digits > MAX_DIGITS) return this.stopFast(line, n);
              if (field === 1) id = value;
              else size = value;
            } else if (field === NO_INSERT) {
              if (digits !== 1 || value > 1) return this.stopFast(line, n);
              flag = value;
            }
          }
          if (c === COMMA) {
            if (++field >= FIELDS) return this.stopFast(line, n);
            value = 0;
            digits = 0;
          } else {
            if (field !== FIELDS - 1) return this.stopFast(line, n);
            p += c === CR ? 2 : 1;
            break;
          }
        } else if (field !== CF_NAME) {
          return this.stopFast(line, n);
        }
        p++;
      }
      batch.time[n] = time;
      batch.id[n] = id;
      batch.size[n] = size;
      noInsert[n] = flag;
      this.noInsertRequests += flag;
      n++;
      this.lineNo++;
      line = p;
    }
    return this.stopFast(line, n);
  }

  protected parseLine(buf: Buffer, start: number, end: number, batch: TraceBatch, i: number): boolean {
    let blank = true;
    for (let k = start; k < end; k++) {
      const c = buf[k]!;
      if (c !== 32 && c !== 9) { blank = false; break; }
    }
    if (blank) return false;
    const fs = this.fieldStart;
    const fe = this.fieldEnd;
    let count = 0;
    let s = start;
    for (let k = start; k < end; k++) {
      if (buf[k] === COMMA) {
        if (count < FIELDS) {
          fs[count] = s;
          fe[count] = k;
        }
        count++;
        s = k + 1;
      }
    }
    if (count < FIELDS) {
      fs[count] = s;
      fe[count] = end;
    }
    count++;
    if (this.lineNo === 1 && /^\s*(access_)?timestamp\s*$/i.test(buf.toString('latin1', fs[0]!, fe[0]!))) return false; // a header
    if (count !== FIELDS) {
      throw new InputError(`${this.path} line ${this.lineNo}: ${count} field${count === 1 ? '' : 's'}, expected ${FIELDS} (RocksDB's human-readable block-cache trace)`);
    }
    // Every field but cf_name is an unsigned decimal integer.
    for (let f = 0; f < FIELDS; f++) {
      if (f === CF_NAME) continue;
      const a = fs[f]!;
      const b = fe[f]!;
      if (a === b) this.fail(ROCKSDB_BLOCK_COLUMNS[f]!, buf, a, b, 'is empty');
      for (let k = a; k < b; k++) {
        const c = buf[k]!;
        if (c < ZERO || c > NINE) this.fail(ROCKSDB_BLOCK_COLUMNS[f]!, buf, a, b, 'is not an unsigned integer');
      }
    }
    const time = parseNumberField(buf, fs[0]!, fe[0]!);
    const id = parseIdField(buf, fs[1]!, fe[1]!);
    const size = parseNumberField(buf, fs[3]!, fe[3]!);
    if (!Number.isSafeInteger(size)) this.fail('block_size', buf, fs[3]!, fe[3]!, 'is too large');
    const a = fs[NO_INSERT]!;
    const b = fe[NO_INSERT]!;
    if (b - a !== 1 || buf[a]! > ZERO + 1) this.fail('no_insert', buf, a, b, 'is not 0 or 1');
    const noInsert = buf[a]! - ZERO;
    batch.time[i] = time;
    batch.id[i] = id;
    batch.size[i] = size;
    this.noInsert[i] = noInsert;
    this.noInsertRequests += noInsert;
    return true;
  }
}
