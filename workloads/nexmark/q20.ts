/**
 * nexmark-q20: "expand bid with auction" (heavy I/O; PVLDB'25 working set 2.95 GB).
 *
 *     SELECT auction, bidder, price, channel, url, B.dateTime, B.extra, itemName, …
 *     FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id WHERE A.category = 10;
 *
 * Flink plans a regular (unwindowed) inner join, keyed by the auction id, with the
 * category filter pushed below it on the auction side only. Neither input declares a
 * unique key, so each side is a MapState<row, count> (JoinRecordStateView without
 * unique key) under the join key:
 *
 * | state          | key            | user key / value            | bytes            |
 * |----------------|----------------|-----------------------------|------------------|
 * | bid side       | auction id     | whole bid row → count       | ~204 + 4         |
 * | auction side   | auction id     | whole auction row → count   | ~550 + 4         |
 *
 * Per bid: iterate the auction side under the bid's auction (a prefix scan: 1 entry
 * when that auction is in category 10 and already exists, else 0), then add the bid
 * to its own side (MapState get of the row's count, then put). Per category-10
 * auction: iterate the bid side under its id (the bids that named it before it was
 * created, Nexmark's lead ids), then get + put its row. Other auctions and people
 * are filtered out before the join: CPU only.
 *
 * Nothing in the SQL ever removes a row, so the state grows without bound; the
 * steady state here is the one a state TTL (table.exec.state.ttl) keeps: a row
 * expires `retentionEvents` after it was written, as a delete on the event that
 * retires it. The retention is what makes the state `stateBytes`. Bids dominate:
 * 92% of events × ~224 bytes, against 1.2% × ~570 for auctions.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, LOAD_OPS } from './common.ts';
import { AuctionBidJoin } from './join.ts';
import { KIND_AUCTION, KIND_BID, MEAN_AUCTION_ROW, MEAN_BID_ROW, NUM_CATEGORIES, type NexmarkEvent } from './events.ts';

export const q20Params = z.object({ ...commonParams }).strict();
export const Q20_STATE_BYTES = 2.95e9;

const NS_BID = 1;
const NS_AUCTION = 2;
const COUNT = 4; // the MapState value: Integer count

export class Q20 extends AuctionBidJoin {
  readonly retentionEvents: number;
  protected readonly nsBid = NS_BID;
  protected readonly nsAuction = NS_AUCTION;
  private loadCursor: number;

  constructor(params: z.input<typeof q20Params>, seed: number) {
    super('nexmark-q20', q20Params.parse(params), Q20_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    const g = this.gen;
    const perEvent = (g.cfg.bidProportion * (this.keyBytes + MEAN_BID_ROW + COUNT)
      + (g.cfg.auctionProportion / NUM_CATEGORIES) * (this.keyBytes + MEAN_AUCTION_ROW + COUNT)) / g.total;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.loadCursor = HISTORY_START;
    this.n = HISTORY_START + this.retentionEvents;
  }

  /** Bids that name an auction not created yet (Nexmark's lead ids). */
  private track(ev: NexmarkEvent): void {
    if (ev.kind === KIND_BID && ev.auction > this.gen.lastAuction(ev.n)) this.bidsBefore.add(ev.auction, 1);
  }

  protected loadStep(rec: RecordBuf): boolean {
    const ev = this.old;
    while (this.loadCursor < this.n && rec.count < LOAD_OPS) {
      this.gen.at(this.loadCursor++, ev);
      this.track(ev);
      if (ev.kind === KIND_BID) { this.bidKey(0, ev.auction, ev.n); this.put(rec, 0, ev.rowBytes + COUNT); }
      else if (ev.kind === KIND_AUCTION && ev.category === 0) { this.auctionKey(0, ev.auction); this.put(rec, 0, ev.rowBytes + COUNT); }
    }
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    const g = this.gen;
    if (ev.kind === KIND_BID) {
      const a = ev.auction;
      const created = a <= g.lastAuction(ev.n);
      const rows = created && g.auctionCategory(a) === 0 && g.auctionEvent(a) >= ev.n - this.retentionEvents ? 1 : 0;
      this.auctionKey(0, a);
      this.scan(rec, 0, rows);
      this.bidKey(1, a, ev.n);
      this.get(rec, 1);
      this.put(rec, 1, ev.rowBytes + COUNT);
      this.track(ev);
    } else if (ev.kind === KIND_AUCTION && ev.category === 0) {
      this.joinAuction(rec, ev.auction, ev.rowBytes + COUNT);
    }
    this.expireJoinRow(rec, ev.n - this.retentionEvents, true);
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents };
  }
}
