/**
 * One task slot: a keyed state backend instance with its own memory block cache,
 * local-disk cache policy, file system view and LSM store, fed by its own workload
 * stream. Slots of one run share the machine: CPU, local disk, DFS.
 * A failure replaces the instance (caches do not survive a restart).
 */
import { BlockCache } from '../../sim/block-cache.ts';
import type { Cpu } from '../../sim/cpu.ts';
import type { Device } from '../../sim/device.ts';
import { ExecStats, type ExecEnv } from '../../sim/executor.ts';
import { FileSystem, FsStats, type BlockReadObserver } from '../../sim/fs.ts';
import type { LocalCachePolicy, PolicyFactory } from '../../sim/local-cache.ts';
import type { Timeline } from '../../sim/metrics.ts';
import { Gate, type Sim } from '../../sim/process.ts';
import type { Scheduler } from '../../sim/scheduler.ts';
import { Db, DbStats, type Checkpoint, type CheckpointResult, type RestoreResult } from '../../sim/store/db.ts';
import { VerifyingStore, type Reference } from '../../sim/store/verify.ts';
import type { IoContext } from '../../sim/local-cache.ts';
import { RecordBuf, type Workload } from '../../sim/workload.ts';
import type { StateStore } from '../../sim/state-store.ts';
import type { RunConfig } from './config.ts';

/** Block cache capacity from managed memory, as Flink sizes it (write-buffer ratio 0.5). */
export function blockCacheCapacity(managedMemory: number, writeBufferRatio = 0.5): number {
  return ((3 - writeBufferRatio) * managedMemory) / 3;
}

export interface Machine {
  scheduler: Scheduler;
  cpu: Cpu;
  dfs: Device;
  disk: Device;
  remoteDfs: Device;
  timeline: Timeline;
  /** Free bytes of the shared local disk. */
  diskFreeBytes(): number;
}

export class Slot {
  readonly fsStats = new FsStats();
  readonly dbStats = new DbStats();
  readonly exec = new ExecStats();
  readonly retiredPolicyMetrics: Record<string, number>[] = [];
  memory!: BlockCache;
  policy!: LocalCachePolicy;
  fs!: FileSystem;
  db!: Db;
  readonly store: Db | VerifyingStore;
  readonly env: ExecEnv;
  lastCheckpoint: { cp: Checkpoint; reference?: Reference } | undefined;

  constructor(
    readonly index: number,
    private readonly machine: Machine,
    private readonly config: RunConfig,
    private readonly policyFactory: PolicyFactory,
    readonly workload: Workload,
    /** Told of every foreground block read, in every instance (a restore builds a new one). */
    private readonly blockReads?: BlockReadObserver,
  ) {
    this.newInstance();
    this.store = config.verify ? new VerifyingStore(this.db) : this.db;
    this.env = { scheduler: machine.scheduler, cpu: machine.cpu, store: this.store, timeline: machine.timeline, gate: new Gate(machine.scheduler) };
  }

  /** Builds a fresh instance: new caches, policy and store. */
  newInstance(): Db {
    const { scheduler, cpu, dfs, disk, remoteDfs, timeline } = this.machine;
    const config = this.config;
    if (this.policy) this.retiredPolicyMetrics.push(this.policy.metrics());
    this.memory = new BlockCache(blockCacheCapacity(config.managedMemory), 0.1);
    this.policy = this.policyFactory({
      scheduler, cpu, disk, dfs, timeline, seed: config.seed + this.index,
      diskBytes: config.diskSize,
      diskFreeBytes: () => this.machine.diskFreeBytes(),
      targetFileSize: config.store.targetFileSize,
    });
    this.fs = new FileSystem(scheduler, cpu, dfs, disk, this.memory, this.policy, config.placement, config.diskSize, this.fsStats);
    this.fs.blockReads = this.blockReads;
    this.db = new Db({ scheduler, cpu, fs: this.fs, timeline, remoteDfs }, {
      ...config.store,
      keyBytes: config.store.keyBytes ?? this.workload.keyBytes,
    }, undefined, this.dbStats);
    this.db.start();
    return this.db;
  }

  /** Local disk bytes this slot occupies: SSTs (local placement) and the cache. */
  diskUsedBytes(): number {
    return this.fs.localSstBytesUsed + this.policy.usedBytes();
  }

  /**
   * Writes the state that exists when the job starts, then lets background work
   * settle; `tick` is called every 1024 load records (for a progress bar).
   */
  *load(tick?: () => void): Sim<void> {
    const rec = new RecordBuf();
    const io: IoContext = { cpuPendingUs: 0, background: false };
    let n = 0;
    if (this.workload.nextLoad) {
      while (this.workload.nextLoad(rec)) {
        for (let i = 0; i < rec.count; i++) {
          const store: StateStore = this.store;
          if (!store.tryPut?.(io, rec.keys[i]!, rec.sizes[i]!, rec.tokens[i]!)) yield* store.put(io, rec.keys[i]!, rec.sizes[i]!, rec.tokens[i]!);
        }
        if (++n % 1024 === 0) {
          yield* this.fs.chargeCpu(io);
          tick?.();
        }
      }
    }
    yield* this.fs.chargeCpu(io);
    yield* this.db.flushAndSettle();
  }

  *checkpoint(): Sim<CheckpointResult> {
    const reference = this.store instanceof VerifyingStore ? this.store.snapshot() : undefined;
    const { checkpoint, result } = yield* this.db.checkpoint();
    this.lastCheckpoint = { cp: checkpoint, reference };
    return result;
  }

  /** The task fails: a new instance opens on the last checkpoint while the slot's task waits. */
  *failAndRestore(): Sim<RestoreResult & { checkpointAgeSeconds: number }> {
    if (!this.lastCheckpoint) yield* this.checkpoint();
    const { cp, reference } = this.lastCheckpoint!;
    this.env.gate.close();
    const failedAt = this.machine.scheduler.now;
    const fresh = this.newInstance();
    const r = yield* fresh.openFrom(cp.version, cp.lastSequence);
    if (this.store instanceof VerifyingStore) this.store.reopen(fresh, reference!);
    else this.env.store = fresh;
    this.env.gate.open();
    return { ...r, checkpointAgeSeconds: (failedAt - cp.takenAtUs) / 1e6 };
  }

  policyMetrics(): Record<string, number> {
    const m: Record<string, number> = { ...this.policy.metrics() };
    for (const old of this.retiredPolicyMetrics) {
      for (const [k, v] of Object.entries(old)) if (!/bytes|files/i.test(k)) m[k] = (m[k] ?? 0) + v;
    }
    return m;
  }
}
