/**
 * Simulated processes are generators. A process yields the absolute simulated time
 * it wants to continue at (usually a device's completion time) and receives the
 * time it was woken at:
 *
 *   function* get(fs, key): Sim<number> {
 *     const done = fs.dfs.read(now, 4096);
 *     const now2 = yield done;        // suspended until `done`
 *   }
 *
 * Sub-steps compose with `yield*`. A finished process may notify a listener.
 */
import type { Scheduler, Wakeable } from './scheduler.ts';

/** A simulated activity: yields wake-up times, receives the time it woke at. */
export type Sim<T = void> = Generator<number, T, number>;

/** Yielded by a process that has registered itself somewhere to be woken later. */
export const PARK = -1;

/** The process whose step is running right now (set around each step). */
let running: Wakeable | undefined;

/** The process that is executing: what a WaitQueue parks. */
export function currentProcess(): Wakeable {
  if (!running) throw new Error('currentProcess() called outside a running process');
  return running;
}

export class Process<T = void> implements Wakeable {
  done = false;
  result: T | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly body: Sim<T>,
    private readonly onDone?: (result: T, now: number) => void,
  ) {}

  /** Starts the process at the scheduler's current time (as an event, to keep order). */
  start(): this {
    this.scheduler.at(this.scheduler.now, this);
    return this;
  }

  wake(now: number): void {
    const outer = running;
    running = this;
    let step = this.body.next(now);
    // A wake-up that would be the scheduler's next event anyway continues here.
    while (!step.done && step.value !== PARK && this.scheduler.tryAdvance(step.value)) step = this.body.next(this.scheduler.now);
    running = outer;
    if (step.done) {
      this.done = true;
      this.result = step.value;
      this.onDone?.(step.value, this.scheduler.now);
    } else if (step.value !== PARK) {
      this.scheduler.at(step.value, this);
    }
  }
}

/** Runs a process to completion on an otherwise idle scheduler; for tests and probes. */
export function runToEnd<T>(scheduler: Scheduler, body: Sim<T>): T {
  const p = new Process(scheduler, body).start();
  scheduler.run();
  if (!p.done) throw new Error('process did not finish: it waits on something that never happens');
  return p.result as T;
}

/**
 * A FIFO of waiting processes, for things like a pool of I/O threads waiting for work.
 * `wait` suspends the caller until `notify` wakes it.
 */
export class WaitQueue {
  private waiting: Wakeable[] = [];
  private head = 0;
  constructor(private readonly scheduler: Scheduler) {}

  get length(): number {
    return this.waiting.length - this.head;
  }

  /** Suspends the running process until a notify() reaches it; returns the wake time. */
  *wait(): Sim<number> {
    this.waiting.push(currentProcess());
    return yield PARK;
  }

  /** Wakes the longest-waiting parked target at the current time; false if none waits. */
  notify(): boolean {
    if (this.head >= this.waiting.length) return false;
    const who = this.waiting[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.scheduler.at(this.scheduler.now, who);
    return true;
  }

  notifyAll(): void {
    while (this.notify());
  }
}

/**
 * Runs the given processes concurrently and continues when all have finished
 * (fork-join). Used by grouped lookups that issue their reads in parallel.
 */
export function* all(scheduler: Scheduler, bodies: Sim<unknown>[]): Sim<number> {
  let left = bodies.length;
  if (left === 0) return scheduler.now;
  const parent = currentProcess();
  let now = scheduler.now;
  const done = (_: unknown, t: number) => {
    now = t;
    if (--left === 0) scheduler.at(t, parent);
  };
  for (const body of bodies) new Process(scheduler, body, done).start();
  yield PARK;
  return now;
}

/** A gate processes pass while it is open and wait at while it is closed. */
export class Gate {
  closed = false;
  private readonly waiting: WaitQueue;
  constructor(scheduler: Scheduler) {
    this.waiting = new WaitQueue(scheduler);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.closed = false;
    this.waiting.notifyAll();
  }
  /** Waits while closed; returns the time it passed. */
  *pass(): Sim<number> {
    let now = -1;
    while (this.closed) now = yield* this.waiting.wait();
    return now;
  }
}
