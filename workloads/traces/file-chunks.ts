/**
 * A file read front to back in chunks through one reusable buffer. Readers consume
 * bytes from buf[start, end); fill() keeps the unconsumed tail, moves it to the front
 * and appends the next chunk, growing the buffer only when a single record or line
 * does not fit. A zstd or gzip file is decompressed on the way (compressed.ts):
 * readers see the bytes it holds.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../sim/errors.ts';
import { compressionOf, Inflater } from './compressed.ts';

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
  /** File offset of the next read (of buf[end], for a file that is not compressed). */
  private filePos = 0;
  private fd: number;
  /** The file's size on disk (compressed, for a compressed file). */
  readonly totalBytes: number;
  /** Set for a compressed file. */
  private readonly inflater: Inflater | undefined;
  eof = false;

  /** `compressedChunkBytes`: how much of a compressed file one read takes. */
  constructor(readonly path: string, chunkBytes = 1 << 20, private readonly compressedChunkBytes = 1 << 18) {
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
    const head = Buffer.alloc(4);
    const kind = compressionOf(head.subarray(0, readSync(this.fd, head, 0, 4, 0)));
    const last4 = Buffer.alloc(4);
    if (kind) readSync(this.fd, last4, 0, 4, Math.max(0, st.size - 4));
    this.inflater = kind ? new Inflater(kind, path, last4) : undefined;
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = this.buf.subarray(0, 0);
  }

  /** The file's bytes consumed by the reader so far (for a compressed file, those decompressed so far), for progress. */
  get consumed(): number {
    return this.inflater ? this.inflater.inputBytes : this.filePos - (this.end - this.start);
  }

  /** True when the file is compressed: its size does not tell how many bytes it holds. */
  get compressed(): boolean {
    return this.inflater !== undefined;
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
    const got = this.inflater ? this.inflater.read(this.buf, this.end, this.nextCompressed) : this.readFile(this.buf, this.end);
    if (got === 0) {
      this.eof = true;
      return false;
    }
    this.end += got;
    return true;
  }

  private readFile(into: Buffer, at: number): number {
    const got = readSync(this.fd, into, at, into.length - at, this.filePos);
    this.filePos += got;
    return got;
  }

  /** The next compressed chunk, in a buffer of its own (the decoders keep references to what they were given). */
  private readonly nextCompressed = (): Uint8Array => {
    const chunk = Buffer.allocUnsafe(this.compressedChunkBytes);
    return chunk.subarray(0, this.readFile(chunk, 0));
  };

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
    this.inflater?.reset();
  }

  close(): void {
    closeSync(this.fd);
  }
}
