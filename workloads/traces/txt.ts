/**
 * Plain text traces: one request per line, the object id and optionally its size in
 * bytes, separated by blanks or a comma ("42" or "42 4096"). Without a size an object
 * has size 1, as in libCacheSim's txt reader, so miss ratios count objects. Blank
 * lines are skipped. Ids are numbers (decimal or 0x hex) unless objIdIsNum is false,
 * which hashes them as strings.
 */
import type { TraceBatch } from './batch.ts';
import { idFromBytes } from './ids.ts';
import { TextLineReader, parseIdField, parseNumberField, trimEnd, trimStart } from './text-lines.ts';

const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const NL = 10;
const CR = 13;
const ZERO = 48;
const NINE = 57;
/** Most digits the fast path reads: as parseIdField, an exact integer below 2^53. */
const MAX_DIGITS = 15;

function isSeparator(c: number): boolean {
  return c === SPACE || c === TAB || c === COMMA;
}

export class TxtReader extends TextLineReader {
  readonly format = 'txt' as const;
  readonly hasNextAccess = false;

  constructor(path: string, private readonly objIdIsNum = true) {
    super(path);
  }

  /**
   * Lines of an id and an optional size in plain digits (1–15 each), read in one pass
   * over the chunk: the id at the line's start, separators, the size, trailing
   * separators, a line break (LF or CRLF) inside the chunk. Any other line goes to
   * parseLine, which reads it the same way (a blank line, hex, a sign, a third field).
   */
  protected override readFast(batch: TraceBatch, n: number): number {
    if (!this.objIdIsNum) return n;
    const f = this.file;
    const buf = f.buf;
    const end = f.end;
    let line = f.start;
    while (n < batch.capacity) {
      let p = line;
      let id = 0;
      let digits = 0;
      let c = 0;
      while (p < end && (c = buf[p]!) >= ZERO && c <= NINE) { id = id * 10 + (c - ZERO); digits++; p++; }
      if (p >= end || digits === 0 || digits > MAX_DIGITS) break;
      let size = 1;
      if (isSeparator(c)) {
        while (p < end && isSeparator(buf[p]!)) p++;
        let sizeDigits = 0;
        let v = 0;
        while (p < end && (c = buf[p]!) >= ZERO && c <= NINE) { v = v * 10 + (c - ZERO); sizeDigits++; p++; }
        if (sizeDigits > MAX_DIGITS) break;
        if (sizeDigits > 0) {
          size = v;
          while (p < end && isSeparator(buf[p]!)) p++;
        }
        if (p >= end) break;
        c = buf[p]!;
      }
      if (c === NL) p++;
      else if (c === CR && p + 1 < end && buf[p + 1] === NL) p += 2;
      else break;
      batch.id[n] = id;
      batch.size[n] = size;
      batch.time[n] = 0;
      n++;
      this.lineNo++;
      line = p;
    }
    return this.stopFast(line, n);
  }

  protected parseLine(buf: Buffer, start: number, end: number, batch: TraceBatch, i: number): boolean {
    let p = start;
    while (p < end && isSeparator(buf[p]!)) p++;
    if (p === end) return false;
    const idStart = p;
    while (p < end && !isSeparator(buf[p]!)) p++;
    const idEnd = p;
    while (p < end && isSeparator(buf[p]!)) p++;
    const sizeStart = p;
    while (p < end && !isSeparator(buf[p]!)) p++;
    const sizeEnd = p;
    while (p < end && isSeparator(buf[p]!)) p++;
    if (p < end) this.fail('line', buf, start, end, 'has more than an id and a size');

    const s = trimStart(buf, idStart, idEnd);
    const e = trimEnd(buf, s, idEnd);
    if (this.objIdIsNum) {
      const id = parseIdField(buf, s, e);
      if (Number.isNaN(id)) this.fail('obj-id', buf, s, e, 'is not a number (obj-id-is-num=false hashes string ids)');
      batch.id[i] = id;
    } else {
      batch.id[i] = idFromBytes(buf, s, e);
    }
    if (sizeStart < sizeEnd) {
      const size = parseNumberField(buf, sizeStart, sizeEnd);
      if (Number.isNaN(size)) this.fail('obj-size', buf, sizeStart, sizeEnd, 'is not a number');
      if (size < 0 || !Number.isInteger(size)) this.fail('obj-size', buf, sizeStart, sizeEnd, 'is not a whole number of bytes');
      batch.size[i] = size;
    } else {
      batch.size[i] = 1;
    }
    batch.time[i] = 0;
    return true;
  }
}
