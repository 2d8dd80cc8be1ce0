/**
 * What trace readers produce: requests in reusable typed-array batches, read
 * from the file in fixed-size chunks, so a trace larger than memory streams.
 */

export type TraceFormat = 'oracleGeneral' | 'vscsi' | 'csv' | 'txt' | 'rocksdb-block-csv' | 'cachelib-kvcache' | 'cachelib-block';

export interface TraceBatch {
  /** Requests filled in by the last read. */
  n: number;
  readonly capacity: number;
  /** Request time in the trace's unit (seconds for oracleGeneral and vscsi). */
  readonly time: Float64Array;
  /** Object id: an integer below 2^53 (wider ids are folded by a hash). */
  readonly id: Float64Array;
  /** Object size in bytes. */
  readonly size: Float64Array;
  /** Index of the next request to the same object, Infinity if none; only when the reader's hasNextAccess. */
  readonly nextAccess: Float64Array;
}

export function newBatch(capacity = 8192): TraceBatch {
  return {
    n: 0,
    capacity,
    time: new Float64Array(capacity),
    id: new Float64Array(capacity),
    size: new Float64Array(capacity),
    nextAccess: new Float64Array(capacity),
  };
}

export interface TraceReader {
  /** The path as the user gave it; error messages name it. */
  readonly path: string;
  readonly format: TraceFormat;
  /** True when records carry the next access time (oracleGeneral). */
  readonly hasNextAccess: boolean;
  /**
   * Where the format has them (RocksDB's block-cache traces): the last batch's
   * no_insert flags, 1 for a lookup that must not insert the block on a miss.
   */
  readonly noInsert?: Uint8Array;
  /** File bytes consumed so far and in total, for progress. */
  readonly bytesRead: number;
  readonly totalBytes: number;
  /**
   * Fills `batch` with the next requests and returns how many (also in batch.n);
   * 0 at the end. Malformed input throws an InputError naming the file and the
   * record or line; a trace without any request is malformed too.
   */
  read(batch: TraceBatch): number;
  /** Starts again at the first request, for another pass. */
  rewind(): void;
  close(): void;
}
