/** `tiersim replay`: the engine on the shared trace in three formats, and the command line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../sim/errors.ts';
import { formatRow, parseCacheSize, replayTrace, type ReplayConfig } from '../../scripts/replay.ts';
import { replayOnThreads } from '../../scripts/lib/replay-threads.ts';
import { EVICTION_ALGORITHMS } from '../../policies/eviction/registry.ts';
import { tempDir } from '../temp-dir.ts';

const SHARED = '../shared/traces/cloudPhysicsIO';
const CSV_MAPPING = 'time-col=2,obj-id-col=5,obj-size-col=4,has-header=true,delimiter=,';
const dir = tempDir('replay');

function tiersim(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/tiersim.mjs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const formats: [string, Partial<ReplayConfig>][] = [
  ['oracleGeneral', { trace: `${SHARED}.oracleGeneral.bin` }],
  ['vscsi', { trace: `${SHARED}.vscsi`, format: 'vscsi' }],
  ['csv', { trace: `${SHARED}.csv`, format: 'csv', csv: CSV_MAPPING }],
];

test('vscsi, csv and oracleGeneral replay the same: request count, LRU miss ratios, Belady', () => {
  const reports = formats.map(([, c]) => replayTrace({ trace: '', policies: ['lru', 'belady'], sizes: ['64MiB', '1GiB', '0.25'], ...c }));
  for (const r of reports) {
    assert.equal(r.requests, 113872);
    assert.deepEqual(r.workingSet, { objects: 48974, bytes: 2029769728 });
  }
  const key = (r: (typeof reports)[number]) => r.rows.map((row) => [row.policy, row.size, row.cacheSizeBytes, row.misses, row.byteMisses]);
  assert.deepEqual(key(reports[1]!), key(reports[0]!));
  assert.deepEqual(key(reports[2]!), key(reports[0]!));
  const lru1g = reports[0]!.rows.find((r) => r.policy === 'lru' && r.size === '1GiB')!;
  assert.equal(lru1g.missRatio.toFixed(4), '0.6297');
  assert.equal(lru1g.byteMissRatio.toFixed(4), '0.7009');
  // A fraction is of the working set, the bytes of all distinct objects.
  assert.equal(reports[0]!.rows.find((r) => r.size === '0.25')!.cacheSizeBytes, Math.floor(0.25 * 2029769728));
});

test('other spellings of algorithms and sizes: 2Q, S3-FIFO, OPT, a percentage of the working set', () => {
  const r = replayTrace({ trace: `${SHARED}.oracleGeneral.bin`, policies: ['2Q', 's3-fifo', 'opt'], sizes: ['256MiB', '25%'] });
  assert.deepEqual(r.rows.map((row) => row.policy), ['twoq', 'twoq', 's3fifo', 's3fifo', 'belady', 'belady']);
  // The 256 MiB column of the independent simulator's table (../shared/traces/README.md).
  assert.deepEqual(r.rows.filter((row) => row.size === '256MiB').map((row) => row.missRatio.toFixed(4)), ['0.7339', '0.7235', '0.6211']);
  assert.equal(r.rows.find((row) => row.size === '25%')!.cacheSizeBytes, Math.floor(0.25 * 2029769728));
});

test('--size auto: cachesim\'s shares of the working set, those under 100 objects left out; --policy all: every algorithm', async () => {
  // cachesim (aa0fc40) `cloudPhysicsIO.oracleGeneral.bin oracleGeneral lru auto`: 0.001 of 48,974 objects is under 100, so it runs 7 sizes.
  const cachesim = [[0.8403, 0.9819], [0.8339, 0.9800], [0.8277, 0.9750], [0.8097, 0.9518], [0.7333, 0.8642], [0.6332, 0.7047], [0.4303, 0.4649]];
  const r = replayTrace({ trace: `${SHARED}.oracleGeneral.bin`, policies: ['lru'], sizes: ['auto'] });
  assert.deepEqual(r.rows.map((row) => row.size), ['auto:0.003', 'auto:0.01', 'auto:0.03', 'auto:0.1', 'auto:0.2', 'auto:0.4', 'auto:0.8']);
  assert.deepEqual(r.rows.map((row) => [Number(row.missRatio.toFixed(4)), Number(row.byteMissRatio.toFixed(4))]), cachesim);
  assert.equal(r.rows[0]!.cacheSizeBytes, Math.floor(0.003 * 2029769728));
  // On two threads, by size: the same rows in the same order.
  const threaded = await replayOnThreads({ trace: `${SHARED}.oracleGeneral.bin`, policies: ['lru'], sizes: ['auto'] }, 2);
  assert.deepEqual(threaded.rows.map((row) => [row.size, row.misses]), r.rows.map((row) => [row.size, row.misses]));
  const all = replayTrace({ trace: `${SHARED}.oracleGeneral.bin`, policies: ['all'], sizes: ['64MiB'] });
  assert.deepEqual(all.rows.map((row) => row.policy), Object.keys(EVICTION_ALGORITHMS));
  const tiny = join(dir, 'tiny.txt');
  writeFileSync(tiny, Array.from({ length: 500 }, (_, i) => `${i % 50}\n`).join(''));
  assert.throws(() => replayTrace({ trace: tiny, policies: ['lru'], sizes: ['auto'] }), /tiny\.txt: --size auto: the working set \(50 objects\) is too small/);
});

test('keepSizeChanges uses each request\'s own size (vscsi differs from the normalized trace)', () => {
  const raw = replayTrace({ trace: `${SHARED}.vscsi`, policies: ['lru'], sizes: ['64MiB'], keepSizeChanges: true });
  const normalized = replayTrace({ trace: `${SHARED}.vscsi`, policies: ['lru'], sizes: ['64MiB'] });
  assert.equal(raw.requests, normalized.requests);
  assert.notEqual(raw.rows[0]!.misses, normalized.rows[0]!.misses);
});

test('cache sizes: units, fractions of the working set, bad values', () => {
  assert.deepEqual(parseCacheSize('16MiB'), { label: '16MiB', bytes: 16 * 2 ** 20 });
  assert.deepEqual(parseCacheSize('0.01'), { label: '0.01', fraction: 0.01 });
  assert.deepEqual(parseCacheSize('4096'), { label: '4096', bytes: 4096 });
  assert.deepEqual(parseCacheSize('10%'), { label: '10%', fraction: 0.1 });
  assert.deepEqual(parseCacheSize(' 150% '), { label: '150%', fraction: 1.5 });
  assert.deepEqual(parseCacheSize('0.5%'), { label: '0.5%', fraction: 0.005 });
  for (const bad of ['0', '-1', '16MB!', '0.0', '0%', '%', '-5%', '10 %', '1e2%']) assert.throws(() => parseCacheSize(bad), InputError);
  const line = formatRow({
    trace: 't', policy: 'lru', size: '16MiB', cacheSizeBytes: 1, requests: 10, misses: 3, missRatio: 0.3,
    requestBytes: 100, byteMisses: 50, byteMissRatio: 0.5, wallSeconds: 0.001,
  });
  assert.equal(line, 'lru 16MiB requests=10 missRatio=0.3000 byteMissRatio=0.5000 mqps=0.01');
});

test('CLI: one line per policy x size on stdout; results.csv, the miss-ratio curve and report.html in --out', () => {
  const out = join(dir, 'ok');
  const r = tiersim('replay', '--trace', `${SHARED}.oracleGeneral.bin`, '--format', 'oracleGeneral', '--policy', 'lru,s3fifo', '--size', '16MiB,0.5', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^lru 16MiB requests=113872 missRatio=0\.8351 byteMissRatio=0\.9803 mqps=\d+\.\d\d$/);
  assert.match(lines[2]!, /^s3fifo 16MiB requests=113872 missRatio=0\.8236 byteMissRatio=0\.9774 mqps=/);
  assert.match(lines[3]!, /^s3fifo 0\.5 requests=113872 /);
  const rows = parse(readFileSync(join(out, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), ['trace', 'policy', 'cacheSizeBytes', 'requests', 'misses', 'missRatio', 'byteMisses', 'byteMissRatio', 'wallSeconds']);
  assert.equal(rows.length, 4);
  assert.equal(rows[0]!.trace, 'cloudPhysicsIO.oracleGeneral.bin');
  assert.equal(rows[1]!.cacheSizeBytes, String(Math.floor(0.5 * 2029769728)));
  assert.equal(Number(rows[0]!.misses), 95095);
  assert.deepEqual(readdirSync(out), ['charts', 'report.html', 'results.csv'], 'no temporary files left');
  assert.deepEqual(readdirSync(join(out, 'charts')), ['miss-ratio-curve.png', 'miss-ratio-curve.svg', 'miss-ratio-curve.vl.json']);
  // The curve holds the rows' ratios: LRU at 16 MiB as the independent simulator's table has it (../shared/traces/README.md).
  const spec = JSON.parse(readFileSync(join(out, 'charts', 'miss-ratio-curve.vl.json'), 'utf8'));
  const point = (policy: string, metric: string) => spec.data.values.find((v: Record<string, unknown>) => v.policy === policy && v.cacheSizeMiB === 16 && v.metric === metric).ratio;
  assert.deepEqual([point('lru', 'miss ratio (requests)').toFixed(4), point('lru', 'byte miss ratio').toFixed(4)], ['0.8351', '0.9803']);
  assert.equal(spec.data.values.length, 8, 'two policies x two sizes x two metrics');
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<svg[\s\S]*s3fifo/);
});

test('CLI: a malformed trace exits 2 with one line naming file and line, and leaves no results.csv', () => {
  const lines = ['version,time,op,size,lbn'];
  for (let i = 0; i < 20000; i++) lines.push(`1,${100 + i},2a,${i === 15000 ? 'abc' : 512},${1000 + (i % 300)}`);
  const trace = join(dir, 'trace.csv');
  writeFileSync(trace, `${lines.join('\n')}\n`);
  const out = join(dir, 'bad');
  const r = tiersim('replay', '--trace', trace, '--format', 'csv', '--csv', CSV_MAPPING, '--policy', 'lru,arc', '--size', '1MiB', '--out', out);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, `tiersim: ${trace} line 15002: obj-size 'abc' is not a number\n`);
  assert.equal(r.stdout, '');
  assert.equal(existsSync(join(out, 'results.csv')), false);

  const cut = join(dir, 'cut.oracleGeneral.bin');
  writeFileSync(cut, readFileSync(`${SHARED}.oracleGeneral.bin`).subarray(0, 24 * 100 + 7));
  const t = tiersim('replay', '--trace', cut, '--size', '1MiB', '--out', out);
  assert.equal(t.status, 2);
  assert.equal(t.stderr, `tiersim: ${cut} record 101: truncated (7 of 24 bytes)\n`);
  assert.equal(existsSync(join(out, 'results.csv')), false);
});

test('CLI: unknown format and unknown policy exit 2 naming the known ones', () => {
  const f = tiersim('replay', '--trace', `${SHARED}.csv`, '--format', 'parquet', '--size', '1MiB');
  assert.equal(f.status, 2);
  assert.match(f.stderr, /^tiersim: --format: unknown trace format 'parquet' \(known: oracleGeneral, vscsi, csv, txt, rocksdb-block-csv, cachelib-kvcache, cachelib-block\)\n$/);
  const p = tiersim('replay', '--trace', `${SHARED}.vscsi`, '--policy', 'lru,mru', '--size', '1MiB');
  assert.equal(p.status, 2);
  assert.match(p.stderr, /^tiersim: unknown eviction algorithm 'mru' \(known: lru, fifo, clock, sieve, s3fifo, qdlp, arc, twoq, lfu, lirs, slru, gdsf, wtinylfu, belady\)\n$/);
});

test('CLI: --params builds every algorithm with those options (cachesim\'s -e) and labels the rows', () => {
  // SLRU with 8 segments at 16 MiB: cachesim's `slru 16mb -e n-seg=8` (test/policies/eviction.test.ts).
  const r = tiersim('replay', '--trace', `${SHARED}.oracleGeneral.bin`, '--policy', 'slru', '--size', '16MiB,64MiB', '-e', 'segments=8', '--workers', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter((l) => l).map((l) => l.split(' ').slice(0, 4).join(' ')), [
    'slru(segments=8) 16MiB requests=113872 missRatio=0.8211',
    'slru(segments=8) 64MiB requests=113872 missRatio=0.8047',
  ]);
  const unknown = tiersim('replay', '--trace', `${SHARED}.oracleGeneral.bin`, '--policy', 'wtinylfu,lru', '--size', '16MiB', '--params', 'windowRatio=0.1');
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, "tiersim: lru: unknown option 'windowRatio' (it takes none)\n");
  const bad = tiersim('replay', '--trace', `${SHARED}.oracleGeneral.bin`, '--policy', 'slru', '--size', '16MiB', '--params', 'segments=eight');
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "tiersim: --params: 'segments=eight' is not key=number (e.g. segments=8,windowRatio=0.1)\n");
});

test('--warmup and --interval as cachesim\'s --warmup-sec and --report-interval: the same reports, any batch size, one or two threads', async () => {
  // cachesim (aa0fc40) `cloudPhysicsIO.oracleGeneral.bin oracleGeneral lru|belady 64mb --warmup-sec 1800
  // --report-interval 1200`: its INFO lines (hours, requests, miss ratio, interval miss ratio) and summary.
  const cachesim = {
    lru: [[3000, 33063, 0.8896, 0.8896], [4200, 40220, 0.8281, 0.5439], [5400, 44234, 0.7790, 0.2865], [6600, 90992, 0.8492, 0.9155]],
    belady: [[3000, 33063, 0.7977, 0.7977], [4200, 40220, 0.7523, 0.5424], [5400, 44234, 0.7099, 0.2855], [6600, 90992, 0.7702, 0.8273]],
  };
  const config: ReplayConfig = { trace: `${SHARED}.oracleGeneral.bin`, policies: ['lru', 'belady'], sizes: ['64MiB'], warmup: 1800, interval: 1200 };
  const reports = [replayTrace(config), replayTrace({ ...config, batchSize: 97 }), await replayOnThreads(config, 2)];
  for (const r of reports) {
    assert.equal(r.requests, 93055);
    assert.deepEqual(r.rows.map((row) => [row.policy, row.requests, row.missRatio.toFixed(4)]), [['lru', 93055, '0.8368'], ['belady', 93055, '0.7596']]);
    for (const row of r.rows) {
      let last = { requests: 0, misses: 0 };
      const got = row.intervals!.map((p) => {
        const line = [p.time, p.requests, Number((p.misses / p.requests).toFixed(4)), Number(((p.misses - last.misses) / (p.requests - last.requests)).toFixed(4))];
        last = p;
        return line;
      });
      assert.deepEqual(got, cachesim[row.policy as 'lru' | 'belady'], row.policy);
    }
  }
  // The command line prints a line per report and writes intervals.csv.
  const out = join(dir, 'intervals-out');
  const t = tiersim('replay', '--trace', `${SHARED}.oracleGeneral.bin`, '--policy', 'lru', '--size', '64MiB', '--warmup', '1800', '--interval', '1200', '--out', out);
  assert.equal(t.status, 0, t.stderr);
  assert.equal(t.stdout.split('\n')[1], 'lru 64MiB t=4200 requests=40220 missRatio=0.8281 intervalMissRatio=0.5439');
  const csv = parse(readFileSync(join(out, 'intervals.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  assert.deepEqual(csv.map((r) => [r.time, r.requests, r.intervalRequests, Number(r.intervalMissRatio).toFixed(4)]),
    [['3000', '33063', '33063', '0.8896'], ['4200', '40220', '7157', '0.5439'], ['5400', '44234', '4014', '0.2865'], ['6600', '90992', '46758', '0.9155']]);
  // The chart of the interval miss ratios, in the replay's report and in tiersim report's.
  const values = (dirPath: string) => JSON.parse(readFileSync(join(dirPath, 'charts', 'miss-ratio-over-time.vl.json'), 'utf8')).data.values
    .map((v: { time: number; ratio: number }) => [v.time, Number(v.ratio.toFixed(4))]);
  const points = [[3000, 0.8896], [4200, 0.5439], [5400, 0.2865], [6600, 0.9155]];
  assert.deepEqual(values(out), points);
  const report = join(dir, 'intervals-report');
  const rep = tiersim('report', out, '--out', report);
  assert.equal(rep.status, 0, rep.stderr);
  assert.deepEqual(values(report), points);
  assert.match(readFileSync(join(report, 'report.html'), 'utf8'), /Miss ratio over time/);
});

test('Belady on a trace whose next-access times are all -1: computed from the requests instead, with a note', async () => {
  const bytes = Buffer.from(readFileSync(`${SHARED}.oracleGeneral.bin`));
  for (let off = 0; off < bytes.length; off += 24) bytes.fill(0xff, off + 16, off + 24);
  const blank = join(dir, 'blank-next.oracleGeneral.bin');
  writeFileSync(blank, bytes);
  const right = replayTrace({ trace: `${SHARED}.oracleGeneral.bin`, policies: ['belady', 'lru'], sizes: ['64MiB'] });
  assert.equal(right.nextAccessRecomputed, undefined);
  for (const r of [replayTrace({ trace: blank, policies: ['belady', 'lru'], sizes: ['64MiB'] }), await replayOnThreads({ trace: blank, policies: ['lru', 'belady'], sizes: ['64MiB'] }, 2)]) {
    assert.match(r.nextAccessRecomputed ?? '', /requested again after a next access of -1/);
    const by = (rep: typeof right, p: string) => rep.rows.find((row) => row.policy === p)!.misses;
    assert.equal(by(r, 'belady'), by(right, 'belady')); // 0.7531 (the shared table)
    assert.equal(by(r, 'lru'), by(right, 'lru'));
  }
  const t = tiersim('replay', '--trace', blank, '--policy', 'belady', '--size', '64MiB');
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stderr, /^tiersim: note: .*its next-access times are wrong \(object \d+ is requested again after a next access of -1 \(none\)\); belady ran on next accesses computed from the requests\n$/);
  assert.match(t.stdout, /^belady 64MiB requests=113872 missRatio=0\.7531 /);
});

test('output cut short by its reader (| head) ends quietly, no EPIPE trace', () => {
  // Many report lines (--interval 10 on a two-hour trace), of which head reads one.
  const r = spawnSync('sh', ['-c', `${process.execPath} bin/tiersim.mjs replay --trace ${SHARED}.oracleGeneral.bin --policy lru,fifo --size 16MiB,64MiB --interval 10 | head -1; echo "status $?"`], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^lru 16MiB t=9 requests=\d+ missRatio=[\d.]+ intervalMissRatio=[\d.]+\nstatus 0\n$/);
});

test('--warmup and --interval: bad values and combinations are input errors', () => {
  const base: ReplayConfig = { trace: `${SHARED}.oracleGeneral.bin`, policies: ['lru'], sizes: ['64MiB'] };
  const cases: [Partial<ReplayConfig>, RegExp][] = [
    [{ warmup: -1 }, /--warmup: -1 must be a time >= 0/],
    [{ interval: 0 }, /--interval: 0 must be a time > 0/],
    [{ interval: 60, sample: 0.1 }, /--sample with --warmup or --interval/],
    [{ warmup: 1e9 }, /no requests after the warm-up \(--warmup 1000000000/],
  ];
  for (const [c, re] of cases) assert.throws(() => replayTrace({ ...base, ...c }), (e: unknown) => e instanceof InputError && re.test(e.message), JSON.stringify(c));
});

test('oracleGeneral sizes are taken as written unless keepSizeChanges is false', () => {
  const dir = tempDir('og');
  // Object 1 at 100 bytes, object 2 at 100, then object 1 again at 250: in a 300-byte
  // LRU cache the grown object 1 evicts object 2 only if its new size is used.
  const reqs: [number, number][] = [[1, 100], [2, 100], [1, 250], [2, 100]];
  const buf = Buffer.alloc(24 * reqs.length);
  reqs.forEach(([id, size], i) => {
    buf.writeUInt32LE(i, 24 * i);
    buf.writeBigUInt64LE(BigInt(id), 24 * i + 4);
    buf.writeUInt32LE(size, 24 * i + 12);
    buf.writeBigInt64LE(-1n, 24 * i + 16);
  });
  const trace = join(dir, 't.oracleGeneral.bin');
  writeFileSync(trace, buf);
  const asWritten = replayTrace({ trace, policies: ['lru'], sizes: ['300'] });
  const first = replayTrace({ trace, policies: ['lru'], sizes: ['300'], keepSizeChanges: false });
  // As written, a hit does not resize an object in the cache (libCacheSim): 2 misses either way on this
  // trace, but the bytes requested differ.
  assert.equal(asWritten.rows[0]!.requestBytes, 550);
  assert.equal(first.rows[0]!.requestBytes, 400);
});
