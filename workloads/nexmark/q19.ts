/**
 * nexmark-q19: "auction Top-10 price" (heavy I/O; PVLDB'25 working set 1.52 GB).
 *
 *     SELECT * FROM (
 *       SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid)
 *     WHERE rank_number <= 10;
 *
 * A Top-N over an append-only input (AppendOnlyTopNFunction), keyed by auction: a
 * MapState from the sort key (price) to the list of rows with that price, plus a heap
 * cache of each key's top 10 (table.exec.rank.topn-cache-size, 10000 keys: every live
 * auction stays cached after its first bid).
 *
 * | state      | key              | user key / value              | bytes    |
 * |------------|------------------|-------------------------------|----------|
 * | Top-10     | auction id       | price → [whole bid row]       | ~204 + 4 |
 *
 * Per bid: the first bid of an auction misses the cache and iterates its (empty) map;
 * a bid that ranks in the top 10 (fewer than 10 held, or above the 10th price) puts
 * its price's list, and when 11 are held the lowest price's entry is removed
 * (delete). Bids below the 10th price: no state access. Auctions, people: CPU only.
 * Prices key the map by their code on a 2^16 grid (monotone in the price).
 *
 * An auction is bid on for ~1,800 events after it is created (half of all bids go to
 * the current hot auction, which fills its 10 and then only churns); a typical
 * auction ends with ~7 entries. Nothing is ever retracted for good; a state TTL
 * retires an auction's entries `retentionEvents` after it was created (deletes),
 * holding the state at `stateBytes`. The entries per auction are measured on the
 * generator at start-up.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { commonParams, DEFAULT_EVENTS_PER_SECOND, HISTORY_START, keyGroup, LOAD_OPS, NexmarkQuery, NumberFifo } from './common.ts';
import { KIND_AUCTION, KIND_BID, MEAN_BID_ROW, type NexmarkEvent } from './events.ts';

export const q19Params = z.object({ ...commonParams }).strict();
export const Q19_STATE_BYTES = 1.52e9;

const NS_TOP = 1;
const TOP_N = 10;
const LIST = 4;
const SLOTS = 1024;
const PILOT_EVENTS = 300_000;

/** The cached top prices of the live auctions (a ring of slots by auction id). */
class LiveTops {
  readonly ids = new Float64Array(SLOTS).fill(-1);
  readonly counts = new Uint8Array(SLOTS);
  /** Per slot, TOP_N sort keys (16-bit price codes) and their row sizes. */
  readonly subs = new Int32Array(SLOTS * TOP_N);
  readonly sizes = new Uint32Array(SLOTS * TOP_N);

  slot(a: number): number { return a & (SLOTS - 1); }
  has(a: number): boolean { return this.ids[this.slot(a)] === a; }
  open(a: number): number {
    const s = this.slot(a);
    this.ids[s] = a;
    this.counts[s] = 0;
    return s;
  }
  close(a: number): void { this.ids[this.slot(a)] = -1; }
}

export class Q19 extends NexmarkQuery {
  readonly retentionEvents: number;
  /** Entries an auction ends with, on average (measured). */
  readonly entriesPerAuction: number;
  private readonly tops = new LiveTops();
  /** Retired auctions' entries: due event, count, then (auction, sort key) per entry; in due order. */
  private readonly expiries: NumberFifo;
  /** The next auction to retire from the cache (no bid can reach it any more). */
  private finalCursor: number;
  private loadCursor: number;
  private loading = true;
  private openSlot = 0;
  private finalEntries = 0;
  private finalAuctions = 0;

  constructor(params: z.input<typeof q19Params>, seed: number) {
    const p = q19Params.parse(params);
    super('nexmark-q19', p, Q19_STATE_BYTES, seed, DEFAULT_EVENTS_PER_SECOND);
    // Pilot: the entries auctions end with.
    this.finalCursor = this.gen.lastAuction(HISTORY_START) + 1;
    this.expiries = new NumberFifo(1024);
    this.retentionEvents = Infinity;
    for (let m = HISTORY_START; m < HISTORY_START + PILOT_EVENTS; m++) {
      this.gen.at(m, this.ev);
      this.track(this.ev, undefined);
    }
    this.entriesPerAuction = this.finalEntries / Math.max(1, this.finalAuctions);
    const perEvent = (p.auctionProportion / this.gen.total) * this.entriesPerAuction * (this.keyBytes + MEAN_BID_ROW + LIST);
    this.retentionEvents = Math.max(1, Math.round(this.targetBytes / perEvent));
    // Start the real history afresh after the pilot.
    for (let i = 0; i < SLOTS; i++) this.tops.ids[i] = -1;
    const start = HISTORY_START + PILOT_EVENTS;
    this.finalCursor = this.gen.lastAuction(start) + 1;
    this.expiries = new NumberFifo(Math.ceil((this.retentionEvents * p.auctionProportion) / this.gen.total * (2 * this.entriesPerAuction + 2)) + 1024);
    this.loadCursor = start;
    this.n = start + this.retentionEvents;
  }

  /** Key register r := auction a's entry for sort key `sub`. */
  private topKey(r: number, a: number, sub: number): void { this.key(r, NS_TOP, keyGroup(a), a, 16, sub); }

  /**
   * The Top-10 for one event: fills `rec` with the run's operations (undefined: only
   * track). Auctions are retired when their bidding is over.
   */
  private track(ev: NexmarkEvent, rec: RecordBuf | undefined): void {
    if (ev.kind === KIND_AUCTION) {
      // Bids reach auctions at most numInFlightAuctions behind the newest.
      while (this.finalCursor + this.gen.cfg.numInFlightAuctions + 1 < ev.auction) this.retire(this.finalCursor++, rec);
      return;
    }
    if (ev.kind !== KIND_BID) return;
    const a = ev.auction;
    if (a < this.finalCursor) return; // bids only reach live auctions; before the history: nothing held
    const t = this.tops;
    let s = t.slot(a);
    if (!t.has(a)) {
      s = t.open(a);
      if (rec) { this.topKey(0, a, 0); this.scan(rec, 0, 0); } // cache miss: load the (empty) map
    }
    const sub = ev.priceCode >>> 4;
    const base = s * TOP_N;
    const count = t.counts[s]!;
    let low = -1;
    for (let i = 0; i < count; i++) {
      if (t.subs[base + i] === sub) {
        // Same sort key: the row joins its list.
        t.sizes[base + i] = t.sizes[base + i]! + ev.rowBytes;
        if (rec) { this.topKey(0, a, sub); this.put(rec, 0, t.sizes[base + i]! + LIST); }
        return;
      }
      if (low < 0 || t.subs[base + i]! < t.subs[base + low]!) low = i;
    }
    if (count < TOP_N) {
      t.subs[base + count] = sub;
      t.sizes[base + count] = ev.rowBytes;
      t.counts[s] = count + 1;
      if (rec) { this.topKey(0, a, sub); this.put(rec, 0, ev.rowBytes + LIST); }
    } else if (sub > t.subs[base + low]!) {
      const out = t.subs[base + low]!;
      t.subs[base + low] = sub;
      t.sizes[base + low] = ev.rowBytes;
      if (rec) {
        this.topKey(0, a, sub); this.put(rec, 0, ev.rowBytes + LIST);
        this.topKey(1, a, out); this.del(rec, 1);
      }
    }
  }

  /** Auction a's bidding is over: its entries stay until the TTL retires them. */
  private retire(a: number, rec: RecordBuf | undefined): void {
    const t = this.tops;
    if (!t.has(a)) return;
    const s = t.slot(a);
    const count = t.counts[s]!;
    t.close(a);
    this.finalAuctions++;
    this.finalEntries += count;
    const due = this.gen.auctionEvent(a) + this.retentionEvents;
    if (!Number.isFinite(due)) return;
    if (this.loading && due <= this.n) return; // expired before the run: never loaded
    this.expiries.push(due);
    this.expiries.push(count);
    for (let i = 0; i < count; i++) {
      const sub = t.subs[s * TOP_N + i]!;
      this.expiries.push(a);
      this.expiries.push(sub);
      if (this.loading && rec) { this.topKey(0, a, sub); this.put(rec, 0, t.sizes[s * TOP_N + i]! + LIST); }
    }
  }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    while (this.loadCursor < this.n && rec.count < 24) {
      g.at(this.loadCursor++, ev);
      this.track(ev, ev.kind === KIND_AUCTION ? rec : undefined); // an auction retires (and puts) finished ones
    }
    // Then the auctions still open: their current entries.
    while (this.loadCursor >= this.n && this.openSlot < SLOTS && rec.count <= LOAD_OPS - TOP_N) {
      const s = this.openSlot++;
      const a = this.tops.ids[s]!;
      if (a < 0) continue;
      for (let i = 0; i < this.tops.counts[s]!; i++) {
        this.topKey(0, a, this.tops.subs[s * TOP_N + i]!);
        this.put(rec, 0, this.tops.sizes[s * TOP_N + i]! + LIST);
      }
    }
    if (rec.count === 0) this.loading = false;
    return rec.count > 0;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    this.track(ev, rec);
    while (this.expiries.length > 0 && this.expiries.peek() <= ev.n && rec.count <= 64 - 2 - TOP_N) {
      this.expiries.shift();
      const count = this.expiries.shift();
      for (let i = 0; i < count; i++) {
        const a = this.expiries.shift();
        this.topKey(1, a, this.expiries.shift());
        this.del(rec, 1);
      }
    }
  }

  protected derived(): Record<string, unknown> {
    return { retentionEvents: this.retentionEvents, entriesPerAuction: this.entriesPerAuction };
  }
}
