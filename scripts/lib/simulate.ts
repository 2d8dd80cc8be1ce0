/**
 * The run assembly: builds one simulated world from a RunConfig (devices, caches,
 * policy, store, workload, execution model), runs it, and summarises it. Pure
 * computation apart from reading device files; writing results is the caller's.
 */
import { BlockCache } from '../../sim/block-cache.ts';
import { Cpu } from '../../sim/cpu.ts';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import { ExecStats, syncTask, type ExecEnv, type RunLimits } from '../../sim/executor.ts';
import { asyncTask } from '../../sim/async-executor.ts';
import { FileSystem, FsStats } from '../../sim/fs.ts';
import { Timeline, type LatencySummary } from '../../sim/metrics.ts';
import { Gate, Process, type Sim } from '../../sim/process.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { Db, DbStats, type Checkpoint, type CheckpointResult, type RestoreResult } from '../../sim/store/db.ts';
import { VerifyingStore } from '../../sim/store/verify.ts';
import { OP_NAMES, RecordBuf } from '../../sim/workload.ts';
import type { IoContext, LocalCachePolicy } from '../../sim/local-cache.ts';
import { InputError } from '../../sim/errors.ts';
import { makePolicy } from '../../policies/registry.ts';
import { makeWorkload } from '../../workloads/registry.ts';
import type { RunConfig } from './config.ts';
import { resolveDevice } from './devices.ts';

export const TIERSIM_VERSION = '0.1.0';

export interface RunResult {
  summary: Record<string, unknown>;
  timeline: Record<string, number>[];
}

/** Block cache capacity from managed memory, as Flink sizes it (write-buffer ratio 0.5). */
export function blockCacheCapacity(managedMemory: number, writeBufferRatio = 0.5): number {
  return ((3 - writeBufferRatio) * managedMemory) / 3;
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
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const round = (x: number, digits = 6) => Number(x.toFixed(digits));
function roundLatency(l: LatencySummary): Record<string, number> {
  return { count: l.count, p50: round(l.p50, 3), p90: round(l.p90, 3), p99: round(l.p99, 3), p999: round(l.p999, 3), max: round(l.max, 3), mean: round(l.mean, 3) };
}

export function simulate(config: RunConfig, wallClock: () => number = () => performance.now()): RunResult {
  const wallStart = wallClock();
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
  const workload = makeWorkload(config.workload, config.workloadParams, seed);
  // The cache size is the policy's size limit; `none` has no size.
  const policyOptions = config.policy === 'none' ? config.policyOptions
    : { ...config.policyOptions, sizeLimit: config.policyOptions.sizeLimit ?? config.cacheSize };
  const policyFactory = makePolicy(config.policy, policyOptions);

  // One store instance on one machine: its memory cache, local cache policy, file
  // system and store. A restore builds a new instance (caches do not survive).
  const fsStats = new FsStats();
  const dbStats = new DbStats();
  const retiredPolicyMetrics: Record<string, number>[] = [];
  let fs!: FileSystem;
  let memory!: BlockCache;
  let policy!: LocalCachePolicy;
  let db!: Db;
  function newInstance(): Db {
    if (policy) retiredPolicyMetrics.push(policy.metrics());
    memory = new BlockCache(blockCacheCapacity(config.managedMemory), 0.1);
    const fsRef = { current: undefined as FileSystem | undefined };
    policy = policyFactory({
      scheduler, cpu, disk, dfs, timeline, seed,
      diskBytes: config.diskSize,
      diskFreeBytes: () => fsRef.current!.diskFreeBytes(),
      targetFileSize: config.store.targetFileSize,
    });
    fs = fsRef.current = new FileSystem(scheduler, cpu, dfs, disk, memory, policy, config.placement, config.diskSize, fsStats);
    db = new Db({ scheduler, cpu, fs, timeline, remoteDfs }, {
      ...config.store,
      keyBytes: config.store.keyBytes ?? workload.keyBytes,
    }, undefined, dbStats);
    db.start();
    return db;
  }
  newInstance();
  const store = config.verify ? new VerifyingStore(db) : db;

  // Load phase: the state that exists when the job starts, written through the
  // normal write path, then background work settles. Not measured.
  function* load(): Sim {
    const rec = new RecordBuf();
    const io: IoContext = { cpuPendingUs: 0, background: false };
    let n = 0;
    if (workload.nextLoad) {
      while (workload.nextLoad(rec)) {
        for (let i = 0; i < rec.count; i++) yield* store.put(io, rec.keys[i]!, rec.sizes[i]!, rec.tokens[i]!);
        if (++n % 1024 === 0) yield* fs.chargeCpu(io);
      }
    }
    yield* fs.chargeCpu(io);
    yield* db.flushAndSettle();
  }
  new Process(scheduler, load()).start();
  scheduler.run();
  const loadedSeconds = scheduler.now / 1e6;

  // The execution model: sync (Flink 1.x) or async (FLIP-424/425, FLIP-426 grouping).
  const task = (env: ExecEnv, limits: RunLimits, stats: ExecStats) => config.exec.mode === 'async'
    ? asyncTask(env, workload, limits, stats, config.exec)
    : syncTask(env, workload, limits, stats);

  // Warm-up: the workload itself, unmeasured, so that caches reach their steady state.
  if (config.warmupOps > 0) {
    const warm = new Process(scheduler, task(
      { scheduler, cpu, store, timeline, gate: new Gate(scheduler) }, { records: Infinity, ops: config.warmupOps }, new ExecStats(),
    ), () => scheduler.stop());
    warm.start();
    scheduler.run();
  }

  // Measured phase.
  const t0 = scheduler.now;
  timeline.origin = t0;
  const base = {
    dfs: numbers(dfs.stats), disk: numbers(disk.stats), cpu: numbers(cpu.stats),
    fs: numbers(fs.stats), db: numbers(db.stats), policy: { ...policy.metrics() },
  };
  const limits: RunLimits = { records: config.records ?? Infinity, ops: config.ops ?? Infinity };
  if (limits.records === Infinity && limits.ops === Infinity) limits.ops = 1_000_000;
  const exec = new ExecStats();
  let running = true;
  let end = t0;
  const execEnv = { scheduler, cpu, store: store as Db | VerifyingStore, timeline, gate: new Gate(scheduler) };
  const taskProcess = new Process(scheduler, task(execEnv, limits, exec), (_, now) => {
    running = false;
    end = now;
    scheduler.stop(); // background work still in flight is not part of the measured run
  });
  taskProcess.start();

  // Once per simulated second: the counters behind the timeline's ratios.
  let last = { ...numbers(fs.stats), dfsReads: dfs.stats.reads };
  function* sampler(): Sim {
    let now = scheduler.now;
    while (running) {
      now = yield now + timeline.bucketUs;
      const cur = { ...numbers(fs.stats), dfsReads: dfs.stats.reads };
      const d = delta(cur, last);
      last = cur;
      timeline.add('blockReads', now - 1, d.reads!);
      timeline.add('memoryHits', now - 1, d.memoryHits!);
      timeline.add('localHits', now - 1, d.localHits!);
      timeline.add('dfsRequests', now - 1, d.dfsReads!);
      timeline.set('localCacheBytes', now - 1, policy.usedBytes());
      timeline.set('memoryCacheBytes', now - 1, memory.usedBytes);
    }
  }
  new Process(scheduler, sampler()).start();

  // Lifecycle: periodic checkpoints while the job runs, and a failure with restore.
  const checkpoints: CheckpointResult[] = [];
  let lastCheckpoint: { cp: Checkpoint; reference?: Map<number, { size: number; token: number }> } | undefined;
  function* takeCheckpoint(): Sim<void> {
    const reference = store instanceof VerifyingStore ? new Map(store.reference) : undefined;
    const { checkpoint, result } = yield* db.checkpoint();
    checkpoints.push(result);
    lastCheckpoint = { cp: checkpoint, reference };
    timeline.add('checkpoints', scheduler.now);
  }
  if (config.checkpointEverySeconds) {
    const every = config.checkpointEverySeconds * 1e6;
    new Process(scheduler, (function* (): Sim<void> {
      let now = scheduler.now;
      while (running) {
        now = yield now + every;
        if (running) yield* takeCheckpoint();
        now = scheduler.now;
      }
    })()).start();
  }
  let restore: (RestoreResult & { atSeconds: number; checkpointAgeSeconds: number }) | undefined;
  if (config.restoreAtSeconds) {
    new Process(scheduler, (function* (): Sim<void> {
      yield t0 + config.restoreAtSeconds! * 1e6;
      if (!running) return;
      if (!lastCheckpoint) yield* takeCheckpoint();
      const { cp, reference } = lastCheckpoint!;
      // The task fails: processing stops, the instance and its caches are gone.
      execEnv.gate.close();
      const failedAt = scheduler.now;
      const fresh = newInstance();
      const r = yield* fresh.openFrom(cp.version, cp.lastSequence);
      if (store instanceof VerifyingStore) store.reopen(fresh, reference ?? new Map());
      else execEnv.store = fresh;
      restore = { ...r, atSeconds: (failedAt - t0) / 1e6, checkpointAgeSeconds: (failedAt - cp.takenAtUs) / 1e6 };
      timeline.add('restores', scheduler.now);
      execEnv.gate.open();
    })()).start();
  }
  scheduler.run();
  const simulatedUs = Math.max(end - t0, 1e-9);

  const d = {
    dfs: delta(numbers(dfs.stats), base.dfs), disk: delta(numbers(disk.stats), base.disk),
    cpu: delta(numbers(cpu.stats), base.cpu), fs: delta(numbers(fs.stats), base.fs), db: delta(numbers(db.stats), base.db),
  };
  const latencyUs: Record<string, unknown> = {};
  OP_NAMES.forEach((name, i) => { if (exec.opCounts[i]! > 0) latencyUs[name] = roundLatency(exec.latency[i]!.summary()); });
  latencyUs.record = roundLatency(exec.recordLatency.summary());
  const simulatedSeconds = simulatedUs / 1e6;
  const wallSeconds = (wallClock() - wallStart) / 1000;
  const policyMetrics: Record<string, number> = { ...policy.metrics() };
  for (const m of retiredPolicyMetrics) {
    for (const [k, v] of Object.entries(m)) if (!/bytes|files/i.test(k)) policyMetrics[k] = (policyMetrics[k] ?? 0) + v;
  }

  const summary: Record<string, unknown> = {
    tiersimVersion: TIERSIM_VERSION,
    workload: config.workload,
    workloadParams: workload.describe(),
    // Local placement keeps every file on local disk: no cache policy is consulted.
    policy: config.placement === 'local' ? 'none' : config.policy,
    placement: config.placement,
    dfsDevice: dfsSpec.name,
    diskDevice: diskSpec.name,
    cacheSizeBytes: config.cacheSize,
    seed,
    exec: config.exec.mode,
    records: exec.records,
    ops: exec.ops,
    simulatedSeconds: round(simulatedSeconds),
    recordsPerSecond: round(exec.records / simulatedSeconds, 3),
    opsPerSecond: round(exec.ops / simulatedSeconds, 3),
    latencyUs,
    hitRatio: {
      memory: round(ratio(d.fs.memoryHits!, d.fs.reads!)),
      localDisk: round(ratio(d.fs.localHits!, d.fs.reads! - d.fs.memoryHits!)),
      overall: round(ratio(d.fs.memoryHits! + d.fs.localHits!, d.fs.reads!)),
    },
    blockReads: { total: d.fs.reads, memoryHits: d.fs.memoryHits, localHits: d.fs.localHits, dfs: d.fs.dfsReads },
    dfs: {
      reads: d.dfs.reads, bytesRead: d.dfs.bytesRead, writes: d.dfs.writes, bytesWritten: d.dfs.bytesWritten,
      costUsd: round(d.dfs.costUsd!, 9),
    },
    localDisk: {
      reads: d.disk.reads, bytesRead: d.disk.bytesRead, writes: d.disk.writes, bytesWritten: d.disk.bytesWritten,
      usedBytes: fs.localSstBytesUsed + policy.usedBytes(),
    },
    localCache: { usedBytes: policy.usedBytes(), metrics: policyMetrics },
    memoryCache: { capacityBytes: memory.capacity, usedBytes: memory.usedBytes },
    cpu: {
      cores: config.cpu.cores,
      busySeconds: round(d.cpu.busyUs! / 1e6),
      utilization: round(d.cpu.busyUs! / (simulatedUs * config.cpu.cores)),
      cpuUsPerOp: round(ratio(d.cpu.busyUs!, exec.ops), 4),
    },
    lsm: {
      levels: db.levels(),
      flushes: d.db.flushes,
      compactions: d.db.compactions,
      writeAmplification: round(db.writeAmplification(), 4),
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
  if (restore) {
    summary.restore = {
      atSeconds: round(restore.atSeconds), durationSeconds: round(restore.durationUs / 1e6),
      downloadedBytes: restore.downloadedBytes, files: restore.files, bytes: restore.bytes,
      checkpointAgeSeconds: round(restore.checkpointAgeSeconds),
    };
  }
  if (store instanceof VerifyingStore) summary.verify = store.report();
  return { summary, timeline: timeline.rows() };
}
