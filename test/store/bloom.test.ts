import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BloomFilter, bloomProbes, theoreticalFpr } from '../../sim/store/bloom.ts';
import { mulberry32 } from './helpers.ts';

test('probes per key: round(bits·ln2), clamped to [1, 30]', () => {
  assert.equal(bloomProbes(10), 7);
  assert.equal(bloomProbes(1), 1);
  assert.equal(bloomProbes(0.1), 1);
  assert.equal(bloomProbes(100), 30);
  assert.equal(bloomProbes(16), 11);
});

/** Measures the false-positive rate of a 10 bits/key filter over `keys`, probing `absent`. */
function measure(n: number, key: (i: number) => number, absent: (i: number) => number, probes: number) {
  const f = new BloomFilter(n, 10);
  for (let i = 0; i < n; i++) f.add(key(i));
  for (let i = 0; i < n; i++) assert.ok(f.mayContain(key(i)), `false negative for ${key(i)}`);
  let fp = 0;
  for (let i = 0; i < probes; i++) if (f.mayContain(absent(i))) fp++;
  return { fpr: fp / probes, theory: theoreticalFpr(n, f.numBits, f.k) };
}

test('false-positive rate at 10 bits/key is the textbook (1-e^{-kn/m})^k ≈ 0.82%', () => {
  // Theory: k = 7, m/n = 10: (1 - e^{-0.7})^7 = 0.00819.
  assert.ok(Math.abs(theoreticalFpr(1, 10, 7) - 0.00819) < 0.00001);

  // Random 53-bit keys: present ones even, probes odd, so no probe is present.
  const rnd = mulberry32(42);
  const n = 1_000_000;
  const present = new Float64Array(n);
  for (let i = 0; i < n; i++) present[i] = Math.floor(rnd() * 2 ** 52) * 2;
  const random = measure(n, (i) => present[i]!, () => Math.floor(rnd() * 2 ** 52) * 2 + 1, 1_000_000);
  assert.ok(Math.abs(random.fpr - random.theory) < 0.003, `random keys: measured ${random.fpr}, theory ${random.theory}`);

  // Dense sequential keys (ids 0..n-1) probed with the next ids: structure must not leak through the hash.
  const dense = measure(n, (i) => i, (i) => n + i, 1_000_000);
  assert.ok(Math.abs(dense.fpr - dense.theory) < 0.003, `dense keys: measured ${dense.fpr}, theory ${dense.theory}`);

  // Keys that differ only in their high 21 bits.
  const high = measure(100_000, (i) => i * 2 ** 32, (i) => (100_000 + i) * 2 ** 32, 1_000_000);
  assert.ok(Math.abs(high.fpr - high.theory) < 0.003, `high-bit keys: measured ${high.fpr}, theory ${high.theory}`);
  console.log(`bloom FPR at 10 bits/key: random ${random.fpr}, dense ${dense.fpr}, high bits ${high.fpr}; theory ${random.theory.toFixed(5)}`);
});
