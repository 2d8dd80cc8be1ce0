/**
 * The run assembly: builds one simulated world from a RunConfig (devices, task
 * slots with their caches, policy, store and workload, the execution model), runs
 * it, and summarises it. Pure computation apart from reading device files; writing
 * results is the caller's.
 */
import { Cpu } from '../../sim/cpu.ts';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import { ExecStats, syncTask, type ExecEnv, type RunLimits } from '../../sim/executor.ts';
import { asyncTask } from '../../sim/async-executor.ts';
import { Timeline, type LatencySummary } from '../../sim/metrics.ts';
import { Process, type Sim } from '../../sim/process.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import type { CheckpointResult, RestoreResult } from '../../sim/store/db.ts';
import type { BlockReadObserver } from '../../sim/fs.ts';
import { VerifyingStore } from '../../sim/store/verify.ts';
import { OP_NAMES, type Workload } from '../../sim/workload.ts';
import { InputError } from '../../sim/errors.ts';
import { makePolicy } from '../../policies/registry.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import type { RunConfig } from './config.ts';
import { resolveDevice } from './devices.ts';
import { Slot, blockCacheCapacity } from './slot.ts';
import { sampledConfig } from './sample.ts';
import { resolveCacheSize } from './cache-share.ts';
import { SampledWorkload, findHeavyKeys, loadFraction } from '../../workloads/sampled.ts';

export { blockCacheCapacity };
export const TIERSIM_VERSION = '0.1.0';
/** Most operations a sampled run looks ahead at to find its heavy hitters. */
const HEAVY_LOOK_AHEAD = 5_000_000;

export interface RunResult {
  summary: Record<string, unknown>;
  timeline: Record<string, number>[];
}

function numbers<T extends object>(o: T): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number') out[k] = v;
  return out;
}
function delta(now: Record<string, number>, base: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(now)) out[k] = now[k]! - (base[k] ?? 0);
  return out;
}
function sum(rows: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const round = (x: number, digits = 6) => Number(x.toFixed(digits));
function roundCdf(points: { latencyUs: number; fraction: number }[]): { latencyUs: number; fraction: number }[] {
  return points.map((p) => ({ latencyUs: round(p.latencyUs, 3), fraction: p.fraction }));
}

function roundLatency(l: LatencySummary): Record<string, number> {
  return { count: l.count, p50: round(l.p50, 3), p90: round(l.p90, 3), p99: round(l.p99, 3), p999: round(l.p999, 3), max: round(l.max, 3), mean: round(l.mean, 3) };
}

/** Runs processes to completion (or until stop()); for phases that must finish before the next. */
function runAll(scheduler: Scheduler, bodies: Sim<void>[]): void {
  let left = bodies.length;
  for (const body of bodies) new Process(scheduler, body, () => { if (--left === 0) scheduler.stop(); }).start();
  if (left > 0) scheduler.run();
}

export interface SimulateHooks {
  /**
   * Called with the fraction of a phase done: the load's (every 1024 load records,
   * where the workload can tell), the warm-up's and the measured run's (once per
   * simulated second).
   */
  onProgress?: (fraction: number, phase: 'load' | 'warmup' | 'run') => void;
  /** Wraps each slot's workload (e.g. to record the state-access trace). */
  wrapWorkload?: (workload: Workload, slot: number) => Workload;
  /** Told of every foreground block read of slot 0 (a block-trace recorder; runs with one slot). */
  blockReads?: BlockReadObserver;
  /** Called as each phase starts ('load', 'warmup', 'run') and once the run is over ('end'): for timing them. */
  onPhase?: (phase: 'load' | 'warmup' | 'run' | 'end') => void;
}

export function simulate(input: RunConfig, wallClock: () => number = () => performance.now(), hooks: SimulateHooks = {}): RunResult {
  const wallStart = wallClock();
  // A cache size given as a share of the state, in bytes from here on.
  const fullConfig = resolveCacheSize(input);
  const slotSeed = (i: number) => (i === 0 ? fullConfig.seed : fullConfig.seed + i * 1_000_003);
  const share = (total: number | undefined, i: number) =>
    total === undefined ? Infinity : Math.floor(total / fullConfig.slots) + (i < total % fullConfig.slots ? 1 : 0);
  const opsLimit = fullConfig.records === undefined && fullConfig.ops === undefined ? 1_000_000 : fullConfig.ops;

  // A sampled run simulates a fraction of the keys with sizes scaled to match: the
  // share of the loaded bytes its keys hold (about the rate), so that the store flushes
  // and compacts its load as the full one does.
  const sampleRate = fullConfig.sample !== undefined && fullConfig.sample < 1 ? fullConfig.sample : undefined;
  if (sampleRate !== undefined && fullConfig.exec.rate !== undefined) {
    // A sampled stream skips records by key, so a rate of its records is not one of the job's.
    throw new InputError('exec.rate (--rate) and sample (--sample) cannot be combined: give one of them');
  }
  const heavy: number[][] = [];
  let stateFraction = sampleRate;
  if (sampleRate !== undefined) {
    // Keys with at least this share of the operations stay cached even when they keep
    // only `rate` of them (their reuse distance stays within a quarter of the scaled
    // memory cache's blocks), so they are sampled in time instead of by key. Found by
    // a look ahead at each slot's own stream (a fresh instance, same seed) over the
    // warm-up and the run, at most HEAVY_LOOK_AHEAD operations.
    const heavyShare = 4 / (sampleRate * (blockCacheCapacity(fullConfig.managedMemory) / fullConfig.store.blockSize));
    for (let i = 0; i < fullConfig.slots; i++) {
      const ahead = makeWorkload(fullConfig.workload, fullConfig.workloadParams, slotSeed(i));
      const records = fullConfig.warmupOps > 0 ? Infinity : share(fullConfig.records, i);
      const ops = Math.min(HEAVY_LOOK_AHEAD, share(fullConfig.warmupOps, i) + share(opsLimit, i));
      heavy.push(findHeavyKeys(ahead, records, ops, heavyShare));
    }
    stateFraction = loadFraction(makeWorkload(fullConfig.workload, fullConfig.workloadParams, slotSeed(0)), sampleRate, heavy[0]!) ?? sampleRate;
  }
  const config = sampledConfig(fullConfig, stateFraction);
  if (config.store.remoteCompaction && config.placement === 'local') {
    throw new InputError('store.remoteCompaction needs placement disaggregated (FLIP-430 compacts files that live on the DFS)');
  }
  const dfsSpec: DeviceSpec = typeof config.dfs === 'string' ? resolveDevice(config.dfs, '--dfs') : config.dfs;
  const diskSpec: DeviceSpec = typeof config.disk === 'string' ? resolveDevice(config.disk, '--disk') : config.disk;
  const seed = config.seed;
  const scheduler = new Scheduler();
  const timeline = new Timeline();
  const cpu = new Cpu(config.cpu.cores, config.cpu.costs, seed);
  const dfs = new Device(dfsSpec, seed, 'device/dfs');
  const disk = new Device(diskSpec, seed, 'device/disk');
  const remoteDfs = new Device(dfsSpec, seed, 'device/dfs-remote-compaction');
  // The cache size is the policy's size limit (per slot, as Flink's per-backend cache); `none` has no size.
  const policyOptions = config.policy === 'none' ? config.policyOptions
    : { ...config.policyOptions, sizeLimit: config.policyOptions.sizeLimit ?? config.cacheSize };
  const policyFactory = makePolicy(config.policy, policyOptions);

  // Task slots share the machine. Slot i's workload stream has its own seed.
  const slots: Slot[] = [];
  const samplers: SampledWorkload[] = [];
  const machine = {
    scheduler, cpu, dfs, disk, remoteDfs, timeline,
    diskFreeBytes: () => config.diskSize - slots.reduce((a, s) => a + s.diskUsedBytes(), 0),
  };
  for (let i = 0; i < config.slots; i++) {
    let workload: Workload = makeWorkload(config.workload, config.workloadParams, slotSeed(i));
    if (sampleRate !== undefined) samplers.push((workload = new SampledWorkload(workload, sampleRate, heavy[i])));
    if (hooks.wrapWorkload) workload = hooks.wrapWorkload(workload, i);
    slots.push(new Slot(i, machine, config, policyFactory, workload, i === 0 ? hooks.blockReads : undefined));
  }
  const workload = slots[0]!.workload;

  // Load phase: the state that exists when the job starts. Not measured. Its I/O is
  // instant, so the LSM it leaves (which flushes and compactions ran, and when) is the
  // same whatever the local cache policy: policies are compared on the same store.
  hooks.onPhase?.('load');
  const devices = [dfs, disk, remoteDfs];
  for (const d of devices) d.instant = true;
  // A recorded trace cannot tell its load's size: its share read stands for both phases.
  const loadShare = (w: Workload) => w.loadProgress?.() ?? w.streamProgress!();
  const loadTick = hooks.onProgress && slots.every((s) => s.workload.loadProgress || s.workload.streamProgress)
    ? () => hooks.onProgress!(slots.reduce((a, s) => a + loadShare(s.workload), 0) / slots.length, 'load')
    : undefined;
  const streamShare = slots.every((s) => s.workload.streamProgress)
    ? () => slots.reduce((a, s) => a + s.workload.streamProgress!(), 0) / slots.length
    : () => 0;
  runAll(scheduler, slots.map((s) => s.load(loadTick)));
  for (const d of devices) d.instant = false;
  // Files fill their bloom filters on first probe; the loaded store's are filled now,
  // with the load, rather than by the first gets of the measured phases.
  for (const s of slots) s.db.fillFilters();
  const loadedSeconds = scheduler.now / 1e6;

  // The execution model: sync (Flink 1.x) or async (FLIP-424/425, FLIP-426 grouping).
  // A source rate is the job's, split evenly over its slots.
  const slotRate = config.exec.rate === undefined ? undefined : config.exec.rate / config.slots;
  const task = (slot: Slot, env: ExecEnv, limits: RunLimits, stats: ExecStats) => config.exec.mode === 'async'
    ? asyncTask(env, slot.workload, limits, stats, { ...config.exec, rate: slotRate })
    : syncTask(env, slot.workload, limits, stats, slotRate);
  // Bounds count the workload's records and operations; a sampled run's sampler
  // enforces them on the full stream and the executor runs until the sampler ends.
  const bounded = (i: number, records: number, ops: number): RunLimits => {
    const sampler = samplers[i];
    if (!sampler) return { records, ops };
    sampler.budget(records, ops);
    return { records: Infinity, ops: Infinity };
  };

  // Records and operations of the workload run so far in a phase whose executors keep
  // `stats`; a sampled run counts the full stream its samplers consumed.
  const done = (stats: ExecStats[]) => samplers.length > 0
    ? { ops: samplers.reduce((a, w) => a + w.innerOps, 0), records: samplers.reduce((a, w) => a + w.innerRecords, 0) }
    : { ops: stats.reduce((a, x) => a + x.ops, 0), records: stats.reduce((a, x) => a + x.records, 0) };

  // Warm-up: the workload itself, unmeasured, so that caches reach their steady state.
  if (config.warmupOps > 0) {
    hooks.onPhase?.('warmup');
    const stats = slots.map(() => new ExecStats());
    let warming = true;
    if (hooks.onProgress) {
      // Reads counters once per simulated second and changes nothing: the run's
      // order of events is the same with it or without.
      new Process(scheduler, (function* progress(): Sim {
        let second = scheduler.now;
        while (warming) {
          second = yield second + 1e6;
          if (!warming) break;
          hooks.onProgress!(done(stats).ops / config.warmupOps, 'warmup');
        }
      })()).start();
    }
    runAll(scheduler, slots.map((s, i) => task(s, s.env, bounded(i, Infinity, share(config.warmupOps, i)), stats[i]!)));
    warming = false;
  }

  // Measured phase.
  hooks.onPhase?.('run');
  const t0 = scheduler.now;
  timeline.startAt(t0);
  const fsTotals = () => sum(slots.map((s) => numbers(s.fsStats)));
  const dbTotals = () => sum(slots.map((s) => numbers(s.dbStats)));
  const base = { dfs: numbers(dfs.stats), disk: numbers(disk.stats), cpu: numbers(cpu.stats), fs: fsTotals(), db: dbTotals() };
  let running = slots.length;
  let end = t0;
  for (const [i, slot] of slots.entries()) {
    const limits = bounded(i, share(config.records, i), share(opsLimit, i));
    new Process(scheduler, task(slot, slot.env, limits, slot.exec), (_, now) => {
      if (--running > 0) return;
      end = now;
      scheduler.stop(); // background work still in flight is not part of the measured run
    }).start();
  }

  // Once per simulated second: the counters behind the timeline's ratios. A sample is
  // taken 1 µs before the second ends, so that events due on the boundary itself (a
  // failure, a checkpoint) belong to the next second and not to the gauge of this one.
  let last = { ...fsTotals(), dfsReads: dfs.stats.reads };
  const sample = (at: number): void => {
    const cur = { ...fsTotals(), dfsReads: dfs.stats.reads };
    const d = delta(cur, last);
    last = cur;
    timeline.add('blockReads', at, d.reads!);
    timeline.add('memoryHits', at, d.memoryHits!);
    timeline.add('localHits', at, d.localHits!);
    timeline.add('dfsRequests', at, d.dfsReads!);
    timeline.set('localCacheBytes', at, slots.reduce((a, s) => a + s.policy.usedBytes(), 0));
    timeline.set('memoryCacheBytes', at, slots.reduce((a, s) => a + s.memory.usedBytes, 0));
  };
  new Process(scheduler, (function* sampler(): Sim {
    let second = t0;
    while (running > 0) {
      second += timeline.bucketUs;
      yield second - 1;
      sample(second - 1);
      if (hooks.onProgress) {
        const { ops, records } = done(slots.map((s) => s.exec));
        hooks.onProgress(Math.max(opsLimit ? ops / opsLimit : 0, config.records ? records / config.records : 0, streamShare()), 'run');
      }
    }
  })()).start();

  // Lifecycle: periodic checkpoints of every slot, and a failure with restore.
  const checkpoints: CheckpointResult[] = [];
  if (config.checkpointEverySeconds) {
    const every = config.checkpointEverySeconds * 1e6;
    for (const slot of slots) {
      new Process(scheduler, (function* (): Sim<void> {
        let now = scheduler.now;
        while (running > 0) {
          now = yield now + every;
          if (running === 0) break;
          checkpoints.push(yield* slot.checkpoint());
          timeline.add('checkpoints', scheduler.now);
          now = scheduler.now;
        }
      })()).start();
    }
  }
  const restores: (RestoreResult & { atSeconds: number; checkpointAgeSeconds: number })[] = [];
  if (config.restoreAtSeconds) {
    for (const slot of slots) {
      new Process(scheduler, (function* (): Sim<void> {
        yield t0 + config.restoreAtSeconds! * 1e6;
        if (running === 0) return;
        const at = (scheduler.now - t0) / 1e6;
        const r = yield* slot.failAndRestore();
        restores.push({ ...r, atSeconds: at });
        timeline.add('restores', scheduler.now);
      })()).start();
    }
  }
  scheduler.run();
  hooks.onPhase?.('end');
  // The last, partial second: its counters since the sampler's last look.
  if (end > t0 && (end - t0) % timeline.bucketUs !== 0) sample(end);
  const simulatedUs = Math.max(end - t0, 1e-9);

  const d = {
    dfs: delta(numbers(dfs.stats), base.dfs), disk: delta(numbers(disk.stats), base.disk),
    cpu: delta(numbers(cpu.stats), base.cpu), fs: delta(fsTotals(), base.fs), db: delta(dbTotals(), base.db),
  };
  const exec = new ExecStats();
  for (const s of slots) {
    exec.records += s.exec.records;
    exec.ops += s.exec.ops;
    exec.recordLatency.add(s.exec.recordLatency);
    s.exec.latency.forEach((h, i) => exec.latency[i]!.add(h));
    s.exec.opCounts.forEach((n, i) => { exec.opCounts[i]! += n; });
    exec.lateRecords += s.exec.lateRecords;
  }
  const latencyUs: Record<string, unknown> = {};
  OP_NAMES.forEach((name, i) => { if (exec.opCounts[i]! > 0) latencyUs[name] = roundLatency(exec.latency[i]!.summary()); });
  latencyUs.record = roundLatency(exec.recordLatency.summary());
  // The fine distribution behind the latency CDF chart, per op type and per record.
  const latencyCdf: Record<string, { latencyUs: number; fraction: number }[]> = {};
  OP_NAMES.forEach((name, i) => { if (exec.opCounts[i]! > 0) latencyCdf[name] = roundCdf(exec.latency[i]!.cdf()); });
  latencyCdf.record = roundCdf(exec.recordLatency.cdf());
  const simulatedSeconds = simulatedUs / 1e6;
  const wallSeconds = (wallClock() - wallStart) / 1000;
  const policyMetrics = sum(slots.map((s) => s.policyMetrics()));
  const levels = slots[0]!.db.levels().map((l) => ({ ...l, files: 0, bytes: 0 }));
  for (const s of slots) for (const l of s.db.levels()) { levels[l.level]!.files += l.files; levels[l.level]!.bytes += l.bytes; }
  const userBytes = slots.reduce((a, s) => a + s.dbStats.userBytesWritten, 0);
  const lsmBytes = slots.reduce((a, s) => a + s.dbStats.flushBytesWritten + s.dbStats.compactionBytesWritten, 0);
  const localCacheBytes = slots.reduce((a, s) => a + s.policy.usedBytes(), 0);

  const summary: Record<string, unknown> = {
    tiersimVersion: TIERSIM_VERSION,
    workload: config.workload,
    workloadParams: workload.describe(),
    // Local placement keeps every file on local disk: no cache policy is consulted.
    policy: config.placement === 'local' ? 'none' : config.policy,
    placement: config.placement,
    dfsDevice: dfsSpec.name,
    diskDevice: diskSpec.name,
    cacheSizeBytes: fullConfig.cacheSize,
    ...(fullConfig.cacheShare ? { cacheShareOfState: fullConfig.cacheShare } : {}),
    seed,
    exec: config.exec.mode,
    slots: config.slots,
    records: exec.records,
    ops: exec.ops,
    simulatedSeconds: round(simulatedSeconds),
    recordsPerSecond: round(exec.records / simulatedSeconds, 3),
    opsPerSecond: round(exec.ops / simulatedSeconds, 3),
    // Under a source rate: the share of records the tasks reached after their due time.
    ...(config.exec.rate !== undefined
      ? { sourceRate: { recordsPerSecond: config.exec.rate, lateShare: round(ratio(exec.lateRecords, exec.records)) } }
      : {}),
    latencyUs,
    hitRatio: {
      memory: round(ratio(d.fs.memoryHits!, d.fs.reads!)),
      localDisk: round(ratio(d.fs.localHits!, d.fs.reads! - d.fs.memoryHits!)),
      overall: round(ratio(d.fs.memoryHits! + d.fs.localHits!, d.fs.reads!)),
      getDataMemory: round(ratio(d.db.getDataMemoryHits!, d.db.getDataBlocks!)),
    },
    blockReads: {
      total: d.fs.reads, memoryHits: d.fs.memoryHits, localHits: d.fs.localHits, dfs: d.fs.dfsReads,
      getData: d.db.getDataBlocks, getDataMemoryHits: d.db.getDataMemoryHits,
    },
    dfs: {
      reads: d.dfs.reads, bytesRead: d.dfs.bytesRead, writes: d.dfs.writes, bytesWritten: d.dfs.bytesWritten,
      costUsd: round(d.dfs.costUsd!, 9),
    },
    localDisk: {
      reads: d.disk.reads, bytesRead: d.disk.bytesRead, writes: d.disk.writes, bytesWritten: d.disk.bytesWritten,
      usedBytes: slots.reduce((a, s) => a + s.diskUsedBytes(), 0),
    },
    localCache: { usedBytes: localCacheBytes, metrics: policyMetrics },
    memoryCache: {
      capacityBytes: slots.reduce((a, s) => a + s.memory.capacity, 0),
      usedBytes: slots.reduce((a, s) => a + s.memory.usedBytes, 0),
    },
    cpu: {
      cores: config.cpu.cores,
      busySeconds: round(d.cpu.busyUs! / 1e6),
      utilization: round(d.cpu.busyUs! / (simulatedUs * config.cpu.cores)),
      cpuUsPerOp: round(ratio(d.cpu.busyUs!, exec.ops), 4),
    },
    lsm: {
      levels,
      flushes: d.db.flushes,
      compactions: d.db.compactions,
      writeAmplification: round(ratio(lsmBytes, userBytes), 4),
      writeStallSeconds: round(d.db.stallUs! / 1e6),
    },
    load: { simulatedSeconds: round(loadedSeconds) },
    warmupOps: config.warmupOps,
    wallSeconds: round(wallSeconds, 3),
    simulatedOpsPerWallSecond: round(exec.ops / Math.max(wallSeconds, 1e-9), 1),
  };
  if (checkpoints.length > 0) {
    const durations = checkpoints.map((c) => c.durationUs / 1e6).sort((a, b) => a - b);
    summary.checkpoint = {
      count: checkpoints.length,
      durationSeconds: { p50: round(durations[Math.floor((durations.length - 1) / 2)]!), max: round(durations[durations.length - 1]!) },
      uploadedBytes: checkpoints.reduce((a, c) => a + c.uploadedBytes, 0),
      incrementalBytes: checkpoints.reduce((a, c) => a + c.incrementalBytes, 0),
      last: checkpoints[checkpoints.length - 1],
    };
  }
  if (restores.length > 0) {
    summary.restore = {
      atSeconds: round(restores[0]!.atSeconds),
      durationSeconds: round(Math.max(...restores.map((r) => r.durationUs)) / 1e6),
      downloadedBytes: restores.reduce((a, r) => a + r.downloadedBytes, 0),
      files: restores.reduce((a, r) => a + r.files, 0),
      bytes: restores.reduce((a, r) => a + r.bytes, 0),
      checkpointAgeSeconds: round(Math.max(...restores.map((r) => r.checkpointAgeSeconds))),
    };
  }
  const verifiers = slots.map((s) => s.store).filter((s): s is VerifyingStore => s instanceof VerifyingStore);
  if (verifiers.length > 0) {
    const reports = verifiers.map((v) => v.report());
    summary.verify = {
      reads: reports.reduce((a, r) => a + r.reads, 0),
      mismatches: reports.reduce((a, r) => a + r.mismatches, 0),
      firstMismatches: reports.flatMap((r) => r.firstMismatches).slice(0, 10),
    };
  }
  if (sampleRate !== undefined) {
    // What the sample stands for: the stretch of the full workload it was drawn from,
    // and the scaled sizes it ran with.
    summary.sample = {
      rate: sampleRate,
      stateFraction: round(stateFraction!),
      workloadRecords: samplers.reduce((a, w) => a + w.innerRecords, 0),
      workloadOps: samplers.reduce((a, w) => a + w.innerOps, 0),
      heavyKeys: samplers.reduce((a, w) => a + w.heavyKeys, 0),
      managedMemoryBytes: config.managedMemory,
      cacheSizeBytes: config.cacheSize,
      writeBufferSize: config.store.writeBufferSize,
      targetFileSize: config.store.targetFileSize,
    };
  }
  summary.latencyCdf = latencyCdf;
  return { summary, timeline: timeline.rows() };
}
