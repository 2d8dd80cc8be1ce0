/**
 * A store wrapper that checks every read against a reference model kept beside it:
 * an ordered map of resolved values (a B+ tree, so that a scan's expected entries
 * cost their own count, not the key count, and a checkpoint's copy is a clone that
 * shares nodes until either side changes), updated at the moment each write is
 * applied. A get's snapshot is taken when it starts (memtables are read at once, the
 * version is pinned), so it is compared with the reference as of its start.
 */
import btree from 'sorted-btree';
import type { IoContext } from '../local-cache.ts';
import type { Sim } from '../process.ts';
import { ValueOut, type ScanVisitor, type StateStore } from '../state-store.ts';
import { mergeToken } from './merge.ts';

interface Expected {
  size: number;
  token: number;
}

export interface Mismatch {
  op: 'get' | 'multiGet' | 'scan';
  key: number;
  expected: string;
  got: string;
}

// sorted-btree is CommonJS with its class as `exports.default`; Node's ESM loader hands
// over the whole exports object as the default import, a bundler the class itself.
const BTree = (btree as unknown as { default?: typeof btree }).default ?? btree;

/** The reference: key → its resolved value. */
export type Reference = btree<number, Expected>;

const show = (v: Expected | undefined) => (v ? `{size ${v.size}, token ${v.token}}` : 'absent');

export class VerifyingStore implements StateStore {
  private reference: Reference = new BTree<number, Expected>();
  reads = 0;
  mismatches = 0;
  readonly firstMismatches: Mismatch[] = [];

  constructor(private inner: StateStore) {}

  /** The reference as of now, for a checkpoint; later writes do not change it. */
  snapshot(): Reference {
    return this.reference.clone();
  }

  /** After a restore: the new store, and the reference as of the checkpoint it opened. */
  reopen(inner: StateStore, reference: Reference): void {
    this.inner = inner;
    this.reference = reference.clone();
  }

  private check(op: Mismatch['op'], key: number, expected: Expected | undefined, out: ValueOut): void {
    this.reads++;
    const ok = expected ? out.found && out.size === expected.size && out.token === expected.token : !out.found;
    if (ok) return;
    this.mismatches++;
    if (this.firstMismatches.length < 10) {
      this.firstMismatches.push({ op, key, expected: show(expected), got: out.found ? show(out) : 'absent' });
    }
  }

  *get(io: IoContext, key: number, out: ValueOut): Sim<boolean> {
    const expected = this.reference.get(key);
    const found = yield* this.inner.get(io, key, out);
    this.check('get', key, expected, out);
    return found;
  }

  *multiGet(io: IoContext, keys: Float64Array, count: number, outs: ValueOut[]): Sim<void> {
    const expected = Array.from(keys.subarray(0, count), (k) => this.reference.get(k));
    yield* this.inner.multiGet(io, keys, count, outs);
    for (let i = 0; i < count; i++) this.check('multiGet', keys[i]!, expected[i], outs[i]!);
  }

  /** Up to `count` reference entries from `start` on, in key order. */
  private expectedScan(start: number, count: number): [number, Expected][] {
    const out: [number, Expected][] = [];
    if (count <= 0) return out;
    for (const entry of this.reference.entries(start)) {
      out.push(entry);
      if (out.length >= count) break;
    }
    return out;
  }

  *put(io: IoContext, key: number, size: number, token: number): Sim<void> {
    this.reference.set(key, { size, token });
    yield* this.inner.put(io, key, size, token);
  }

  tryPut(io: IoContext, key: number, size: number, token: number): boolean {
    if (!this.inner.tryPut?.(io, key, size, token)) return false;
    this.reference.set(key, { size, token });
    return true;
  }

  *delete(io: IoContext, key: number): Sim<void> {
    this.reference.delete(key);
    yield* this.inner.delete(io, key);
  }

  *merge(io: IoContext, key: number, size: number, token: number): Sim<void> {
    const old = this.reference.get(key);
    this.reference.set(key, old ? { size: old.size + size, token: mergeToken(old.token, size, token) } : { size, token });
    yield* this.inner.merge(io, key, size, token);
  }

  *scan(io: IoContext, start: number, count: number, visit?: ScanVisitor): Sim<number> {
    // The expected entries: the reference's keys from start on, in order, as of the scan's start.
    const expected = this.expectedScan(start, count);
    let i = 0;
    const out = new ValueOut();
    const n = yield* this.inner.scan(io, start, count, (key, size, token) => {
      const e = expected[i++];
      out.found = true; out.size = size; out.token = token;
      this.check('scan', key, e && e[0] === key ? e[1] : undefined, out);
      visit?.(key, size, token);
    });
    if (n < expected.length) {
      this.reads++;
      this.mismatches++;
      if (this.firstMismatches.length < 10) this.firstMismatches.push({ op: 'scan', key: start, expected: `${expected.length} entries`, got: `${n} entries` });
    }
    return n;
  }

  report(): { reads: number; mismatches: number; firstMismatches: Mismatch[] } {
    return { reads: this.reads, mismatches: this.mismatches, firstMismatches: this.firstMismatches };
  }
}
