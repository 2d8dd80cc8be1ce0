/**
 * What the execution model needs of a state store: the key-value operations as
 * simulated processes. The LSM store (sim/store/db.ts) implements it; so does the
 * verifying wrapper that checks every read against a reference model.
 */
import type { IoContext } from './local-cache.ts';
import type { Sim } from './process.ts';

/** Where a get leaves its result, reused across calls. */
export class ValueOut {
  found = false;
  size = 0;
  token = 0;
}

export type ScanVisitor = (key: number, size: number, token: number) => void;

export interface StateStore {
  get(io: IoContext, key: number, out: ValueOut): Sim<boolean>;
  /** Several gets in one grouped lookup that shares block reads (FLIP-426). */
  multiGet(io: IoContext, keys: Float64Array, count: number, outs: ValueOut[]): Sim<void>;
  put(io: IoContext, key: number, size: number, token: number): Sim<void>;
  delete(io: IoContext, key: number): Sim<void>;
  merge(io: IoContext, key: number, size: number, token: number): Sim<void>;
  /** Visits up to `count` live entries from `start` on, in key order; returns how many. */
  scan(io: IoContext, start: number, count: number, visit?: ScanVisitor): Sim<number>;
}
