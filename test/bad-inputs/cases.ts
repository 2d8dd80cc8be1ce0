/**
 * The bad-input corpus: every case is files to create, a command line, and the one
 * line the command must print on stderr (after `tiersim: `) with exit status 2.
 * Paths in `args` and `expected` are relative to the case's own temporary directory.
 * Messages that list what is known (policies, sections, ...) take the list from its
 * registry, so that adding a policy does not break a case.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { POLICY_NAMES } from '../../policies/registry.ts';
import { EVICTION_ALGORITHMS } from '../../policies/eviction/registry.ts';
import { WORKLOADS } from '../../workloads/registry.ts';
import { TRACE_FORMATS } from '../../workloads/traces/formats.ts';
import { SECTIONS } from '../../scripts/bench/index.ts';
import { ROWS } from '../../scripts/reproduce/rows.ts';

export interface BadInput {
  name: string;
  files?: Record<string, string | Uint8Array>;
  args: string[];
  expected: string;
}

const u32 = (...xs: number[]) => new Uint8Array(new Uint32Array(xs).buffer);
/** One oracleGeneral record: time u32, id u64, size u32, next i64. */
function oracleRecord(time: number, id: number, size: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(24));
  b.setUint32(0, time, true); b.setBigUint64(4, BigInt(id), true); b.setUint32(12, size, true); b.setBigInt64(16, -1n, true);
  return new Uint8Array(b.buffer);
}
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const replay = (trace: string, ...more: string[]) => ['replay', '--trace', trace, '--size', '1MiB', '--out', 'out', ...more];
const run = (...more: string[]) => ['run', '--ops', '1000', '--out', 'out', ...more];
const sweep = (grid: string, ...more: string[]) => ['sweep', '--grid', grid, '--out', 'out', ...more];
const GRID = 'workloads: [kv]\npolicies: [none]\n';

export const CASES: BadInput[] = [
  // ---- configs
  { name: 'config: not JSON', files: { 'c.json': '{"ops": 10,' }, args: run('--config', 'c.json'), expected: "c.json: not valid JSON: Expected double-quoted property name in JSON at position 11" },
  { name: 'config: not YAML', files: { 'c.yaml': 'ops: [1, 2\n' }, args: run('--config', 'c.yaml'), expected: "c.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:" },
  { name: 'config: missing file', args: run('--config', 'nope.json'), expected: "--config: cannot read 'nope.json'" },
  { name: 'config: unknown key', files: { 'c.json': '{"opz": 10}' }, args: run('--config', 'c.json'), expected: "c.json: (top level): Unrecognized key: \"opz\"" },
  { name: 'config: wrong type', files: { 'c.json': '{"warmupOps": "many"}' }, args: run('--config', 'c.json'), expected: "c.json: warmupOps: Invalid input: expected number, received string" },
  { name: 'config: negative seed', files: { 'c.json': '{"seed": -5}' }, args: run('--config', 'c.json'), expected: "c.json: seed: Too small: expected number to be >=0" },
  { name: 'config: unknown workload', files: { 'c.json': '{"workload": "ycsb-z"}' }, args: run('--config', 'c.json'), expected: `unknown workload 'ycsb-z' (known: ${Object.keys(WORKLOADS).join(', ')})` },
  { name: 'flag: --block-trace not oracleGeneral', args: run('--block-trace', 'blocks.csv'), expected: 'blocks.csv: a block trace is written as plain oracleGeneral; name it *.oracleGeneral.bin (its next-access times are filled in place, so it cannot be compressed as it is written)' },
  { name: 'config: unknown policy', files: { 'c.json': '{"policy": "mru"}' }, args: run('--config', 'c.json'), expected: `unknown local cache policy 'mru' (known: ${POLICY_NAMES.join(', ')})` },
  { name: 'config: unknown DFS preset', files: { 'c.json': '{"dfs": "ceph"}' }, args: run('--config', 'c.json'), expected: "--dfs: unknown device 'ceph' (presets: nvme, hdfs, oss, s3, s3-express, memory; or a path to a device file)" },
  { name: 'config: bad size', files: { 'c.json': '{"cacheSize": "12 parsecs"}' }, args: run('--config', 'c.json'), expected: "c.json: cacheSize: '12 parsecs' is not a size (expected e.g. 4096, 4KiB, 64MiB, 1GiB, or a share of the state such as 40%)" },
  { name: 'config: unknown workload parameter', files: { 'c.json': '{"workload": "ycsb-a", "workloadParams": {"recordz": 5}}' }, args: run('--config', 'c.json'), expected: "workload ycsb-a: unknown parameter(s) recordz (known: recordCount, operationCount, fieldCount, fieldLength, requestDistribution, zipfianConstant, hotspotDataFraction, hotspotOpnFraction, insertOrder, maxScanLength, scanLengthDistribution, keyBytes, recordCpuUs, load)" },
  { name: 'config: negative store size', files: { 'c.json': '{"store": {"writeBufferSize": -1}}' }, args: run('--config', 'c.json'), expected: "c.json: store.writeBufferSize: -1 is not a size in bytes (must be >= 0)" },
  // ---- flags
  { name: 'flag: --exec choice', args: run('--exec', 'fast'), expected: "Invalid values: Argument: exec, Given: \"fast\", Choices: \"sync\", \"async\"" },
  { name: 'flag: --placement choice', args: run('--placement', 'remote'), expected: "Invalid values: Argument: placement, Given: \"remote\", Choices: \"local\", \"disaggregated\"" },
  { name: 'flag: --warmup negative', args: run('--warmup=-5'), expected: "flags: warmupOps: Too small: expected number to be >=0" },
  { name: 'flag: --sample above 1', args: run('--sample', '2'), expected: "flags: sample: Too big: expected number to be <=1" },
  { name: 'flag: --slots 0', args: run('--slots', '0'), expected: "flags: slots: Too small: expected number to be >0" },
  { name: 'flag: --param without =', args: run('--param', 'scale'), expected: "--param: 'scale' is not key=value" },
  { name: 'flag: --cache-size not a size', args: run('--cache-size', 'lots'), expected: "--cache-size: 'lots' is not a size (expected e.g. 4096, 4KiB, 64MiB, 1GiB, or a share of the state such as 40%)" },
  { name: 'flag: unknown command', args: ['frobnicate'], expected: "Unknown argument: frobnicate" },
  { name: 'flag: bench --only unknown', args: ['bench', '--only', 'warp'], expected: `unknown bench section warp; sections: ${SECTIONS.map((x) => x.name).join(', ')}` },
  // Reported by the section's own process (each section runs apart), said once.
  { name: 'flag: bench --peer-cachesim missing', args: ['bench', '--quick', '--only', 'replay', '--peer-cachesim', 'no-cachesim'], expected: "--peer-cachesim: cannot run 'no-cachesim' (ENOENT)" },
  { name: 'flag: bench --baseline missing', args: ['bench', '--only', 'memory', '--baseline', 'old.json'], expected: "--baseline: cannot read 'old.json' as JSON (ENOENT)" },
  { name: 'flag: bench --baseline not a bench.json', files: { 'old.json': '{"rows": []}' }, args: ['bench', '--only', 'memory', '--baseline', 'old.json'], expected: "--baseline: 'old.json' is not a bench.json (no list 'figures' of {name, value, …})" },
  { name: 'flag: reproduce --only unknown', args: ['reproduce', '--only', 'nope', '--out', 'out'], expected: `--only: unknown row nope (rows: ${ROWS.map((r) => r.id).join(', ')})` },
  // ---- grids
  { name: 'grid: missing file', args: sweep('nope.yaml'), expected: "--grid: cannot read 'nope.yaml'" },
  { name: 'grid: not YAML', files: { 'g.yaml': 'workloads: [kv\n' }, args: sweep('g.yaml'), expected: "g.yaml: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:" },
  { name: 'grid: unknown field', files: { 'g.yaml': GRID + 'colors: [red]\n' }, args: sweep('g.yaml'), expected: "g.yaml: (top level): Unrecognized key: \"colors\"" },
  { name: 'grid: empty workloads', files: { 'g.yaml': 'workloads: []\n' }, args: sweep('g.yaml'), expected: "g.yaml: workloads: Too small: expected array to have >=1 items" },
  { name: 'grid: unknown policy', files: { 'g.yaml': 'workloads: [kv]\npolicies: [mru]\n' }, args: sweep('g.yaml'), expected: `g.yaml: policies.0: unknown local cache policy 'mru' (known: ${POLICY_NAMES.join(', ')})` },
  { name: 'grid: shard out of range', files: { 'g.yaml': GRID }, args: sweep('g.yaml', '--shard', '3/2'), expected: "--shard: '3/2' is not a shard i/n (whole numbers, 0 <= i < n, e.g. 0/4)" },
  { name: 'grid: workers 0', files: { 'g.yaml': GRID }, args: sweep('g.yaml', '--workers', '0'), expected: "--workers: 0 must be a whole number >= 1" },
  // ---- replay traces
  { name: 'oracleGeneral: empty file', files: { 't.oracleGeneral.bin': new Uint8Array(0) }, args: replay('t.oracleGeneral.bin'), expected: "t.oracleGeneral.bin: empty trace (no requests)" },
  { name: 'oracleGeneral: truncated record', files: { 't.oracleGeneral.bin': concat(oracleRecord(1, 5, 4096), oracleRecord(2, 6, 4096).slice(0, 10)) }, args: replay('t.oracleGeneral.bin'), expected: "t.oracleGeneral.bin record 2: truncated (10 of 24 bytes)" },
  { name: 'oracleGeneral: zero object size', files: { 't.oracleGeneral.bin': oracleRecord(1, 5, 0) }, args: replay('t.oracleGeneral.bin'), expected: "t.oracleGeneral.bin: no requests (all have size 0)" },
  { name: 'vscsi: truncated', files: { 't.vscsi': u32(1, 2, 3) }, args: replay('t.vscsi'), expected: "t.vscsi record 1: not a vscsi trace (no version 1 or 2 record header)" },
  { name: 'vscsi: empty file', files: { 't.vscsi': new Uint8Array(0) }, args: replay('t.vscsi'), expected: "t.vscsi: empty trace (no requests)" },
  { name: 'csv: wrong column count', files: { 't.csv': '1,2,3\n4,5\n' }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv line 2: 2 fields, expected 3 like the first line" },
  { name: 'csv: non-numeric size', files: { 't.csv': '1,2,3\n4,5,abc\n' }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv line 2: obj-size 'abc' is not a number" },
  { name: 'csv: negative size', files: { 't.csv': '1,2,-3\n' }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv line 1: obj-size '-3' is not a whole number of bytes" },
  { name: 'csv: binary garbage', files: { 't.csv': concat(new TextEncoder().encode('1,2,3\n'), Uint8Array.from([0, 255, 1, 2, 0, 10, 200, 0])) }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv line 2: 1 field, expected 3 like the first line" },
  { name: 'csv: huge line', files: { 't.csv': '1,2,' + '9'.repeat(3_000_000) + '\n' }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv line 1: obj-size '9999999999999999999999999999999999999...' is not a number" },
  { name: 'csv: bad column mapping', files: { 't.csv': '1,2,3\n' }, args: replay('t.csv', '--csv', 'obj-id-col=zero'), expected: "--csv: obj-id-col=zero is not a column number (columns count from 1)" },
  { name: 'csv: empty file', files: { 't.csv': '' }, args: replay('t.csv', '--csv', 'time-col=1,obj-id-col=2,obj-size-col=3'), expected: "t.csv: empty trace (no requests)" },
  { name: 'txt: non-numeric id', files: { 't.txt': '12\nabc\n' }, args: replay('t.txt'), expected: "t.txt line 2: obj-id 'abc' is not a number (obj-id-is-num=false hashes string ids)" },
  { name: 'rocksdb-block-csv: wrong column count', files: { 't.csv': '1700000000000000,1,9\n' }, args: replay('t.csv', '--format', 'rocksdb-block-csv'), expected: "t.csv line 1: 3 fields, expected 21 (RocksDB's human-readable block-cache trace)" },
  { name: 'cachelib-kvcache: wrong header', files: { 't.csv': 'time,key\n1,2\n' }, args: replay('t.csv', '--format', 'cachelib-kvcache'), expected: "t.csv line 1: the header has no op, size columns (CacheLib kvcache needs key, op, size)" },
  { name: 'zstd: cut short', files: { 't.oracleGeneral.bin.zst': readFileSync('test/fixtures/traces/cloudPhysicsIO-5000.oracleGeneral.bin.zst').subarray(0, 10_000) }, args: replay('t.oracleGeneral.bin.zst'), expected: 't.oracleGeneral.bin.zst: not valid zstd data after 10000 compressed bytes (unexpected EOF)' },
  { name: 'gzip: trailer gone', files: { 't.csv.gz': gzipSync('1\n2\n').subarray(0, -8) }, args: replay('t.csv.gz', '--csv', 'obj-id-col=1'), expected: 't.csv.gz: gzip data cut short or corrupt (its last member decompressed to 4 bytes; its trailer says 188978)' },
  { name: 'replay: unknown format', files: { 't.bin': new Uint8Array(24) }, args: replay('t.bin', '--format', 'parquet'), expected: `--format: unknown trace format 'parquet' (known: ${Object.keys(TRACE_FORMATS).join(', ')})` },
  { name: 'replay: bad size', files: { 't.txt': '1\n' }, args: ['replay', '--trace', 't.txt', '--size', 'abc', '--out', 'out'], expected: "--size: 'abc' is not a size (expected e.g. 4096, 4KiB, 64MiB, 1GiB)" },
  { name: 'replay: unknown eviction policy', files: { 't.txt': '1\n' }, args: replay('t.txt', '--policy', 'mru'), expected: `unknown eviction algorithm 'mru' (known: ${Object.keys(EVICTION_ALGORITHMS).join(', ')})` },
  { name: 'replay: --interval 0', files: { 't.txt': '1\n' }, args: replay('t.txt', '--interval', '0'), expected: "--interval: 0 must be a time > 0 (the trace's unit)" },
  { name: 'replay: --warmup with --sample', files: { 't.txt': '1\n' }, args: replay('t.txt', '--warmup', '10', '--sample', '0.5'), expected: "--sample with --warmup or --interval: a sample's miss ratios are corrected over the whole trace; use one or the other" },
  { name: 'replay: --params not key=number', files: { 't.txt': '1\n' }, args: replay('t.txt', '--policy', 'slru', '--params', 'segments'), expected: "--params: 'segments' is not key=number (e.g. segments=8,windowRatio=0.1)" },
  { name: 'replay: --params unknown to a policy', files: { 't.txt': '1\n' }, args: replay('t.txt', '--policy', 's3fifo,lru', '--params', 'smallRatio=0.2'), expected: "lru: unknown option 'smallRatio' (it takes none)" },
  // ---- state traces (--workload trace)
  { name: 'state trace: no header', files: { 's.csv': '0,get,1,0,0,0,0,run\n' }, args: run('--workload', 'trace', '--param', 'trace=s.csv'), expected: "s.csv line 1: no header line (expected column names such as time_us,op,key,value_bytes,token,record,cpu_us,phase)" },
  { name: 'state trace: unknown op', files: { 's.csv': '# tiersim state trace v1: workload=kv key_bytes=16\ntime_us,op,key,value_bytes,token,record,cpu_us,phase\n0,fly,1,0,0,0,0,run\n' }, args: run('--workload', 'trace', '--param', 'trace=s.csv'), expected: "s.csv line 3: op 'fly' is not get, put, delete, merge, scan or none" },
  { name: 'state trace: negative value size', files: { 's.csv': '# tiersim state trace v1: workload=kv key_bytes=16\ntime_us,op,key,value_bytes,token,record,cpu_us,phase\n0,put,1,-10,0,0,0,load\n' }, args: run('--workload', 'trace', '--param', 'trace=s.csv'), expected: "s.csv line 3: value_bytes '-10' is not a whole number in 0..4294967295" },
  // ---- report
  { name: 'report: no runs in the directory', files: { 'empty/readme.txt': 'x' }, args: ['report', 'empty', '--out', 'out'], expected: "empty: nothing to report (no summary.json, cells/*/summary.json, */summary.json or results.csv)" },
  { name: 'report: --compare without --against', files: { 'empty/readme.txt': 'x' }, args: ['report', 'empty', '--out', 'out', '--compare', 'adaptive'], expected: '--compare and --against go together' },
];
