import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PRESETS } from '../../sim/presets.ts';
import { probe } from '../../sim/probe.ts';

// PVLDB 18(12) 2025, Table 1: per-read latency of local NVMe, HDFS and Alibaba OSS.
const published: Record<string, number> = { nvme: 68, hdfs: 1500, oss: 23000 };

for (const [name, us] of Object.entries(published)) {
  test(`${name}: a 4 KiB read at iodepth 1 has a median within 5% of the published ${us} µs`, () => {
    const r = probe(PRESETS[name]!, { blockSize: 4096, iodepth: 1, ops: 20_000, write: false, seed: 7 });
    const err = Math.abs(r.latencyUs.p50 - us) / us;
    assert.ok(err < 0.05, `p50 ${r.latencyUs.p50} µs vs ${us} µs`);
  });
}

test('S3 Standard: warm median ~15 ms and a p99 in the 100–200 ms range (Durner et al. 2023)', () => {
  const r = probe(PRESETS.s3!, { blockSize: 4096, iodepth: 1, ops: 20_000, write: false, seed: 7 });
  assert.ok(r.latencyUs.p50 > 12_000 && r.latencyUs.p50 < 18_000, `p50 ${r.latencyUs.p50}`);
  assert.ok(r.latencyUs.p99 > 100_000 && r.latencyUs.p99 < 200_000, `p99 ${r.latencyUs.p99}`);
});

test('S3 Express One Zone: single-digit milliseconds', () => {
  const r = probe(PRESETS['s3-express']!, { blockSize: 4096, iodepth: 1, ops: 20_000, write: false, seed: 7 });
  assert.ok(r.latencyUs.p50 >= 1000 && r.latencyUs.p50 < 10_000, `p50 ${r.latencyUs.p50}`);
});

test('every preset names its source', () => {
  for (const spec of Object.values(PRESETS)) assert.ok(spec.source && spec.source.length > 10, spec.name);
});
