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
