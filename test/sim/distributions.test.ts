import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Empirical, LogNormal, normalQuantile } from '../../sim/distributions.ts';
import { HotspotKeys, ScrambledZipfianKeys, UniformKeys, ZipfianKeys, fnvHash64Mod, zeta } from '../../sim/key-choosers.ts';
import { Rng } from '../../sim/random.ts';
import { InputError } from '../../sim/errors.ts';

function quantileOf(samples: Float64Array, q: number): number {
  const s = Float64Array.from(samples).sort();
  return s[Math.floor(q * (s.length - 1))]!;
}

test('lognormal given p50 and p99 reproduces them', () => {
  const d = new LogNormal(1500, 6000);
  const rng = Rng.stream(1, 'ln');
  const xs = new Float64Array(200_000).map(() => d.sample(rng));
  assert.ok(Math.abs(quantileOf(xs, 0.5) / 1500 - 1) < 0.01);
  assert.ok(Math.abs(quantileOf(xs, 0.99) / 6000 - 1) < 0.03);
  assert.ok(Math.abs(d.quantile(0.99) - 6000) < 1e-3);
});

test('normal quantiles match tables', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.99) - 2.326348) < 1e-5);
  assert.ok(Math.abs(normalQuantile(0.001) + 3.090232) < 1e-5);
});

test('empirical resampling keeps the measured quantiles', () => {
  const samples = Array.from({ length: 1001 }, (_, i) => i); // 0..1000
  const d = new Empirical(samples);
  assert.equal(d.quantile(0.5), 500);
  assert.equal(d.quantile(0.9), 900);
  assert.equal(d.mean, 500);
});

test('streams are independent of each other and reproducible', () => {
  const a1 = Rng.stream(42, 'dfs'), a2 = Rng.stream(42, 'dfs'), b = Rng.stream(42, 'disk');
  const xs = [a1.next(), a1.next(), a1.next()];
  assert.deepEqual(xs, [a2.next(), a2.next(), a2.next()]);
  assert.notDeepEqual(xs, [b.next(), b.next(), b.next()]);
});

test('ζ(n, θ) by Euler–Maclaurin agrees with YCSB\'s precomputed ζ(10^10, 0.99)', () => {
  assert.ok(Math.abs(zeta(10_000_000_000, 0.99) - 26.46902820178302) < 1e-6);
  let direct = 0;
  for (let i = 1; i <= 3_000_000; i++) direct += i ** -0.99;
  assert.ok(Math.abs(zeta(3_000_000, 0.99) - direct) < 1e-8);
});

// Gray et al.'s method (YCSB's) is exact for the two most popular items and an
// approximation for the rest, so those two are checked against the analytic share.
test('zipfian: top-key shares within 5% of the analytic value', () => {
  const n = 100_000;
  const z = new ZipfianKeys(n, 0.99);
  const rng = Rng.stream(3, 'zipf');
  const counts = new Uint32Array(n);
  const draws = 2_000_000;
  for (let i = 0; i < draws; i++) counts[z.next(rng)]!++;
  for (const rank of [0, 1]) {
    const expected = (rank + 1) ** -0.99 / zeta(n, 0.99);
    const measured = counts[rank]! / draws;
    assert.ok(Math.abs(measured / expected - 1) < 0.05, `rank ${rank}: ${measured} vs ${expected}`);
  }
});

test('scrambled zipfian uses YCSB\'s FNV-1a 64 hash', () => {
  // FNV-1a 64 of eight zero bytes is 0xA8C7F832281A39C5; YCSB takes Math.abs of the signed value.
  const abs = (1n << 64n) - 0xa8c7f832281a39c5n;
  for (const n of [7, 1000, 123_456_789, 10_000_000_000]) {
    assert.equal(fnvHash64Mod(0, n), Number(abs % BigInt(n)));
  }
  // Against the definition in BigInt arithmetic, for many inputs and moduli.
  const fnv = (v: number): bigint => {
    let h = 0xcbf29ce484222325n;
    let x = BigInt(v);
    for (let i = 0; i < 8; i++) {
      h ^= x & 0xffn;
      x >>= 8n;
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return h >= 1n << 63n ? (1n << 64n) - h : h;
  };
  const draw = Rng.stream(5, 'fnv');
  for (let i = 0; i < 3000; i++) {
    const v = i < 1000 ? i : Math.floor(draw.next() * 2 ** (1 + (i % 53)));
    for (const n of [1, 7, 1000, 2 ** 21, 2 ** 21 + 1, 10_000_000, 2 ** 36 - 1, 2 ** 36, 2 ** 36 + 1, 2 ** 37 - 1]) {
      assert.equal(fnvHash64Mod(v, n), Number(fnv(v) % BigInt(n)), `v ${v}, n ${n}`);
    }
  }
  const s = new ScrambledZipfianKeys(1000);
  const rng = Rng.stream(1, 'sz');
  for (let i = 0; i < 10000; i++) {
    const k = s.next(rng);
    assert.ok(k >= 0 && k < 1000 && Number.isInteger(k));
  }
});

test('hotspot and uniform stay in range with the configured hot share', () => {
  const rng = Rng.stream(5, 'h');
  const h = new HotspotKeys(1000, 0.1, 0.9);
  let hot = 0;
  for (let i = 0; i < 100_000; i++) if (h.next(rng) < 100) hot++;
  assert.ok(Math.abs(hot / 100_000 - 0.9) < 0.01);
  const u = new UniformKeys(10);
  for (let i = 0; i < 1000; i++) assert.ok(u.next(rng) < 10);
});

test('zipfian θ = 1 is rejected: YCSB\'s generator is undefined there', () => {
  assert.throws(() => new ZipfianKeys(100, 1), InputError);
});
