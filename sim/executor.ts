/**
 * The execution model: how a task thread drives records through the state store.
 *
 * `sync` (Flink 1.x): the task thread runs each state operation itself and blocks
 * on its I/O; one state request is in flight.
 *
 * Every operation's latency is measured from its start to its completion, its CPU
 * work included. A task accumulates CPU work and charges it to the CPU device before
 * each wait, so CPU and I/O contention both show.
 *
 * With a source rate (`SourceRate`), record n is due n / rate seconds after the task
 * starts and waits for that moment; a record the task reaches late starts at once
 * (backpressure) and is counted late.
 */
import type { Cpu } from './cpu.ts';
import type { IoContext } from './local-cache.ts';
import { LatencyHistogram, type Timeline } from './metrics.ts';
import type { Gate, Sim } from './process.ts';
import type { Scheduler } from './scheduler.ts';
import { STEP_DONE, ValueOut, type StateStore, type SteppedGet } from './state-store.ts';
import { OP_DELETE, OP_GET, OP_MERGE, OP_NAMES, OP_PUT, OP_SCAN, RecordBuf, type Workload } from './workload.ts';

export interface RunLimits {
  /** Stop after this many records (Infinity: no limit). */
  records: number;
  /** Stop after this many state operations (Infinity: no limit). */
  ops: number;
}

export class ExecStats {
  records = 0;
  ops = 0;
  readonly latency: LatencyHistogram[] = OP_NAMES.map(() => new LatencyHistogram());
  readonly recordLatency = new LatencyHistogram();
  readonly opCounts = new Float64Array(OP_NAMES.length);
  /** Records started after their due time under a source rate. */
  lateRecords = 0;
}

/** A source that offers records at a fixed rate (YCSB's `-target`, a rate-limited Flink source). */
export class SourceRate {
  private readonly intervalUs: number;
  /** @param recordsPerSecond records per simulated second this task's source offers */
  constructor(recordsPerSecond: number, private readonly originUs: number) {
    this.intervalUs = 1e6 / recordsPerSecond;
  }

  /** When record `n` (counted from 0) is offered. */
  dueUs(n: number): number {
    return this.originUs + n * this.intervalUs;
  }
}

export interface ExecEnv {
  scheduler: Scheduler;
  cpu: Cpu;
  /** Read at every operation: a restore swaps in a new store. */
  store: StateStore;
  timeline: Timeline;
  /** Closed while the job is down (restore, rescale). */
  gate: Gate;
}

/** One synchronous task thread: record after record, operation after operation. */
export function* syncTask(env: ExecEnv, workload: Workload, limits: RunLimits, stats: ExecStats, recordsPerSecond?: number): Sim<void> {
  const { scheduler, cpu, timeline, gate } = env;
  const source = recordsPerSecond ? new SourceRate(recordsPerSecond, scheduler.now) : undefined;
  let taken = 0;
  const rec = new RecordBuf();
  const out = new ValueOut();
  const io: IoContext = { cpuPendingUs: 0, background: false };
  // The store's stepped get, when it has one (a restore swaps the store).
  let steppedOf: StateStore | undefined;
  let stepped: SteppedGet | undefined;
  let now = scheduler.now;
  while (stats.records < limits.records && stats.ops < limits.ops && workload.next(rec)) {
    if (source) {
      const due = source.dueUs(taken++);
      if (now < due) now = scheduler.tryAdvance(due) ? scheduler.now : yield due;
      else if (now > due) stats.lateRecords++;
    }
    if (gate.closed) now = yield* gate.pass();
    const store = env.store;
    const recordStart = now;
    io.cpuPendingUs += rec.cpuUs;
    for (let i = 0; i < rec.count; i++) {
      if (io.cpuPendingUs > 0) {
        const t = cpu.run(now, io.cpuPendingUs);
        now = scheduler.tryAdvance(t) ? scheduler.now : yield t;
        io.cpuPendingUs = 0;
      }
      const start = now;
      const type = rec.types[i]!;
      const key = rec.keys[i]!;
      switch (type) {
        case OP_GET:
          if (steppedOf !== store) { steppedOf = store; stepped = store.steppedGet?.(); }
          if (stepped) {
            for (let t = stepped.start(io, key, out); t !== STEP_DONE; t = stepped.resume(io)) yield t;
          } else yield* store.get(io, key, out);
          break;
        case OP_PUT:
          if (!store.tryPut?.(io, key, rec.sizes[i]!, rec.tokens[i]!)) yield* store.put(io, key, rec.sizes[i]!, rec.tokens[i]!);
          break;
        case OP_DELETE: yield* store.delete(io, key); break;
        case OP_MERGE: yield* store.merge(io, key, rec.sizes[i]!, rec.tokens[i]!); break;
        case OP_SCAN: yield* store.scan(io, key, rec.sizes[i]!); break;
      }
      now = scheduler.now;
      const latency = now - start + io.cpuPendingUs;
      stats.latency[type]!.record(latency);
      stats.opCounts[type]!++;
      stats.ops++;
      timeline.latency('op', now, latency);
    }
    if (io.cpuPendingUs > 0) {
      const t = cpu.run(now, io.cpuPendingUs);
      now = scheduler.tryAdvance(t) ? scheduler.now : yield t;
      io.cpuPendingUs = 0;
    }
    stats.records++;
    stats.recordLatency.record(now - recordStart);
    timeline.add('records', now);
    timeline.add('ops', now, rec.count);
  }
}
