/**
 * nexmark-q17: "auction statistics report" (small state).
 *
 *     SELECT auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd') AS day, count(*) AS total_bids,
 *            count(*) FILTER (WHERE price < 10000) AS rank1_bids, … ,
 *            min(price), max(price), avg(price), sum(price)
 *     FROM bid GROUP BY auction, DATE_FORMAT(dateTime, 'yyyy-MM-dd');
 *
 * An unwindowed group aggregation keyed by (auction, day). With mini-batch on
 * (nexmark's flink-conf) it runs as local/global aggregation: the global one reads
 * and writes each key's accumulator once per batch.
 *
 * | state        | key            | value                                                      | bytes |
 * |--------------|----------------|------------------------------------------------------------|-------|
 * | accumulator  | (auction, day) | 4 counts, min, max, sum, avg (sum, count), count1: 10 longs | 88    |
 *
 * Per bid, first in its mini-batch for that auction: get + put of the accumulator.
 * Auctions, people: CPU only. Half of all bids go to the current hot auction, so a
 * batch touches ~3 thousand keys whatever its length. The event time here stays within
 * one day, so `day` never changes the key.
 *
 * The aggregation never forgets a key; a state TTL retires an auction's accumulator
 * `retentionEvents` after the auction was created (its bids come in the ~1,800 events
 * after that), as a delete, holding the state at `stateBytes`. The load samples which
 * auctions got a bid from Nexmark's pick probabilities (all but ~1 in 2000).
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import {
  auctionPicks, BatchSeen, coin, commonParams, DEFAULT_EVENTS_PER_SECOND, FlagRing, HISTORY_START, keyGroup, LOAD_OPS,
  miniBatchParam, NexmarkQuery, pickRate, type PickModel,
} from './common.ts';
import { KIND_AUCTION, KIND_BID, type NexmarkEvent } from './events.ts';

export const q17Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q17_STATE_BYTES = 200e6;

const NS_ACC = 1;
const ACC = 8 + 10 * 8;

export class Q17 extends NexmarkQuery {
  readonly retentionEvents: number;
  private readonly miniBatch: number;
  private readonly seen = new BatchSeen();
  private readonly hasAcc: FlagRing;
  private readonly picks: PickModel;
  private readonly firstAuction: number;
  private loadAuction: number;

  constructor(params: z.input<typeof q17Params>, seed: number) {
    const p = q17Params.parse(params);
    super('nexmark-q17', p, Q17_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    this.miniBatch = p.miniBatch;
    this.picks = auctionPicks(this.gen);
    const m = this.picks;
    const bidProbability = 1 - Math.exp((-(m.back + 1 + m.lead) * m.eventsPerId * m.q) / m.width);
    const perEvent = (p.auctionProportion / this.gen.total) * bidProbability * (this.keyBytes + ACC);
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.hasAcc = new FlagRing((this.retentionEvents * p.auctionProportion) / this.gen.total + 4096);
    this.n = HISTORY_START + this.retentionEvents;
    this.firstAuction = this.gen.lastAuction(HISTORY_START) + 1;
    this.loadAuction = this.firstAuction;
  }

  /** Key register r := auction a's accumulator (the day is constant). */
  private accKey(r: number, a: number): void { this.key(r, NS_ACC, keyGroup(a), a, 16, 0); }

  protected loadStep(rec: RecordBuf): boolean {
    // Auctions created in the history with at least one bid before the run starts.
    const last = this.gen.lastAuction(this.n - 1) + 10;
    while (this.loadAuction <= last && rec.count < LOAD_OPS) {
      const a = this.loadAuction++;
      const lambda = pickRate(this.picks, a, HISTORY_START, this.n);
      if (lambda > 0 && coin(0x51a7, a, 17, 1 - Math.exp(-lambda))) {
        this.hasAcc.set(a, 1);
        this.accKey(0, a);
        this.put(rec, 0, ACC);
      }
    }
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    const g = this.gen;
    if (ev.kind === KIND_BID && this.seen.first(ev.auction, 0, Math.floor(ev.n / this.miniBatch))) {
      this.accKey(0, ev.auction);
      this.get(rec, 0);
      this.put(rec, 0, ACC);
      this.hasAcc.set(ev.auction, 1);
    }
    // TTL: the accumulator of the auction created retentionEvents ago expires.
    const m = ev.n - this.retentionEvents;
    if (m >= HISTORY_START && g.kindOf(m) === KIND_AUCTION) {
      const a = g.lastAuction(m);
      if (this.hasAcc.get(a) === 1) {
        this.accKey(1, a);
        this.del(rec, 1);
        this.hasAcc.set(a, 0);
      }
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents };
  }
}
