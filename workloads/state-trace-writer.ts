/**
 * Recording state-access traces: a Workload decorator that appends every record the
 * inner workload hands out to a trace, in the project's own format (read back by the
 * `trace` workload of workloads/state-trace.ts).
 *
 * The format, CSV (JSON lines have the same fields as objects):
 *
 *   # tiersim state trace v1: workload=kv key_bytes=16
 *   time_us,op,key,value_bytes,token,record,cpu_us,phase
 *   0,put,0,1000,2654435769,0,0,load
 *   0,get,17,0,0,1000,5,run
 *   0,put,3,1000,81234567,1001,5,run
 *
 * - One line per state operation; `record` is the record's index (0, 1, 2, ... over
 *   the whole trace, load and run records alike) and the consecutive lines with the
 *   same index are one record, their operations in order.
 * - `op`: get, put, delete, merge, scan; `none` for a record without state operations
 *   (a line of its own, key/value_bytes/token 0).
 * - `value_bytes`: the value size for put and merge, the entry count for scan, as the
 *   record buffer holds it (0 for get and delete as generators write them).
 * - `token`: the 32-bit value token a put or merge writes.
 * - `time_us`: the record's event time (RecordBuf.timeUs), on every line of the record;
 *   with a `clock`, the time the record was handed out instead (e.g. simulated time).
 * - `cpu_us`: the record's CPU µs outside state access, on the record's first line
 *   only (empty on the others).
 * - `phase`: `load` for the records of the load phase (Workload.nextLoad), `run` for
 *   the others (warm-up records are run records). Load records come first when the
 *   caller loads before it runs, as `tiersim run` does.
 * - The comment line names the recorded workload and its key size, which replay uses.
 *
 * The recorder does no I/O: it writes through a sink callback. openTraceSink() is the
 * file sink (buffered, written under a temporary name and renamed at close; a name
 * ending in .gz is written gzip-compressed).
 */
import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../sim/errors.ts';
import { OP_NAMES, type RecordBuf, type Workload } from '../sim/workload.ts';

export type StateTraceFormat = 'csv' | 'jsonl';

/** The CSV columns, in the order the recorder writes them. */
export const STATE_TRACE_COLUMNS = ['time_us', 'op', 'key', 'value_bytes', 'token', 'record', 'cpu_us', 'phase'] as const;

/** jsonl for .jsonl, .ndjson and .json file names (before a .gz), csv otherwise. */
export function stateTraceFormatFromPath(path: string): StateTraceFormat {
  return /\.(jsonl|ndjson|json)(\.gz)?$/i.test(path) ? 'jsonl' : 'csv';
}

export interface RecorderOptions {
  /** Default csv. */
  format?: StateTraceFormat;
  /** When given, time_us is clock() at the moment a record is handed out, not the record's own event time. */
  clock?: () => number;
}

function num(n: number, what: string): string {
  if (!Number.isFinite(n)) throw new Error(`state trace: ${what} ${n} is not a finite number`);
  return String(n); // shortest text that reads back to the same double
}

/**
 * Wraps a workload; every record it hands out (nextLoad and next) is written to the
 * sink as it is handed out. Name, key size and describe() are the inner workload's, so
 * a recorded run summarises exactly as an unrecorded one.
 */
export class StateTraceRecorder implements Workload {
  readonly name: string;
  readonly keyBytes: number;
  readonly format: StateTraceFormat;
  nextLoad?: (rec: RecordBuf) => boolean;
  loadProgress?: () => number;
  streamProgress?: () => number;
  /** Records written so far. */
  records = 0;
  /** Operation lines written so far. */
  lines = 0;
  private readonly clock: (() => number) | undefined;

  constructor(readonly inner: Workload, private readonly sink: (chunk: string) => void, options: RecorderOptions = {}) {
    this.name = inner.name;
    this.keyBytes = inner.keyBytes;
    this.format = options.format ?? 'csv';
    this.clock = options.clock;
    const safeName = inner.name.replace(/[^\w.-]/g, '_');
    sink(this.format === 'csv'
      ? `# tiersim state trace v1: workload=${safeName} key_bytes=${inner.keyBytes}\n${STATE_TRACE_COLUMNS.join(',')}\n`
      : `{"tiersim_state_trace":1,"workload":${JSON.stringify(inner.name)},"key_bytes":${inner.keyBytes}}\n`);
    if (inner.nextLoad) {
      const load = inner.nextLoad.bind(inner);
      this.nextLoad = (rec) => {
        if (!load(rec)) return false;
        this.write(rec, 'load');
        return true;
      };
    }
    if (inner.loadProgress) this.loadProgress = () => inner.loadProgress!();
    if (inner.streamProgress) this.streamProgress = () => inner.streamProgress!();
  }

  next(rec: RecordBuf): boolean {
    if (!this.inner.next(rec)) return false;
    this.write(rec, 'run');
    return true;
  }

  describe(): Record<string, unknown> {
    return this.inner.describe();
  }

  private write(rec: RecordBuf, phase: 'load' | 'run'): void {
    const index = this.records++;
    const time = num(this.clock ? this.clock() : rec.timeUs, 'time_us');
    const cpu = num(rec.cpuUs, 'cpu_us');
    let out = '';
    if (this.format === 'csv') {
      if (rec.count === 0) out = `${time},none,0,0,0,${index},${cpu},${phase}\n`;
      for (let i = 0; i < rec.count; i++) {
        out += `${time},${OP_NAMES[rec.types[i]!]},${num(rec.keys[i]!, 'key')},${rec.sizes[i]},${rec.tokens[i]},${index},${i === 0 ? cpu : ''},${phase}\n`;
      }
    } else {
      if (rec.count === 0) out = `{"time_us":${time},"op":"none","key":0,"value_bytes":0,"token":0,"record":${index},"cpu_us":${cpu},"phase":"${phase}"}\n`;
      for (let i = 0; i < rec.count; i++) {
        out += `{"time_us":${time},"op":"${OP_NAMES[rec.types[i]!]}","key":${num(rec.keys[i]!, 'key')},"value_bytes":${rec.sizes[i]},"token":${rec.tokens[i]},"record":${index}${i === 0 ? `,"cpu_us":${cpu}` : ''},"phase":"${phase}"}\n`;
      }
    }
    this.lines += Math.max(1, rec.count);
    this.sink(out);
  }
}

/** `recordingWorkload(inner, sink)`: the recorder as a plain Workload. */
export function recordingWorkload(inner: Workload, sink: (chunk: string) => void, options: RecorderOptions = {}): StateTraceRecorder {
  return new StateTraceRecorder(inner, sink, options);
}

export interface TraceSink {
  readonly path: string;
  /** Appends a chunk (buffered). A bound function: pass `sink.write` as the recorder's sink. */
  readonly write: (chunk: string) => void;
  /** Flushes and renames the temporary file to `path`: the trace appears whole. */
  close(): void;
  /** Deletes the temporary file: no trace at all (use when the run failed). */
  abort(): void;
}

/**
 * A file sink for the recorder: chunks are buffered (64 KiB: a larger buffer keeps
 * more strings alive and costs more in garbage collection than it saves; 1 MiB for
 * gzip, whose members compress better the longer they are) and written
 * to a temporary file beside `path` (`.tiersim-tmp-<pid>-<name>`), renamed to `path`
 * by close(). A run that fails calls abort() and leaves no partial trace.
 */
export function openTraceSink(path: string, bufferBytes?: number): TraceSink {
  if (/\.(zst|zstd)$/i.test(path)) throw new InputError(`${path}: tiersim reads zstd traces but writes only gzip (.gz) or plain ones`);
  // gzip: each flush is a gzip member of its own (a reader takes them as one stream), 1 MiB of text each.
  const gzip = /\.gz$/i.test(path);
  const buffer = bufferBytes ?? (gzip ? 1 << 20 : 1 << 16);
  const tmp = join(dirname(path), `.tiersim-tmp-${process.pid}-${basename(path)}`);
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(tmp, 'w');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot write the trace (${code ?? String(err)})`);
  }
  let parts: string[] = [];
  let pending = 0;
  let open = true;
  const flush = () => {
    if (parts.length === 0) return;
    const text = Buffer.from(parts.join(''), 'utf8');
    const data = gzip ? gzipSync(text) : text;
    parts = [];
    pending = 0;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  };
  return {
    path,
    write: (chunk: string) => {
      if (!open) throw new Error(`${path}: trace sink already closed`);
      parts.push(chunk);
      pending += chunk.length;
      if (pending >= buffer) flush();
    },
    close: () => {
      if (!open) return;
      open = false;
      try {
        flush();
        closeSync(fd);
        renameSync(tmp, path);
      } catch (err) {
        try { closeSync(fd); } catch { /* already closed */ }
        try { unlinkSync(tmp); } catch { /* already gone */ }
        throw err;
      }
    },
    abort: () => {
      if (!open) return;
      open = false;
      parts = [];
      closeSync(fd);
      try { unlinkSync(tmp); } catch { /* already gone */ }
    },
  };
}
