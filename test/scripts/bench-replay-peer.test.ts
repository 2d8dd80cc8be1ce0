/**
 * `tiersim bench --only replay --peer-cachesim PATH`: every algorithm beside the peer's,
 * with a stand-in for cachesim that prints its summary line with known numbers and
 * logs the arguments it was given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaySection, runCachesim } from '../../scripts/bench/replay.ts';
import { InputError } from '../../sim/errors.ts';

/**
 * A cachesim stand-in: miss ratio 0.25; throughput 1 MQPS for lru on its first call and
 * 0.5 after, 2 for the rest on their first call and 3 after.
 */
function fakeCachesim(dir: string, output?: string): { binary: string; log: string } {
  const binary = join(dir, 'cachesim');
  const log = join(dir, 'args.log');
  writeFileSync(binary, `#!/bin/sh
echo "$@" >> '${log}'
n=$(grep -c " $3 " '${log}')
${output ?? `if [ "$3" = lru ]; then t=1.00; [ "$n" -gt 1 ] && t=0.50; else t=2.00; [ "$n" -gt 1 ] && t=3.00; fi
echo "$1 $3 cache size 1MiB, 1000 req, miss ratio 0.2500, throughput $t MQPS"`}
`);
  chmodSync(binary, 0o755);
  return { binary, log };
}

test('runCachesim reads the summary line, and says what is wrong when it cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-peer-'));
  try {
    const { binary, log } = fakeCachesim(dir);
    assert.deepEqual(runCachesim(binary, join(dir, 't.bin'), 'sieve', 4096), { missRatio: 0.25, requestsPerSecond: 2e6 });
    assert.equal(readFileSync(log, 'utf8').trim(), `${join(dir, 't.bin')} oracleGeneral sieve 4096`);
    assert.throws(() => runCachesim(join(dir, 'missing'), 't.bin', 'lru', 1), (e: unknown) => e instanceof InputError && /cannot run/.test(e.message));
    const silent = fakeCachesim(mkdtempSync(join(dir, 's-')), 'echo nothing here');
    assert.throws(() => runCachesim(silent.binary, 't.bin', 'lru', 1), (e: unknown) => e instanceof InputError && /no 'miss ratio/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with a peer, every algorithm is replayed beside it: its rate, the ratio and the miss ratio difference', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiersim-peer-'));
  try {
    const { binary, log } = fakeCachesim(dir);
    const figures = await replaySection.run({ quick: true, peerCachesim: binary });
    const value = (name: string) => {
      const f = figures.find((x) => x.name === name);
      assert.ok(f, `no figure '${name}'`);
      return f.value;
    };
    // W-TinyLFU is timed but not run in the peer (its filter there is sized by the cache's bytes).
    const algorithms = ['fifo', 'clock', 'sieve', 's3fifo', 'lru', 'qdlp', 'arc', 'twoq', 'lfu', 'lirs', 'slru', 'gdsf'];
    value('replay wtinylfu, 1M-req zipf: requests per wall s');
    assert.equal(figures.some((f) => f.name.includes('cachesim wtinylfu')), false);
    // The peer ran twice per algorithm (two rounds, each beside tiersim's), on the same
    // trace and cache size; each rate is the faster round's.
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(calls.map((c) => c[2]).sort(), [...algorithms, ...algorithms].sort());
    assert.equal(new Set(calls.map((c) => `${c[0]} ${c[1]} ${c[3]}`)).size, 1);
    assert.equal(calls[0]![3], String(10_000 * 4096));
    for (const a of algorithms) {
      const ours = value(`replay ${a}, 1M-req zipf: requests per wall s`);
      if (a === 'lru') {
        assert.equal(value('  cachesim lru on the same trace and size: requests per wall s'), 1e6);
        assert.ok(Math.abs(value('  tiersim lru / cachesim lru, requests per wall s') - ours / 1e6) < 0.01);
        assert.equal(value('  lru miss ratio, cachesim'), 0.25);
        continue;
      }
      assert.equal(value(`  cachesim ${a}: requests per wall s`), 3e6);
      assert.ok(Math.abs(value(`  tiersim ${a} / cachesim ${a}, requests per wall s`) - ours / 3e6) < 0.01, a);
      // A miss ratio of a 1M-request zipfian trace, less the stand-in's 0.25.
      const diff = value(`  ${a} miss ratio, tiersim minus cachesim (0.2500)`);
      assert.ok(diff > -0.25 && diff < 0.75, `${a}: ${diff}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
