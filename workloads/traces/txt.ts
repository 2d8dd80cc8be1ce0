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

function isSeparator(c: number): boolean {
  return c === SPACE || c === TAB || c === COMMA;
}

export class TxtReader extends TextLineReader {
  readonly format = 'txt' as const;
  readonly hasNextAccess = false;

  constructor(path: string, private readonly objIdIsNum = true) {
    super(path);
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
