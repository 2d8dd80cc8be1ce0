/**
 * The streaming loop shared by the text formats (csv, txt): lines are found in the
 * chunk buffer and handed to the format as byte ranges, with their 1-based line
 * number for error messages; numbers are parsed from the bytes without building
 * strings on the common path.
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceBatch, TraceFormat, TraceReader } from './batch.ts';
import { FileChunks } from './file-chunks.ts';
import { idFromBigDecimal } from './ids.ts';


export abstract class TextLineReader implements TraceReader {
  abstract readonly format: TraceFormat;
  abstract readonly hasNextAccess: boolean;
  protected readonly file: FileChunks;
  protected lineNo = 0;
  private requests = 0;

  constructor(readonly path: string) {
    this.file = new FileChunks(path);
  }

  get totalBytes(): number { return this.file.totalBytes; }
  get bytesRead(): number { return this.file.consumed; }

  /**
   * Handles one line (without its line break) buf[start, end); returns true if it
   * filled request `i` of the batch, false for a line that is not a request.
   */
  protected abstract parseLine(buf: Buffer, start: number, end: number, batch: TraceBatch, i: number): boolean;

  /**
   * A format's fast path: reads whole lines it recognises straight from the chunk
   * buffer into requests n, n + 1, … of the batch (advancing the file's start and
   * lineNo) and returns the next free index; it stops at the first line it leaves to
   * parseLine, or at a line the chunk does not hold whole. None by default.
   */
  protected readFast(_batch: TraceBatch, n: number): number {
    return n;
  }

  /** For readFast: leaves the chunk at `line`, the first line it did not read, and returns n. */
  protected stopFast(line: number, n: number): number {
    this.file.start = line;
    return n;
  }

  read(batch: TraceBatch): number {
    const f = this.file;
    let n = 0;
    while (n < batch.capacity) {
      n = this.readFast(batch, n);
      if (n === batch.capacity || !f.nextLine()) break;
      this.lineNo++;
      if (this.parseLine(f.buf, f.lineStart, f.lineEnd, batch, n)) n++;
    }
    this.requests += n;
    if (n === 0 && this.requests === 0) throw new InputError(`${this.path}: empty trace (no requests)`);
    batch.n = n;
    return n;
  }

  rewind(): void {
    this.file.rewind();
    this.lineNo = 0;
    this.requests = 0;
  }

  close(): void {
    this.file.close();
  }

  protected fail(field: string, buf: Buffer, start: number, end: number, problem: string): never {
    let text = buf.toString('latin1', start, end);
    if (text.length > 40) text = `${text.slice(0, 37)}...`;
    throw new InputError(`${this.path} line ${this.lineNo}: ${field} '${text}' ${problem}`);
  }
}

const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const ZERO = 48;
const NINE = 57;

/** Start of the field without leading blanks and an opening quote. */
export function trimStart(buf: Buffer, s: number, e: number): number {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
  if (s < e && buf[s] === QUOTE) s++;
  return s;
}

/** End of the field without trailing blanks and a closing quote. */
export function trimEnd(buf: Buffer, s: number, e: number): number {
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
  if (e > s && buf[e - 1] === QUOTE) e--;
  return e;
}

/**
 * A non-negative integer written in decimal (or 0x hex), as an id: exact below 2^53,
 * folded by a hash above. NaN if the field is not such an integer.
 */
export function parseIdField(buf: Buffer, s: number, e: number): number {
  if (s >= e) return NaN;
  if (e - s <= 15) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
    }
    if (i === e) return v;
  }
  const text = buf.toString('latin1', s, e);
  if (/^\d+$/.test(text)) return idFromBigDecimal(text);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return idFromBigDecimal(BigInt(text).toString());
  return NaN;
}

/** Any finite decimal number (integer fast path). NaN if the field is not a number. */
export function parseNumberField(buf: Buffer, s: number, e: number): number {
  if (s >= e) return NaN;
  if (e - s <= 15) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const c = buf[i]!;
      if (c < ZERO || c > NINE) break;
      v = v * 10 + (c - ZERO);
    }
    if (i === e) return v;
  }
  const v = Number(buf.toString('latin1', s, e));
  return Number.isFinite(v) ? v : NaN;
}
