import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACC_OPERANDS, ACC_RESOLVED, MERGE_P, MergeAccumulator, mergeToken, powP, tokenOfBytes } from '../../sim/store/merge.ts';
import { DELETE, MERGE, PUT } from '../../sim/store/format.ts';

/** A value as the model sees it. */
type Value = { size: number; token: number };
const combine = (a: Value, b: Value): Value => ({ size: a.size + b.size, token: mergeToken(a.token, b.size, b.token) });

test('P^n mod 2^32 agrees with repeated multiplication, small and large n', () => {
  let p = 1;
  for (let n = 0; n <= 10_000; n++) {
    assert.equal(powP(n), p >>> 0, `n = ${n}`);
    p = Math.imul(p, MERGE_P);
  }
  // Exponents past 2^32 (a list longer than 4 GiB in total) still follow P^(a+b) = P^a·P^b.
  for (const [a, b] of [[2 ** 40, 5], [2 ** 33 + 7, 2 ** 20 + 3], [2 ** 52, 2 ** 52 - 1]]) {
    assert.equal(powP(a! + b!), Math.imul(powP(a!), powP(b!)) >>> 0);
  }
});

test('the token of a concatenation is the merge of the tokens (real bytes)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
    const ab = new Uint8Array(a.length + b.length);
    ab.set(a);
    ab.set(b, a.length);
    assert.equal(mergeToken(tokenOfBytes(a), b.length, tokenOfBytes(b)), tokenOfBytes(ab));
  }), { numRuns: 500 });
  assert.equal(tokenOfBytes([]), 0, 'the empty value (a DELETE base) has token 0');
});

test('merge is associative (operands can be folded in any grouping)', () => {
  const value = fc.record({ size: fc.oneof(fc.nat(5000), fc.nat(2 ** 31)), token: fc.nat(0xffffffff) });
  fc.assert(fc.property(value, value, value, (a, b, c) => {
    assert.deepEqual(combine(combine(a, b), c), combine(a, combine(b, c)));
  }), { numRuns: 2000 });
});

test('merge is order sensitive: a ++ b differs from b ++ a', () => {
  assert.notEqual(combine({ size: 3, token: 1 }, { size: 5, token: 2 }).token,
    combine({ size: 5, token: 2 }, { size: 3, token: 1 }).token);
  let differ = 0;
  let total = 0;
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (a, b) => {
    const ta = tokenOfBytes(a);
    const tb = tokenOfBytes(b);
    const ab = mergeToken(ta, b.length, tb);
    const ba = mergeToken(tb, a.length, ta);
    const sameString = a.length === b.length && a.every((x, i) => x === b[i]);
    if (sameString) return;
    total++;
    if (ab !== ba) differ++;
  }), { numRuns: 2000 });
  // Distinct strings whose two concatenations collide in a 32-bit hash are rare.
  assert.ok(differ >= total - 2, `${differ} of ${total} orderings differ`);
});

test('the accumulator folds versions newest first', () => {
  const acc = new MergeAccumulator();
  const x = { size: 4, token: 11 };
  const y = { size: 6, token: 22 };
  const base = { size: 10, token: 33 };
  // merge y, merge x, put base (newest first) = base ++ x ++ y
  acc.add(9, MERGE, y.size, y.token);
  assert.equal(acc.state, ACC_OPERANDS);
  acc.add(8, MERGE, x.size, x.token);
  assert.equal(acc.add(7, PUT, base.size, base.token), true);
  const want = combine(combine(base, x), y);
  assert.deepEqual({ size: acc.size, token: acc.token, type: acc.type, seq: acc.seq }, { ...want, type: PUT, seq: 9 });
  assert.equal(acc.add(6, PUT, 1, 1), true, 'versions after the base are ignored');
  assert.equal(acc.size, want.size);
  assert.equal(acc.found(), true);

  // operands onto a tombstone: the operands alone, as a PUT
  acc.reset();
  acc.add(5, MERGE, x.size, x.token);
  acc.add(4, DELETE, 0, 0);
  assert.deepEqual({ state: acc.state, type: acc.type, size: acc.size, token: acc.token }, { state: ACC_RESOLVED, type: PUT, ...x });

  // a tombstone on top: not found
  acc.reset();
  acc.add(5, DELETE, 0, 0);
  acc.add(4, PUT, 3, 3);
  assert.equal(acc.found(), false);

  // operands onto nothing: found, value = operands onto the empty value
  acc.reset();
  acc.add(5, MERGE, y.size, y.token);
  acc.add(4, MERGE, x.size, x.token);
  assert.equal(acc.found(), true);
  assert.deepEqual({ size: acc.size, token: acc.token, type: acc.type }, { ...combine(x, y), type: MERGE });

  acc.reset();
  assert.equal(acc.found(), false, 'no versions: not found');
});
