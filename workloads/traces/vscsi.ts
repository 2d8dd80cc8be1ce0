/**
 * VMware vscsi traces as libCacheSim reads them (traceReader/customizedReader/vscsi.h):
 * two record layouts, told apart by the version byte (the high byte of `ver`) of the
 * first two records.
 *   v1, 32 bytes: { u32 sn; u32 len; u32 nSG; u16 cmd; u16 ver; u64 lbn; u64 ts }
 *   v2, 40 bytes: { u16 cmd; u16 ver; u32 sn; u32 len; u32 nSG; u64 lbn; u64 ts; u64 rt }
 * The object is the logical block number (id = lbn) and its size the request length
 * in bytes (size = len); time is ts in microseconds, made seconds as libCacheSim does.
 * Like libCacheSim, a request is one object however many blocks it spans.
 */
import { InputError } from '../../sim/errors.ts';
import type { TraceBatch } from './batch.ts';
import { BinaryRecordReader } from './binary-records.ts';
import { FileChunks } from './file-chunks.ts';
import { idFromU64 } from './ids.ts';

const V1_BYTES = 32;
const V2_BYTES = 40;
const TWO32 = 4294967296;

/** Reads the first bytes of the file and decides the record layout. */
function detectVersion(path: string): 1 | 2 {
  const f = new FileChunks(path, 2 * V2_BYTES);
  try {
    while (f.available < 2 * V2_BYTES && f.fill());
    const b = f.buf;
    const n = f.available;
    if (n === 0) throw new InputError(`${path}: empty trace (no requests)`);
    // Each version is tested on the records the file has, at most two (libCacheSim tests two).
    const versionAt = (off: number): number => b[off + 1]!; // high byte of a little-endian u16
    const test = (recBytes: number, verOff: number, version: number): boolean => {
      const records = Math.min(2, Math.floor(n / recBytes));
      if (records === 0) return false;
      for (let r = 0; r < records; r++) if (versionAt(r * recBytes + verOff) !== version) return false;
      return true;
    };
    if (test(V2_BYTES, 2, 2)) return 2;
    if (test(V1_BYTES, 14, 1)) return 1;
    throw new InputError(`${path} record 1: not a vscsi trace (no version 1 or 2 record header)`);
  } finally {
    f.close();
  }
}

export class VscsiReader extends BinaryRecordReader {
  readonly format = 'vscsi' as const;
  readonly hasNextAccess = false;
  readonly version: 1 | 2;

  constructor(path: string) {
    const version = detectVersion(path);
    super(path, version === 1 ? V1_BYTES : V2_BYTES);
    this.version = version;
  }

  protected decode(view: DataView, off: number, batch: TraceBatch, i: number): void {
    if (this.version === 1) {
      batch.size[i] = view.getUint32(off + 4, true);
      batch.id[i] = idFromU64(view.getUint32(off + 20, true), view.getUint32(off + 16, true));
      batch.time[i] = Math.floor((view.getUint32(off + 28, true) * TWO32 + view.getUint32(off + 24, true)) / 1e6);
    } else {
      batch.size[i] = view.getUint32(off + 8, true);
      batch.id[i] = idFromU64(view.getUint32(off + 20, true), view.getUint32(off + 16, true));
      batch.time[i] = Math.floor((view.getUint32(off + 28, true) * TWO32 + view.getUint32(off + 24, true)) / 1e6);
    }
  }
}
