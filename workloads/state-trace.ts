/**
 * `trace`: replays a state-access trace recorded by workloads/state-trace-writer.ts
 * (`--workload trace --param trace=FILE`), record by record: the same records, the
 * same operations in order, the same keys, sizes, tokens, CPU µs and event times.
 *
 * The file is read in chunks through one reusable buffer (workloads/traces/file-chunks.ts),
 * synchronously since Workload.next is, so a trace larger than memory replays.
 *
 * CSV: optional `#` comment lines (the recorder's first line names the workload and its
 * key size), then a header naming the columns, in any order: `op` and `key` are
 * required; `time_us` (default 0), `value_bytes` (0), `token` (0), `record` (each line
 * its own record), `cpu_us` (0) and `phase` (`run`) are optional; other names are an
 * error. JSON lines: one object per line with the same fields (numbers as numbers, op
 * and phase as strings), optionally after a first line
 * `{"tiersim_state_trace":1,"workload":"kv","key_bytes":16}`. The format is told from
 * the first line (`{` = JSON lines) unless the `format` parameter names it.
 *
 * Rules: consecutive lines with the same `record` are one record (at most 64
 * operations; `none` only alone); record indices never decrease; a record's lines
 * share time_us and phase, and cpu_us is on its first line (later lines leave it empty
 * or repeat it); load records come before run records. nextLoad() hands out the load
 * records, next() the run records (skipping load records nextLoad was not asked for).
 * A malformed line is an InputError naming the file, line and field.
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import { MAX_OPS_PER_RECORD, OP_DELETE, OP_GET, OP_MERGE, OP_PUT, OP_SCAN, type OpType, type RecordBuf, type Workload } from '../sim/workload.ts';
import { FileChunks } from './traces/file-chunks.ts';
import { parseNumberField, trimEnd, trimStart } from './traces/text-lines.ts';
import { STATE_TRACE_COLUMNS, type StateTraceFormat } from './state-trace-writer.ts';

export const stateTraceParams = z.object({
  /** The trace file. */
  trace: z.string().min(1),
  /** csv or jsonl; default: from the first line. */
  format: z.enum(['csv', 'jsonl']).optional(),
  /** Bytes of user key; default: the trace's own (its first line), else 16. */
  keyBytes: z.number().int().positive().optional(),
}).strict();
export type StateTraceParams = z.input<typeof stateTraceParams>;

const HASH = 35;
const BRACE = 123;
const COMMA = 44;

const OP_NONE = 5;
const LOAD = 0;
const RUN = 1;
const OPS: Record<string, number> = { get: OP_GET, put: OP_PUT, delete: OP_DELETE, merge: OP_MERGE, scan: OP_SCAN, none: OP_NONE };
const OP_LIST = 'get, put, delete, merge, scan or none';
const TWO32 = 4294967296;

type Column = (typeof STATE_TRACE_COLUMNS)[number];
const COLUMN_INDEX: Record<string, number> = Object.fromEntries(STATE_TRACE_COLUMNS.map((c, i) => [c, i]));
const C_TIME = COLUMN_INDEX.time_us!;
const C_OP = COLUMN_INDEX.op!;
const C_KEY = COLUMN_INDEX.key!;
const C_SIZE = COLUMN_INDEX.value_bytes!;
const C_TOKEN = COLUMN_INDEX.token!;
const C_RECORD = COLUMN_INDEX.record!;
const C_CPU = COLUMN_INDEX.cpu_us!;
const C_PHASE = COLUMN_INDEX.phase!;

export interface StateTraceReaderOptions {
  /** Bytes read from the file at a time (the buffer grows only for a longer line). */
  chunkBytes?: number;
}

export class StateTraceWorkload implements Workload {
  readonly name = 'trace';
  readonly path: string;
  readonly format: StateTraceFormat;
  readonly keyBytes: number;
  /** The workload the trace was recorded from, when its first line says. */
  readonly recordedWorkload: string | undefined;
  /** Records handed out so far. */
  records = 0;

  private readonly file: FileChunks;
  private lineNo = 0;
  private ls = 0;
  private le = 0;
  private closed = false;
  private atEnd = false;
  /** The next row is parsed but not yet part of a record. */
  private pending = false;
  private loadDone = false;
  private sawRun = false;
  /** Data lines read so far, and the record and phase of the last one. */
  private rows = 0;
  private prevRecord = -1;
  private prevPhase = RUN;
  /** Where the current line starts, for pushBack(). */
  private lineStartBefore = 0;

  // CSV: column index of each known field (-1: absent), and the field ranges of a line.
  private readonly col = new Int32Array(STATE_TRACE_COLUMNS.length).fill(-1);
  private fields = 0;
  private fieldStart = new Int32Array(0);
  private fieldEnd = new Int32Array(0);

  // The current row.
  private rLine = 0;
  private rPhase = RUN;
  private rRecord = -1;
  private rTime = 0;
  private rCpu = NaN;
  private rOp = OP_GET;
  private rKey = 0;
  private rSize = 0;
  private rToken = 0;

  constructor(params: StateTraceParams, options: StateTraceReaderOptions = {}) {
    const p = stateTraceParams.parse(params);
    this.path = p.trace;
    this.file = new FileChunks(this.path, options.chunkBytes ?? 1 << 20);
    try {
      let keyBytes: number | undefined;
      let workload: string | undefined;
      // Skip blank lines; the first other line tells the format.
      let have = this.nextLine();
      while (have && this.isBlank()) have = this.nextLine();
      if (!have) throw new InputError(`${this.path}: empty trace (no records)`);
      this.format = p.format ?? (this.file.buf[this.ls] === BRACE ? 'jsonl' : 'csv');
      if (this.format === 'csv') {
        // Comment lines, then the header.
        while (have && (this.isBlank() || this.file.buf[this.ls] === HASH)) {
          const text = this.lineText();
          const kb = /\bkey_bytes=(\d+)/.exec(text);
          if (kb) keyBytes = Number(kb[1]);
          const wl = /\bworkload=([^\s,]+)/.exec(text);
          if (wl) workload = wl[1];
          have = this.nextLine();
        }
        if (!have) throw new InputError(`${this.path}: empty trace (no header line, no records)`);
        this.readHeader();
      } else {
        const first = this.parseJson();
        if (first !== undefined && 'tiersim_state_trace' in first) {
          if (typeof first.key_bytes === 'number') keyBytes = first.key_bytes;
          if (typeof first.workload === 'string') workload = first.workload;
        } else {
          this.pushBack();
        }
      }
      this.keyBytes = p.keyBytes ?? (keyBytes !== undefined && Number.isInteger(keyBytes) && keyBytes > 0 ? keyBytes : 16);
      this.recordedWorkload = workload;
      if (!this.readRow()) throw new InputError(`${this.path}: empty trace (no records)`);
      this.pending = true;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  nextLoad(rec: RecordBuf): boolean {
    if (this.loadDone) return false;
    if (this.fill(rec, LOAD)) return true;
    this.loadDone = true;
    return false;
  }

  next(rec: RecordBuf): boolean {
    this.loadDone = true;
    return this.fill(rec, RUN);
  }

  describe(): Record<string, unknown> {
    return {
      name: this.name, trace: this.path, format: this.format, keyBytes: this.keyBytes,
      ...(this.recordedWorkload !== undefined ? { recordedWorkload: this.recordedWorkload } : {}),
    };
  }

  /** Share of the file read so far (of its compressed bytes, for a compressed file). */
  streamProgress(): number {
    return this.file.totalBytes > 0 ? Math.min(1, this.file.consumed / this.file.totalBytes) : 1;
  }

  /** Releases the file (done by itself at the end of the trace). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.file.close();
  }

  // ---- records

  private fill(rec: RecordBuf, phase: number): boolean {
    for (;;) {
      if (!this.pending && !this.readRow()) return false;
      this.pending = true;
      if (this.rPhase === phase) break;
      if (phase === LOAD) return false; // a run record: keep it for next()
      this.pending = false; // a load record nextLoad() was not asked for
    }
    this.pending = false;
    const index = this.rRecord;
    const time = this.rTime;
    const cpu = Number.isNaN(this.rCpu) ? 0 : this.rCpu;
    const none = this.rOp === OP_NONE;
    rec.reset(cpu);
    rec.timeUs = time;
    if (!none) rec.push(this.rOp as OpType, this.rKey, this.rSize, this.rToken);
    while (this.readRow()) {
      if (this.rRecord !== index) {
        this.pending = true;
        break;
      }
      if (none || this.rOp === OP_NONE) this.rowError(`record ${index}: op 'none' must be the only line of its record`);
      if (this.rTime !== time) this.rowError(`record ${index}: time_us ${this.rTime} differs from ${time} on the record's first line`);
      if (!Number.isNaN(this.rCpu) && this.rCpu !== cpu) this.rowError(`record ${index}: cpu_us ${this.rCpu} differs from ${cpu} on the record's first line (give it on the first line only)`);
      if (rec.count === MAX_OPS_PER_RECORD) this.rowError(`record ${index} has more than ${MAX_OPS_PER_RECORD} operations`);
      rec.push(this.rOp as OpType, this.rKey, this.rSize, this.rToken);
    }
    this.records++;
    return true;
  }

  private rowError(message: string): never {
    throw new InputError(`${this.path} line ${this.rLine}: ${message}`);
  }

  /** Parses the next data line into the r* fields; false at the end of the file. */
  private readRow(): boolean {
    if (this.atEnd) return false;
    for (;;) {
      if (!this.nextLine()) {
        this.atEnd = true;
        this.close();
        return false;
      }
      if (this.isBlank()) continue;
      if (this.format === 'csv') {
        if (this.file.buf[this.ls] === HASH) continue;
        this.parseCsvRow();
      } else {
        this.parseJsonRow();
      }
      break;
    }
    const prevRecord = this.prevRecord;
    const prevPhase = this.prevPhase;
    this.rLine = this.lineNo;
    if (this.rRecord < 0) this.rRecord = this.rows;
    if (this.rows > 0) {
      if (this.rRecord < prevRecord) this.rowError(`record ${this.rRecord} after record ${prevRecord} (record indices must not decrease)`);
      if (this.rRecord === prevRecord && this.rPhase !== prevPhase) this.rowError(`record ${this.rRecord}: phase differs between its lines`);
    }
    if (this.rPhase === RUN) this.sawRun = true;
    else if (this.sawRun) this.rowError(`phase 'load' after run records (load records come first)`);
    this.prevRecord = this.rRecord;
    this.prevPhase = this.rPhase;
    this.rows++;
    return true;
  }

  // ---- CSV

  private readHeader(): void {
    const names = this.lineText().split(',').map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
    if (names.length > 0 && /^-?[\d.]/.test(names[0]!)) {
      throw new InputError(`${this.path} line ${this.lineNo}: no header line (expected column names such as ${STATE_TRACE_COLUMNS.join(',')})`);
    }
    names.forEach((name, i) => {
      const c = COLUMN_INDEX[name];
      if (c === undefined) throw new InputError(`${this.path} line ${this.lineNo}: unknown column '${name}' (known: ${STATE_TRACE_COLUMNS.join(', ')})`);
      if (this.col[c] !== -1) throw new InputError(`${this.path} line ${this.lineNo}: column '${name}' appears twice`);
      this.col[c] = i;
    });
    for (const required of ['op', 'key'] as Column[]) {
      if (this.col[COLUMN_INDEX[required]!] === -1) throw new InputError(`${this.path} line ${this.lineNo}: the header has no '${required}' column`);
    }
    this.fields = names.length;
    this.fieldStart = new Int32Array(this.fields + 1);
    this.fieldEnd = new Int32Array(this.fields + 1);
  }

  private parseCsvRow(): void {
    const buf = this.file.buf;
    const fs = this.fieldStart;
    const fe = this.fieldEnd;
    const max = fs.length;
    let count = 0;
    let start = this.ls;
    for (let i = this.ls; i < this.le; i++) {
      if (buf[i] === COMMA) {
        if (count < max) {
          fs[count] = start;
          fe[count] = i;
        }
        count++;
        start = i + 1;
      }
    }
    if (count < max) {
      fs[count] = start;
      fe[count] = this.le;
    }
    count++;
    if (count !== this.fields) {
      throw new InputError(`${this.path} line ${this.lineNo}: ${count} field${count === 1 ? '' : 's'}, expected ${this.fields} like the header`);
    }
    const col = this.col;
    // op
    let c = col[C_OP]!;
    let s = trimStart(buf, fs[c]!, fe[c]!);
    let e = trimEnd(buf, s, fe[c]!);
    const op = OPS[buf.toString('latin1', s, e).toLowerCase()];
    if (op === undefined) this.fail('op', s, e, `is not ${OP_LIST}`);
    this.rOp = op;
    // key
    c = col[C_KEY]!;
    s = trimStart(buf, fs[c]!, fe[c]!);
    e = trimEnd(buf, s, fe[c]!);
    const key = parseNumberField(buf, s, e);
    if (Number.isNaN(key)) this.fail('key', s, e, 'is not a number');
    this.rKey = key;
    this.rSize = this.csvU32(C_SIZE, 'value_bytes');
    this.rToken = this.csvU32(C_TOKEN, 'token');
    this.rTime = this.csvNumber(C_TIME, 'time_us', false, 0);
    this.rCpu = this.csvNumber(C_CPU, 'cpu_us', true, 0);
    if (this.rCpu < 0) this.fail('cpu_us', fs[col[C_CPU]!]!, fe[col[C_CPU]!]!, 'is negative');
    // record
    c = col[C_RECORD]!;
    if (c < 0) {
      this.rRecord = -1;
    } else {
      s = trimStart(buf, fs[c]!, fe[c]!);
      e = trimEnd(buf, s, fe[c]!);
      const r = parseNumberField(buf, s, e);
      if (!(Number.isSafeInteger(r) && r >= 0)) this.fail('record', s, e, 'is not a record index (a whole number >= 0)');
      this.rRecord = r;
    }
    // phase
    c = col[C_PHASE]!;
    if (c < 0) {
      this.rPhase = RUN;
    } else {
      s = trimStart(buf, fs[c]!, fe[c]!);
      e = trimEnd(buf, s, fe[c]!);
      const text = buf.toString('latin1', s, e).toLowerCase();
      if (text === 'run') this.rPhase = RUN;
      else if (text === 'load') this.rPhase = LOAD;
      else this.fail('phase', s, e, 'is not load or run');
    }
  }

  private csvU32(column: number, name: string): number {
    const c = this.col[column]!;
    if (c < 0) return 0;
    const buf = this.file.buf;
    const s = trimStart(buf, this.fieldStart[c]!, this.fieldEnd[c]!);
    const e = trimEnd(buf, s, this.fieldEnd[c]!);
    const v = parseNumberField(buf, s, e);
    if (!(Number.isInteger(v) && v >= 0 && v < TWO32)) this.fail(name, s, e, 'is not a whole number in 0..4294967295');
    return v;
  }

  /** A finite number; an empty field gives NaN when `emptyOk`. */
  private csvNumber(column: number, name: string, emptyOk: boolean, absent: number): number {
    const c = this.col[column]!;
    if (c < 0) return absent;
    const buf = this.file.buf;
    const s = trimStart(buf, this.fieldStart[c]!, this.fieldEnd[c]!);
    const e = trimEnd(buf, s, this.fieldEnd[c]!);
    if (s === e && emptyOk) return NaN;
    const v = parseNumberField(buf, s, e);
    if (Number.isNaN(v)) this.fail(name, s, e, 'is not a number');
    return v;
  }

  private fail(field: string, s: number, e: number, problem: string): never {
    let text = this.file.buf.toString('latin1', s, e);
    if (text.length > 40) text = `${text.slice(0, 37)}...`;
    throw new InputError(`${this.path} line ${this.lineNo}: ${field} '${text}' ${problem}`);
  }

  // ---- JSON lines

  private parseJson(): Record<string, unknown> | undefined {
    let value: unknown;
    const text = this.file.buf.toString('utf8', this.ls, this.le);
    try {
      value = JSON.parse(text);
    } catch (err) {
      const why = (err as Error).message.split('\n')[0]!.slice(0, 80);
      throw new InputError(`${this.path} line ${this.lineNo}: not a JSON object (${why})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${this.path} line ${this.lineNo}: not a JSON object`);
    }
    return value as Record<string, unknown>;
  }

  private parseJsonRow(): void {
    const o = this.parseJson()!;
    for (const k of Object.keys(o)) {
      if (COLUMN_INDEX[k] === undefined) throw new InputError(`${this.path} line ${this.lineNo}: unknown field '${k}' (known: ${STATE_TRACE_COLUMNS.join(', ')})`);
    }
    const bad = (field: string, problem: string): never => {
      let text = JSON.stringify(o[field]) ?? String(o[field]);
      if (text.length > 40) text = `${text.slice(0, 37)}...`;
      throw new InputError(`${this.path} line ${this.lineNo}: ${field} ${text} ${problem}`);
    };
    const number = (field: string, absent: number): number => {
      const v = o[field];
      if (v === undefined) return absent;
      if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, 'is not a number');
      return v as number;
    };
    const u32 = (field: string): number => {
      const v = number(field, 0);
      if (!(Number.isInteger(v) && v >= 0 && v < TWO32)) bad(field, 'is not a whole number in 0..4294967295');
      return v;
    };
    if (o.op === undefined) throw new InputError(`${this.path} line ${this.lineNo}: no 'op' field`);
    if (o.key === undefined) throw new InputError(`${this.path} line ${this.lineNo}: no 'key' field`);
    const op = typeof o.op === 'string' ? OPS[o.op.toLowerCase()] : undefined;
    if (op === undefined) bad('op', `is not ${OP_LIST}`);
    this.rOp = op!;
    this.rKey = number('key', 0);
    this.rSize = u32('value_bytes');
    this.rToken = u32('token');
    this.rTime = number('time_us', 0);
    this.rCpu = number('cpu_us', NaN);
    if (this.rCpu < 0) bad('cpu_us', 'is negative');
    if (o.record === undefined) {
      this.rRecord = -1;
    } else {
      const r = o.record;
      if (!(typeof r === 'number' && Number.isSafeInteger(r) && r >= 0)) bad('record', 'is not a record index (a whole number >= 0)');
      this.rRecord = r as number;
    }
    const phase = o.phase === undefined ? 'run' : typeof o.phase === 'string' ? o.phase.toLowerCase() : undefined;
    if (phase === 'run') this.rPhase = RUN;
    else if (phase === 'load') this.rPhase = LOAD;
    else bad('phase', 'is not "load" or "run"');
  }

  // ---- lines

  /** Finds the next line: buf[ls, le) without its line break; false at the end. */
  private nextLine(): boolean {
    const f = this.file;
    if (!f.nextLine()) return false;
    this.lineNo++;
    this.ls = f.lineStart;
    this.le = f.lineEnd;
    this.lineStartBefore = f.lineStart;
    return true;
  }

  /** Makes the current line the next one again (only right after nextLine). */
  private pushBack(): void {
    this.file.start = this.lineStartBefore;
    this.lineNo--;
  }

  private isBlank(): boolean {
    const buf = this.file.buf;
    for (let i = this.ls; i < this.le; i++) {
      const c = buf[i]!;
      if (c !== 32 && c !== 9) return false;
    }
    return true;
  }

  private lineText(): string {
    return this.file.buf.toString('utf8', this.ls, this.le);
  }
}
