import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Scheduler } from '../../sim/scheduler.ts';
import { Process, WaitQueue, type Sim } from '../../sim/process.ts';

test('events run in (time, insertion) order, whatever order they were scheduled in', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
    const s = new Scheduler();
    const ran: number[] = [];
    times.forEach((t, i) => s.at(t, { wake: () => ran.push(i) }));
    s.run();
    const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    assert.deepEqual(ran, expected);
  }), { numRuns: 300 });
});

test('run(until) stops before later events and advances the clock', () => {
  const s = new Scheduler();
  const ran: number[] = [];
  s.at(5, { wake: (t) => ran.push(t) });
  s.at(15, { wake: (t) => ran.push(t) });
  s.run(10);
  assert.deepEqual(ran, [5]);
  assert.equal(s.now, 10);
  s.run();
  assert.deepEqual(ran, [5, 15]);
});

test('processes sleep, and a wait queue wakes waiters first-come first-served', () => {
  const s = new Scheduler();
  const q = new WaitQueue(s);
  const log: string[] = [];
  function* waiter(name: string): Sim {
    const t = yield* q.wait();
    log.push(`${name}@${t}`);
  }
  function* notifier(): Sim {
    let now = yield 10;
    q.notify();
    now = yield now + 5;
    q.notify();
  }
  new Process(s, waiter('a')).start();
  new Process(s, waiter('b')).start();
  new Process(s, notifier()).start();
  s.run();
  assert.deepEqual(log, ['a@10', 'b@15']);
});

// A reference: a sorted list of (time, seq) events, each resume of a process scheduling
// its next wake-up as a new event. Processes that continue without a heap round trip
// (tryAdvance) must resume in exactly this order and at these times.
test('processes resume in (time, scheduling order), whether or not wake-ups go through the heap', () => {
  fc.assert(fc.property(
    fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 12 }), { minLength: 1, maxLength: 6 }),
    (delays) => {
      const s = new Scheduler();
      const log: string[] = [];
      delays.forEach((ds, p) => {
        new Process(s, (function* (): Sim {
          let now = s.now;
          log.push(`${p}@${now}`);
          for (const d of ds) {
            now = yield now + d;
            log.push(`${p}@${now}`);
          }
        })()).start();
      });
      s.run();

      const events: { time: number; seq: number; p: number; step: number }[] = [];
      let seq = 0;
      delays.forEach((_, p) => events.push({ time: 0, seq: seq++, p, step: 0 }));
      const expected: string[] = [];
      while (events.length > 0) {
        events.sort((a, b) => a.time - b.time || a.seq - b.seq);
        const e = events.shift()!;
        expected.push(`${e.p}@${e.time}`);
        const d = delays[e.p]![e.step];
        if (d !== undefined) events.push({ time: e.time + d, seq: seq++, p: e.p, step: e.step + 1 });
      }
      assert.deepEqual(log, expected);
    }), { numRuns: 300 });
});

test('tryAdvance refuses when another event is due first or at the same time, or past run(until)', () => {
  const s = new Scheduler();
  const seen: boolean[] = [];
  s.at(0, { wake: () => { seen.push(s.tryAdvance(4), s.tryAdvance(5), s.tryAdvance(6)); } });
  s.at(5, { wake: () => { seen.push(s.tryAdvance(9), s.tryAdvance(11)); } });
  s.run(10);
  assert.deepEqual(seen, [true, false, false, true, false]);
  assert.equal(s.now, 10);
});
