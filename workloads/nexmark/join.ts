/**
 * The regular (unwindowed) join of auctions and bids on the auction id, as q4, q9 and
 * q20 plan it: each side a MapState<row, count> under the join key. What the three
 * share lives here: the two sides' keys, the bids that named an auction before it
 * existed (Nexmark's lead ids, which the auction's arrival iterates), the auction's
 * arrival at the join, and the TTL expiry of a join row. Bid arrival differs per
 * query (filters, row sizes, what follows the join) and stays in each query.
 */
import type { RecordBuf } from '../../sim/workload.ts';
import { HISTORY_START, IdRing, keyGroup, NexmarkQuery } from './common.ts';
import { KIND_AUCTION, KIND_BID } from './events.ts';

export abstract class AuctionBidJoin extends NexmarkQuery {
  /** Bids per auction id that arrived before the auction was created. */
  protected readonly bidsBefore = new IdRing(1024);
  /** Column families of the bid side and the auction side (each query numbers its states). */
  protected abstract readonly nsBid: number;
  protected abstract readonly nsAuction: number;

  /** Key register r := the bid side's entry of bid n on auction a. */
  protected bidKey(r: number, a: number, n: number): void { this.key(r, this.nsBid, keyGroup(a), a, 16, n); }
  /** Key register r := the auction side's entry of auction a. */
  protected auctionKey(r: number, a: number): void { this.key(r, this.nsAuction, keyGroup(a), a, 16, 0); }

  /**
   * Auction a reaches the join: iterate the bid side under a (the bids that named it
   * early), then add its row (MapState get of the row's count, then put). Registers 0, 1.
   */
  protected joinAuction(rec: RecordBuf, a: number, rowBytes: number): void {
    this.bidKey(0, a, 0);
    this.scan(rec, 0, this.bidsBefore.get(a));
    this.auctionKey(1, a);
    this.get(rec, 1);
    this.put(rec, 1, rowBytes);
  }

  /**
   * TTL: the join row event m wrote expires now (a delete, register 2). Returns the
   * auction id when it was an auction row, else -1. `categoryZeroOnly`: the join keeps
   * only auctions of category 10 (q20's filter below the join).
   */
  protected expireJoinRow(rec: RecordBuf, m: number, categoryZeroOnly = false): number {
    if (m < HISTORY_START) return -1;
    const old = this.old;
    this.gen.at(m, old);
    if (old.kind === KIND_BID) {
      this.bidKey(2, old.auction, m);
      this.del(rec, 2);
    } else if (old.kind === KIND_AUCTION && (!categoryZeroOnly || old.category === 0)) {
      this.auctionKey(2, old.auction);
      this.del(rec, 2);
      return old.auction;
    }
    return -1;
  }
}
