/**
 * Writes libCacheSim's oracleGeneral binary trace (oracle-general.ts reads it):
 * 24-byte little-endian records { u32 timestamp; u64 obj_id; u32 obj_size;
 * i64 next_access_vtime }, so that `tiersim replay` and libCacheSim's `cachesim`
 * both read what a run recorded.
 *
 * A record's next access is known only later: records are written with -1 there,
 * and closing the trace fills the field in by one pass from the last record to the
 * first (an id's latest record so far is its next one), in chunks, holding the
 * distinct ids and not the records. Numbers count from 1, as traceConv writes them.
 * The file appears, complete, under its name only when closed.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { IdTable } from '../../sim/id-table.ts';
import { formatFromPath } from './formats.ts';
import { idFromU64 } from './ids.ts';

const RECORD_BYTES = 24;
const CHUNK_RECORDS = 43_690; // 1 MiB
const TWO32 = 4294967296;
/** The next-access pass keeps record numbers in an IdTable (int32 values). */
const MAX_RECORDS = 2 ** 31 - 1;

export class OracleGeneralWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly buf = Buffer.alloc(CHUNK_RECORDS * RECORD_BYTES);
  private pending = 0;
  private open = true;
  /** Records written so far. */
  records = 0;

  constructor(readonly path: string) {
    if (/\.(zst|zstd|gz)$/i.test(path) || formatFromPath(path) !== 'oracleGeneral') {
      throw new InputError(`${path}: a block trace is written as plain oracleGeneral; name it *.oracleGeneral.bin (its next-access times are filled in place, so it cannot be compressed as it is written)`);
    }
    this.tmp = join(dirname(path), `.tiersim-tmp-${process.pid}-${basename(path)}`);
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(this.tmp, 'w+');
    } catch (err) {
      throw new InputError(`${path}: cannot write the trace (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }

  /** One request: its time in seconds, object id (an integer below 2^53) and size in bytes. */
  record(timeSeconds: number, id: number, size: number): void {
    if (this.records === MAX_RECORDS) throw new InputError(`${this.path}: a block trace holds at most ${MAX_RECORDS} requests`);
    const off = this.pending * RECORD_BYTES;
    const b = this.buf;
    const hi = Math.floor(id / TWO32);
    b.writeUInt32LE(Math.min(Math.floor(timeSeconds), TWO32 - 1), off);
    b.writeUInt32LE(id - hi * TWO32, off + 4);
    b.writeUInt32LE(hi, off + 8);
    b.writeUInt32LE(size, off + 12);
    b.writeInt32LE(-1, off + 16);
    b.writeInt32LE(-1, off + 20);
    this.records++;
    if (++this.pending === CHUNK_RECORDS) this.flush();
  }

  /** Fills in the next-access times and puts the file in place. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.flush();
      this.fillNextAccess();
      closeSync(this.fd);
      renameSync(this.tmp, this.path);
    } catch (err) {
      try { closeSync(this.fd); } catch { /* already closed */ }
      try { unlinkSync(this.tmp); } catch { /* already gone */ }
      throw err;
    }
  }

  /** Drops the trace (the run failed). */
  abort(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
    try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }

  private flush(): void {
    const bytes = this.pending * RECORD_BYTES;
    let off = 0;
    while (off < bytes) off += writeSync(this.fd, this.buf, off, bytes - off, (this.records - this.pending) * RECORD_BYTES + off);
    this.pending = 0;
  }

  /** From the last record to the first: each record's next access is its id's latest record seen. */
  private fillNextAccess(): void {
    const latest = new IdTable(1 << 16);
    const b = this.buf;
    for (let end = this.records; end > 0;) {
      const start = Math.max(0, end - CHUNK_RECORDS);
      const bytes = (end - start) * RECORD_BYTES;
      for (let off = 0; off < bytes;) off += readSync(this.fd, b, off, bytes - off, start * RECORD_BYTES + off);
      for (let i = end - 1; i >= start; i--) {
        const off = (i - start) * RECORD_BYTES;
        const id = idFromU64(b.readUInt32LE(off + 8), b.readUInt32LE(off + 4));
        const next = latest.get(id);
        // Counted from 1: record number next + 1 (next < 2^31, so the high word is 0).
        b.writeInt32LE(next < 0 ? -1 : next + 1, off + 16);
        b.writeInt32LE(next < 0 ? -1 : 0, off + 20);
        latest.set(id, i);
      }
      for (let off = 0; off < bytes;) off += writeSync(this.fd, b, off, bytes - off, start * RECORD_BYTES + off);
      end = start;
    }
  }
}
