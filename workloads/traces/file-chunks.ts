/**
 * A file read front to back in chunks through one reusable buffer. Readers consume
 * bytes from buf[start, end); fill() keeps the unconsumed tail, moves it to the front
 * and appends the next chunk, growing the buffer only when a single record or line
 * does not fit.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../sim/errors.ts';

const NL = 10;
const CR = 13;

export class FileChunks {
  buf: Buffer;
  start = 0;
  end = 0;
  /** The line nextLine() found: buf[lineStart, lineEnd), without its line break. */
  lineStart = 0;
  lineEnd = 0;
  /** buf up to end, so that line searches stop there. */
  private view: Buffer;
  /** File offset of buf[end]. */
  private filePos = 0;
  private fd: number;
  readonly totalBytes: number;
  eof = false;

  constructor(readonly path: string, chunkBytes = 1 << 20) {
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(`${path}: cannot open trace (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`);
    }
    const st = fstatSync(this.fd);
    if (st.isDirectory()) {
      closeSync(this.fd);
      throw new InputError(`${path}: is a directory, not a trace file`);
    }
    this.totalBytes = st.size;
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = this.buf.subarray(0, 0);
  }

  /** Bytes of the file consumed by the reader so far. */
  get consumed(): number {
    return this.filePos - (this.end - this.start);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Reads more bytes after the unconsumed ones; returns false at the end of the file. */
  fill(): boolean {
    if (this.eof) return false;
    const left = this.end - this.start;
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.start = 0;
      this.end = left;
    }
    if (this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
    if (got === 0) {
      this.eof = true;
      return false;
    }
    this.end += got;
    this.filePos += got;
    return true;
  }

  /**
   * Consumes the next line (LF or CRLF; the last may have no line break) and sets
   * lineStart/lineEnd; false at the end of the file. The line's bytes stay valid
   * until the next call.
   */
  nextLine(): boolean {
    for (;;) {
      const start = this.start;
      let nl = start < this.end ? this.view.indexOf(NL, start) : -1;
      let next = nl + 1;
      if (nl < 0) {
        if (!this.eof) {
          this.fill(); // may move the unconsumed bytes to the front, even at the end
          this.view = this.buf.subarray(0, this.end);
          continue;
        }
        if (this.available === 0) return false;
        nl = this.end;
        next = this.end;
      }
      let end = nl;
      if (end > start && this.buf[end - 1] === CR) end--;
      this.lineStart = start;
      this.lineEnd = end;
      this.start = next;
      return true;
    }
  }

  rewind(): void {
    this.start = 0;
    this.end = 0;
    this.filePos = 0;
    this.eof = false;
    this.view = this.buf.subarray(0, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}
