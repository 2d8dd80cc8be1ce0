/**
 * The discrete-event scheduler. Simulated time is in microseconds (float64).
 * Events are kept in a binary heap ordered by (time, insertion sequence), so that
 * events at the same time always run in the order they were scheduled.
 * The heap lives in typed arrays; only the targets are objects.
 */

/** Something the scheduler can wake: a process, a timer, a device completion. */
export interface Wakeable {
  wake(now: number): void;
}

export class Scheduler {
  now = 0;
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private targets: (Wakeable | undefined)[] = new Array(1024);
  private size = 0;
  private seq = 0;
  /** Events run so far: a cheap measure of simulation work. */
  events = 0;
  private stopped = false;
  /** The bound of the running run() call. */
  private until = Infinity;

  get pending(): number {
    return this.size;
  }

  /** Wakes `target` at absolute time `time` (never earlier than now). */
  at(time: number, target: Wakeable): void {
    if (time < this.now) time = this.now;
    if (this.size === this.times.length) this.grow();
    let i = this.size++;
    const seq = this.seq++;
    // sift up
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p]!;
      if (pt < time || (pt === time && this.seqs[p]! < seq)) break;
      this.times[i] = pt;
      this.seqs[i] = this.seqs[p]!;
      this.targets[i] = this.targets[p];
      i = p;
    }
    this.times[i] = time;
    this.seqs[i] = seq;
    this.targets[i] = target;
  }

  after(delay: number, target: Wakeable): void {
    this.at(this.now + delay, target);
  }

  /** Runs `fn` at `time`. Allocates one small object: not for hot paths. */
  call(time: number, fn: (now: number) => void): void {
    this.at(time, { wake: fn });
  }

  /** Time of the next event, or Infinity. */
  peekTime(): number {
    return this.size > 0 ? this.times[0]! : Infinity;
  }

  /** Makes the running run() return after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * For the running event: continue at `time` at once, without a round trip through
   * the heap, when scheduling it and popping the next event would give exactly that
   * (nothing else is due at or before `time`, the run is not stopped and `time` is
   * within its bound). True when the clock has moved to `time`; otherwise the caller
   * must schedule (yield) as usual.
   */
  tryAdvance(time: number): boolean {
    if (time < this.now) time = this.now;
    if (this.stopped || time > this.until || (this.size > 0 && this.times[0]! <= time)) return false;
    this.now = time;
    this.events++;
    return true;
  }

  /** Runs events in order until none are left, the next one lies after `until`, or stop(). */
  run(until = Infinity): void {
    this.stopped = false;
    this.until = until;
    while (this.size > 0 && this.times[0]! <= until && !this.stopped) {
      const time = this.times[0]!;
      const target = this.targets[0]!;
      this.pop();
      this.now = time;
      this.events++;
      target.wake(time);
    }
    if (!this.stopped && until !== Infinity && until > this.now) this.now = until;
  }

  private pop(): void {
    const last = --this.size;
    const t = this.times[last]!;
    const s = this.seqs[last]!;
    const target = this.targets[last];
    this.targets[last] = undefined;
    if (last === 0) return;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (this.times[r]! < this.times[c]! || (this.times[r] === this.times[c] && this.seqs[r]! < this.seqs[c]!))) c = r;
      const ct = this.times[c]!;
      if (t < ct || (t === ct && s < this.seqs[c]!)) break;
      this.times[i] = ct;
      this.seqs[i] = this.seqs[c]!;
      this.targets[i] = this.targets[c];
      i = c;
    }
    this.times[i] = t;
    this.seqs[i] = s;
    this.targets[i] = target;
  }

  private grow(): void {
    const n = this.times.length * 2;
    const times = new Float64Array(n);
    times.set(this.times);
    const seqs = new Float64Array(n);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.targets.length = n;
  }
}
