/**
 * The merge operator: append, as Flink's list state uses RocksDB's StringAppend.
 * A value is a byte string we never store; its token is the string's polynomial
 * hash h(s) = Σ s[i]·P^(len-1-i) mod 2^32, so h(a ++ b) = h(a)·P^len(b) + h(b).
 * That combine is associative, which lets flush, compaction and reads fold
 * operands partially, in any grouping, and still agree.
 */
import { DELETE, MERGE, PUT } from './format.ts';

/** The hash base: odd, so P^n never collapses to 0 mod 2^32 (FNV's prime). */
export const MERGE_P = 0x01000193;

const SMALL = 4096;
const SMALL_POWERS = new Uint32Array(SMALL);
SMALL_POWERS[0] = 1;
for (let i = 1; i < SMALL; i++) SMALL_POWERS[i] = Math.imul(SMALL_POWERS[i - 1]!, MERGE_P) >>> 0;

/** P^n mod 2^32 for an integer n ≥ 0 (table for small n, else square-and-multiply). */
export function powP(n: number): number {
  if (n < SMALL) return SMALL_POWERS[n]!;
  let result = 1;
  let base = MERGE_P;
  while (n > 0) {
    // n may exceed 2^32 (a long list), so halve with arithmetic, not shifts.
    const bit = n % 2;
    if (bit === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    n = (n - bit) / 2;
  }
  return result >>> 0;
}

/** Token of a ++ b, given a's token and b's size and token. */
export function mergeToken(aToken: number, bSize: number, bToken: number): number {
  return (Math.imul(aToken, powP(bSize)) + bToken) >>> 0;
}

/** The token of real bytes; the model's definition, for tests and trace readers. */
export function tokenOfBytes(bytes: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, MERGE_P) + (bytes[i]! & 0xff)) >>> 0;
  return h;
}

/** Nothing seen yet. */
export const ACC_EMPTY = 0;
/** Only merge operands so far: the value is their concatenation, base still unknown. */
export const ACC_OPERANDS = 1;
/** A PUT or DELETE base was found: the value is final and older versions do not matter. */
export const ACC_RESOLVED = 2;

/**
 * Resolves one key's versions fed newest first, like RocksDB's GetContext and
 * MergeHelper: merge operands fold onto each other until a base (PUT or DELETE)
 * ends the walk. One per caller, reset per key; it never allocates.
 */
export class MergeAccumulator {
  state = ACC_EMPTY;
  /** Sequence number of the newest version (the resolved entry keeps it). */
  seq = 0;
  /** PUT or DELETE when resolved; MERGE while only operands were seen. */
  type: number = PUT;
  size = 0;
  token = 0;

  reset(): void {
    this.state = ACC_EMPTY;
    this.seq = 0;
    this.type = PUT;
    this.size = 0;
    this.token = 0;
  }

  /** Feeds the next older version; true once resolved (later calls are ignored). */
  add(seq: number, type: number, size: number, token: number): boolean {
    if (this.state === ACC_RESOLVED) return true;
    if (this.state === ACC_EMPTY) {
      this.seq = seq;
      this.type = type;
      this.size = size;
      this.token = token;
      this.state = type === MERGE ? ACC_OPERANDS : ACC_RESOLVED;
      return this.state === ACC_RESOLVED;
    }
    // Operands so far are newer than this version: value = this ++ operands.
    if (type === DELETE) {
      // A tombstone is the empty value: the operands stand alone.
      this.type = PUT;
      this.state = ACC_RESOLVED;
      return true;
    }
    this.token = mergeToken(token, this.size, this.token);
    this.size += size;
    if (type === PUT) {
      this.type = PUT;
      this.state = ACC_RESOLVED;
      return true;
    }
    return false;
  }

  /** For a read: whether the key has a value once every version has been fed. */
  found(): boolean {
    if (this.state === ACC_OPERANDS) return true; // operands onto nothing
    return this.state === ACC_RESOLVED && this.type === PUT;
  }
}
