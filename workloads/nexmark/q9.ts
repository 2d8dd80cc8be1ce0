/**
 * nexmark-q9: "winning bids" (heavy I/O; PVLDB'25 working set 4.48 GB).
 *
 *     SELECT … FROM (
 *       SELECT A.*, B.auction, B.bidder, B.price, B.dateTime AS bid_dateTime, B.extra AS bid_extra,
 *         ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.dateTime ASC) AS rownum
 *       FROM auction A, bid B
 *       WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires)
 *     WHERE rownum <= 1;
 *
 * A regular join on A.id = B.auction (`expires` is no time attribute, so the BETWEEN is
 * a residual condition) keeping whole auction rows and the bid columns used, then a
 * Top-1 per auction over the append-only join output (AppendOnlyTopNFunction):
 *
 * | state              | key        | user key / value                                   | bytes      |
 * |--------------------|------------|----------------------------------------------------|------------|
 * | join: auction side | auction id | whole auction row → count                          | ~550 + 4   |
 * | join: bid side     | auction id | (auction, bidder, price, dateTime, extra) → count  | ~116 + 4   |
 * | Top-1 per auction  | auction id | sort key (price, dateTime) → [joined row]          | ~670       |
 *
 * Per bid: iterate the auction side under its auction (1 entry once it exists), add
 * the bid row (get + put). A bid inside [dateTime, expires] reaches the rank: the
 * first one for an auction misses the Top-N heap cache (table.exec.rank.topn-cache-size
 * 10000 keys holds every live auction afterwards) and iterates the auction's sort
 * keys (empty); a bid that beats the current top puts its sort key with the joined
 * row and removes the old top's sort key (delete). Per auction: iterate the bid side
 * (the bids that named it early; they never match) and add its row. People: CPU only.
 *
 * Nothing is retracted, so a state TTL retires every entry `retentionEvents` after the
 * event that wrote it (the rank entry with its auction), holding the state at
 * `stateBytes`.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, IdRing, keyGroup, LOAD_OPS } from './common.ts';
import { AuctionBidJoin } from './join.ts';
import { KIND_AUCTION, KIND_BID, MEAN_AUCTION_ROW, MEAN_BID_EXTRA, type NexmarkEvent } from './events.ts';

export const q9Params = z.object({ ...commonParams }).strict();
export const Q9_STATE_BYTES = 4.48e9;

const NS_AUCTION = 1;
const NS_BID = 2;
const NS_RANK = 3;
const COUNT = 4;
/** (auction, bidder, price, dateTime) + header; plus extra. */
const BID_FIXED = 8 + 5 * 8;
/** The joined row adds the bid's columns to the auction row; a list of one. */
const RANK_EXTRA = 5 * 8 + 8;
const MATCHED = 0.97;

export class Q9 extends AuctionBidJoin {
  readonly retentionEvents: number;
  protected readonly nsBid = NS_BID;
  protected readonly nsAuction = NS_AUCTION;
  /** Per auction: 1 + the current top's price code (0: not ranked yet). */
  private readonly top: IdRing;
  /** Per auction: the top bid's extra bytes (the load's rank row size). */
  private readonly topExtra: IdRing;
  private loadCursor = HISTORY_START;
  /** The load's next auction whose top is not yet put. */
  private finalCursor: number;

  constructor(params: z.input<typeof q9Params>, seed: number) {
    super('nexmark-q9', q9Params.parse(params), Q9_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    const c = this.gen.cfg;
    const bidRow = BID_FIXED + MEAN_BID_EXTRA + COUNT;
    const rankRow = MEAN_AUCTION_ROW + RANK_EXTRA + MEAN_BID_EXTRA;
    const perEvent = (c.bidProportion * (this.keyBytes + bidRow)
      + c.auctionProportion * (this.keyBytes + MEAN_AUCTION_ROW + COUNT + MATCHED * (this.keyBytes + rankRow))) / this.gen.total;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.top = new IdRing((this.retentionEvents * c.auctionProportion) / this.gen.total + 4096);
    this.topExtra = new IdRing(1024);
    this.n = HISTORY_START + this.retentionEvents;
    this.finalCursor = Math.max(0, this.gen.lastAuction(HISTORY_START) - c.numInFlightAuctions - 10);
  }

  /** The sort key's bytes order by price; 16 bits of the price code stand for it. */
  private rankKey(r: number, a: number, code: number): void { this.key(r, NS_RANK, keyGroup(a), a, 16, code >>> 4); }

  private rankRowBytes(a: number, ev: NexmarkEvent): number {
    this.gen.at(this.gen.auctionEvent(a), this.old);
    return this.old.rowBytes + RANK_EXTRA + ev.extraBytes;
  }

  /** The bid is inside its auction's [dateTime, expires] and the auction is held. */
  private matches(a: number, n: number): boolean {
    const g = this.gen;
    return a <= g.lastAuction(n) && g.auctionEvent(a) >= Math.max(n - this.retentionEvents, HISTORY_START) && g.beforeExpiry(a, n);
  }

  /** The rank's work for a joined bid: true when it becomes the auction's top. */
  private improves(a: number, code: number): boolean {
    const cur = this.top.get(a);
    return cur === 0 || code > cur - 1;
  }

  protected loadStep(rec: RecordBuf): boolean {
    const ev = this.ev;
    const g = this.gen;
    while (rec.count < LOAD_OPS) {
      if (this.loadCursor >= this.n) {
        // The history is replayed: the tops of the auctions still open go in too.
        if (this.finalCursor > g.lastAuction(this.n - 1) + 10) break;
        this.putTop(rec, this.finalCursor++);
        continue;
      }
      const m = this.loadCursor++;
      g.at(m, ev);
      if (ev.kind === KIND_BID) {
        const a = ev.auction;
        if (a > g.lastAuction(m)) this.bidsBefore.add(a, 1);
        this.bidKey(0, a, m);
        this.put(rec, 0, BID_FIXED + ev.extraBytes + COUNT);
        if (this.matches(a, m) && this.improves(a, ev.priceCode)) {
          this.top.set(a, ev.priceCode + 1);
          this.topExtra.set(a, ev.extraBytes);
        }
      } else if (ev.kind === KIND_AUCTION) {
        this.auctionKey(0, ev.auction);
        this.put(rec, 0, ev.rowBytes + COUNT);
      }
      // An auction no bid can reach any more has its final top: put it (the load only puts).
      const last = g.lastAuction(m);
      while (this.finalCursor + g.cfg.numInFlightAuctions < last && rec.count < LOAD_OPS) this.putTop(rec, this.finalCursor++);
    }
    return rec.count > 0;
  }

  private putTop(rec: RecordBuf, a: number): void {
    const cur = this.top.get(a);
    if (cur === 0) return;
    this.gen.at(this.gen.auctionEvent(a), this.old);
    this.rankKey(0, a, cur - 1);
    this.put(rec, 0, this.old.rowBytes + RANK_EXTRA + this.topExtra.get(a));
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
      this.put(rec, 1, BID_FIXED + ev.extraBytes + COUNT);
      if (this.matches(a, ev.n)) {
        const cur = this.top.get(a);
        if (cur === 0) { this.rankKey(0, a, 0); this.scan(rec, 0, 0); } // Top-N cache miss: load the (empty) sort keys
        if (this.improves(a, ev.priceCode)) {
          this.rankKey(0, a, ev.priceCode);
          this.put(rec, 0, this.rankRowBytes(a, ev));
          if (cur !== 0 && (cur - 1) >>> 4 !== ev.priceCode >>> 4) { this.rankKey(1, a, cur - 1); this.del(rec, 1); }
          this.top.set(a, ev.priceCode + 1);
        }
      }
    } else if (ev.kind === KIND_AUCTION) {
      this.joinAuction(rec, ev.auction, ev.rowBytes + COUNT);
    }
    // TTL: the join row, and with an auction its rank entry.
    const a = this.expireJoinRow(rec, ev.n - this.retentionEvents);
    const cur = a >= 0 ? this.top.get(a) : 0;
    if (cur !== 0) {
      this.rankKey(2, a, cur - 1);
      this.del(rec, 2);
      this.top.set(a, 0);
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents };
  }
}
