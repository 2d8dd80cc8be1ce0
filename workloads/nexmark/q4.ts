/**
 * nexmark-q4: "average price for a category" (small state).
 *
 *     SELECT Q.category, AVG(Q.final) FROM (
 *       SELECT MAX(B.price) AS final, A.category FROM auction A, bid B
 *       WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
 *       GROUP BY A.id, A.category) Q
 *     GROUP BY Q.category;
 *
 * `expires` is not a time attribute, so the join is a regular join on A.id = B.auction
 * with the BETWEEN as a residual condition; then two group aggregations, both with
 * mini-batch (nexmark's flink-conf enables it), which touch each key's accumulator
 * once per batch:
 *
 * | state               | key          | user key / value                          | bytes   |
 * |---------------------|--------------|-------------------------------------------|---------|
 * | join: bid side      | auction id   | (auction, price, dateTime) row → count    | 32 + 4  |
 * | join: auction side  | auction id   | (id, dateTime, expires, category) → count | 40 + 4  |
 * | MAX per auction     | (id, category) | accumulator (max, count)                | 24      |
 * | AVG per category    | category     | accumulator (sum, count, count1)          | 32      |
 *
 * Per bid: iterate the auction side under its auction (1 entry once the auction
 * exists), add the bid's row (get + put); when the bid falls in the auction's
 * [dateTime, expires] the join emits and, first in its mini-batch, the auction's
 * MAX accumulator is read and written, and then the category's AVG. Per auction:
 * iterate the bid side (bids that named it before it existed, which never match) and
 * add its row. People: CPU only.
 *
 * Join rows and MAX accumulators are never retracted; a state TTL retires them
 * `retentionEvents` after they were written (deletes), holding the state at
 * `stateBytes`. The five AVG accumulators live for ever.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { BatchSeen, commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, IdRing, keyGroup, LOAD_OPS, miniBatchParam } from './common.ts';
import { AuctionBidJoin } from './join.ts';
import { KIND_AUCTION, KIND_BID, NUM_CATEGORIES, type NexmarkEvent } from './events.ts';

export const q4Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q4_STATE_BYTES = 300e6;

const NS_BID = 1;
const NS_AUCTION = 2;
const NS_MAX = 3;
const NS_AVG = 4;
const BID_ROW = 32 + 4;
const AUCTION_ROW = 40 + 4;
const MAX_ACC = 24;
const AVG_ACC = 32;
/** Share of auctions that some bid matches (measured on the generator: nearly all). */
const MATCHED = 0.97;

export class Q4 extends AuctionBidJoin {
  readonly retentionEvents: number;
  protected readonly nsBid = NS_BID;
  protected readonly nsAuction = NS_AUCTION;
  private readonly miniBatch: number;
  /** Auctions whose MAX accumulator exists. */
  private readonly hasMax: IdRing;
  private readonly avgPut = new Uint8Array(NUM_CATEGORIES);
  private readonly seen = new BatchSeen();
  private loadCursor = HISTORY_START;

  constructor(params: z.input<typeof q4Params>, seed: number) {
    const p = q4Params.parse(params);
    super('nexmark-q4', p, Q4_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    this.miniBatch = p.miniBatch;
    const c = this.gen.cfg;
    const perEvent = (c.bidProportion * (this.keyBytes + BID_ROW)
      + c.auctionProportion * (this.keyBytes + AUCTION_ROW + MATCHED * (this.keyBytes + MAX_ACC))) / this.gen.total;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.hasMax = new IdRing((this.retentionEvents * c.auctionProportion) / this.gen.total + 4096);
    this.n = HISTORY_START + this.retentionEvents;
  }

  /** Key register r := an entry's key. */
  private maxKey(r: number, a: number): void { this.key(r, NS_MAX, keyGroup(a), a, 16, 0); }
  private avgKey(r: number, c: number): void { this.key(r, NS_AVG, keyGroup(c), c, 16, 0); }

  /** Whether a bid at event n on auction a passes the join (the auction exists, is held, and the bid is before it expires). */
  private matches(a: number, n: number): boolean {
    const g = this.gen;
    return a <= g.lastAuction(n) && g.auctionEvent(a) >= Math.max(n - this.retentionEvents, HISTORY_START) && g.beforeExpiry(a, n);
  }

  protected loadStep(rec: RecordBuf): boolean {
    const ev = this.old;
    const g = this.gen;
    while (this.loadCursor < this.n && rec.count < LOAD_OPS) {
      const m = this.loadCursor++;
      g.at(m, ev);
      if (ev.kind === KIND_BID) {
        if (ev.auction > g.lastAuction(m)) this.bidsBefore.add(ev.auction, 1);
        this.bidKey(0, ev.auction, m);
        this.put(rec, 0, BID_ROW);
        if (this.hasMax.get(ev.auction) === 0 && this.matches(ev.auction, m)) {
          this.hasMax.set(ev.auction, 1);
          this.maxKey(0, ev.auction);
          this.put(rec, 0, MAX_ACC);
          const cat = g.auctionCategory(ev.auction);
          if (!this.avgPut[cat]) { this.avgPut[cat] = 1; this.avgKey(0, cat); this.put(rec, 0, AVG_ACC); }
        }
      } else if (ev.kind === KIND_AUCTION) {
        this.auctionKey(0, ev.auction);
        this.put(rec, 0, AUCTION_ROW);
      }
    }
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    const g = this.gen;
    if (ev.kind === KIND_BID) {
      const a = ev.auction;
      const created = a <= g.lastAuction(ev.n);
      if (!created) this.bidsBefore.add(a, 1);
      this.auctionKey(0, a);
      this.scan(rec, 0, created && g.auctionEvent(a) >= ev.n - this.retentionEvents ? 1 : 0);
      this.bidKey(1, a, ev.n);
      this.get(rec, 1);
      this.put(rec, 1, BID_ROW);
      if (this.matches(a, ev.n)) {
        const batch = Math.floor(ev.n / this.miniBatch);
        if (this.seen.first(a, 0, batch)) {
          this.maxKey(0, a);
          this.get(rec, 0);
          this.put(rec, 0, MAX_ACC);
          this.hasMax.set(a, 1);
          const cat = g.auctionCategory(a);
          if (this.seen.first(cat, 1, batch)) {
            this.avgKey(0, cat);
            this.get(rec, 0);
            this.put(rec, 0, AVG_ACC);
          }
        }
      }
    } else if (ev.kind === KIND_AUCTION) {
      this.joinAuction(rec, ev.auction, AUCTION_ROW);
    }
    // TTL: the join row, and with an auction its MAX accumulator.
    const a = this.expireJoinRow(rec, ev.n - this.retentionEvents);
    if (a >= 0 && this.hasMax.get(a) === 1) {
      this.maxKey(2, a);
      this.del(rec, 2);
      this.hasMax.set(a, 0);
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents };
  }
}
