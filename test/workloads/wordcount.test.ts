/** WordCount: get then put of one word's count per record, state growing as words arrive. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../sim/errors.ts';
import { OP_GET, OP_PUT, RecordBuf } from '../../sim/workload.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { WordCountWorkload } from '../../workloads/wordcount.ts';
import { runConfig } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

test('each record reads a word\'s 8-byte count and writes it back; 16-byte keys', () => {
  const w = makeWorkload('wordcount', { uniqueWords: 50_000 }, 1);
  assert.equal(w.keyBytes, 16);
  const rec = new RecordBuf();
  for (let i = 0; i < 10_000; i++) {
    w.next(rec);
    assert.equal(rec.count, 2);
    assert.equal(rec.types[0], OP_GET);
    assert.equal(rec.types[1], OP_PUT);
    assert.equal(rec.keys[0], rec.keys[1]);
    assert.equal(rec.sizes[1], 8);
  }
});

test('uniform words: distinct words seen follow U·(1 − e^(−N/U)); no load phase by default', () => {
  const U = 100_000;
  const N = 100_000;
  const w = makeWorkload('wordcount', { uniqueWords: U }, 9);
  const rec = new RecordBuf();
  assert.equal(w.nextLoad!(rec), false, 'the state starts empty');
  const seen = new Set<number>();
  for (let i = 0; i < N; i++) { w.next(rec); seen.add(rec.keys[0]!); }
  const expected = U * (1 - Math.exp(-N / U));
  assert.ok(Math.abs(seen.size / expected - 1) < 0.01, `${seen.size} distinct vs ${expected}`);
});

test('zipfian words: the most frequent word has p(rank 0) of the records', () => {
  const w = makeWorkload('wordcount', { uniqueWords: 100_000, distribution: 'zipfian' }, 4);
  const rec = new RecordBuf();
  const freq = new Map<number, number>();
  const n = 100_000;
  for (let i = 0; i < n; i++) { w.next(rec); freq.set(rec.keys[0]!, (freq.get(rec.keys[0]!) ?? 0) + 1); }
  const top = Math.max(...freq.values());
  assert.ok(Math.abs(top / n * 26.46902820178302 - 1) < 0.05, `top share ${top / n}`);
});

test('preloadWords loads that many distinct words with a count', () => {
  const w = new WordCountWorkload({ uniqueWords: 10_000, preloadWords: 3000 }, 1);
  const rec = new RecordBuf();
  const keys = new Set<number>();
  while (w.nextLoad(rec)) { assert.equal(rec.sizes[0], 8); keys.add(rec.keys[0]!); }
  assert.equal(keys.size, 3000);
});

test('bad parameters are one-line InputErrors naming the parameter', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ uniqueWords: 0 }, /uniqueWords/],
    [{ uniqueWords: -3 }, /uniqueWords/],
    [{ words: 5 }, /unknown parameter.*words/],
    [{ distribution: 'zipfian', zipfianConstant: 1 }, /zipfianConstant/],
    [{ uniqueWords: 10, preloadWords: 11 }, /preloadWords/],
  ];
  for (const [params, re] of cases) {
    assert.throws(() => makeWorkload('wordcount', params, 1), (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, re);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  }
});

test('a verified run: first occurrences find nothing, later ones the last count', () => {
  const s = simulate(runConfig.parse({
    workload: 'wordcount', workloadParams: { uniqueWords: 5000 }, records: 10_000, verify: true, managedMemory: 16 * 2 ** 20,
  }), () => 0).summary as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(s.ops, 20_000);
  assert.equal(s.verify.mismatches, 0, JSON.stringify(s.verify.firstMismatches));
  assert.equal(s.verify.reads, 10_000);
});
