/**
 * libCacheSim's oracleGeneral binary trace: 24-byte little-endian records
 *   { u32 timestamp; u64 obj_id; u32 obj_size; i64 next_access_vtime }
 * where next_access_vtime is the number of the next request to the same object
 * (libCacheSim's traceConv counts from 1), or -1 (also INT64_MAX) when there is none.
 */
import type { TraceBatch } from './batch.ts';
import { BinaryRecordReader } from './binary-records.ts';
import { idFromU64 } from './ids.ts';

const RECORD_BYTES = 24;
const TWO32 = 4294967296;

export class OracleGeneralReader extends BinaryRecordReader {
  readonly format = 'oracleGeneral' as const;
  readonly hasNextAccess = true;

  constructor(path: string) {
    super(path, RECORD_BYTES);
  }

  protected decode(view: DataView, off: number, batch: TraceBatch, i: number): void {
    batch.time[i] = view.getUint32(off, true);
    batch.id[i] = idFromU64(view.getUint32(off + 8, true), view.getUint32(off + 4, true));
    batch.size[i] = view.getUint32(off + 12, true);
    const hi = view.getInt32(off + 20, true);
    // Negative (-1) or beyond 2^53 (INT64_MAX): no future request. traceConv counts
    // requests from 1; batches count from 0.
    batch.nextAccess[i] = hi < 0 || hi >= 0x200000 ? Infinity : hi * TWO32 + view.getUint32(off + 16, true) - 1;
  }
}
