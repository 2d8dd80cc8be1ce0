/**
 * nexmark-q12: "processing-time windows" (small state).
 *
 *     SELECT bidder, count(*) AS bid_count, window_start, window_end
 *     FROM TABLE(TUMBLE(TABLE B, DESCRIPTOR(p_time), INTERVAL '10' SECOND))   -- p_time = PROCTIME()
 *     GROUP BY bidder, window_start, window_end;
 *
 * A window aggregation (WindowAggOperator) keyed by bidder with the window as the
 * state namespace. Records are combined in its window buffer, so each (bidder,
 * window) accumulator is read and written once per buffer flush (`miniBatch`
 * records), and a processing-time timer is registered for the window end (timers
 * live in ForSt: state.backend.forst.timer-service.factory defaults to ForStDB).
 *
 * | state        | key               | value                   | bytes |
 * |--------------|-------------------|-------------------------|-------|
 * | accumulator  | bidder + window   | count(*) (+ header)     | 16    |
 * | timers       | window end, bidder| —                       | 0     |
 *
 * Per bid, first in its flush: get + put of the accumulator, put of the timer. When
 * the window ends, every bidder of the window fires: get the accumulator, emit,
 * clear it (delete) and its timer (delete), as timer records of 16 bidders.
 *
 * Processing time is modelled as event time with no watermark lag. The state is the
 * current window's bidders: `eventsPerSecond` (event time) is derived so that half a
 * window (where the run starts) holds `stateBytes`; a window is 10 s of it. Three
 * quarters of the bids go to the current hot bidder; the rest spread over the 1000
 * active people, so a window holds about the people created in it plus ~1000.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { BatchSeen, bidderPicks, commonParams, EventWindows, expectedDistinct, HISTORY_START, IdSet, keyGroup, LOAD_OPS, miniBatchParam, NexmarkQuery, solveIncreasing } from './common.ts';
import { KIND_BID, NexmarkEvents, type NexmarkEvent } from './events.ts';

export const q12Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q12_STATE_BYTES = 10e6;

const NS_ACC = 1;
const NS_TIMER = 2;
const ACC = 16;
const FIRE_KEYS = 16;

export class Q12 extends NexmarkQuery {
  readonly windows: EventWindows;
  readonly eventsPerSecond: number;
  /** Expected state at the start of the run, bytes. */
  readonly expectedBytes: number;
  private readonly miniBatch: number;
  private readonly seen = new BatchSeen();
  /** Bidders of the current window, and of the window firing. */
  private cur: IdSet;
  private firing: IdSet;
  private curW: number;
  private fireW = -1;
  private cursor = 0;
  private loadCursor: number;
  private emitCursor = -1;

  constructor(params: z.input<typeof q12Params>, seed: number) {
    const p = q12Params.parse(params);
    const perKey = 2 * p.keyBytes + ACC;
    const target = (p.stateBytes ?? Q12_STATE_BYTES) * p.scale;
    // Solve the event rate: half a 10-second window holds the target.
    const probe = new NexmarkEvents(seed, { ...p, eventsPerSecond: 1 });
    const picks = bidderPicks(probe);
    const bytesAt = (rate: number) => perKey * expectedDistinct(picks, HISTORY_START, HISTORY_START + 5 * rate);
    const rate = solveIncreasing(bytesAt, target, 1, 1e12);
    super('nexmark-q12', p, Q12_STATE_BYTES, seed, rate);
    this.eventsPerSecond = rate;
    this.expectedBytes = bytesAt(rate);
    this.miniBatch = p.miniBatch;
    this.windows = new EventWindows(this.gen, 10, 0);
    const ids = (this.windows.events * p.personProportion) / this.gen.total + p.numActivePeople + 64;
    this.cur = new IdSet(ids * 1.2);
    this.firing = new IdSet(ids * 1.2);
    // The run starts halfway through the first window after the history start.
    this.curW = this.windows.of(HISTORY_START) + 1;
    this.loadCursor = this.windows.start(this.curW);
    this.n = this.loadCursor + Math.floor(this.windows.events / 2);
    this.cur.reset(this.baseFor(this.loadCursor));
  }

  /** The lowest bidder id a window starting at event n can see. */
  private baseFor(n: number): number {
    return Math.max(0, this.gen.lastPerson(n) - Math.max(this.gen.cfg.numActivePeople, 100) - 1);
  }

  /** Key register r := an entry's key. */
  private accKey(r: number, b: number, w: number): void { this.key(r, NS_ACC, keyGroup(b), b, 16, w); }
  private timerKey(r: number, w: number, b: number): void { this.key(r, NS_TIMER, keyGroup(b), w, 26, b); }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    for (; this.loadCursor < this.n; this.loadCursor++) {
      if (g.kindOf(this.loadCursor) !== KIND_BID) continue;
      g.at(this.loadCursor, ev);
      this.cur.add(ev.bidder);
    }
    if (this.emitCursor < 0) this.emitCursor = this.cur.base;
    while (this.emitCursor <= this.cur.hi && rec.count < LOAD_OPS) {
      const b = this.emitCursor++;
      if (!this.cur.has(b)) continue;
      this.accKey(0, b, this.curW);
      this.put(rec, 0, ACC);
      this.timerKey(0, this.curW, b);
      this.put(rec, 0, 0);
    }
    return rec.count > 0;
  }

  protected override work(rec: RecordBuf): boolean {
    if (this.fireW < 0) {
      const w = this.windows.of(this.n);
      if (w === this.curW) return false;
      // The window ended: it fires; the next one starts empty.
      const done = this.cur;
      this.cur = this.firing;
      this.firing = done;
      this.fireW = this.curW;
      this.cursor = done.base;
      this.curW = w;
      this.cur.reset(this.baseFor(this.windows.start(w)));
    }
    const set = this.firing;
    let keys = 0;
    while (this.cursor <= set.hi && keys < FIRE_KEYS) {
      const b = this.cursor++;
      if (!set.has(b)) continue;
      this.accKey(0, b, this.fireW);
      this.get(rec, 0);
      this.del(rec, 0);
      this.timerKey(0, this.fireW, b);
      this.del(rec, 0);
      keys++;
    }
    if (this.cursor > set.hi) this.fireW = -1;
    if (keys === 0) return this.work(rec);
    rec.cpuUs = keys * this.common.timerCpuUs;
    return true;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    if (ev.kind !== KIND_BID) return;
    const b = ev.bidder;
    this.cur.add(b);
    if (this.seen.first(b, this.curW, Math.floor(ev.n / this.miniBatch))) {
      this.accKey(0, b, this.curW);
      this.get(rec, 0);
      this.put(rec, 0, ACC);
      this.timerKey(0, this.curW, b);
      this.put(rec, 0, 0);
    }
  }

  protected derived(): Record<string, unknown> {
    return { eventsPerSecond: this.eventsPerSecond, windowEvents: this.windows.events, expectedBytes: Math.round(this.expectedBytes) };
  }
}
