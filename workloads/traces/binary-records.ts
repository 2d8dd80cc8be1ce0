/**
 * The streaming loop shared by the fixed-size binary formats (oracleGeneral, vscsi):
 * whole records are decoded straight from the chunk buffer; a file whose size is not
 * a whole number of records is refused up front, naming the truncated record (a
 * compressed one when its last record turns out cut).
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceBatch, TraceFormat, TraceReader } from './batch.ts';
import { FileChunks } from './file-chunks.ts';

export abstract class BinaryRecordReader implements TraceReader {
  abstract readonly format: TraceFormat;
  abstract readonly hasNextAccess: boolean;
  protected readonly file: FileChunks;
  private view: DataView;
  private viewOf: Buffer;
  private records = 0;

  constructor(readonly path: string, protected readonly recordBytes: number) {
    this.file = new FileChunks(path, Math.max(1 << 20, recordBytes * 4096));
    // A compressed file's size says nothing of its records: read() finds an empty or cut one.
    const size = this.file.compressed ? recordBytes : this.file.totalBytes;
    if (size === 0) {
      this.file.close();
      throw new InputError(`${path}: empty trace (no requests)`);
    }
    if (size % recordBytes !== 0) {
      this.file.close();
      const whole = Math.floor(size / recordBytes);
      throw new InputError(`${path} record ${whole + 1}: truncated (${size % recordBytes} of ${recordBytes} bytes)`);
    }
    this.viewOf = this.file.buf;
    this.view = new DataView(this.viewOf.buffer, this.viewOf.byteOffset, this.viewOf.byteLength);
  }

  get totalBytes(): number { return this.file.totalBytes; }
  get bytesRead(): number { return this.file.consumed; }

  /** Decodes the record at byte `off` of `view` into slot `i` of the batch. */
  protected abstract decode(view: DataView, off: number, batch: TraceBatch, i: number): void;

  read(batch: TraceBatch): number {
    const f = this.file;
    const rec = this.recordBytes;
    let n = 0;
    while (n < batch.capacity) {
      if (f.available < rec) {
        if (!f.fill()) break;
        if (f.buf !== this.viewOf) {
          this.viewOf = f.buf;
          this.view = new DataView(f.buf.buffer, f.buf.byteOffset, f.buf.byteLength);
        }
        continue;
      }
      const room = Math.min(batch.capacity - n, Math.floor(f.available / rec));
      const view = this.view;
      let off = f.start;
      for (let k = 0; k < room; k++) {
        this.decode(view, off, batch, n++);
        off += rec;
      }
      f.start = off;
    }
    if (n === 0 && f.available > 0) {
      // A compressed file cut mid-record, or a file that changed under us since it was opened.
      throw new InputError(`${this.path} record ${this.records + 1}: truncated (${f.available} of ${rec} bytes)`);
    }
    if (n === 0 && this.records === 0) throw new InputError(`${this.path}: empty trace (no requests)`);
    this.records += n;
    batch.n = n;
    return n;
  }

  rewind(): void {
    this.file.rewind();
    this.records = 0;
  }

  close(): void {
    this.file.close();
  }
}
