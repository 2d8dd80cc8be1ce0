/**
 * YCSB A–F against their definitions (the workload[a-f] files of YCSB): operation
 * mixes, the scrambled zipfian's most popular key, skewed latest, E's scan lengths,
 * F's read-modify-write records, parameter errors, and a verified run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { InputError } from '../../sim/errors.ts';
import { OP_GET, OP_PUT, OP_SCAN, RecordBuf, type Workload } from '../../sim/workload.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import { YcsbWorkload } from '../../workloads/ycsb.ts';
import { hashedKey, unhashKey } from '../../workloads/common.ts';
import { runConfig, type RunConfigInput } from '../../scripts/lib/config.ts';
import { simulate } from '../../scripts/lib/simulate.ts';

const RECORDS = 150_000;
const RECORD_COUNT = 100_000;

/** Loads the workload, returning the set of loaded keys. */
function load(w: Workload): Set<number> {
  const rec = new RecordBuf();
  const keys = new Set<number>();
  while (w.nextLoad!(rec)) {
    assert.equal(rec.count, 1);
    assert.equal(rec.types[0], OP_PUT);
    keys.add(rec.keys[0]!);
  }
  return keys;
}

type Kind = 'read' | 'update' | 'insert' | 'scan' | 'readModifyWrite';

/** Classifies each record by what it does to the state, from the outside. */
function classify(w: Workload, records: number, onRecord?: (kind: Kind, rec: RecordBuf) => void): Record<Kind, number> {
  const existing = load(w);
  const counts: Record<Kind, number> = { read: 0, update: 0, insert: 0, scan: 0, readModifyWrite: 0 };
  const rec = new RecordBuf();
  for (let i = 0; i < records; i++) {
    assert.ok(w.next(rec));
    let kind: Kind;
    if (rec.count === 2) {
      assert.equal(rec.types[0], OP_GET);
      assert.equal(rec.types[1], OP_PUT);
      assert.equal(rec.keys[0], rec.keys[1], 'read-modify-write on one key');
      assert.ok(existing.has(rec.keys[0]!));
      kind = 'readModifyWrite';
    } else {
      assert.equal(rec.count, 1);
      const key = rec.keys[0]!;
      if (rec.types[0] === OP_GET) { kind = 'read'; assert.ok(existing.has(key), 'reads existing keys'); }
      else if (rec.types[0] === OP_SCAN) { kind = 'scan'; assert.ok(existing.has(key), 'scans start at existing keys'); }
      else if (rec.types[0] === OP_PUT) {
        kind = existing.has(key) ? 'update' : 'insert';
        existing.add(key);
      } else assert.fail(`unexpected op ${rec.types[0]}`);
    }
    counts[kind]++;
    onRecord?.(kind, rec);
  }
  return counts;
}

const DEFINITIONS: Record<string, Partial<Record<Kind, number>>> = {
  'ycsb-a': { read: 0.5, update: 0.5 },
  'ycsb-b': { read: 0.95, update: 0.05 },
  'ycsb-c': { read: 1 },
  'ycsb-d': { read: 0.95, insert: 0.05 },
  'ycsb-e': { scan: 0.95, insert: 0.05 },
  'ycsb-f': { read: 0.5, readModifyWrite: 0.5 },
};

test('each YCSB workload\'s operation mix is within 1 point of its definition', () => {
  for (const [name, def] of Object.entries(DEFINITIONS)) {
    const counts = classify(makeWorkload(name, { recordCount: RECORD_COUNT }, 7), RECORDS);
    for (const kind of Object.keys(counts) as Kind[]) {
      const share = counts[kind] / RECORDS;
      assert.ok(Math.abs(share - (def[kind] ?? 0)) <= 0.01, `${name} ${kind}: ${share} vs ${def[kind] ?? 0}`);
    }
  }
});

test('zipfian (scrambled): the most frequent key has p(rank 0) = 1/ζ(10^10, 0.99) of the reads', () => {
  const w = makeWorkload('ycsb-c', { recordCount: RECORD_COUNT }, 3);
  const freq = new Map<number, number>();
  const rec = new RecordBuf();
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    w.next(rec);
    freq.set(rec.keys[0]!, (freq.get(rec.keys[0]!) ?? 0) + 1);
  }
  const top = Math.max(...freq.values());
  // YCSB's ScrambledZipfianGenerator.ZETAN, its precomputed ζ(10^10, 0.99).
  const p0 = 1 / 26.46902820178302;
  assert.ok(Math.abs(top / n / p0 - 1) < 0.05, `top share ${top / n} vs ${p0}`);
  // Spread over the key space, not all low numbers: many distinct keys are read.
  assert.ok(freq.size > 20_000, `${freq.size} distinct keys`);
});

test('latest (D): the newest keys are the most popular, as a zipfian over the distance back', () => {
  const w = makeWorkload('ycsb-d', { recordCount: RECORD_COUNT, insertOrder: 'ordered' }, 5);
  const byOffset = new Map<number, number>();
  let newest = RECORD_COUNT - 1;
  let reads = 0;
  classify(w, RECORDS, (kind, rec) => {
    if (kind === 'insert') {
      assert.equal(rec.keys[0], newest + 1, 'ordered inserts take the next number');
      newest++;
    } else if (kind === 'read') {
      reads++;
      const off = newest - rec.keys[0]!;
      byOffset.set(off, (byOffset.get(off) ?? 0) + 1);
    }
  });
  const at = (o: number) => byOffset.get(o) ?? 0;
  let z = 0;
  for (let i = 1; i <= RECORD_COUNT; i++) z += Math.pow(i, -0.99);
  assert.ok(Math.abs(at(0) / reads * z - 1) < 0.05, `newest key share ${at(0) / reads} vs ${1 / z}`);
  assert.ok(at(0) > at(1) && at(1) > at(2) && at(2) > at(10));
  let far = 0;
  for (let o = 1000; o < 2000; o++) far += at(o);
  assert.ok(at(10) > far / 1000 * 10, 'the 11th newest key beats the average of the 1000th–2000th tenfold');
});

test('E: scan lengths are uniform in 1..100; starts follow the zipfian', () => {
  // operationCount sizes the zipfian for inserts (expectedNewKeys = 2 × 5% of it); kept small here so that
  // few draws land above the newest key and are redrawn, which would raise every share by that fraction.
  const w = makeWorkload('ycsb-e', { recordCount: RECORD_COUNT, operationCount: 1000 }, 11);
  const lengths = new Array<number>(102).fill(0);
  const starts = new Map<number, number>();
  let scans = 0;
  classify(w, RECORDS, (kind, rec) => {
    if (kind !== 'scan') return;
    scans++;
    const len = rec.sizes[0]!;
    assert.ok(len >= 1 && len <= 100, `length ${len}`);
    lengths[len]!++;
    starts.set(rec.keys[0]!, (starts.get(rec.keys[0]!) ?? 0) + 1);
  });
  const expected = scans / 100;
  for (let len = 1; len <= 100; len++) {
    assert.ok(Math.abs(lengths[len]! / expected - 1) < 0.15, `length ${len}: ${lengths[len]} vs ${expected}`);
  }
  const mean = lengths.reduce((a, c, len) => a + c * len, 0) / scans;
  assert.ok(Math.abs(mean - 50.5) < 0.5, `mean length ${mean}`);
  const top = Math.max(...starts.values());
  assert.ok(Math.abs(top / scans * 26.46902820178302 - 1) < 0.05, `top start share ${top / scans}`);
});

test('F: records are a get, or a get then a put of the same key', () => {
  const w = makeWorkload('ycsb-f', { recordCount: 10_000, fieldCount: 4, fieldLength: 50 }, 2);
  let rmw = 0;
  classify(w, 20_000, (kind, rec) => {
    if (kind === 'readModifyWrite') {
      rmw++;
      assert.equal(rec.sizes[1], 200, 'the put writes fieldCount × fieldLength bytes');
    }
  });
  assert.ok(rmw > 9_000 && rmw < 11_000);
});

test('hashed insert order is a bijection below 2^52; ordered keeps the numbers', () => {
  const seen = new Set<number>();
  for (let n = 0; n < 100_000; n++) {
    const k = hashedKey(n);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 2 ** 52);
    assert.equal(unhashKey(k), n);
    seen.add(k);
  }
  assert.equal(seen.size, 100_000);
  for (const n of [2 ** 52 - 1, 2 ** 40 + 12345, 123456789012]) assert.equal(unhashKey(hashedKey(n)), n);
  const ordered = load(makeWorkload('ycsb-a', { recordCount: 1000, insertOrder: 'ordered' }, 1));
  assert.deepEqual([...ordered], Array.from({ length: 1000 }, (_, i) => i));
});

test('defaults and description: YCSB\'s sizes, zipfian except D, value = fieldCount × fieldLength', () => {
  const a = new YcsbWorkload('a', {}, 1);
  const d = a.describe();
  assert.equal(d.recordCount, 1_000_000);
  assert.equal(d.valueBytes, 1000);
  assert.equal(d.requestDistribution, 'zipfian');
  assert.equal(d.zipfianConstant, 0.99);
  assert.equal(a.keyBytes, 23);
  assert.equal(new YcsbWorkload('d', { recordCount: 10 }, 1).describe().requestDistribution, 'latest');
  assert.equal(new YcsbWorkload('d', { recordCount: 10, requestDistribution: 'uniform' }, 1).describe().requestDistribution, 'uniform');
  const e = new YcsbWorkload('e', { recordCount: 100, operationCount: 1000 }, 1);
  assert.equal(e.expectedNewKeys, 100);
});

test('same seed, same records; another seed, others', () => {
  const draw = (seed: number) => {
    const w = makeWorkload('ycsb-a', { recordCount: 1000 }, seed);
    const rec = new RecordBuf();
    return Array.from({ length: 200 }, () => { w.next(rec); return `${rec.types[0]}:${rec.keys[0]}:${rec.tokens[0]}`; }).join(',');
  };
  assert.equal(draw(4), draw(4));
  assert.notEqual(draw(4), draw(5));
});

test('bad parameters are one-line InputErrors naming the parameter', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ zipfianConstant: 1 }, /zipfianConstant/],
    [{ zipfianConstant: 0 }, /zipfianConstant/],
    [{ zipfianConstant: 1.2 }, /zipfianConstant/],
    [{ recordCount: -5 }, /recordCount/],
    [{ recordCount: 0 }, /recordCount/],
    [{ recordCount: 2.5 }, /recordCount/],
    [{ recordcount: 10 }, /unknown parameter.*recordcount/],
    [{ requestDistribution: 'exponential' }, /requestDistribution/],
    [{ hotspotDataFraction: 1.5 }, /hotspotDataFraction/],
  ];
  for (const [params, re] of cases) {
    for (const make of [() => makeWorkload('ycsb-b', params, 1), () => new YcsbWorkload('b', params as never, 1)]) {
      assert.throws(make, (err: unknown) => {
        assert.ok(err instanceof InputError, `${JSON.stringify(params)}: ${String(err)}`);
        assert.match(err.message, re);
        assert.match(err.message, /^workload ycsb-b: /);
        assert.ok(!err.message.includes('\n'), err.message);
        return true;
      });
    }
  }
});

test('tiersim run: θ = 1 exits 2 with one line naming zipfianConstant', () => {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', 'run', '--workload', 'ycsb-a', '--param', 'zipfianConstant=1', '--ops', '10'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /zipfianConstant/);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (c: RunConfigInput): Record<string, any> => simulate(runConfig.parse(c), () => 0).summary as Record<string, any>;

test('a verified ycsb-a run reads back every value it wrote', () => {
  const s = run({ workload: 'ycsb-a', workloadParams: { recordCount: 20_000 }, ops: 20_000, verify: true, managedMemory: 16 * 2 ** 20 });
  assert.equal(s.ops, 20_000);
  assert.equal(s.verify.mismatches, 0, JSON.stringify(s.verify.firstMismatches));
  assert.ok(s.verify.reads > 9_000);
  assert.equal(s.workloadParams.name, 'ycsb-a');
});

test('verified ycsb-e and ycsb-f runs: scans and read-modify-writes read back what was written', () => {
  const e = run({ workload: 'ycsb-e', workloadParams: { recordCount: 1000 }, ops: 1000, verify: true, managedMemory: 16 * 2 ** 20 });
  assert.equal(e.verify.mismatches, 0, JSON.stringify(e.verify.firstMismatches));
  assert.ok(e.verify.reads > 20_000, 'every scanned entry is checked');
  const f = run({ workload: 'ycsb-f', workloadParams: { recordCount: 5000 }, ops: 10_000, verify: true, managedMemory: 16 * 2 ** 20 });
  assert.equal(f.verify.mismatches, 0, JSON.stringify(f.verify.firstMismatches));
  assert.ok(f.records < f.ops);
});
