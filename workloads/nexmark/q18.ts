/**
 * nexmark-q18: "find last bid" (heavy I/O; PVLDB'25 working set 1.05 GB).
 *
 *     SELECT auction, bidder, price, channel, url, dateTime, extra FROM (
 *       SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) AS rank_number
 *       FROM bid)
 *     WHERE rank_number <= 1;
 *
 * ROW_NUMBER ≤ 1 ordered by the row time is a deduplication keeping the last row per
 * (bidder, auction) (RowTimeDeduplicateFunction; with mini-batch on, once per batch):
 *
 * | state     | key               | value          | bytes |
 * |-----------|-------------------|----------------|-------|
 * | last row  | (bidder, auction) | whole bid row  | ~204  |
 *
 * Per bid, first in its mini-batch for that pair: get the previous row, put the new
 * one (it retracts the old). Auctions, people: CPU only. A third of all bids are the
 * hot bidder on the hot auction (one pair per block), a quarter more the hot bidder on
 * another recent auction; the pairs of uniform bidders are mostly new.
 *
 * The deduplication never forgets a pair; a state TTL retires a pair's row
 * `retentionEvents` after its first write (its later writes fall within the ~1,800
 * events its auction is bid on), as a delete, holding the state at `stateBytes`. The
 * rate of new pairs per event is measured on the generator at start-up.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { BatchSeen, commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, keyGroup2, LOAD_OPS, miniBatchParam, NexmarkQuery, NumberFifo } from './common.ts';
import { fmix32, KIND_BID, MEAN_BID_ROW, type NexmarkEvent } from './events.ts';

export const q18Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q18_STATE_BYTES = 1.2e9;

const NS_ROW = 1;
const PILOT_EVENTS = 300_000;

/** Recently written pairs (a direct-mapped table of pair → last write), to tell a pair's first write. */
class RecentPairs {
  private readonly bidders: Float64Array;
  private readonly auctions: Float64Array;
  private readonly last: Float64Array;
  private readonly mask: number;

  constructor(bits: number, private readonly horizon: number) {
    this.bidders = new Float64Array(1 << bits).fill(-1);
    this.auctions = new Float64Array(1 << bits).fill(-1);
    this.last = new Float64Array(1 << bits);
    this.mask = (1 << bits) - 1;
  }

  /** Records a write of (bidder, auction) at event n; true when the pair was not written within the horizon. */
  write(bidder: number, auction: number, n: number): boolean {
    const i = fmix32(Math.imul(auction, 0x9e3779b1) ^ bidder) & this.mask;
    const fresh = this.bidders[i] !== bidder || this.auctions[i] !== auction || this.last[i]! < n - this.horizon;
    this.bidders[i] = bidder;
    this.auctions[i] = auction;
    this.last[i] = n;
    return fresh;
  }
}

export class Q18 extends NexmarkQuery {
  readonly retentionEvents: number;
  /** New pairs per event, measured. */
  readonly newPairsPerEvent: number;
  private readonly miniBatch: number;
  private readonly seen = new BatchSeen();
  private readonly recent: RecentPairs;
  /** Events that wrote a pair first, oldest first (each retires its pair's row). */
  private readonly firstWrites: NumberFifo;
  private loadCursor = HISTORY_START;

  constructor(params: z.input<typeof q18Params>, seed: number) {
    const p = q18Params.parse(params);
    super('nexmark-q18', p, Q18_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    this.miniBatch = p.miniBatch;
    const horizon = 2 * (p.numInFlightAuctions + 12) * (this.gen.total / p.auctionProportion);
    // Pilot: how many bids write a pair for the first time.
    const pilot = new RecentPairs(18, horizon);
    let fresh = 0;
    for (let m = HISTORY_START; m < HISTORY_START + PILOT_EVENTS; m++) {
      if (this.gen.kindOf(m) !== KIND_BID) continue;
      this.gen.at(m, this.ev);
      if (pilot.write(this.ev.bidder, this.ev.auction, m)) fresh++;
    }
    this.newPairsPerEvent = fresh / PILOT_EVENTS;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / (this.newPairsPerEvent * (this.keyBytes + MEAN_BID_ROW))));
    this.recent = new RecentPairs(18, horizon);
    this.firstWrites = new NumberFifo(Math.ceil(this.retentionEvents * this.newPairsPerEvent * 1.1) + 1024);
    this.loadCursor = HISTORY_START + PILOT_EVENTS;
    this.n = this.loadCursor + this.retentionEvents;
  }

  /** Key register r := the row of (bidder, auction). */
  private rowKey(r: number, bidder: number, auction: number): void {
    this.key(r, NS_ROW, keyGroup2(bidder, auction), auction, 16, bidder);
  }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    while (this.loadCursor < this.n && rec.count < LOAD_OPS) {
      const m = this.loadCursor++;
      if (g.kindOf(m) !== KIND_BID) continue;
      g.at(m, ev);
      if (this.recent.write(ev.bidder, ev.auction, m)) {
        this.firstWrites.push(m);
        this.rowKey(0, ev.bidder, ev.auction);
        this.put(rec, 0, ev.rowBytes);
      }
    }
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    if (ev.kind === KIND_BID) {
      if (this.recent.write(ev.bidder, ev.auction, ev.n)) this.firstWrites.push(ev.n);
      if (this.seen.first(ev.bidder, ev.auction, Math.floor(ev.n / this.miniBatch))) {
        this.rowKey(0, ev.bidder, ev.auction);
        this.get(rec, 0);
        this.put(rec, 0, ev.rowBytes);
      }
    }
    // TTL: pairs first written retentionEvents ago expire.
    const due = ev.n - this.retentionEvents;
    while (this.firstWrites.length > 0 && this.firstWrites.peek() <= due && rec.count < 60) {
      const m = this.firstWrites.shift();
      this.gen.at(m, this.old);
      this.rowKey(1, this.old.bidder, this.old.auction);
      this.del(rec, 1);
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents, newPairsPerEvent: this.newPairsPerEvent };
  }
}
