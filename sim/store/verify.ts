/**
 * A store wrapper that checks every read against a reference model kept beside it:
 * a plain Map of resolved values, updated at the moment each write is applied.
 * A get's snapshot is taken when it starts (memtables are read at once, the
 * version is pinned), so it is compared with the reference as of its start.
 */
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

const show = (v: Expected | undefined) => (v ? `{size ${v.size}, token ${v.token}}` : 'absent');

export class VerifyingStore implements StateStore {
  readonly reference = new Map<number, Expected>();
  /** Reference keys in order, for scans; keys deleted since stay and are skipped. */
  private sorted: number[] = [];
  /** Keys added since `sorted` was last brought up to date. */
  private added: number[] = [];
  reads = 0;
  mismatches = 0;
  readonly firstMismatches: Mismatch[] = [];

  constructor(private inner: StateStore) {}

  /** After a restore: the new store, and the reference as of the checkpoint it opened. */
  reopen(inner: StateStore, reference: ReadonlyMap<number, Expected>): void {
    this.inner = inner;
    this.reference.clear();
    this.sorted = [];
    this.added = [];
    for (const [k, v] of reference) this.set(k, v);
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

  private set(key: number, value: Expected): void {
    if (!this.reference.has(key)) this.added.push(key);
    this.reference.set(key, value);
  }

  /** Up to `count` live reference entries from `start` on, in key order. */
  private expectedScan(start: number, count: number): [number, Expected][] {
    if (this.added.length > 0) {
      // Merge the new keys in (sorted, deduplicated): linear in the key count.
      this.added.sort((a, b) => a - b);
      const merged: number[] = [];
      const a = this.sorted, b = this.added;
      let i = 0, j = 0;
      while (i < a.length || j < b.length) {
        const k = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
        if (merged.length === 0 || merged[merged.length - 1] !== k) merged.push(k);
      }
      this.sorted = merged;
      this.added = [];
    }
    if (this.sorted.length > 2 * this.reference.size + 1024) this.sorted = this.sorted.filter((k) => this.reference.has(k));
    let lo = 0, hi = this.sorted.length;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (this.sorted[mid]! < start) lo = mid + 1; else hi = mid; }
    const out: [number, Expected][] = [];
    for (let i = lo; i < this.sorted.length && out.length < count; i++) {
      const v = this.reference.get(this.sorted[i]!);
      if (v) out.push([this.sorted[i]!, v]);
    }
    return out;
  }

  *put(io: IoContext, key: number, size: number, token: number): Sim<void> {
    this.set(key, { size, token });
    yield* this.inner.put(io, key, size, token);
  }

  *delete(io: IoContext, key: number): Sim<void> {
    this.reference.delete(key);
    yield* this.inner.delete(io, key);
  }

  *merge(io: IoContext, key: number, size: number, token: number): Sim<void> {
    const old = this.reference.get(key);
    this.set(key, old ? { size: old.size + size, token: mergeToken(old.token, size, token) } : { size, token });
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
