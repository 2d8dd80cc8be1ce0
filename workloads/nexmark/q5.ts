/**
 * nexmark-q5: "hot items" (heavy I/O; state 1.2–4.8 GB in the Flink 2.0 tests).
 *
 *     SELECT AuctionBids.auction, AuctionBids.num FROM (
 *       SELECT auction, count(*) AS num, window_start AS starttime, window_end AS endtime
 *       FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
 *       GROUP BY auction, window_start, window_end) AS AuctionBids
 *     JOIN (
 *       SELECT max(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
 *       FROM (… the same count per auction and window …) AS CountBids
 *       GROUP BY CountBids.starttime, CountBids.endtime) AS MaxBids
 *     ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
 *        AND AuctionBids.num >= MaxBids.maxn;
 *
 * Flink plans a hopping window aggregation keyed by auction, sliced: a bid updates
 * the count of its 2-second slice, and a 10-second window is the merge of 5 slices
 * (SliceSharedWindowAggProcessor). A window fires when the watermark (4 s behind
 * event time) passes its end: for each auction with data in its slices, read the 5
 * slice accumulators, emit the count, clear the slice that leaves the last window
 * (delete) and move the key's timer to the next window end (delete + put). The
 * MAX per window is a cascaded window aggregation keyed by the window; the outer join
 * is a window join with no key beyond the window (ListState per window, read whole
 * and cleared when the window fires).
 *
 * | state              | key              | value                              | bytes |
 * |--------------------|------------------|------------------------------------|-------|
 * | count per slice    | auction + slice  | accumulator count(*)               | 16    |
 * | its timers         | window end, key  | —                                  | 0     |
 * | MAX per window     | window           | accumulator max(num)               | 16    |
 * | join: left list    | window           | ListState of (auction, num, start, end) | 40 per row |
 * | join: right list   | window           | ListState of (maxn, start, end)    | 32    |
 *
 * Per bid, first in its window-buffer flush for that (auction, slice): get + put of
 * the slice count, put of the timer. A firing window is timer records of 7 auctions:
 * per auction 5 gets, a delete of the expiring slice, the timer moved; per record one
 * merge of its rows into the join's left list; the window's MAX read and written; at
 * the end the MAX fires (get, delete), the right list gets its row and the join reads
 * both lists and clears them. The join's list holds every auction of the window.
 *
 * The state is the slices some unfired window still needs (6½ slices of 2 s at the
 * run's start): `eventsPerSecond` is derived so that they hold `stateBytes`. An auction
 * is bid on during the ~1,800 events after it is created (and half of all bids go to
 * the current hot auction), so a slice holds about the auctions created in it. The
 * load samples each live slice's auctions from Nexmark's pick probabilities instead of
 * replaying every bid.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import {
  auctionPicks, BatchSeen, coin, commonParams, EventWindows, expectedDistinct, HISTORY_START, IdSet, keyGroup, LOAD_OPS,
  miniBatchParam, NexmarkQuery, pickRange, pickRate, solveIncreasing, type PickModel,
} from './common.ts';
import { fmix32, KIND_BID, NexmarkEvents, type NexmarkEvent } from './events.ts';

export const q5Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q5_STATE_BYTES = 1.2e9;

const NS_ACC = 1;
const NS_TIMER = 2;
const NS_MAX = 3;
const NS_JLEFT = 4;
const NS_JRIGHT = 5;
const ACC = 16;
const LEFT_ROW = 8 + 4 * 8;
const RIGHT_ROW = 8 + 3 * 8;
const FIRE_KEYS = 7;
/** Slices per window, and the ring of slice sets. */
const SLICES = 5;
const RING = 8;
/** Slices live at the run's start: 6 whole ones and the current half. */
const LIVE_WHOLE = 6;

export class Q5 extends NexmarkQuery {
  readonly slices: EventWindows;
  readonly eventsPerSecond: number;
  readonly expectedBytes: number;
  private readonly miniBatch: number;
  private readonly picks: PickModel;
  private readonly seen = new BatchSeen();
  private readonly sets: IdSet[] = [];
  private curSlice: number;
  private nextFire: number;
  /** The window firing (−1: none), where its cursor stands, and its phase. */
  private fireW = -1;
  private cursor = 0;
  private fireHi = 0;
  private fireFirst = false;
  private fireFinal = false;
  // Load.
  private readonly firstLive: number;
  private loadSlice: number;
  private loadCursor = 0;
  private loadTimers = false;

  constructor(params: z.input<typeof q5Params>, seed: number) {
    const p = q5Params.parse(params);
    const target = (p.stateBytes ?? Q5_STATE_BYTES) * p.scale;
    const probe = new NexmarkEvents(seed, { ...p, eventsPerSecond: 1 });
    const picks = auctionPicks(probe);
    const bytesAt = (rate: number) => Q5.liveBytes(picks, p.keyBytes, 2 * rate);
    const rate = solveIncreasing(bytesAt, target, 1, 1e12);
    super('nexmark-q5', p, Q5_STATE_BYTES, seed, rate);
    this.eventsPerSecond = rate;
    this.expectedBytes = bytesAt(rate);
    this.miniBatch = p.miniBatch;
    this.picks = auctionPicks(this.gen);
    this.slices = new EventWindows(this.gen, 2, 4);
    const ids = (this.slices.events * p.auctionProportion) / this.gen.total + p.numInFlightAuctions + 128;
    for (let i = 0; i < RING; i++) this.sets.push(new IdSet(ids * 1.2));
    // The run starts halfway into slice j0; windows up to j0 − 3 have fired.
    const j0 = this.slices.of(HISTORY_START) + LIVE_WHOLE + 1;
    this.curSlice = j0;
    this.nextFire = j0 - 2;
    this.firstLive = j0 - LIVE_WHOLE;
    this.loadSlice = this.firstLive;
    this.n = this.slices.start(j0) + Math.floor(this.slices.events / 2);
  }

  /** Expected live bytes for slices of `slice` events (stationary, so measured from HISTORY_START). */
  static liveBytes(picks: PickModel, keyBytes: number, slice: number): number {
    const s = HISTORY_START;
    let accs = 0;
    for (let k = 0; k < LIVE_WHOLE; k++) accs += expectedDistinct(picks, s + k * slice, s + (k + 1) * slice);
    accs += expectedDistinct(picks, s + LIVE_WHOLE * slice, s + (LIVE_WHOLE + 0.5) * slice);
    const keys = expectedDistinct(picks, s, s + (LIVE_WHOLE + 0.5) * slice);
    return accs * (keyBytes + ACC) + keys * keyBytes;
  }

  private set(j: number): IdSet { return this.sets[((j % RING) + RING) % RING]!; }
  private open(j: number): void {
    const last = this.gen.lastAuction(this.slices.start(j));
    this.set(j).reset(Math.max(0, last - Math.max(this.gen.cfg.numInFlightAuctions, 100) - 1));
  }

  /** Key register r := an entry's key. */
  private accKey(r: number, a: number, j: number): void { this.key(r, NS_ACC, keyGroup(a), a, 16, j); }
  private timerKey(r: number, w: number, a: number): void { this.key(r, NS_TIMER, keyGroup(a), w, 26, a); }
  private maxKey(r: number, w: number): void { this.key(r, NS_MAX, keyGroup(w), w, 0, 0); }
  private leftKey(r: number, w: number): void { this.key(r, NS_JLEFT, 0, w, 0, 0); }
  private rightKey(r: number, w: number): void { this.key(r, NS_JRIGHT, 0, w, 0, 0); }

  protected loadStep(rec: RecordBuf): boolean {
    const j0 = this.curSlice;
    while (rec.count < LOAD_OPS) {
      if (this.loadSlice <= j0) {
        const j = this.loadSlice;
        const set = this.set(j);
        if (this.loadCursor === 0) {
          // Sample the slice's auctions: each picked with its probability of at least one bid.
          this.open(j);
          const s = this.slices.start(j);
          const e = j === j0 ? this.n : this.slices.start(j + 1);
          const [first, last] = pickRange(this.picks, s, e);
          const salt = fmix32(j ^ 0x5bd1e995);
          for (let a = Math.max(first, set.base); a <= last; a++) {
            const lambda = pickRate(this.picks, a, s, e);
            if (lambda > 0 && coin(salt, a, j, 1 - Math.exp(-lambda))) set.add(a);
          }
          this.loadCursor = set.base;
        }
        while (this.loadCursor <= set.hi && rec.count < LOAD_OPS) {
          const a = this.loadCursor++;
          if (set.has(a)) { this.accKey(0, a, j); this.put(rec, 0, ACC); }
        }
        if (this.loadCursor > set.hi) { this.loadSlice++; this.loadCursor = 0; }
        continue;
      }
      // One timer per auction: at the next window to fire that holds its first live slice.
      if (!this.loadTimers) { this.loadTimers = true; this.loadCursor = this.set(this.firstLive).base; }
      const hi = this.set(j0).hi;
      while (this.loadCursor <= hi && rec.count < LOAD_OPS) {
        const a = this.loadCursor++;
        for (let j = this.firstLive; j <= j0; j++) {
          if (this.set(j).has(a)) { this.timerKey(0, Math.max(this.nextFire, j), a); this.put(rec, 0, 0); break; }
        }
      }
      break;
    }
    return rec.count > 0;
  }

  private inSlices(a: number, from: number, to: number): boolean {
    for (let j = from; j <= to; j++) if (this.set(j).has(a)) return true;
    return false;
  }

  protected override work(rec: RecordBuf): boolean {
    if (this.fireW < 0) {
      if (!this.slices.due(this.nextFire, this.n)) return false;
      const w = this.nextFire++;
      this.fireW = w;
      this.cursor = Infinity;
      this.fireHi = -1;
      for (let j = w - SLICES + 1; j <= w; j++) {
        const s = this.set(j);
        if (s.size === 0) continue;
        this.cursor = Math.min(this.cursor, s.base);
        this.fireHi = Math.max(this.fireHi, s.hi);
      }
      this.fireFirst = true;
      this.fireFinal = false;
    }
    const w = this.fireW;
    if (this.fireFinal) {
      // The MAX fires; its row and the counts meet in the window join, which clears both lists.
      this.maxKey(0, w); this.leftKey(1, w); this.rightKey(2, w);
      this.get(rec, 0); this.del(rec, 0);
      this.merge(rec, 2, RIGHT_ROW);
      this.get(rec, 1); this.get(rec, 2);
      this.del(rec, 1); this.del(rec, 2);
      rec.cpuUs = this.common.timerCpuUs;
      this.fireW = -1;
      return true;
    }
    let keys = 0;
    while (this.cursor <= this.fireHi && keys < FIRE_KEYS) {
      const a = this.cursor++;
      if (!this.inSlices(a, w - SLICES + 1, w)) continue;
      for (let j = w - SLICES + 1; j <= w; j++) { this.accKey(0, a, j); this.get(rec, 0); }
      this.accKey(0, a, w - SLICES + 1);
      this.del(rec, 0);
      this.timerKey(0, w, a);
      this.del(rec, 0);
      if (this.inSlices(a, w - SLICES + 2, w)) { this.timerKey(0, w + 1, a); this.put(rec, 0, 0); }
      keys++;
    }
    if (keys > 0) {
      this.leftKey(0, w);
      this.merge(rec, 0, keys * LEFT_ROW);
      if (this.fireFirst) {
        this.maxKey(0, w);
        this.get(rec, 0);
        this.put(rec, 0, ACC);
        this.fireFirst = false;
      }
    }
    if (this.cursor > this.fireHi) this.fireFinal = true;
    if (keys === 0) return this.work(rec);
    rec.cpuUs = keys * this.common.timerCpuUs;
    return true;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    if (ev.kind !== KIND_BID) return;
    const j = this.slices.of(ev.n);
    if (j !== this.curSlice) {
      this.curSlice = j;
      this.open(j);
    }
    const a = ev.auction;
    this.set(j).add(a);
    if (this.seen.first(a, j, Math.floor(ev.n / this.miniBatch))) {
      this.accKey(0, a, j);
      this.get(rec, 0);
      this.put(rec, 0, ACC);
      this.timerKey(0, j, a);
      this.put(rec, 0, 0);
    }
  }

  protected derived(): Record<string, unknown> {
    return { eventsPerSecond: this.eventsPerSecond, sliceEvents: this.slices.events, expectedBytes: Math.round(this.expectedBytes) };
  }
}
