/**
 * The store in simulated time against a plain Map: random put/delete/merge/get/
 * multiGet/scan interleaved with flush, compaction (local or remote), checkpoint,
 * restore (a crash: the store is lost and a new one opens on the last checkpoint) and
 * rescale (split by ClipDB, merged back by IngestDB), on both placements. Every read
 * must agree with the reference; a restore must equal the reference as of its
 * checkpoint (nothing after it survives, nothing before it is lost). Used by the
 * property test (test/store/db-lifecycle.test.ts) and by `npm run soak`.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BlockCache } from '../../sim/block-cache.ts';
import { Cpu } from '../../sim/cpu.ts';
import { Device, type DeviceSpec } from '../../sim/device.ts';
import { FileSystem, type Placement } from '../../sim/fs.ts';
import type { IoContext } from '../../sim/local-cache.ts';
import { Timeline } from '../../sim/metrics.ts';
import { Process, type Sim } from '../../sim/process.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { ValueOut } from '../../sim/state-store.ts';
import { Db, type Checkpoint } from '../../sim/store/db.ts';
import { mergeToken } from '../../sim/store/merge.ts';
import { openClipped, openMerged } from '../../sim/store/rescale.ts';
import { noneCache } from '../../policies/none.ts';
import { makePolicy } from '../../policies/registry.ts';

type Value = { size: number; token: number };
type Ref = Map<number, Value>;

function device(name: string, us: number): DeviceSpec {
  const dir = { firstByte: { kind: 'constant' as const, us }, bandwidthBytesPerSec: 1e9 };
  return { name, concurrency: 8, read: dir, write: dir };
}

/** A small world: tiny memtables and files so that a few dozen writes flush and compact. */
function world(scheduler: Scheduler, placement: Placement, policy: 'none' | 'file', remoteCompaction = false) {
  const cpu = new Cpu(2, {}, 1);
  const dfs = new Device(device('dfs', 1000), 1);
  const disk = new Device(device('disk', 50), 1);
  const timeline = new Timeline();
  const memory = new BlockCache(2048, 0.1);
  let fs!: FileSystem;
  const factory = policy === 'none' ? () => noneCache() : makePolicy('file', { sizeLimit: 6000, reserve: 0 });
  const p = factory({
    scheduler, cpu, disk, dfs, timeline, seed: 1, diskBytes: 1e9,
    diskFreeBytes: () => fs.diskFreeBytes(), targetFileSize: 1500,
  });
  fs = new FileSystem(scheduler, cpu, dfs, disk, memory, p, placement, 1e9);
  const db = new Db({ scheduler, cpu, fs, timeline, remoteDfs: new Device(device('remote', 1000), 2) }, {
    keyBytes: 8, blockSize: 96, metadataBlockSize: 64, writeBufferSize: 400, targetFileSize: 1500,
    levelBase: 3000, levelMultiplier: 4, numLevels: 4, l0CompactionTrigger: 2, remoteCompaction,
  });
  db.start();
  return db;
}

export type Cmd =
  | { op: 'put' | 'merge'; key: number; size: number; token: number }
  | { op: 'delete' | 'get'; key: number }
  | { op: 'multiGet'; keys: number[] }
  | { op: 'scan'; key: number; count: number }
  | { op: 'flush' | 'settle' | 'checkpoint' | 'restore' | 'rescale' };

const key = fc.integer({ min: 0, max: 40 });
export const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('put' as const), key, size: fc.integer({ min: 1, max: 60 }), token: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('merge' as const), key, size: fc.integer({ min: 1, max: 20 }), token: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('get' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('multiGet' as const), keys: fc.array(key, { minLength: 1, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('scan' as const), key, count: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constantFrom<Cmd>({ op: 'flush' }, { op: 'settle' }, { op: 'checkpoint' }, { op: 'restore' }, { op: 'rescale' }) },
);

function expectValue(what: string, ref: Ref, k: number, out: ValueOut): void {
  const e = ref.get(k);
  if (e) assert.deepEqual({ found: out.found, size: out.size, token: out.token }, { found: true, ...e }, `${what} key ${k}`);
  else assert.equal(out.found, false, `${what} key ${k}: expected absent, got size ${out.size}`);
}

/** Every key of the reference (and a few absent ones) read back through get and one scan. */
function* checkAll(db: Db, io: IoContext, ref: Ref, what: string, lo = 0, hi = Infinity): Sim<void> {
  const out = new ValueOut();
  for (let k = 0; k <= 42; k++) {
    if (k < lo || k >= hi) continue;
    yield* db.get(io, k, out);
    expectValue(what, ref, k, out);
  }
  const seen: number[] = [];
  yield* db.scan(io, lo, 1000, (k) => { if (k < hi) seen.push(k); });
  const expected = [...ref.keys()].filter((k) => k >= lo && k < hi).sort((a, b) => a - b);
  assert.deepEqual(seen, expected, `${what}: scan`);
}

/** What one sequence checked. */
export interface SequenceCounts {
  /** State operations applied and reads compared with the reference. */
  ops: number;
  /** Flushes, settles, checkpoints, restores (crashes) and rescales. */
  lifecycle: number;
}

/**
 * Runs one command sequence on a fresh store and checks every read against the
 * reference; throws (an AssertionError) at the first divergence.
 */
export function runSequence(cmds: Cmd[], placement: Placement, policy: 'none' | 'file', remoteCompaction = false): SequenceCounts {
  const counts: SequenceCounts = { ops: 0, lifecycle: 0 };
  const scheduler = new Scheduler();
  let db = world(scheduler, placement, policy, remoteCompaction);
  let ref: Ref = new Map();
  let last: { cp: Checkpoint; ref: Ref } | undefined;
  const io: IoContext = { cpuPendingUs: 0, background: false };
  const out = new ValueOut();

  function* driver(): Sim<void> {
    for (const c of cmds) {
      if (c.op === 'flush' || c.op === 'settle' || c.op === 'checkpoint' || c.op === 'restore' || c.op === 'rescale') counts.lifecycle++;
      else counts.ops++;
      switch (c.op) {
        case 'put':
          yield* db.put(io, c.key, c.size, c.token);
          ref.set(c.key, { size: c.size, token: c.token });
          break;
        case 'merge': {
          yield* db.merge(io, c.key, c.size, c.token);
          const old = ref.get(c.key);
          ref.set(c.key, old ? { size: old.size + c.size, token: mergeToken(old.token, c.size, c.token) } : { size: c.size, token: c.token });
          break;
        }
        case 'delete':
          yield* db.delete(io, c.key);
          ref.delete(c.key);
          break;
        case 'get':
          yield* db.get(io, c.key, out);
          expectValue('get', ref, c.key, out);
          break;
        case 'multiGet': {
          const outs = c.keys.map(() => new ValueOut());
          yield* db.multiGet(io, Float64Array.from(c.keys), c.keys.length, outs);
          c.keys.forEach((k, i) => expectValue('multiGet', ref, k, outs[i]!));
          break;
        }
        case 'scan': {
          const seen: [number, number, number][] = [];
          const n = yield* db.scan(io, c.key, c.count, (k, size, token) => seen.push([k, size, token]));
          const expected = [...ref.entries()].filter(([k]) => k >= c.key).sort((a, b) => a[0] - b[0])
            .slice(0, c.count).map(([k, v]) => [k, v.size, v.token]);
          assert.deepEqual(seen, expected, `scan from ${c.key}`);
          assert.equal(n, expected.length);
          break;
        }
        case 'flush':
          yield* db.flushMemtable();
          break;
        case 'settle':
          yield* db.flushAndSettle();
          break;
        case 'checkpoint': {
          const { checkpoint } = yield* db.checkpoint();
          last = { cp: checkpoint, ref: new Map(ref) };
          break;
        }
        case 'restore': {
          if (!last) break;
          // A failure: the store is lost and a new one opens on the last checkpoint.
          db = world(scheduler, placement, policy, remoteCompaction);
          yield* db.openFrom(last.cp.version, last.cp.lastSequence);
          ref = new Map(last.ref);
          yield* checkAll(db, io, ref, 'after restore');
          break;
        }
        case 'rescale': {
          // Scale up to two instances split at key 20, then back down to one.
          const { checkpoint } = yield* db.checkpoint();
          const left = world(scheduler, placement, policy, remoteCompaction);
          const right = world(scheduler, placement, policy, remoteCompaction);
          yield* openClipped(left, checkpoint, 0, 20);
          yield* openClipped(right, checkpoint, 20, 2 ** 53);
          yield* checkAll(left, io, ref, 'left half', 0, 20);
          yield* checkAll(right, io, ref, 'right half', 20);
          // The halves live on: write into each before merging them back.
          yield* left.put(io, 3, 7, 77);
          ref.set(3, { size: 7, token: 77 });
          yield* right.delete(io, 25);
          ref.delete(25);
          const a = yield* left.checkpoint();
          const b = yield* right.checkpoint();
          db = world(scheduler, placement, policy, remoteCompaction);
          yield* openMerged(db, [a.checkpoint, b.checkpoint]);
          yield* checkAll(db, io, ref, 'after merge');
          last = undefined; // the old checkpoint belongs to the store before the rescale
          break;
        }
      }
    }
    yield* db.flushAndSettle();
    yield* checkAll(db, io, ref, 'at the end');
  }

  const p = new Process(scheduler, driver()).start();
  scheduler.run();
  assert.ok(p.done, 'the driver finished (no process waits forever)');
  return counts;
}

