/**
 * CSV traces with libCacheSim's column mapping, e.g.
 *   time-col=2,obj-id-col=5,obj-size-col=4,has-header=true,delimiter=,
 * Columns are 1-based. obj-id-col is required; without obj-size-col every object has
 * size 1, without time-col time is 0; next-access-col gives Belady its oracle.
 * Like libCacheSim, the delimiter (one of tab , | :) and the header are detected from
 * the first line when not given. Unlike libCacheSim's cachesim, ids are numbers by
 * default (decimal or 0x hex, so they match the binary formats); obj-id-is-num=false
 * hashes them as strings. Every line must have as many fields as the first line;
 * blank lines are skipped; a field may be "quoted" (without line breaks inside).
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceBatch } from './batch.ts';
import { FileChunks } from './file-chunks.ts';
import { idFromBytes } from './ids.ts';
import { TextLineReader, parseIdField, parseNumberField, trimEnd, trimStart } from './text-lines.ts';

export interface CsvOptions {
  /** 1-based columns; 0 = absent. */
  timeCol: number;
  objIdCol: number;
  objSizeCol: number;
  nextAccessCol: number;
  /** undefined: detect from the first line. */
  hasHeader?: boolean;
  /** One character; undefined: detect from the first line. */
  delimiter?: string;
  objIdIsNum: boolean;
}

const COLUMN_KEYS: Record<string, 'timeCol' | 'objIdCol' | 'objSizeCol' | 'nextAccessCol'> = {
  'time-col': 'timeCol', 'time-field': 'timeCol',
  'obj-id-col': 'objIdCol', 'obj-id-field': 'objIdCol',
  'obj-size-col': 'objSizeCol', 'obj-size-field': 'objSizeCol', 'size-col': 'objSizeCol', 'size-field': 'objSizeCol',
  'next-access-col': 'nextAccessCol', 'next-access-field': 'nextAccessCol',
};
const KNOWN_KEYS = [...Object.keys(COLUMN_KEYS), 'has-header', 'header', 'delimiter', 'obj-id-is-num'];

function parseBool(key: string, value: string, what: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 't', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'f', 'n'].includes(v)) return false;
  throw new InputError(`${what}: ${key}='${value}' is not true or false`);
}

function parseDelimiter(value: string, what: string): string {
  const named: Record<string, string> = { '\\t': '\t', tab: '\t', comma: ',', '\\,': ',', space: ' ', semicolon: ';', pipe: '|' };
  const d = named[value.toLowerCase()] ?? value;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') throw new InputError(`${what}: delimiter '${value}' is not a single character`);
  return d;
}

/**
 * Parses libCacheSim's trace parameter string. Keys are separated by commas and take
 * '_' or '-'; `delimiter=,` works because the delimiter is always the one character
 * after '=' (or \t, tab, comma).
 */
export function parseCsvOptions(text: string, what = '--csv'): CsvOptions {
  const out: CsvOptions = { timeCol: 0, objIdCol: 0, objSizeCol: 0, nextAccessCol: 0, objIdIsNum: true };
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ' || text[i] === ';')) i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new InputError(`${what}: '${text.slice(i)}' is not key=value`);
    const key = text.slice(i, eq).trim().toLowerCase().replaceAll('_', '-');
    let value: string;
    if (key === 'delimiter') {
      const rest = text.slice(eq + 1);
      const word = /^(\\t|\\,|tab|comma|space|semicolon|pipe)(?=,|;|$)/i.exec(rest);
      value = word ? word[1]! : rest.slice(0, 1);
      i = eq + 1 + value.length;
      if (value === '') throw new InputError(`${what}: delimiter is empty`);
    } else {
      let end = eq + 1;
      while (end < text.length && text[end] !== ',' && text[end] !== ';') end++;
      value = text.slice(eq + 1, end).trim();
      i = end;
    }
    const col = COLUMN_KEYS[key];
    if (col) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new InputError(`${what}: ${key}=${value} is not a column number (columns count from 1)`);
      out[col] = n;
    } else if (key === 'has-header' || key === 'header') {
      out.hasHeader = parseBool(key, value, what);
    } else if (key === 'delimiter') {
      out.delimiter = parseDelimiter(value, what);
    } else if (key === 'obj-id-is-num') {
      out.objIdIsNum = parseBool(key, value, what);
    } else {
      throw new InputError(`${what}: unknown key '${key}' (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  return out;
}

/** libCacheSim's guess: the candidate seen most often in the first line, weighted tab > , > | > :. */
function detectDelimiter(line: string): string {
  const candidates = ['\t', ',', '|', ':'];
  let best = ',';
  let bestCount = 0;
  candidates.forEach((c, k) => {
    const count = line.split(c).length - 1;
    if (count * (4 - k) > bestCount) {
      bestCount = count * (4 - k);
      best = c;
    }
  });
  return best;
}

/**
 * libCacheSim's guess: the first line is data if it has more digits than letters,
 * otherwise a header (libCacheSim's extra test on letters a-f cannot change that).
 */
function detectHeader(line: string): boolean {
  let digits = 0;
  let letters = 0;
  for (const ch of line) {
    if (ch >= '0' && ch <= '9') digits++;
    else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) letters++;
  }
  return digits <= letters;
}

/** The first non-blank line of the file, or undefined. */
function readFirstLine(path: string): string | undefined {
  const f = new FileChunks(path, 1 << 16);
  try {
    while (f.nextLine()) {
      const line = f.buf.toString('latin1', f.lineStart, f.lineEnd);
      if (line.trim() !== '') return line;
    }
    return undefined;
  } finally {
    f.close();
  }
}

const QUOTE = 34;
const NL = 10;
const CR = 13;
const ZERO = 48;
const NINE = 57;
// What a column holds, for the fast path.
const UNUSED = 0;
const ID = 1;
const SIZE = 2;
const TIME = 3;
const NEXT = 4;
/** Most digits the fast path reads: as parseIdField, an exact integer below 2^53. */
const MAX_DIGITS = 15;

export class CsvReader extends TextLineReader {
  readonly format = 'csv' as const;
  readonly hasNextAccess: boolean;
  readonly delimiter: string;
  readonly hasHeader: boolean;
  /** Fields per line, from the first line. */
  readonly fields: number;
  private readonly delim: number;
  private readonly fieldStart: Int32Array;
  private readonly fieldEnd: Int32Array;
  private seenFirst = false;
  /** Each column's use (ID, SIZE, …), or null where the fast path does not apply. */
  private readonly roles: Uint8Array | null;

  constructor(path: string, private readonly options: CsvOptions) {
    super(path);
    if (options.objIdCol === 0) {
      this.file.close();
      throw new InputError('--csv: obj-id-col is required for csv traces (e.g. --csv "obj-id-col=5,obj-size-col=4,time-col=2")');
    }
    const first = readFirstLine(path);
    if (first === undefined) {
      this.file.close();
      throw new InputError(`${path}: empty trace (no requests)`);
    }
    this.delimiter = options.delimiter ?? detectDelimiter(first);
    this.hasHeader = options.hasHeader ?? detectHeader(first);
    this.delim = this.delimiter.charCodeAt(0);
    this.fields = this.split(Buffer.from(first, 'latin1'), 0, first.length, null, null);
    for (const [key, col] of [['time-col', options.timeCol], ['obj-id-col', options.objIdCol], ['obj-size-col', options.objSizeCol], ['next-access-col', options.nextAccessCol]] as const) {
      if (col > this.fields) {
        this.file.close();
        throw new InputError(`${path}: --csv ${key}=${col} but the trace has ${this.fields} column${this.fields === 1 ? '' : 's'} (delimiter '${this.delimiter === '\t' ? '\\t' : this.delimiter}')`);
      }
    }
    this.hasNextAccess = options.nextAccessCol > 0;
    this.fieldStart = new Int32Array(this.fields + 1);
    this.fieldEnd = new Int32Array(this.fields + 1);
    this.roles = this.fastRoles();
  }

  /** The columns' uses, when every used column is distinct, ids are numbers and the delimiter is no digit. */
  private fastRoles(): Uint8Array | null {
    const o = this.options;
    if (!o.objIdIsNum || (this.delim >= ZERO && this.delim <= NINE)) return null;
    const roles = new Uint8Array(this.fields);
    for (const [col, role] of [[o.objIdCol, ID], [o.objSizeCol, SIZE], [o.timeCol, TIME], [o.nextAccessCol, NEXT]] as const) {
      if (col === 0) continue;
      if (roles[col - 1] !== UNUSED) return null;
      roles[col - 1] = role;
    }
    return roles;
  }

  /**
   * Lines of plain numbers, read in one pass over the chunk: a used field of 1–15
   * digits, other fields of anything but quotes, the first line's field count, a line
   * break (LF or CRLF) inside the chunk. Anything else — a quote, a blank, a sign or a
   * decimal point in a used field, an empty or longer used field, another field
   * count, a blank line, a line the chunk cuts — goes to parseLine, so the two paths
   * read every line alike. A csv line of three numbers: about half the time of
   * finding the line, splitting it and parsing its fields apart.
   */
  protected override readFast(batch: TraceBatch, n: number): number {
    const roles = this.roles;
    if (roles === null || !this.seenFirst) return n;
    const f = this.file;
    const buf = f.buf;
    const end = f.end;
    const d = this.delim;
    const fields = this.fields;
    const hasNext = this.hasNextAccess;
    let line = f.start;
    while (n < batch.capacity) {
      let field = 0;
      let role = roles[0]!;
      let value = 0;
      let digits = 0;
      let id = 0;
      let size = 1;
      let time = 0;
      let next = 0;
      let p = line;
      let done = false;
      for (;;) {
        if (p >= end) return this.stopFast(line, n);
        const c = buf[p]!;
        if (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          digits++;
        } else if (c === d || c === NL || (c === CR && p + 1 < end && buf[p + 1] === NL)) {
          if (role !== UNUSED) {
            if (digits === 0 || digits > MAX_DIGITS) return this.stopFast(line, n);
            if (role === ID) id = value;
            else if (role === SIZE) size = value;
            else if (role === TIME) time = value;
            else next = value;
          }
          if (c === d) {
            if (++field >= fields) return this.stopFast(line, n);
            role = roles[field]!;
            value = 0;
            digits = 0;
          } else {
            if (field !== fields - 1) return this.stopFast(line, n);
            p += c === CR ? 2 : 1;
            done = true;
          }
        } else if (role !== UNUSED || c === QUOTE) {
          return this.stopFast(line, n);
        }
        if (done) break;
        p++;
      }
      batch.id[n] = id;
      batch.size[n] = size;
      batch.time[n] = time;
      if (hasNext) batch.nextAccess[n] = next;
      n++;
      this.lineNo++;
      line = p;
    }
    return this.stopFast(line, n);
  }

  override rewind(): void {
    super.rewind();
    this.seenFirst = false;
  }

  /** Splits buf[s, e) at delimiters outside quotes; records up to fields + 1 ranges; returns the count. */
  private split(buf: Uint8Array, s: number, e: number, starts: Int32Array | null, ends: Int32Array | null): number {
    const d = this.delim;
    const max = starts ? starts.length : 0;
    let count = 0;
    let fieldStart = s;
    let quoted = false;
    for (let i = s; i < e; i++) {
      const c = buf[i]!;
      if (c === QUOTE) quoted = !quoted;
      else if (c === d && !quoted) {
        if (count < max) {
          starts![count] = fieldStart;
          ends![count] = i;
        }
        count++;
        fieldStart = i + 1;
      }
    }
    if (count < max) {
      starts![count] = fieldStart;
      ends![count] = e;
    }
    return count + 1;
  }

  protected parseLine(buf: Buffer, start: number, end: number, batch: TraceBatch, i: number): boolean {
    let blank = true;
    for (let k = start; k < end; k++) {
      const c = buf[k]!;
      if (c !== 32 && c !== 9) { blank = false; break; }
    }
    if (blank) return false;
    if (!this.seenFirst) {
      this.seenFirst = true;
      if (this.hasHeader) return false;
    }
    const fs = this.fieldStart;
    const fe = this.fieldEnd;
    const n = this.split(buf, start, end, fs, fe);
    if (n !== this.fields) {
      throw new InputError(`${this.path} line ${this.lineNo}: ${n} field${n === 1 ? '' : 's'}, expected ${this.fields} like the first line`);
    }
    const o = this.options;
    let c = o.objIdCol - 1;
    let s = trimStart(buf, fs[c]!, fe[c]!);
    let e = trimEnd(buf, s, fe[c]!);
    if (o.objIdIsNum) {
      const id = parseIdField(buf, s, e);
      if (Number.isNaN(id)) this.fail('obj-id', buf, s, e, 'is not a number (obj-id-is-num=false hashes string ids)');
      batch.id[i] = id;
    } else {
      batch.id[i] = idFromBytes(buf, s, e);
    }
    if (o.objSizeCol > 0) {
      c = o.objSizeCol - 1;
      s = trimStart(buf, fs[c]!, fe[c]!);
      e = trimEnd(buf, s, fe[c]!);
      const size = parseNumberField(buf, s, e);
      if (Number.isNaN(size)) this.fail('obj-size', buf, s, e, 'is not a number');
      if (size < 0 || !Number.isInteger(size)) this.fail('obj-size', buf, s, e, 'is not a whole number of bytes');
      batch.size[i] = size;
    } else {
      batch.size[i] = 1;
    }
    if (o.timeCol > 0) {
      c = o.timeCol - 1;
      s = trimStart(buf, fs[c]!, fe[c]!);
      e = trimEnd(buf, s, fe[c]!);
      const t = parseNumberField(buf, s, e);
      if (Number.isNaN(t)) this.fail('time', buf, s, e, 'is not a number');
      batch.time[i] = t;
    } else {
      batch.time[i] = 0;
    }
    if (o.nextAccessCol > 0) {
      c = o.nextAccessCol - 1;
      s = trimStart(buf, fs[c]!, fe[c]!);
      e = trimEnd(buf, s, fe[c]!);
      const t = parseNumberField(buf, s, e);
      if (Number.isNaN(t)) this.fail('next-access', buf, s, e, 'is not a number');
      batch.nextAccess[i] = t < 0 || t >= 2 ** 53 ? Infinity : t; // -1: no future request
    }
    return true;
  }
}
