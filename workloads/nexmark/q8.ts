/**
 * nexmark-q8: "monitor new users" (small state).
 *
 *     SELECT P.id, P.name, P.starttime FROM
 *       (SELECT id, name, window_start AS starttime, window_end AS endtime
 *        FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
 *        GROUP BY id, name, window_start, window_end) P
 *     JOIN
 *       (SELECT seller, window_start AS starttime, window_end AS endtime
 *        FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
 *        GROUP BY seller, window_start, window_end) A
 *     ON P.id = A.seller AND P.starttime = A.starttime AND P.endtime = A.endtime;
 *
 * Two window aggregations without aggregate functions (one accumulator per key and
 * window), then a window join on person id = seller within the same window. Windows
 * fire when the watermark (4 s behind event time) passes their end; the join's
 * inputs arrive at that watermark and the join fires at once.
 *
 * | state              | key                 | value                              | bytes |
 * |--------------------|---------------------|------------------------------------|-------|
 * | person window agg  | (id, name) + window | accumulator (count1)               | 16    |
 * | auction window agg | seller + window     | accumulator (count1)               | 16    |
 * | their timers       | window end, key     | —                                  | 0     |
 * | join: left list    | id + window         | ListState of (id, name, starttime) | 48    |
 * | join: right list   | seller + window     | ListState of (seller, start, end)  | 32    |
 * | join timers        | window end, key     | —                                  | 0     |
 *
 * Per person (each id once): get + put of its accumulator, put of its timer. Per
 * auction, first in its window-buffer flush for that seller: get + put of the seller's
 * accumulator, put of its timer. When a window fires, per key of either side: get the
 * accumulator, delete it and its timer, append the row to the join's list (merge) and
 * register the join timer; the join then reads both lists, clears them and its timer.
 * Bids: CPU only.
 *
 * The state is the open window's people and sellers (the previous window fires 4 s
 * into the next): `eventsPerSecond` is derived so that half a window (where the run
 * starts) holds `stateBytes`. Every new person is a key; sellers are the hot seller
 * and about half of the 1000 active people.
 */
import { z } from 'zod';
import type { RecordBuf } from '../../sim/workload.ts';
import { BatchSeen, commonParams, EventWindows, expectedDistinct, HISTORY_START, IdSet, keyGroup, LOAD_OPS, miniBatchParam, NexmarkQuery, sellerPicks, solveIncreasing } from './common.ts';
import { KIND_AUCTION, KIND_BID, KIND_PERSON, NexmarkEvents, type NexmarkEvent } from './events.ts';

export const q8Params = z.object({ ...commonParams, miniBatch: miniBatchParam }).strict();
export const Q8_STATE_BYTES = 20e6;

const NS_PACC = 1;
const NS_AACC = 2;
const NS_PTIMER = 3;
const NS_ATIMER = 4;
const NS_JLEFT = 5;
const NS_JRIGHT = 6;
const NS_JTIMER = 7;
const ACC = 16;
const LEFT_ROW = 8 + 3 * 8 + 16;
const RIGHT_ROW = 8 + 3 * 8;
const FIRE_KEYS = 4;

export class Q8 extends NexmarkQuery {
  readonly windows: EventWindows;
  readonly eventsPerSecond: number;
  readonly expectedBytes: number;
  private readonly miniBatch: number;
  private readonly seen = new BatchSeen();
  /** Ring of two windows: people and sellers per window. */
  private readonly people: IdSet[];
  private readonly sellers: IdSet[];
  private curW: number;
  /** The window firing, or −1; and the next window to fire. */
  private fireW = -1;
  private nextFire: number;
  private cursor = 0;
  private loadCursor: number;
  private emitCursor = -1;

  constructor(params: z.input<typeof q8Params>, seed: number) {
    const p = q8Params.parse(params);
    const perKey = 2 * p.keyBytes + ACC;
    const target = (p.stateBytes ?? Q8_STATE_BYTES) * p.scale;
    const probe = new NexmarkEvents(seed, { ...p, eventsPerSecond: 1 });
    const picks = sellerPicks(probe);
    const personsIn = (x: number) => (x * p.personProportion) / probe.total;
    const bytesAt = (rate: number) => perKey * (personsIn(5 * rate) + expectedDistinct(picks, HISTORY_START, HISTORY_START + 5 * rate));
    const rate = solveIncreasing(bytesAt, target, 1, 1e12);
    super('nexmark-q8', p, Q8_STATE_BYTES, seed, rate);
    this.eventsPerSecond = rate;
    this.expectedBytes = bytesAt(rate);
    this.miniBatch = p.miniBatch;
    this.windows = new EventWindows(this.gen, 10, 4);
    const ids = (this.windows.events * p.personProportion) / this.gen.total + p.numActivePeople + 64;
    this.people = [new IdSet(ids * 1.2), new IdSet(ids * 1.2)];
    this.sellers = [new IdSet(ids * 1.2), new IdSet(ids * 1.2)];
    this.curW = this.windows.of(HISTORY_START) + 1;
    this.nextFire = this.curW;
    this.loadCursor = this.windows.start(this.curW);
    this.n = this.loadCursor + Math.floor(this.windows.events / 2);
    this.open(this.curW);
  }

  private open(w: number): void {
    const base = Math.max(0, this.gen.lastPerson(this.windows.start(w)) - Math.max(this.gen.cfg.numActivePeople, 100) - 1);
    this.people[w & 1]!.reset(base);
    this.sellers[w & 1]!.reset(base);
  }

  /** Key register r := an entry's key. */
  private pAcc(r: number, id: number, w: number): void { this.key(r, NS_PACC, keyGroup(id), id, 16, w); }
  private aAcc(r: number, id: number, w: number): void { this.key(r, NS_AACC, keyGroup(id), id, 16, w); }
  private pTimer(r: number, w: number, id: number): void { this.key(r, NS_PTIMER, keyGroup(id), w, 26, id); }
  private aTimer(r: number, w: number, id: number): void { this.key(r, NS_ATIMER, keyGroup(id), w, 26, id); }
  private jLeft(r: number, id: number, w: number): void { this.key(r, NS_JLEFT, keyGroup(id), id, 16, w); }
  private jRight(r: number, id: number, w: number): void { this.key(r, NS_JRIGHT, keyGroup(id), id, 16, w); }
  private jTimer(r: number, w: number, id: number): void { this.key(r, NS_JTIMER, keyGroup(id), w, 26, id); }

  protected loadStep(rec: RecordBuf): boolean {
    const g = this.gen;
    const ev = this.ev;
    const w = this.curW;
    for (; this.loadCursor < this.n; this.loadCursor++) {
      const kind = g.kindOf(this.loadCursor);
      if (kind === KIND_BID) continue;
      g.at(this.loadCursor, ev);
      if (kind === KIND_PERSON) this.people[w & 1]!.add(ev.person);
      else this.sellers[w & 1]!.add(ev.seller);
    }
    const ps = this.people[w & 1]!;
    const ss = this.sellers[w & 1]!;
    if (this.emitCursor < 0) this.emitCursor = ps.base;
    const hi = Math.max(ps.hi, ss.hi);
    while (this.emitCursor <= hi && rec.count < LOAD_OPS) {
      const id = this.emitCursor++;
      if (ps.has(id)) { this.pAcc(0, id, w); this.put(rec, 0, ACC); this.pTimer(0, w, id); this.put(rec, 0, 0); }
      if (ss.has(id)) { this.aAcc(0, id, w); this.put(rec, 0, ACC); this.aTimer(0, w, id); this.put(rec, 0, 0); }
    }
    return rec.count > 0;
  }

  protected override work(rec: RecordBuf): boolean {
    if (this.fireW < 0) {
      if (!this.windows.due(this.nextFire, this.n)) return false;
      this.fireW = this.nextFire++;
      const ps = this.people[this.fireW & 1]!;
      this.cursor = ps.base;
    }
    const w = this.fireW;
    const ps = this.people[w & 1]!;
    const ss = this.sellers[w & 1]!;
    const hi = Math.max(ps.hi, ss.hi);
    let keys = 0;
    while (this.cursor <= hi && keys < FIRE_KEYS) {
      const id = this.cursor++;
      const p = ps.has(id);
      const s = ss.has(id);
      if (!p && !s) continue;
      this.jLeft(1, id, w);
      this.jRight(2, id, w);
      this.jTimer(3, w, id);
      if (p) {
        this.pAcc(0, id, w); this.get(rec, 0); this.del(rec, 0);
        this.pTimer(0, w, id); this.del(rec, 0);
        this.merge(rec, 1, LEFT_ROW);
      }
      if (s) {
        this.aAcc(0, id, w); this.get(rec, 0); this.del(rec, 0);
        this.aTimer(0, w, id); this.del(rec, 0);
        this.merge(rec, 2, RIGHT_ROW);
      }
      this.put(rec, 3, 0);
      // The join fires at the same watermark: read both lists, clear them and the timer.
      this.get(rec, 1); this.get(rec, 2);
      this.del(rec, 1); this.del(rec, 2); this.del(rec, 3);
      keys++;
    }
    if (this.cursor > hi) this.fireW = -1;
    if (keys === 0) return this.work(rec);
    rec.cpuUs = keys * this.common.timerCpuUs;
    return true;
  }

  protected onEvent(ev: NexmarkEvent, rec: RecordBuf): void {
    if (ev.kind === KIND_BID) return;
    const w = this.windows.of(ev.n);
    if (w !== this.curW) {
      // A new window opens in the ring slot of the one two back (fired by now).
      this.curW = w;
      this.open(w);
    }
    if (ev.kind === KIND_PERSON) {
      this.people[w & 1]!.add(ev.person);
      this.pAcc(0, ev.person, w);
      this.get(rec, 0);
      this.put(rec, 0, ACC);
      this.pTimer(0, w, ev.person);
      this.put(rec, 0, 0);
    } else if (ev.kind === KIND_AUCTION) {
      const s = ev.seller;
      this.sellers[w & 1]!.add(s);
      if (this.seen.first(s, w, Math.floor(ev.n / this.miniBatch))) {
        this.aAcc(0, s, w);
        this.get(rec, 0);
        this.put(rec, 0, ACC);
        this.aTimer(0, w, s);
        this.put(rec, 0, 0);
      }
    }
  }

  protected derived(): Record<string, unknown> {
    return { eventsPerSecond: this.eventsPerSecond, windowEvents: this.windows.events, expectedBytes: Math.round(this.expectedBytes) };
  }
}
