/**
 * What an entry is: the value types, the encoded size that cuts blocks and sizes
 * files and memtables, and the out-struct that lookups fill instead of allocating.
 */

/** Value types, as in RocksDB's ValueType (kTypeDeletion, kTypeValue, kTypeMerge). */
export const DELETE = 0;
export const PUT = 1;
export const MERGE = 2;
export type EntryType = typeof DELETE | typeof PUT | typeof MERGE;

/** Sequence number (8 bytes with the type packed in, as RocksDB's internal key trailer). */
const SEQ_TYPE_BYTES = 8;
/** Varint lengths of key and value, and the shared-prefix length, about one byte each. */
const LENGTH_BYTES = 3;

/** Encoded size of one entry: key, value, sequence+type, lengths. */
export function encodedSize(keyBytes: number, valueSize: number): number {
  return keyBytes + valueSize + SEQ_TYPE_BYTES + LENGTH_BYTES;
}

/** One entry's fields, filled in place by lookups (one per caller, reused). */
export class EntryOut {
  seq = 0;
  type: number = PUT;
  size = 0;
  token = 0;
}

/** Keys are integers in [0, 2^53). */
export const MAX_KEY = 2 ** 53;

export function isValidKey(key: number): boolean {
  return Number.isInteger(key) && key >= 0 && key < MAX_KEY;
}
