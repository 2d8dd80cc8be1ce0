/**
 * nexmark-q11: "user sessions" (small state; not in the published lists).
 *
 *     SELECT B.bidder, count(*) AS bid_count,
 *            SESSION_START(B.dateTime, INTERVAL '10' SECOND), SESSION_END(B.dateTime, INTERVAL '10' SECOND)
 *     FROM bid B GROUP BY B.bidder, SESSION(B.dateTime, INTERVAL '10' SECOND);
 *
 * A legacy group-window aggregation (the table runtime's WindowOperator with a
 * MergingWindowSet; it has no mini-batch): per bidder, the set of session windows
 * (MapState window → state window), the accumulator under the state window, and an
 * event-time timer at the session's end.
 *
 * | state          | key                   | value                             | bytes   |
 * |----------------|-----------------------|-----------------------------------|---------|
 * | window mapping | bidder, window        | window → state window             | 16 + 16 |
 * | accumulator    | bidder + state window | count(*) (+ header)               | 16      |
 * | timers         | session end, bidder   | —                                 | 0       |
 *
 * Per bid: iterate the bidder's mapping (1 entry while a session is open); a bid
 * inside an open session extends it: the merged window replaces the old one in the
 * mapping (delete + put) and the timer moves (delete + put); otherwise a new session
 * starts (put mapping, put timer). Then get + put of the accumulator. A session fires
 * when the watermark (4 s behind event time) passes its end, 10 s after its last
 * bid: get the accumulator, emit, delete it, its mapping entry and its timer.
 *
 * Three quarters of the bids go to the current hot bidder, whose session lasts as long
 * as it stays hot; the others spread over the 1000 active people. The open sessions
 * are the bidders of the last 14 s: `eventsPerSecond` is derived so that they hold
 * `stateBytes`.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { bidderPicks, commonParams, expectedDistinct, HISTORY_START, keyGroup, LOAD_OPS, NexmarkQuery, solveIncreasing } from './common.ts';
import { KIND_BID, NexmarkEvents, type NexmarkEvent } from './events.ts';

export const q11Params = z.object({ ...commonParams }).strict();
export const Q11_STATE_BYTES = 50e6;

const NS_MAP = 1;
const NS_ACC = 2;
const NS_TIMER = 3;
const MAP_ENTRY = 16 + 16;
const ACC = 16;
const GAP_SECONDS = 10;
const LAG_SECONDS = 4;
const FIRE_KEYS = 16;
const NIL = -1;

/**
 * Open sessions in the order of their last bid (a doubly linked list over slots of a
 * ring indexed by bidder id), so the next to close is always at the front.
 */
class Sessions {
  readonly ids: Float64Array;
  readonly last: Float64Array;
  private readonly prev: Int32Array;
  private readonly nextSlot: Int32Array;
  private readonly mask: number;
  head = NIL;
  private tail = NIL;
  size = 0;

  constructor(capacity: number) {
    let n = 1024;
    while (n < capacity) n *= 2;
    this.ids = new Float64Array(n).fill(-1);
    this.last = new Float64Array(n);
    this.prev = new Int32Array(n).fill(NIL);
    this.nextSlot = new Int32Array(n).fill(NIL);
    this.mask = n - 1;
  }

  /** The last bid of bidder b's open session, or −1. */
  lastBid(b: number): number {
    const i = b & this.mask;
    return this.ids[i] === b ? this.last[i]! : -1;
  }

  private unlink(i: number): void {
    const p = this.prev[i]!;
    const q = this.nextSlot[i]!;
    if (p !== NIL) this.nextSlot[p] = q; else this.head = q;
    if (q !== NIL) this.prev[q] = p; else this.tail = p;
    this.prev[i] = NIL;
    this.nextSlot[i] = NIL;
  }

  /** Records a bid of b at event n (b's session moves to the back). */
  touch(b: number, n: number): void {
    const i = b & this.mask;
    if (this.ids[i] === b) this.unlink(i);
    else {
      if (this.ids[i] !== -1) throw new RangeError(`sessions: ring slot of bidder ${b} held by ${this.ids[i]}`);
      this.ids[i] = b;
      this.size++;
    }
    this.last[i] = n;
    this.prev[i] = this.tail;
    this.nextSlot[i] = NIL;
    if (this.tail !== NIL) this.nextSlot[this.tail] = i; else this.head = i;
    this.tail = i;
  }

  /** Closes the front session. */
  popFront(): void {
    const i = this.head;
    this.unlink(i);
    this.ids[i] = -1;
    this.size--;
  }

  /** The slot after slot i (NIL at the end). */
  after(i: number): number { return this.nextSlot[i]!; }
}

export class Q11 extends NexmarkQuery {
  readonly eventsPerSecond: number;
  readonly expectedBytes: number;
  private readonly gapEvents: number;
  private readonly lagEvents: number;
  private readonly sessions: Sessions;
  private loadCursor: number;
  private emitSlot = NIL;
  private emitting = false;

  constructor(params: z.input<typeof q11Params>, seed: number) {
    const p = q11Params.parse(params);
    const target = (p.stateBytes ?? Q11_STATE_BYTES) * p.scale;
    const probe = new NexmarkEvents(seed, { ...p, eventsPerSecond: 1 });
    const picks = bidderPicks(probe);
    const perKey = 3 * p.keyBytes + MAP_ENTRY + ACC;
    const window = GAP_SECONDS + LAG_SECONDS;
    const bytesAt = (rate: number) => perKey * expectedDistinct(picks, HISTORY_START, HISTORY_START + window * rate);
    const rate = solveIncreasing(bytesAt, target, 1, 1e12);
    super('nexmark-q11', p, Q11_STATE_BYTES, seed, rate);
    this.eventsPerSecond = rate;
    this.expectedBytes = bytesAt(rate);
    this.gapEvents = (GAP_SECONDS * 1e6) / this.gen.usPerEvent;
    this.lagEvents = (LAG_SECONDS * 1e6) / this.gen.usPerEvent;
    const live = (window * rate * p.personProportion) / this.gen.total + 2 * Math.max(p.numActivePeople, 100) + 1024;
    this.sessions = new Sessions(2 * live);
    this.loadCursor = HISTORY_START;
    // A session open at the start had its last bid in the last gap + lag: replaying
    // that long a history finds all of them (an earlier start changes no entry).
    this.n = HISTORY_START + Math.ceil(this.gapEvents + this.lagEvents) + 1000;
  }

  /** Key register r := an entry's key (a session window is named by its last bid). */
  private mapKey(r: number, b: number, lastBid: number): void { this.key(r, NS_MAP, keyGroup(b), b, 16, lastBid); }
  private accKey(r: number, b: number): void { this.key(r, NS_ACC, keyGroup(b), b, 16, 0); }
  private timerKey(r: number, lastBid: number, b: number): void { this.key(r, NS_TIMER, keyGroup(b), lastBid, 26, b); }

  /** True when the front session is due before event n. */
  private frontDue(n: number): boolean {
    const h = this.sessions.head;
    return h !== NIL && n - this.lagEvents >= this.sessions.last[h]! + this.gapEvents;
  }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    for (; this.loadCursor < this.n; this.loadCursor++) {
      const m = this.loadCursor;
      while (this.frontDue(m)) this.sessions.popFront();
      if (g.kindOf(m) !== KIND_BID) continue;
      g.at(m, ev);
      this.sessions.touch(ev.bidder, m);
    }
    if (!this.emitting) { this.emitting = true; this.emitSlot = this.sessions.head; }
    while (this.emitSlot !== NIL && rec.count < LOAD_OPS) {
      const i = this.emitSlot;
      const b = this.sessions.ids[i]!;
      const last = this.sessions.last[i]!;
      this.mapKey(0, b, last); this.put(rec, 0, MAP_ENTRY);
      this.accKey(0, b); this.put(rec, 0, ACC);
      this.timerKey(0, last, b); this.put(rec, 0, 0);
      this.emitSlot = this.sessions.after(i);
    }
    return rec.count > 0;
  }

  protected override work(rec: RecordBuf): boolean {
    let keys = 0;
    while (keys < FIRE_KEYS && this.frontDue(this.n)) {
      const h = this.sessions.head;
      const b = this.sessions.ids[h]!;
      const last = this.sessions.last[h]!;
      this.accKey(0, b); this.get(rec, 0); this.del(rec, 0);
      this.mapKey(0, b, last); this.del(rec, 0);
      this.timerKey(0, last, b); this.del(rec, 0);
      this.sessions.popFront();
      keys++;
    }
    if (keys === 0) return false;
    rec.cpuUs = keys * this.common.timerCpuUs;
    return true;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    if (ev.kind !== KIND_BID) return;
    const b = ev.bidder;
    const last = this.sessions.lastBid(b);
    this.mapKey(0, b, 0);
    this.scan(rec, 0, last >= 0 ? 1 : 0);
    this.mapKey(1, b, ev.n);
    if (last >= 0) {
      // The new window merges into the open session: its mapping and timer move.
      this.mapKey(0, b, last); this.del(rec, 0);
      this.put(rec, 1, MAP_ENTRY);
      this.timerKey(0, last, b); this.del(rec, 0);
    } else {
      this.put(rec, 1, MAP_ENTRY);
    }
    this.timerKey(0, ev.n, b); this.put(rec, 0, 0);
    this.accKey(0, b);
    this.get(rec, 0);
    this.put(rec, 0, ACC);
    this.sessions.touch(b, ev.n);
  }

  protected derived(): Record<string, unknown> {
    return { eventsPerSecond: this.eventsPerSecond, gapEvents: this.gapEvents, expectedBytes: Math.round(this.expectedBytes) };
  }
}
