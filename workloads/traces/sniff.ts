/**
 * Telling a text trace's format from its first line, for files whose name does not
 * say (RocksDB's human-readable block-cache traces have no usual extension; CacheLib
 * traces are .csv files that libCacheSim's csv reader could only read with a column
 * mapping).
 */
import type { TraceFormat } from './batch.ts';
import { FileChunks } from './file-chunks.ts';

/** The first non-blank line (up to 64 KiB of it), or undefined. */
function firstLine(path: string): string | undefined {
  const f = new FileChunks(path, 1 << 16);
  try {
    for (;;) {
      const nl = f.buf.subarray(f.start, f.end).indexOf(10);
      if (nl < 0 && !f.eof && f.available < 1 << 16) {
        f.fill();
        continue;
      }
      const end = nl < 0 ? f.end : f.start + nl;
      const line = f.buf.toString('latin1', f.start, end).replace(/\r$/, '');
      if (line.trim() !== '') return line;
      if (nl < 0) return undefined;
      f.start = end + 1;
    }
  } finally {
    f.close();
  }
}

/**
 * cachelib-block: a header naming block_id, op_name, io_offset and io_size;
 * cachelib-kvcache: a header naming key, op and size;
 * rocksdb-block-csv: 21 comma-separated fields, all unsigned integers but the sixth.
 * Undefined otherwise.
 */
export function sniffTraceFormat(path: string): TraceFormat | undefined {
  const line = firstLine(path);
  if (line === undefined) return undefined;
  const fields = line.split(',').map((f) => f.trim());
  const has = (...names: string[]) => names.every((n) => fields.includes(n));
  if (has('block_id', 'op_name', 'io_offset', 'io_size')) return 'cachelib-block';
  if (has('key', 'op', 'size')) return 'cachelib-kvcache';
  if (fields.length === 21 && fields.every((f, i) => i === 5 || /^\d+$/.test(f))) return 'rocksdb-block-csv';
  return undefined;
}
