import { basename, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError } from '../../sim/errors.ts';
import { parseSize } from '../../sim/units.ts';
import { writeRunDir } from '../../reports/run-dir.ts';
import { simulate } from '../lib/simulate.ts';
import { progressBar } from '../lib/progress.ts';
import { openTraceSink, recordingWorkload, stateTraceFormatFromPath } from '../../workloads/state-trace-writer.ts';
import { OracleGeneralWriter } from '../../workloads/traces/oracle-general-writer.ts';
import { SERVED_MEMORY, type BlockReadObserver } from '../../sim/fs.ts';
import { readConfigFile, validateConfig } from '../lib/load-config.ts';
import { compareSetups, printSummary, runDefaultComparison, type SetupLists } from '../lib/default-comparison.ts';
import { lifecycleNotes } from '../lib/run-notes.ts';
import { parseStateShare } from '../lib/config.ts';
import { WORKLOADS } from '../../workloads/registry.ts';
import { POLICY_NAMES } from '../../policies/registry.ts';

interface Args {
  config?: string;
  workload?: string;
  param?: string[];
  'policy-option'?: string[];
  keys?: number;
  'write-ratio'?: number;
  'value-bytes'?: number;
  distribution?: string;
  records?: number;
  ops?: number;
  warmup?: number;
  placement?: string;
  dfs?: string;
  disk?: string;
  'disk-size'?: string;
  policy?: string;
  'cache-size'?: string;
  'managed-memory'?: string;
  'remote-compaction'?: boolean;
  exec?: string;
  'max-in-flight'?: number;
  'batch-size'?: number;
  rate?: string;
  cores?: number;
  slots?: number;
  seed?: string;
  verify?: boolean;
  'checkpoint-every'?: number;
  'restore-at'?: number;
  sample?: number;
  record?: string;
  'block-trace'?: string;
  'block-trace-tier'?: string;
  out?: string;
  json?: boolean;
}

/** A `--param k=v` (or `--policy-option k=v`) value: numbers and booleans become numbers and booleans. */
function parseParam(text: string, flag = '--param'): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`${flag}: '${text}' is not key=value`);
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return [key, raw === 'true'];
  const n = Number(raw);
  return [key, raw !== '' && Number.isFinite(n) ? n : raw];
}

/**
 * The policies to compare, in order: `--policy a,b,...` or `all`, or a list under
 * `policy` in a config file; undefined for a single policy.
 */
export function policyList(value: unknown): string[] | undefined {
  let names: string[];
  if (value === 'all') return [...POLICY_NAMES];
  if (typeof value === 'string' && value.includes(',')) names = value.split(',').map((name) => name.trim());
  else if (Array.isArray(value)) names = value.map(String);
  else return undefined;
  for (const name of names) {
    if (!POLICY_NAMES.includes(name)) throw new InputError(`--policy: unknown local cache policy '${name}' (known: ${POLICY_NAMES.join(', ')}; or all)`);
  }
  if (names.length === 0) throw new InputError('--policy: an empty list');
  if (new Set(names).size < names.length) throw new InputError(`--policy: '${names.join(',')}' names a policy twice`);
  return names;
}

/**
 * What a run compares: each of its policy, cache size, DFS, source rate and seed given as a list
 * (`--cache-size 10%,40%`, or `cacheSize: [10%, 40%]` in a config file) is an axis;
 * undefined when none is. A list names each value once.
 */
export function setupLists(config: Record<string, unknown>): SetupLists | undefined {
  const lists: SetupLists = {};
  const policies = policyList(config.policy);
  if (policies) lists.policies = policies;
  const once = <T>(flag: string, values: T[]) => {
    if (values.length === 0) throw new InputError(`${flag}: an empty list`);
    if (new Set(values.map((v) => JSON.stringify(v))).size < values.length) throw new InputError(`${flag}: '${values.join(',')}' names a value twice`);
    return values;
  };
  if (Array.isArray(config.cacheSize)) lists.cacheSizes = once('--cache-size', config.cacheSize as (number | string)[]);
  if (Array.isArray(config.dfs)) lists.dfs = once('--dfs', (config.dfs as unknown[]).map(String));
  const rate = (config.exec as { rate?: unknown } | undefined)?.rate;
  if (Array.isArray(rate)) lists.rates = once('--rate', rate as number[]);
  if (Array.isArray(config.seed)) {
    for (const seed of config.seed) if (!(Number.isInteger(seed) && seed >= 0)) throw new InputError(`--seed: '${seed}' is not a whole number >= 0`);
    lists.seeds = once('--seed', config.seed as number[]);
  }
  return Object.keys(lists).length > 0 ? lists : undefined;
}

/** A flag's value, or its comma-separated list of values. */
function listOr<T>(flag: string, text: string, parse: (item: string) => T): T | T[] {
  if (!text.includes(',')) return parse(text);
  const items = text.split(',').map((item) => item.trim());
  if (items.includes('')) throw new InputError(`${flag}: '${text}' has an empty item`);
  return items.map(parse);
}

/** A --rate value: records per simulated second, a number > 0. */
function rateOf(text: string): number {
  const rate = Number(text);
  if (text === '' || !(rate > 0) || !Number.isFinite(rate)) throw new InputError(`--rate: '${text}' is not a number of records per second > 0`);
  return rate;
}

/** A --seed value: a whole number. */
function seedOf(text: string): number {
  if (!/^\d+$/.test(text)) throw new InputError(`--seed: '${text}' is not a whole number >= 0`);
  return Number(text);
}

/** --cache-size in bytes; its error names the other form too. */
function cacheSizeBytes(text: string): number {
  try {
    return parseSize(text, '--cache-size');
  } catch (err) {
    if (err instanceof InputError) throw new InputError(err.message.replace(/\)$/, ', or a share of the state such as 40%)'));
    throw err;
  }
}

/** Flags over the config file over the defaults. */
export function configFromArgs(args: Args): Record<string, unknown> {
  const c: Record<string, unknown> = args.config ? readConfigFile(args.config) : {};
  const set = (key: string, v: unknown) => { if (v !== undefined) c[key] = v; };
  set('workload', args.workload);
  set('records', args.records);
  set('ops', args.ops);
  set('warmupOps', args.warmup);
  set('placement', args.placement);
  set('dfs', args.dfs === undefined ? undefined : listOr('--dfs', args.dfs, (d) => d));
  set('disk', args.disk);
  set('diskSize', args['disk-size'] !== undefined ? parseSize(args['disk-size'], '--disk-size') : undefined);
  set('policy', args.policy);
  const cacheSize = args['cache-size'];
  // A share of the state ("40%") stays text until the run resolves it (cache-share.ts).
  set('cacheSize', cacheSize === undefined ? undefined : listOr('--cache-size', cacheSize, (size) => (parseStateShare(size) ? size : cacheSizeBytes(size))));
  set('managedMemory', args['managed-memory'] !== undefined ? parseSize(args['managed-memory'], '--managed-memory') : undefined);
  set('seed', args.seed === undefined ? undefined : listOr('--seed', args.seed, seedOf));
  set('slots', args.slots);
  set('verify', args.verify);
  set('checkpointEverySeconds', args['checkpoint-every']);
  set('restoreAtSeconds', args['restore-at']);
  set('sample', args.sample);
  if (args['remote-compaction'] !== undefined) c.store = { ...(c.store as object ?? {}), remoteCompaction: args['remote-compaction'] };
  if (args.exec !== undefined) c.exec = { ...(c.exec as object ?? {}), mode: args.exec };
  if (args['max-in-flight'] !== undefined) c.exec = { ...(c.exec as object ?? {}), maxInFlight: args['max-in-flight'] };
  if (args['batch-size'] !== undefined) c.exec = { ...(c.exec as object ?? {}), batchSize: args['batch-size'] };
  if (args.rate !== undefined) c.exec = { ...(c.exec as object ?? {}), rate: listOr('--rate', args.rate, rateOf) };
  if (args.cores !== undefined) c.cpu = { ...(c.cpu as object ?? {}), cores: args.cores };
  const params: Record<string, unknown> = { ...(c.workloadParams as Record<string, unknown> ?? {}) };
  if (args.keys !== undefined) params.keys = args.keys;
  if (args['write-ratio'] !== undefined) params.writeRatio = args['write-ratio'];
  if (args['value-bytes'] !== undefined) params.valueBytes = args['value-bytes'];
  if (args.distribution !== undefined) params.distribution = args.distribution;
  for (const p of args.param ?? []) {
    const [k, v] = parseParam(p);
    params[k] = v;
  }
  c.workloadParams = params;
  if (args['policy-option'] !== undefined) {
    const options: Record<string, unknown> = { ...(c.policyOptions as Record<string, unknown> ?? {}) };
    for (const p of args['policy-option']) {
      const [k, v] = parseParam(p, '--policy-option');
      options[k] = v;
    }
    c.policyOptions = options;
  }
  return c;
}

export const runCommand: CommandModule<object, Args> = {
  command: 'run',
  describe: 'run one simulation (no arguments: the default comparison of every local-cache policy)',
  builder: (y) => y
    .option('config', { type: 'string', describe: 'config file (JSON or YAML); flags override it' })
    .option('workload', { type: 'string', describe: `workload: ${Object.keys(WORKLOADS).join(', ')} (default kv)` })
    .option('param', { type: 'string', array: true, describe: 'workload parameter key=value (repeatable)' })
    .option('keys', { type: 'number', describe: 'key count (kv)' })
    .option('write-ratio', { type: 'number', describe: 'share of puts (kv)' })
    .option('value-bytes', { type: 'number', describe: 'value size (kv)' })
    .option('distribution', { type: 'string', describe: 'key distribution: zipfian or uniform (kv)' })
    .option('records', { type: 'number', describe: 'stop after this many records' })
    .option('ops', { type: 'number', describe: 'stop after this many state operations' })
    .option('warmup', { type: 'number', describe: 'state operations before the measured run (not measured)' })
    .option('placement', { type: 'string', choices: ['local', 'disaggregated'] })
    .option('dfs', { type: 'string', describe: 'DFS preset or device file; a list (hdfs,s3) runs each' })
    .option('disk', { type: 'string', describe: 'local disk preset or device file' })
    .option('disk-size', { type: 'string', describe: 'local disk size' })
    .option('policy', { type: 'string', describe: `local-disk cache policy: ${POLICY_NAMES.join(', ')}; a list (file,block,adaptive) or all runs each and prints them side by side` })
    .option('policy-option', { type: 'string', array: true, describe: 'policy option key=value (repeatable), e.g. refill=false' })
    .option('cache-size', { type: 'string', describe: 'local-disk cache size: bytes (64MiB) or a share of the workload\'s state (40%); a list (10%,40%) runs each' })
    .option('managed-memory', { type: 'string', describe: 'Flink managed memory (block cache + write buffers)' })
    .option('remote-compaction', { type: 'boolean', describe: 'compaction off the task (FLIP-430)' })
    .option('exec', { type: 'string', choices: ['sync', 'async'], describe: 'execution model' })
    .option('max-in-flight', { type: 'number', describe: 'async: records in flight (default 6000)' })
    .option('batch-size', { type: 'number', describe: 'async: largest multiGet formed from pending gets (FLIP-426; 1 = off)' })
    .option('rate', { type: 'string', describe: 'records per simulated second the source offers (YCSB\'s -target); a task behind it takes the next at once (backpressure). Default: as fast as taken; a list (1000,4000) runs each' })
    .option('cores', { type: 'number', describe: 'CPU cores of the task machine' })
    .option('slots', { type: 'number', describe: 'task slots sharing the machine (CPU, disk, DFS)' })
    .option('seed', { type: 'string', describe: 'seed of every random stream (default 1); a list (1,2,3) runs each' })
    .option('verify', { type: 'boolean', describe: 'check every read against a reference model' })
    .option('checkpoint-every', { type: 'number', describe: 'take an incremental checkpoint every N simulated seconds' })
    .option('restore-at', { type: 'number', describe: 'fail and restore from the last checkpoint at N simulated seconds' })
    .option('sample', { type: 'number', describe: 'simulate this fraction of the keys (hashed) with caches scaled by it, e.g. 0.01' })
    .option('record', { type: 'string', describe: 'write the state-access trace (.csv or .jsonl, .gz to compress) for --workload trace' })
    .option('block-trace', { type: 'string', describe: 'write the block reads of gets and scans as an oracleGeneral trace (*.oracleGeneral.bin) for tiersim replay or cachesim' })
    .option('block-trace-tier', { type: 'string', choices: ['memory', 'local'], describe: 'memory: every block read (what the memory block cache sees; default); local: those that missed memory (what the local-disk cache sees)' })
    .option('out', { type: 'string', describe: 'write the run directory here (with lists: one per setup, and a report)' })
    .option('json', { type: 'boolean', describe: 'print summary.json to stdout' }),
  handler: async (args) => {
    const given = Object.keys(args).filter((k) => !['_', '$0'].includes(k) && (args as Record<string, unknown>)[k] !== undefined);
    if (given.length === 0 || (given.length === 1 && given[0] === 'out')) {
      await runDefaultComparison(args.out);
      return;
    }
    const raw = configFromArgs(args);
    const lists = setupLists(raw);
    if (lists) {
      const flag = lists.policies ? '--policy' : lists.cacheSizes ? '--cache-size' : lists.dfs ? '--dfs' : lists.rates ? '--rate' : '--seed';
      if (args.record || args['block-trace']) throw new InputError(`--record and --block-trace write one run's trace: give one ${flag}`);
      if (raw.placement === 'local' && (lists.policies || lists.cacheSizes)) {
        throw new InputError(`--${lists.policies ? 'policy' : 'cache-size'}: a list compares local-disk caches of disaggregated state; --placement local keeps the state on local disk and has none`);
      }
      await compareSetups(raw, lists, args.out, args.json);
      return;
    }
    const config = validateConfig(raw, args.config ?? 'flags');
    if (args.record && config.slots > 1) throw new InputError('--record: records one slot\'s trace; run with --slots 1');
    if (args['block-trace'] && config.slots > 1) throw new InputError('--block-trace: records one slot\'s block reads; run with --slots 1');
    if (args['block-trace-tier'] && !args['block-trace']) throw new InputError('--block-trace-tier: give --block-trace too');
    const sink = args.record ? openTraceSink(args.record) : undefined; // a bad path fails before the run
    let blocks: OracleGeneralWriter | undefined;
    const bar = progressBar(config.workload);
    const at: Partial<Record<'load' | 'warmup' | 'run' | 'end', number>> = {};
    let result;
    try {
      blocks = args['block-trace'] ? new OracleGeneralWriter(args['block-trace']) : undefined;
      result = simulate(config, undefined, {
        onProgress: (f, phase) => bar?.update(f, phase === 'warmup' ? 'warm-up' : phase),
        onPhase: (phase) => { at[phase] = performance.now(); },
        ...(sink ? { wrapWorkload: (w) => recordingWorkload(w, sink.write, { format: stateTraceFormatFromPath(args.record!) }) } : {}),
        ...(blocks ? { blockReads: blockTraceObserver(blocks, args['block-trace-tier'] === 'local') } : {}),
      });
      sink?.close();
      blocks?.close();
    } catch (err) {
      sink?.abort();
      blocks?.abort();
      throw err;
    } finally {
      bar?.stop();
    }
    if (args.out) {
      writeRunDir(args.out, { summary: result.summary, timeline: result.timeline, config: { ...config } });
      // Charts load Vega and resvg: only when asked for an output directory.
      const { writeRunCharts } = await import('../../reports/run-report.ts');
      await writeRunCharts(args.out, [{ name: basename(args.out), summary: result.summary, timeline: result.timeline }]);
    }
    if (args.json) console.log(JSON.stringify(result.summary, null, 2));
    else {
      const load = ((at.warmup ?? at.run!) - at.load!) / 1000;
      const warmup = at.warmup === undefined ? 0 : (at.run! - at.warmup) / 1000;
      printSummary(result.summary, { load, warmup, run: (at.end! - at.run!) / 1000 }, lifecycleNotes(result.summary, config));
    }
    if (args.out) (args.json ? console.error : console.log)(`wrote ${args.out}/summary.json and ${join(args.out, 'report.html')}`);
    if (blocks) (args.json ? console.error : console.log)(`wrote ${blocks.records} block reads to ${blocks.path}`);
  },
};

/** The observer that writes a run's foreground block reads (all, or those that missed memory) to the trace. */
function blockTraceObserver(trace: OracleGeneralWriter, missesOnly: boolean): BlockReadObserver {
  return (timeUs, blockId, bytes, servedFrom) => {
    if (!missesOnly || servedFrom !== SERVED_MEMORY) trace.record(timeUs / 1e6, blockId, bytes);
  };
}
