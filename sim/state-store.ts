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

/** A stepped operation is complete. */
export const STEP_DONE = -1;

/**
 * A get run as steps instead of a generator, for the executors' hot path: start()
 * returns STEP_DONE when the get is complete, or a simulated time to wait until;
 * after that wait the caller calls resume(), and so on. One per caller, reused.
 */
export interface SteppedGet {
  start(io: IoContext, key: number, out: ValueOut): number;
  resume(io: IoContext): number;
}

export interface StateStore {
  get(io: IoContext, key: number, out: ValueOut): Sim<boolean>;
  /** Several gets in one grouped lookup that shares block reads (FLIP-426). */
  multiGet(io: IoContext, keys: Float64Array, count: number, outs: ValueOut[]): Sim<void>;
  put(io: IoContext, key: number, size: number, token: number): Sim<void>;
  delete(io: IoContext, key: number): Sim<void>;
  merge(io: IoContext, key: number, size: number, token: number): Sim<void>;
  /** Visits up to `count` live entries from `start` on, in key order; returns how many. */
  scan(io: IoContext, start: number, count: number, visit?: ScanVisitor): Sim<number>;
  /** Optional: a get that runs as steps (same effects as get()). */
  steppedGet?(): SteppedGet;
  /** Optional: a put applied at once, true; false (nothing done) when it must wait, e.g. for a write stall: use put(). */
  tryPut?(io: IoContext, key: number, size: number, token: number): boolean;
}
