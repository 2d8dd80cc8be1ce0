/**
 * nexmark-q3: "local item suggestion" (small state).
 *
 *     SELECT P.name, P.city, P.state, A.id
 *     FROM auction AS A INNER JOIN person AS P ON A.seller = P.id
 *     WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
 *
 * Flink pushes both filters below a regular inner join keyed by seller = person id
 * and projects each side to the columns the query uses. Without declared unique
 * keys each side is a MapState<row, count> under the join key:
 *
 * | state        | key       | user key / value                        | bytes   |
 * |--------------|-----------|-----------------------------------------|---------|
 * | auction side | seller id | (id, seller) row → count                | 24 + 4  |
 * | person side  | person id | (id, name, city, state) row → count     | 64 + 4  |
 *
 * Only auctions in category 10 (1 in 5, 1.2% of events) and people in OR, ID or CA
 * (1 in 2, 1% of events) reach the join; every other event is CPU only. A passing
 * auction iterates the person side under its seller (1 entry when that person passed
 * the filter and is still held, else 0) and adds its row (get + put); a passing
 * person iterates the auction side under its id (the category-10 auctions that named
 * it as seller before it existed) and adds its row. Three quarters of auctions go to
 * the current hot seller, so its key collects many auction rows.
 *
 * The join never retracts; a state TTL retires rows `retentionEvents` after they were
 * written (a delete on the retiring event), which holds the state at `stateBytes`.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, IdRing, keyGroup, LOAD_OPS, NexmarkQuery } from './common.ts';
import { KIND_AUCTION, KIND_PERSON, NUM_CATEGORIES, US_STATES, type NexmarkEvent } from './events.ts';

export const q3Params = z.object({ ...commonParams }).strict();
export const Q3_STATE_BYTES = 100e6;

const NS_AUCTION = 1;
const NS_PERSON = 2;
const AUCTION_ROW = 24 + 4;
const PERSON_ROW = 64 + 4;
/** CA, ID, OR. */
export function q3StatePasses(state: number): boolean {
  const s = US_STATES[state];
  return s === 'OR' || s === 'ID' || s === 'CA';
}

export class Q3 extends NexmarkQuery {
  readonly retentionEvents: number;
  /** Category-10 auctions per seller id (read when that person arrives). */
  private readonly sellerRows = new IdRing(8192);
  private loadCursor = HISTORY_START;

  constructor(params: z.input<typeof q3Params>, seed: number) {
    super('nexmark-q3', q3Params.parse(params), Q3_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    const c = this.gen.cfg;
    const perEvent = ((c.auctionProportion / NUM_CATEGORIES) * (this.keyBytes + AUCTION_ROW)
      + (c.personProportion / 2) * (this.keyBytes + PERSON_ROW)) / this.gen.total;
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    this.n = HISTORY_START + this.retentionEvents;
  }

  /** Key register r := the auction side's row of `auction` under `seller`. */
  private auctionKey(r: number, seller: number, auction: number): void { this.key(r, NS_AUCTION, keyGroup(seller), seller, 16, auction); }
  private personKey(r: number, person: number): void { this.key(r, NS_PERSON, keyGroup(person), person, 16, 0); }
  private passes(ev: NexmarkEvent): boolean {
    return ev.kind === KIND_AUCTION ? ev.category === 0 : ev.kind === KIND_PERSON && q3StatePasses(ev.state);
  }

  protected loadStep(rec: RecordBuf): boolean {
    const ev = this.old;
    const g = this.gen;
    while (this.loadCursor < this.n && rec.count < LOAD_OPS) {
      const m = this.loadCursor++;
      if (g.kindOf(m) === 2) continue; // bids never reach q3's join
      g.at(m, ev);
      if (!this.passes(ev)) continue;
      if (ev.kind === KIND_AUCTION) {
        this.auctionKey(0, ev.seller, ev.auction);
        this.put(rec, 0, AUCTION_ROW);
        this.sellerRows.add(ev.seller, 1);
      } else {
        this.personKey(0, ev.person);
        this.put(rec, 0, PERSON_ROW);
      }
    }
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    const g = this.gen;
    if (this.passes(ev)) {
      if (ev.kind === KIND_AUCTION) {
        const s = ev.seller;
        const held = s <= g.lastPerson(ev.n) && q3StatePasses(g.personState(s)) && g.personEvent(s) >= ev.n - this.retentionEvents;
        this.personKey(0, s);
        this.scan(rec, 0, held ? 1 : 0);
        this.auctionKey(1, s, ev.auction);
        this.get(rec, 1);
        this.put(rec, 1, AUCTION_ROW);
        this.sellerRows.add(s, 1);
      } else {
        this.auctionKey(0, ev.person, 0);
        this.scan(rec, 0, this.sellerRows.get(ev.person));
        this.personKey(1, ev.person);
        this.get(rec, 1);
        this.put(rec, 1, PERSON_ROW);
      }
    }
    // TTL: the row written retentionEvents ago expires.
    const m = ev.n - this.retentionEvents;
    if (m >= HISTORY_START && g.kindOf(m) !== 2) {
      g.at(m, this.old);
      if (this.passes(this.old)) {
        if (this.old.kind === KIND_AUCTION) this.auctionKey(2, this.old.seller, this.old.auction);
        else this.personKey(2, this.old.person);
        this.del(rec, 2);
      }
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents };
  }
}
