/**
 * The asynchronous execution model of Flink 2.x (FLIP-424/425), with FLIP-426
 * grouping.
 *
 * The task thread takes records while fewer than `maxInFlight` are in flight
 * (the paper: about 6000). A record's state operations run in order, each one handed
 * to an I/O thread pool: gets and scans to the read pool (3 threads, Flink's
 * default), writes to the write pool (1 thread). Records with the same key run one
 * after another (per-key order); others overlap, so DFS latency is hidden behind
 * other records' work. With `batchSize` > 1 a read thread takes up to that many
 * pending gets at once and runs them as one multiGet.
 *
 * CPU: the task thread pays the record's own work plus the asynchronous overhead,
 * a fraction of each operation's state-access CPU (PVLDB'25 measured about +30% for
 * stateful operators); I/O threads pay the state access itself.
 */
import type { Cpu } from './cpu.ts';
import { SourceRate, type ExecEnv, type ExecStats, type RunLimits } from './executor.ts';
import type { IoContext } from './local-cache.ts';
import { Process, WaitQueue, type Sim } from './process.ts';
import type { Scheduler } from './scheduler.ts';
import { STEP_DONE, ValueOut, type StateStore, type SteppedGet } from './state-store.ts';
import { OP_DELETE, OP_GET, OP_MERGE, OP_PUT, OP_SCAN, RecordBuf, type Workload } from './workload.ts';

export interface AsyncOptions {
  maxInFlight: number;
  readThreads: number;
  writeThreads: number;
  /** Largest multiGet a read thread forms from pending gets; 1 turns grouping off. */
  batchSize: number;
  /** Records per simulated second this task's source offers (absent: as fast as it takes them). */
  rate?: number;
}

/** A record in flight: its operations and where its chain stands. */
class InFlight {
  readonly rec = new RecordBuf();
  next = 0;
  startUs = 0;
  opStartUs = 0;
  key = 0;
  /** Next record waiting for the same key. */
  waiting: InFlight | undefined;
}

export function* asyncTask(env: ExecEnv, workload: Workload, limits: RunLimits, stats: ExecStats, opts: AsyncOptions): Sim<void> {
  const { scheduler, cpu, timeline, gate } = env;
  const costs = cpu.costs;
  const slotFree = new WaitQueue(scheduler);
  const readWork = new WaitQueue(scheduler);
  const writeWork = new WaitQueue(scheduler);
  const readQueue: InFlight[] = [];
  const writeQueue: InFlight[] = [];
  let readHead = 0;
  let writeHead = 0;
  const pool: InFlight[] = [];
  /** Per key: the record running and the last one queued behind it. */
  const running = new Map<number, { tail: InFlight }>();
  let inFlight = 0;
  let taskPendingUs = 0;
  let done = false;

  const dispatch = (r: InFlight, now: number) => {
    r.opStartUs = now;
    const type = r.rec.types[r.next]!;
    if (type === OP_GET || type === OP_SCAN) { readQueue.push(r); readWork.notify(); }
    else { writeQueue.push(r); writeWork.notify(); }
  };

  const finishRecord = (r: InFlight, now: number) => {
    stats.records++;
    stats.recordLatency.record(now - r.startUs);
    timeline.add('records', now);
    timeline.add('ops', now, r.rec.count);
    const entry = running.get(r.key)!;
    const next = r.waiting;
    if (next) {
      if (entry.tail === r) entry.tail = next;
      dispatch(next, now);
    } else {
      running.delete(r.key);
    }
    r.waiting = undefined;
    pool.push(r);
    inFlight--;
    slotFree.notify();
  };

  /** One operation of `r` finished on an I/O thread that spent `opCpuUs` on it. */
  const complete = (r: InFlight, now: number, opCpuUs: number) => {
    const type = r.rec.types[r.next]!;
    const latency = now - r.opStartUs;
    stats.latency[type]!.record(latency);
    stats.opCounts[type]!++;
    stats.ops++;
    timeline.latency('op', now, latency);
    taskPendingUs += opCpuUs * costs.asyncOverhead;
    r.next++;
    if (r.next < r.rec.count) dispatch(r, now);
    else finishRecord(r, now);
  };

  function* readThread(): Sim<void> {
    const io: IoContext = { cpuPendingUs: 0, background: false, cpuChargedUs: 0 };
    const out = new ValueOut();
    // The store's stepped get, when it has one (a restore swaps the store).
    let steppedOf: StateStore | undefined;
    let stepped: SteppedGet | undefined;
    const keys = new Float64Array(opts.batchSize);
    const outs = Array.from({ length: opts.batchSize }, () => new ValueOut());
    const batch: InFlight[] = [];
    for (;;) {
      while (readHead >= readQueue.length) {
        if (done) return;
        yield* readWork.wait();
      }
      const first = readQueue[readHead]!;
      if (first.rec.types[first.next] === OP_SCAN || opts.batchSize === 1) {
        readHead++;
        const before = io.cpuPendingUs + io.cpuChargedUs!;
        const key = first.rec.keys[first.next]!;
        const store = env.store;
        if (first.rec.types[first.next] === OP_SCAN) yield* store.scan(io, key, first.rec.sizes[first.next]!);
        else {
          if (steppedOf !== store) { steppedOf = store; stepped = store.steppedGet?.(); }
          if (stepped) {
            for (let t = stepped.start(io, key, out); t !== STEP_DONE; t = stepped.resume(io)) yield t;
          } else yield* store.get(io, key, out);
        }
        const opCpu = io.cpuPendingUs + io.cpuChargedUs! - before;
        const now = yield* charge(scheduler, cpu, io);
        complete(first, now, opCpu);
      } else {
        // FLIP-426: the pending gets at the head of the queue become one multiGet.
        batch.length = 0;
        while (readHead < readQueue.length && batch.length < opts.batchSize) {
          const r = readQueue[readHead]!;
          if (r.rec.types[r.next] !== OP_GET) break;
          keys[batch.length] = r.rec.keys[r.next]!;
          batch.push(r);
          readHead++;
        }
        const before = io.cpuPendingUs + io.cpuChargedUs!;
        yield* env.store.multiGet(io, keys, batch.length, outs);
        const opCpu = (io.cpuPendingUs + io.cpuChargedUs! - before) / batch.length;
        const now = yield* charge(scheduler, cpu, io);
        for (const r of batch) complete(r, now, opCpu);
      }
      if (readHead > 4096 && readHead * 2 > readQueue.length) { readQueue.splice(0, readHead); readHead = 0; }
    }
  }

  function* writeThread(): Sim<void> {
    const io: IoContext = { cpuPendingUs: 0, background: false, cpuChargedUs: 0 };
    for (;;) {
      while (writeHead >= writeQueue.length) {
        if (done) return;
        yield* writeWork.wait();
      }
      const r = writeQueue[writeHead++]!;
      const i = r.next;
      const before = io.cpuPendingUs + io.cpuChargedUs!;
      const key = r.rec.keys[i]!;
      switch (r.rec.types[i]) {
        case OP_PUT:
          if (!env.store.tryPut?.(io, key, r.rec.sizes[i]!, r.rec.tokens[i]!)) yield* env.store.put(io, key, r.rec.sizes[i]!, r.rec.tokens[i]!);
          break;
        case OP_DELETE: yield* env.store.delete(io, key); break;
        case OP_MERGE: yield* env.store.merge(io, key, r.rec.sizes[i]!, r.rec.tokens[i]!); break;
      }
      const opCpu = io.cpuPendingUs + io.cpuChargedUs! - before;
      const now = yield* charge(scheduler, cpu, io);
      complete(r, now, opCpu);
      if (writeHead > 4096 && writeHead * 2 > writeQueue.length) { writeQueue.splice(0, writeHead); writeHead = 0; }
    }
  }

  for (let i = 0; i < opts.readThreads; i++) new Process(scheduler, readThread()).start();
  for (let i = 0; i < opts.writeThreads; i++) new Process(scheduler, writeThread()).start();

  const rec = new RecordBuf();
  let now = scheduler.now;
  const source = opts.rate ? new SourceRate(opts.rate, now) : undefined;
  let taken = 0;
  let opsTaken = 0;
  while (taken < limits.records && opsTaken < limits.ops) {
    if (gate.closed) now = yield* gate.pass();
    if (inFlight >= opts.maxInFlight) {
      now = yield* slotFree.wait();
      continue;
    }
    if (!workload.next(rec)) break;
    if (source) {
      const due = source.dueUs(taken);
      if (now < due) {
        now = scheduler.tryAdvance(due) ? scheduler.now : yield due;
        if (gate.closed) now = yield* gate.pass(); // waiting frees slots in flight, never takes one
      } else if (now > due) stats.lateRecords++;
    }
    taken++;
    opsTaken += rec.count;
    // Take the overhead owed so far before waiting: completions add more meanwhile.
    const work = rec.cpuUs + taskPendingUs;
    taskPendingUs = 0;
    const t = cpu.run(now, work);
    now = scheduler.tryAdvance(t) ? scheduler.now : yield t;
    if (rec.count === 0) {
      stats.records++;
      continue;
    }
    const r = pool.pop() ?? new InFlight();
    r.rec.copyFrom(rec);
    r.next = 0;
    r.startUs = now;
    r.key = rec.keys[0]!;
    inFlight++;
    const entry = running.get(r.key);
    if (entry) {
      // Per-key order: run after the record holding this key.
      entry.tail.waiting = r;
      entry.tail = r;
    } else {
      running.set(r.key, { tail: r });
      dispatch(r, now);
    }
  }
  while (inFlight > 0) now = yield* slotFree.wait();
  done = true;
  readWork.notifyAll();
  writeWork.notifyAll();
}

function* charge(scheduler: Scheduler, cpu: Cpu, io: IoContext): Sim<number> {
  let now = scheduler.now;
  if (io.cpuPendingUs > 0) {
    const us = io.cpuPendingUs;
    io.cpuPendingUs = 0;
    io.cpuChargedUs = (io.cpuChargedUs ?? 0) + us;
    const t = cpu.run(now, us);
    now = scheduler.tryAdvance(t) ? scheduler.now : yield t;
  }
  return now;
}
