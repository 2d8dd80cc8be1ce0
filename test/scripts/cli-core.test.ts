/** The command line of the foundation: probe, calibrate, bad input, determinism. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Device } from '../../sim/device.ts';
import { PRESETS } from '../../sim/presets.ts';
import { Rng } from '../../sim/random.ts';
import { LogNormal } from '../../sim/distributions.ts';
import { tempDir } from '../temp-dir.ts';

function tiersim(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('probe --json prints the latency percentiles and rates', () => {
  const r = tiersim('probe', '--device', 'hdfs', '--iodepth', '1', '--ops', '20000', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of ['p50Us', 'p90Us', 'p99Us', 'p999Us', 'iops', 'bytesPerSecond']) assert.equal(typeof j[k], 'number', k);
  assert.ok(Math.abs(j.p50Us / 1500 - 1) < 0.05);
  assert.ok(j.p50Us < j.p90Us && j.p90Us < j.p99Us && j.p99Us < j.p999Us);
  // iodepth 1: IOPS is the reciprocal of the mean latency.
  assert.ok(Math.abs(j.iops * (j.meanUs / 1e6) - 1) < 1e-6);
});

test('same seed, same output byte for byte; another seed differs', () => {
  const a = tiersim('probe', '--device', 's3', '--ops', '3000', '--iodepth', '8', '--json', '--seed', '9');
  const b = tiersim('probe', '--device', 's3', '--ops', '3000', '--iodepth', '8', '--json', '--seed', '9');
  const c = tiersim('probe', '--device', 's3', '--ops', '3000', '--iodepth', '8', '--json', '--seed', '10');
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(a.stdout, c.stdout);
});

test('a component\'s numbers do not depend on which other components exist or their order', () => {
  const sample = (d: Device) => Array.from({ length: 50 }, (_, i) => d.read(i * 1e6, 4096));
  const alone = new Device(PRESETS.hdfs!, 5);
  const hdfsAlone = sample(alone);
  // Build the same device after others, in another order.
  new Device(PRESETS.nvme!, 5);
  new Device(PRESETS.s3!, 5);
  const later = new Device(PRESETS.hdfs!, 5);
  sample(new Device(PRESETS.oss!, 5));
  assert.deepEqual(sample(later), hdfsAlone);
});

const bad: [string, string[], RegExp][] = [
  ['unknown preset', ['probe', '--device', 'floppy'], /^tiersim: --device: unknown device 'floppy'/],
  ['unparseable size', ['probe', '--device', 'hdfs', '--block-size', '4KB!'], /^tiersim: --block-size: '4KB!' is not a size/],
  ['negative size', ['probe', '--device', 'hdfs', '--block-size', '-4096'], /^tiersim: --block-size: '-4096' is not a size \(must be >= 0\)/],
  ['bad iodepth', ['probe', '--device', 'hdfs', '--iodepth', '0'], /^tiersim: --iodepth: 0 must be a whole number >= 1/],
  ['unknown command', ['probes'], /^tiersim: Did you mean probe\?/],
];
for (const [what, args, message] of bad) {
  test(`bad input (${what}): one clear line, exit 2`, () => {
    const r = tiersim(...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
}

test('calibrate recovers a known lognormal and writes a device file that probe accepts', () => {
  const dir = tempDir('cal');
  const truth = new LogNormal(900, 4000);
  const rng = Rng.stream(1, 'samples');
  const lines = ['latency_us'];
  for (let i = 0; i < 20000; i++) lines.push(truth.sample(rng).toFixed(3));
  writeFileSync(join(dir, 'disk.csv'), lines.join('\n'));
  const out = join(dir, 'disk.json');
  const r = tiersim('calibrate', '--samples', join(dir, 'disk.csv'), '--base', 'nvme', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const spec = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(Math.abs(spec.read.firstByte.p50Us / 900 - 1) < 0.03, `p50 ${spec.read.firstByte.p50Us}`);
  assert.ok(Math.abs(spec.read.firstByte.p99Us / 4000 - 1) < 0.05, `p99 ${spec.read.firstByte.p99Us}`);
  const p = tiersim('probe', '--device', out, '--ops', '2000', '--json');
  assert.equal(p.status, 0, p.stderr);
});

test('calibrate: a non-numeric row names file and line, exit 2, no output file', () => {
  const dir = tempDir('cal');
  writeFileSync(join(dir, 'bad.csv'), 'latency_us\n10\n12\nfast\n');
  const out = join(dir, 'bad.json');
  const r = tiersim('calibrate', '--samples', join(dir, 'bad.csv'), '--out', out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.csv line 4: column 'latency_us' value 'fast' is not a number/);
  assert.equal(existsSync(out), false);
});

test('run --policy-option sets the policy\'s options over the config\'s, typed like --param', async () => {
  const { configFromArgs } = await import('../../scripts/commands/run.ts');
  const c = configFromArgs({ policy: 'adaptive', 'policy-option': ['refill=false', 'refillStreams=8', 'margin=1MiB'] } as never);
  assert.deepEqual(c.policyOptions, { refill: false, refillStreams: 8, margin: '1MiB' });
  assert.throws(() => configFromArgs({ 'policy-option': ['refill'] } as never), /--policy-option: 'refill' is not key=value/);
  // An unknown option is the policy's to refuse.
  const r = tiersim('run', '--workload', 'kv', '--keys', '1000', '--ops', '100', '--policy', 'adaptive', '--policy-option', 'nonsense=1');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /nonsense/);
});
