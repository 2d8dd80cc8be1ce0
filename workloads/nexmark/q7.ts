/**
 * nexmark-q7: "highest bid" (heavy I/O; PVLDB'25 working set 2.25 GB).
 *
 *     SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B
 *     JOIN (SELECT MAX(price) AS maxprice, window_end AS dateTime
 *           FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
 *           GROUP BY window_start, window_end) B1
 *     ON B.price = B1.maxprice
 *     WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime;
 *
 * The inner query is a window aggregation with no group key (one accumulator per
 * 10-second window, fired when the watermark, 4 s behind event time, passes the
 * window end). Its `window_end` is no time attribute, so the outer join is a regular
 * join on price with the BETWEEN as a residual condition: every bid is kept.
 *
 * | state                 | key              | user key / value                                   | bytes       |
 * |-----------------------|------------------|----------------------------------------------------|-------------|
 * | window MAX            | (none) + window  | accumulator (max, count)                           | 24          |
 * | window timers         | window end       | —                                                  | 0           |
 * | join: bid side        | price            | (auction, price, bidder, dateTime, extra) → count  | ~116 + 4    |
 * | join: window side     | price            | (maxprice, dateTime) → count                       | 24 + 4      |
 *
 * Per bid: the window accumulator, first in its window-buffer flush, is read and
 * written and its timer registered (a put); the join iterates the window side under
 * the bid's price (almost always empty) and adds the bid row (get + put). When a
 * window fires: read and clear its accumulator and timer (get, deletes); the max row
 * enters the join, which iterates the bids under that price and adds the row.
 *
 * Join rows are never retracted; a state TTL retires them `retentionEvents` after they
 * were written (deletes), holding the state at `stateBytes`. Prices are keyed by
 * their code on a 2^20 grid (monotone in the price), so a key holds ~H/1.1M bids.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { BatchSeen, commonParams, DEFAULT_EVENTS_PER_SECOND, EventWindows, HISTORY_START, keyGroup, LOAD_OPS, miniBatchParam, NexmarkQuery, NumberFifo } from './common.ts';
import { KIND_BID, MEAN_BID_EXTRA, PRICE_CODES, type NexmarkEvent } from './events.ts';

export const q7Params = z.object({
  ...commonParams,
  miniBatch: miniBatchParam,
  /** Event time per second: how many events a 10-second window holds. */
  eventsPerSecond: z.number().positive().default(DEFAULT_EVENTS_PER_SECOND),
}).strict();
export const Q7_STATE_BYTES = 2.25e9;

const NS_WMAX = 1;
const NS_TIMER = 2;
const NS_BIDS = 3;
const NS_MAXROWS = 4;
const BID_FIXED = 8 + 5 * 8;
const COUNT = 4;
const WMAX_ACC = 24;
const MAX_ROW = 24 + COUNT;
const NONE = -1;

export class Q7 extends NexmarkQuery {
  readonly retentionEvents: number;
  readonly windows: EventWindows;
  private readonly miniBatch: number;
  private readonly seen = new BatchSeen(8);
  private readonly bidsPerPrice: number;
  private curW = NONE;
  private curMax = -1;
  private prevW = NONE;
  private prevMax = -1;
  /** Window-side rows held: price code, window, event written (for the TTL). */
  private readonly maxRows = new NumberFifo(64);
  private loadCursor = HISTORY_START;
  private loadTail = 0;

  constructor(params: z.input<typeof q7Params>, seed: number) {
    const p = q7Params.parse(params);
    super('nexmark-q7', p, Q7_STATE_BYTES, seed, p.eventsPerSecond);
    this.miniBatch = p.miniBatch;
    this.windows = new EventWindows(this.gen, 10, 4);
    const c = this.gen.cfg;
    const perEvent = (c.bidProportion * (this.keyBytes + BID_FIXED + MEAN_BID_EXTRA + COUNT)) / this.gen.total;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.bidsPerPrice = Math.max(1, Math.round((this.retentionEvents * c.bidProportion) / this.gen.total / PRICE_CODES));
    this.n = HISTORY_START + this.retentionEvents;
  }

  /** Key register r := an entry's key. */
  private wmaxKey(r: number, w: number): void { this.key(r, NS_WMAX, 0, 0, 24, w); }
  private timerKey(r: number, w: number): void { this.key(r, NS_TIMER, 0, w, 0, 0); }
  private bidKey(r: number, code: number, n: number): void { this.key(r, NS_BIDS, keyGroup(code), code, 21, n); }
  private maxRowKey(r: number, code: number, w: number): void { this.key(r, NS_MAXROWS, keyGroup(code), code, 21, w); }

  /** Window-side rows under a price code. */
  private maxRowsAt(code: number): number {
    let k = 0;
    for (let i = 0; i < this.maxRows.length; i += 3) if (this.maxRows.peek(i) === code) k++;
    return k;
  }

  /** Window bookkeeping for a bid; true when it opened a new window. */
  private advance(ev: NexmarkEvent): boolean {
    const w = this.windows.of(ev.n);
    let opened = false;
    if (w !== this.curW) {
      if (this.curW !== NONE) { this.prevW = this.curW; this.prevMax = this.curMax; }
      this.curW = w;
      this.curMax = -1;
      opened = true;
    }
    if (ev.priceCode > this.curMax) this.curMax = ev.priceCode;
    return opened;
  }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    while (rec.count < LOAD_OPS) {
      if (this.loadCursor < this.n) {
        const m = this.loadCursor++;
        if (this.prevW !== NONE && this.windows.due(this.prevW, m)) {
          // The window fired during the history: its max row is in the join.
          this.maxRowKey(0, this.prevMax, this.prevW);
          this.put(rec, 0, MAX_ROW);
          this.maxRows.push(this.prevMax); this.maxRows.push(this.prevW); this.maxRows.push(m);
          this.prevW = NONE;
        }
        if (g.kindOf(m) !== KIND_BID) continue;
        g.at(m, ev);
        this.advance(ev);
        this.bidKey(0, ev.priceCode, m);
        this.put(rec, 0, BID_FIXED + ev.extraBytes + COUNT);
        continue;
      }
      // The open windows' accumulators and timers.
      for (const w of [this.curW, this.prevW]) {
        if (this.loadTail !== 0 || w === NONE) continue;
        this.wmaxKey(0, w); this.put(rec, 0, WMAX_ACC);
        this.timerKey(0, w); this.put(rec, 0, 0);
      }
      this.loadTail = 1;
      break;
    }
    return rec.count > 0;
  }

  protected override work(rec: RecordBuf): boolean {
    if (this.prevW === NONE || !this.windows.due(this.prevW, this.n)) return false;
    const w = this.prevW;
    rec.cpuUs = this.common.timerCpuUs;
    this.wmaxKey(0, w);
    this.get(rec, 0);
    this.del(rec, 0);
    this.timerKey(0, w);
    this.del(rec, 0);
    // The max row joins the bids of its price and is added to the window side.
    this.bidKey(0, this.prevMax, 0);
    this.scan(rec, 0, this.bidsPerPrice);
    this.maxRowKey(0, this.prevMax, w);
    this.get(rec, 0);
    this.put(rec, 0, MAX_ROW);
    this.maxRows.push(this.prevMax); this.maxRows.push(w); this.maxRows.push(this.n);
    this.prevW = NONE;
    return true;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    const g = this.gen;
    if (ev.kind === KIND_BID) {
      this.advance(ev);
      if (this.seen.first(this.curW, 0, Math.floor(ev.n / this.miniBatch))) {
        this.wmaxKey(0, this.curW);
        this.get(rec, 0);
        this.put(rec, 0, WMAX_ACC);
        this.timerKey(0, this.curW);
        this.put(rec, 0, 0);
      }
      this.maxRowKey(0, ev.priceCode, 0);
      this.scan(rec, 0, this.maxRowsAt(ev.priceCode));
      this.bidKey(1, ev.priceCode, ev.n);
      this.get(rec, 1);
      this.put(rec, 1, BID_FIXED + ev.extraBytes + COUNT);
    }
    // TTL.
    const m = ev.n - this.retentionEvents;
    if (m >= HISTORY_START && g.kindOf(m) === KIND_BID) {
      g.at(m, this.old);
      this.bidKey(2, this.old.priceCode, m);
      this.del(rec, 2);
    }
    while (this.maxRows.length > 0 && this.maxRows.peek(2) <= m) {
      const code = this.maxRows.shift();
      const w = this.maxRows.shift();
      this.maxRows.shift();
      this.maxRowKey(2, code, w);
      this.del(rec, 2);
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents, windowEvents: this.windows.events };
  }
}
