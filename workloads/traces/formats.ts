/**
 * The trace formats by name, one line each, and opening a trace: an unknown format
 * is an InputError listing the known ones. Without a format, the file name's
 * extension decides (.oracleGeneral / .bin, .vscsi, .csv, .txt); for a text file
 * without --csv, the first line may name a CacheLib or RocksDB trace instead (sniff.ts).
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceFormat, TraceReader } from './batch.ts';
import { CacheLibBlockReader, CacheLibKvcacheReader } from './cachelib.ts';
import { CsvReader, parseCsvOptions } from './csv.ts';
import { OracleGeneralReader } from './oracle-general.ts';
import { RocksDbBlockCsvReader } from './rocksdb-block-csv.ts';
import { sniffTraceFormat } from './sniff.ts';
import { TxtReader } from './txt.ts';
import { VscsiReader } from './vscsi.ts';

export interface OpenTraceOptions {
  /** libCacheSim-style reader parameters (csv column mapping; obj-id-is-num for txt). */
  csv?: string;
}

export const TRACE_FORMATS: Readonly<Record<TraceFormat, (path: string, o: OpenTraceOptions) => TraceReader>> = {
  oracleGeneral: (path) => new OracleGeneralReader(path),
  vscsi: (path) => new VscsiReader(path),
  csv: (path, o) => new CsvReader(path, parseCsvOptions(o.csv ?? '')),
  txt: (path, o) => new TxtReader(path, parseCsvOptions(o.csv ?? '').objIdIsNum),
  'rocksdb-block-csv': (path) => new RocksDbBlockCsvReader(path),
  'cachelib-kvcache': (path) => new CacheLibKvcacheReader(path),
  'cachelib-block': (path) => new CacheLibBlockReader(path),
};

/** The canonical name of a format given in any letter case. */
export function traceFormatName(name: string): TraceFormat {
  const found = (Object.keys(TRACE_FORMATS) as TraceFormat[]).find((f) => f.toLowerCase() === name.trim().toLowerCase());
  if (!found) throw new InputError(`--format: unknown trace format '${name}' (known: ${Object.keys(TRACE_FORMATS).join(', ')})`);
  return found;
}

/** The format implied by a file name (a compressed file's by the name before `.zst` or `.gz`), if any. */
export function formatFromPath(path: string): TraceFormat | undefined {
  const p = path.toLowerCase().replace(/\.(zst|zstd|gz)$/, ''); // compressed: the name before it
  if (p.endsWith('.oraclegeneral') || p.endsWith('.oraclegeneral.bin') || p.endsWith('.bin')) return 'oracleGeneral';
  if (p.endsWith('.vscsi')) return 'vscsi';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.txt')) return 'txt';
  return undefined;
}

export function openTrace(path: string, format?: string, options: OpenTraceOptions = {}): TraceReader {
  let name: TraceFormat;
  if (format === undefined || format === '') {
    let guess = formatFromPath(path);
    if ((guess === undefined || guess === 'csv' || guess === 'txt') && options.csv === undefined) guess = sniffTraceFormat(path) ?? guess;
    if (!guess) throw new InputError(`${path}: cannot tell the trace format from the name; give --format (${Object.keys(TRACE_FORMATS).join(', ')})`);
    name = guess;
  } else {
    name = traceFormatName(format);
  }
  return TRACE_FORMATS[name](path, options);
}
