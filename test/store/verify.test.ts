/**
 * The verifying wrapper against stores whose behaviour is known: a plain in-memory
 * store (every read right, so no mismatch may be reported) and the same store with
 * one fault each (every fault must be reported), over random operation sequences
 * with scans, merges, deletes, checkpoints and restores.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { IoContext } from '../../sim/local-cache.ts';
import type { Sim } from '../../sim/process.ts';
import { ValueOut, type ScanVisitor, type StateStore } from '../../sim/state-store.ts';
import { mergeToken } from '../../sim/store/merge.ts';
import { VerifyingStore } from '../../sim/store/verify.ts';

type Fault = 'none' | 'lost-put' | 'lost-delete' | 'plain-merge' | 'scan-skips' | 'scan-stops';

/** A store in a Map: no simulated time, every operation at once; `fault` breaks one thing. */
class MapStore implements StateStore {
  readonly data: Map<number, { size: number; token: number }>;
  constructor(private readonly fault: Fault, data?: Map<number, { size: number; token: number }>) {
    this.data = new Map(data);
  }
  *get(_io: IoContext, key: number, out: ValueOut): Sim<boolean> {
    const v = this.data.get(key);
    out.found = v !== undefined; out.size = v?.size ?? 0; out.token = v?.token ?? 0;
    return out.found;
  }
  *multiGet(io: IoContext, keys: Float64Array, count: number, outs: ValueOut[]): Sim<void> {
    for (let i = 0; i < count; i++) yield* this.get(io, keys[i]!, outs[i]!);
  }
  *put(_io: IoContext, key: number, size: number, token: number): Sim<void> {
    if (this.fault === 'lost-put' && key % 7 === 3) return;
    this.data.set(key, { size, token });
  }
  *delete(_io: IoContext, key: number): Sim<void> {
    if (this.fault === 'lost-delete' && key % 7 === 3) return;
    this.data.delete(key);
  }
  *merge(_io: IoContext, key: number, size: number, token: number): Sim<void> {
    const old = this.data.get(key);
    if (old && this.fault === 'plain-merge') this.data.set(key, { size, token });
    else this.data.set(key, old ? { size: old.size + size, token: mergeToken(old.token, size, token) } : { size, token });
  }
  *scan(_io: IoContext, start: number, count: number, visit?: ScanVisitor): Sim<number> {
    const keys = [...this.data.keys()].filter((k) => k >= start).sort((a, b) => a - b);
    let n = 0;
    for (const k of keys) {
      if (n >= count || (this.fault === 'scan-stops' && n === 2)) break;
      if (this.fault === 'scan-skips' && k % 7 === 3) continue;
      const v = this.data.get(k)!;
      visit?.(k, v.size, v.token);
      n++;
    }
    return n;
  }
  tryPut(io: IoContext, key: number, size: number, token: number): boolean {
    if (key % 2 === 0) return false; // half the puts take the generator path
    drain(this.put(io, key, size, token));
    return true;
  }
}

function drain<T>(sim: Sim<T>): T {
  for (;;) {
    const r = sim.next(0);
    if (r.done) return r.value;
  }
}

type Op =
  | { op: 'put' | 'merge'; key: number; size: number; token: number }
  | { op: 'delete' | 'get'; key: number }
  | { op: 'multiGet'; keys: number[] }
  | { op: 'scan'; key: number; count: number }
  | { op: 'checkpoint' | 'restore' };

const key = fc.integer({ min: 0, max: 40 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('put' as const, 'merge' as const), key, size: fc.integer({ min: 1, max: 100 }), token: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
  fc.record({ op: fc.constantFrom('delete' as const, 'get' as const), key }),
  fc.record({ op: fc.constant('multiGet' as const), keys: fc.array(key, { minLength: 1, maxLength: 5 }) }),
  fc.record({ op: fc.constant('scan' as const), key, count: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ op: fc.constantFrom('checkpoint' as const, 'restore' as const) }),
);

/** Runs `ops` through a verifier over a MapStore with `fault`; restores reopen on a copy of the checkpoint's data. */
function verify(fault: Fault, ops: Op[]): VerifyingStore {
  const io = {} as IoContext;
  let inner = new MapStore(fault);
  const store = new VerifyingStore(inner);
  let checkpoint = { data: new Map(inner.data), reference: store.snapshot() };
  for (const o of ops) {
    switch (o.op) {
      case 'put': if (!store.tryPut(io, o.key, o.size, o.token)) drain(store.put(io, o.key, o.size, o.token)); break;
      case 'merge': drain(store.merge(io, o.key, o.size, o.token)); break;
      case 'delete': drain(store.delete(io, o.key)); break;
      case 'get': drain(store.get(io, o.key, new ValueOut())); break;
      case 'multiGet': drain(store.multiGet(io, Float64Array.from(o.keys), o.keys.length, o.keys.map(() => new ValueOut()))); break;
      case 'scan': drain(store.scan(io, o.key, o.count)); break;
      case 'checkpoint': checkpoint = { data: new Map(inner.data), reference: store.snapshot() }; break;
      case 'restore': inner = new MapStore(fault, checkpoint.data); store.reopen(inner, checkpoint.reference); break;
    }
  }
  return store;
}

test('verify: a store that reads right has no mismatch, through checkpoints and restores', () => {
  fc.assert(fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
    const r = verify('none', ops).report();
    assert.equal(r.mismatches, 0, JSON.stringify(r.firstMismatches));
  }), { numRuns: 300 });
});

test('verify: every fault is reported once a read can see it', () => {
  // Writes to key 3 (faulty in every mode), other keys around it, then the reads that expose each fault.
  const setup: Op[] = [
    { op: 'put', key: 1, size: 10, token: 11 },
    { op: 'put', key: 3, size: 30, token: 33 },
    { op: 'put', key: 5, size: 50, token: 55 },
    { op: 'merge', key: 3, size: 4, token: 44 },
    { op: 'put', key: 10, size: 20, token: 22 },
    { op: 'delete', key: 10 },
  ];
  const cases: [Fault, Op[]][] = [
    ['lost-put', [{ op: 'put', key: 3, size: 31, token: 1 }, { op: 'get', key: 3 }]],
    ['lost-delete', [{ op: 'delete', key: 3 }, { op: 'multiGet', keys: [1, 3] }]],
    ['plain-merge', [{ op: 'get', key: 3 }]],
    ['scan-skips', [{ op: 'scan', key: 0, count: 5 }]],
    ['scan-stops', [{ op: 'scan', key: 0, count: 5 }]],
  ];
  for (const [fault, reads] of cases) {
    assert.equal(verify('none', [...setup, ...reads]).report().mismatches, 0, `${fault}: the right store`);
    const r = verify(fault, [...setup, ...reads]).report();
    assert.ok(r.mismatches >= 1, `${fault}: not reported`);
    assert.ok(r.firstMismatches.some((m) => m.key === 3 || m.op === 'scan'), `${fault}: ${JSON.stringify(r.firstMismatches)}`);
  }
  // After a restore the reference is the checkpoint's: a store reopened on newer data is caught.
  const io = {} as IoContext;
  const inner = new MapStore('none');
  const store = new VerifyingStore(inner);
  drain(store.put(io, 2, 1, 1));
  const cp = store.snapshot();
  drain(store.put(io, 2, 9, 9)); // after the checkpoint: lost by the restore
  store.reopen(inner, cp); // ... but this store still has it
  drain(store.get(io, 2, new ValueOut()));
  assert.equal(store.report().mismatches, 1);
});
