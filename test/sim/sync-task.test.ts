/**
 * The synchronous task thread against a scripted store whose operations take known
 * simulated times: every operation's latency, every record's, the CPU charged between
 * them, the gate and the limits — worked out by hand, with and without other events
 * in the scheduler (which decide whether a wait continues inline or through the heap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cpu } from '../../sim/cpu.ts';
import { ExecStats, syncTask, type ExecEnv } from '../../sim/executor.ts';
import type { IoContext } from '../../sim/local-cache.ts';
import { Timeline } from '../../sim/metrics.ts';
import { Gate, Process, WaitQueue, type Sim } from '../../sim/process.ts';
import { Scheduler } from '../../sim/scheduler.ts';
import { STEP_DONE, type StateStore, type SteppedGet, type ValueOut } from '../../sim/state-store.ts';
import { OP_DELETE, OP_GET, OP_PUT, RecordBuf, type OpType, type Workload } from '../../sim/workload.ts';

const GET_CPU_US = 2;
const RECORD_CPU_US = 5;

/**
 * A get of key k waits k µs in two halves, each inside the call through tryAdvance
 * where the scheduler allows it (as the file system's reads do) and returned otherwise; a put
 * of an odd key stalls 100 µs on a wait queue; a delete waits 3 µs. Each operation
 * notes when it started.
 */
class ScriptedStore implements StateStore {
  readonly starts: number[] = [];
  private readonly stall: WaitQueue;
  constructor(private readonly scheduler: Scheduler) {
    this.stall = new WaitQueue(scheduler);
  }

  steppedGet(): SteppedGet {
    const s = this.scheduler;
    let second = 0;
    let secondHalf = false;
    return {
      start: (io: IoContext, key: number): number => {
        this.starts.push(s.now);
        io.cpuPendingUs += GET_CPU_US;
        second = s.now + key; // the get ends here
        const first = s.now + key / 2;
        if (!s.tryAdvance(first)) {
          secondHalf = false;
          return first;
        }
        secondHalf = true;
        return s.tryAdvance(second) ? STEP_DONE : second;
      },
      resume: (): number => {
        if (secondHalf) return STEP_DONE;
        secondHalf = true;
        return second;
      },
    };
  }

  tryPut(_io: IoContext, key: number): boolean {
    if (key % 2 === 1) return false;
    this.starts.push(this.scheduler.now);
    return true;
  }

  *put(): Sim<void> {
    this.starts.push(this.scheduler.now);
    this.scheduler.call(this.scheduler.now + 100, () => this.stall.notify());
    yield* this.stall.wait();
  }

  *delete(): Sim<void> {
    this.starts.push(this.scheduler.now);
    yield this.scheduler.now + 3;
  }

  // eslint-disable-next-line require-yield
  *get(_io: IoContext, _key: number, _out: ValueOut): Sim<boolean> { throw new Error('the task uses the stepped get'); }
  // eslint-disable-next-line require-yield
  *multiGet(): Sim<void> { throw new Error('not used'); }
  // eslint-disable-next-line require-yield
  *merge(): Sim<void> { throw new Error('not used'); }
  // eslint-disable-next-line require-yield
  *scan(): Sim<number> { throw new Error('not used'); }
}

/** Records as lists of [type, key]. */
function scripted(records: [OpType, number][][]): Workload {
  let i = 0;
  return {
    name: 'scripted', keyBytes: 8, describe: () => ({}),
    next(rec: RecordBuf): boolean {
      if (i === records.length) return false;
      rec.reset(RECORD_CPU_US);
      for (const [type, key] of records[i++]!) rec.push(type, key);
      return true;
    },
  };
}

interface Run { stats: ExecStats; store: ScriptedStore; endedAt: number }

/** Runs the task from time 0 on one core; `ticker` adds an event every microsecond, so that no wait continues inline. */
function run(records: [OpType, number][][], opts: { ticker?: boolean; ops?: number; gate?: [number, number]; rate?: number } = {}): Run {
  const scheduler = new Scheduler();
  const cpu = new Cpu(1, {}, 1);
  const store = new ScriptedStore(scheduler);
  const env: ExecEnv = { scheduler, cpu, store, timeline: new Timeline(), gate: new Gate(scheduler) };
  const stats = new ExecStats();
  let endedAt = -1;
  new Process(scheduler, syncTask(env, scripted(records), { records: Infinity, ops: opts.ops ?? Infinity }, stats, opts.rate), (_, now) => { endedAt = now; scheduler.stop(); }).start();
  if (opts.ticker) {
    const tick = { wake: (now: number) => { if (endedAt < 0) scheduler.at(now + 1, tick); } };
    scheduler.at(0.5, tick);
  }
  if (opts.gate) {
    const [closeAt, openAt] = opts.gate;
    scheduler.call(closeAt, () => env.gate.close());
    scheduler.call(openAt, () => env.gate.open());
  }
  scheduler.run();
  assert.ok(endedAt >= 0, 'the task finished');
  return { stats, store, endedAt };
}

const mean = (s: ExecStats, type: number) => s.latency[type]!.summary().mean;

for (const ticker of [false, true]) {
  test(`sync task: operation and record latencies as worked out by hand (${ticker ? 'every wait through the heap' : 'waits continued inline'})`, () => {
    // One get of 40 µs: 5 µs of record CPU, the get (its 2 µs of CPU still pending
    // count in its latency), then those 2 µs charged at the record's end.
    const one = run([[[OP_GET, 40]]], { ticker });
    assert.equal(one.stats.ops, 1);
    assert.equal(one.stats.records, 1);
    assert.equal(one.store.starts[0], RECORD_CPU_US);
    assert.equal(mean(one.stats, OP_GET), 40 + GET_CPU_US);
    assert.equal(one.stats.recordLatency.summary().mean, RECORD_CPU_US + 40 + GET_CPU_US);
    assert.equal(one.endedAt, RECORD_CPU_US + 40 + GET_CPU_US);

    // A record of get 10, put 4 (applied at once), put 7 (stalls 100 µs), delete:
    // the get's CPU is charged before the first put starts.
    const r = run([[[OP_GET, 10], [OP_PUT, 4], [OP_PUT, 7], [OP_DELETE, 1]]], { ticker });
    const t0 = RECORD_CPU_US;
    const t1 = t0 + 10 + GET_CPU_US; // first put
    assert.deepEqual(r.store.starts, [t0, t1, t1, t1 + 100]);
    assert.equal(mean(r.stats, OP_GET), 10 + GET_CPU_US);
    assert.equal(r.stats.latency[OP_PUT]!.summary().max, 100);
    assert.equal(mean(r.stats, OP_DELETE), 3);
    assert.equal(r.stats.recordLatency.summary().mean, RECORD_CPU_US + 10 + GET_CPU_US + 100 + 3);
    assert.equal(r.stats.ops, 4);
  });
}

test('sync task: the ops limit is checked between records, and the task ends when the workload does', () => {
  const records: [OpType, number][][] = [[[OP_GET, 8], [OP_GET, 8]], [[OP_GET, 8], [OP_GET, 8]], [[OP_GET, 8]]];
  assert.equal(run(records, { ops: 3 }).stats.ops, 4); // the second record is started at 2 ops and finished
  const all = run(records);
  assert.equal(all.stats.ops, 5);
  assert.equal(all.stats.records, 3);
  // Each record: 5 µs, then per get 8 µs plus 2 µs charged after it.
  assert.equal(all.endedAt, 3 * RECORD_CPU_US + 5 * (8 + GET_CPU_US));
});

test('sync task: a closed gate holds the next record until it opens', () => {
  // Records of one 20 µs get take 27 µs each; the gate closes at 30 µs (during the
  // second record) and opens at 500 µs: the third record starts after that.
  const records: [OpType, number][][] = [[[OP_GET, 20]], [[OP_GET, 20]], [[OP_GET, 20]]];
  const r = run(records, { gate: [30, 500] });
  assert.deepEqual(r.store.starts, [5, 32, 505]);
  // A record's latency counts from when it passed the gate.
  assert.equal(r.stats.recordLatency.summary().max, 27);
  assert.equal(r.endedAt, 527);
});

for (const ticker of [false, true]) {
  test(`sync task: a source rate offers record n at n / rate; a record reached late starts at once (${ticker ? 'every wait through the heap' : 'waits continued inline'})`, () => {
    // 10,000 records a second: one due every 100 µs. A record of one get of k µs takes
    // k + 7 µs, so the 150 µs get (due at 300, done at 457) makes the next record,
    // due at 400, late; it starts at 457, ends at 484, and the one after waits for 500.
    const records: [OpType, number][][] = [20, 60, 20, 150, 20, 20].map((k) => [[OP_GET, k]]);
    const r = run(records, { ticker, rate: 10_000 });
    assert.deepEqual(r.store.starts, [5, 105, 205, 305, 462, 505]);
    assert.equal(r.stats.lateRecords, 1);
    assert.equal(r.stats.records, 6);
    assert.equal(r.stats.recordLatency.summary().max, 157); // counted from the record's start, not its due time
    assert.equal(r.endedAt, 527);
    // Without the rate the same records run back to back.
    const closed = run(records, { ticker });
    assert.equal(closed.endedAt, [20, 60, 20, 150, 20, 20].reduce((a, k) => a + k + 7, 0));
    assert.equal(closed.stats.lateRecords, 0);
  });
}
