/**
 * What the Nexmark queries share: their parameters, the mapping of Flink state
 * entries to integer keys, small allocation-free trackers, and the base class that
 * turns events into records.
 *
 * Keys. A Flink/ForSt entry is [key group][key][namespace][user key]; every state
 * (a join side, an accumulator, the timers) has its own column family. Here a state
 * is a namespace id in the top bits, so each keeps its own key range:
 *
 *     key = ns · 2^48 + keyGroup · 2^41 + (primary mod 2^(41−subBits)) · 2^subBits + sub
 *
 * with the key group a hash of the Flink key into 128 groups (Flink's default
 * maxParallelism), `primary` the key (an auction, person or price) and `sub` the
 * namespace (a window) or the MapState user key (a row). Entries of one key are
 * adjacent; keys spread over 128 sorted runs, as Flink's key groups spread them.
 * Ids wrap modulo 2^(41−subBits); the live ones never span that far.
 *
 * Records. Each event is one record: its CPU (`eventCpuUs`) and the state operations
 * it causes, in the operator's order. Timers (window ends, session ends) fire when
 * the watermark passes them; their work comes as records of their own (a few keys
 * each, `timerCpuUs` per key) before the next event, as Flink runs timers between
 * records. Expiry by state TTL comes as deletes on the event that retires them.
 *
 * Load. `nextLoad` replays the history that precedes the run (cheaply: events are
 * regenerable) and puts the entries alive when the run starts, so the run begins in
 * steady state with the query's state at its `stateBytes` (× `scale`).
 */
import { z } from 'zod';
import { parseSize } from '../../sim/units.ts';
import { OP_DELETE, OP_GET, OP_MERGE, OP_PUT, OP_SCAN, RecordBuf, type Workload } from '../../sim/workload.ts';
import { fmix32, NEXMARK_DEFAULTS, NexmarkEvent, NexmarkEvents } from './events.ts';

/** A size in bytes, or text such as "2.25GB" (binary units, as everywhere in tiersim). */
export const sizeParam = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    const bytes = parseSize(v);
    if (bytes <= 0) throw new Error('must be positive');
    return bytes;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^size: /, '') });
    return z.NEVER;
  }
});

/** Parameters every query takes. */
export const commonParams = {
  /** Multiplies the state size (tests and quick runs shrink it). */
  scale: z.number().positive().default(1),
  /** Target state size at scale 1, bytes (key + value of every live entry); the query's default when absent. */
  stateBytes: sizeParam.optional(),
  /** CPU per event outside state access (source, deserialisation, filter, projection), µs. */
  eventCpuUs: z.number().nonnegative().default(3),
  /** CPU per key a firing timer handles (window or session end), µs. */
  timerCpuUs: z.number().nonnegative().default(1),
  /** Bytes of the fixed part of a state key (key group + key + namespace). */
  keyBytes: z.number().int().positive().default(16),
  /** Put the initial state before the run (false: start empty; the trackers still replay). */
  load: z.boolean().default(true),
  personProportion: z.number().int().positive().default(NEXMARK_DEFAULTS.personProportion),
  auctionProportion: z.number().int().positive().default(NEXMARK_DEFAULTS.auctionProportion),
  bidProportion: z.number().int().positive().default(NEXMARK_DEFAULTS.bidProportion),
  hotAuctionRatio: z.number().int().positive().default(NEXMARK_DEFAULTS.hotAuctionRatio),
  hotBiddersRatio: z.number().int().positive().default(NEXMARK_DEFAULTS.hotBiddersRatio),
  hotSellersRatio: z.number().int().positive().default(NEXMARK_DEFAULTS.hotSellersRatio),
  numActivePeople: z.number().int().positive().default(NEXMARK_DEFAULTS.numActivePeople),
  numInFlightAuctions: z.number().int().positive().default(NEXMARK_DEFAULTS.numInFlightAuctions),
};

/**
 * Records per mini-batch (table.exec.mini-batch.size 50000 in nexmark's flink-conf)
 * or window-buffer flush: within one, an aggregate touches each key's state once.
 * 1 turns combining off (one state access per record).
 */
export const miniBatchParam = z.number().int().positive().default(50_000);

/** Event time per second for queries without windows (it only dates the rows). */
export const DEFAULT_EVENTS_PER_SECOND = 1_000_000;

/** Where a run's history starts: far enough that Nexmark's active-people window is full. */
export const HISTORY_START = 1_000_000;

/** Puts per load record. */
export const LOAD_OPS = 32;

export type CommonParams = z.output<z.ZodObject<typeof commonParams>>;

// ---- keys ----

const POW2: number[] = Array.from({ length: 54 }, (_, i) => 2 ** i);

/** Flink's key group of a key (a hash into 128 groups). */
export function keyGroup(id: number): number {
  // murmur3's finalizer of the key's low word salted by its high word, written out (no calls).
  let h = Math.imul((id >>> 0) ^ Math.imul(Math.floor(id / 4294967296) + 0x51ed27, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 127;
}

/** Key group of a composite key. */
export function keyGroup2(a: number, b: number): number {
  let h = Math.imul((a >>> 0) ^ Math.imul((b >>> 0) + 0x51ed27, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 127;
}

/** The integer key of an entry; see the file comment. */
export function stateKey(ns: number, group: number, primary: number, subBits: number, sub: number): number {
  const pBits = 41 - subBits;
  return ns * POW2[48]! + group * POW2[41]! + (primary % POW2[pBits]!) * POW2[subBits]! + (sub % POW2[subBits]!);
}

// ---- trackers ----

/** A set of ids within a sliding range, as a bitset from `base`; reused per window. */
export class IdSet {
  base = 0;
  /** Ids added. */
  size = 0;
  /** Highest id added, base − 1 when empty. */
  hi = -1;
  private bits: Uint32Array;

  constructor(capacity: number) {
    this.bits = new Uint32Array(Math.ceil(Math.max(capacity, 64) / 32));
  }

  reset(base: number): void {
    const used = this.size > 0 ? Math.floor((this.hi - this.base) / 32) + 1 : 0;
    this.bits.fill(0, 0, Math.min(used, this.bits.length));
    this.base = base;
    this.size = 0;
    this.hi = base - 1;
  }

  /** Adds `id` (≥ base); true when it was not there. Grows, rarely, past its capacity. */
  add(id: number): boolean {
    const i = id - this.base;
    if (i < 0) throw new RangeError(`IdSet: id ${id} below base ${this.base}`);
    const w = i >>> 5;
    if (w >= this.bits.length) {
      const bigger = new Uint32Array(Math.max(w + 1, this.bits.length * 2));
      bigger.set(this.bits);
      this.bits = bigger;
    }
    const m = 1 << (i & 31);
    if (this.bits[w]! & m) return false;
    this.bits[w] = this.bits[w]! | m;
    this.size++;
    if (id > this.hi) this.hi = id;
    return true;
  }

  has(id: number): boolean {
    const i = id - this.base;
    if (i < 0 || id > this.hi) return false;
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

/**
 * Mini-batch combining: true the first time a key is seen in a batch. A small
 * direct-mapped table; a collision forgets a key, which then counts once more.
 */
export class BatchSeen {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly batches: Float64Array;
  private readonly mask: number;

  constructor(bits = 16) {
    this.a = new Float64Array(1 << bits).fill(-1);
    this.b = new Float64Array(1 << bits).fill(-1);
    this.batches = new Float64Array(1 << bits).fill(-1);
    this.mask = (1 << bits) - 1;
  }

  /** For the key (a, b): true the first time it is seen in `batch`. */
  first(a: number, b: number, batch: number): boolean {
    const i = fmix32(Math.imul(a, 0x9e3779b1) ^ b) & this.mask;
    if (this.a[i] === a && this.b[i] === b && this.batches[i] === batch) return false;
    this.a[i] = a;
    this.b[i] = b;
    this.batches[i] = batch;
    return true;
  }
}

/** Per-id numbers for ids within a sliding range (a ring tagged by id). */
export class IdRing {
  private readonly ids: Float64Array;
  readonly values: Float64Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 64;
    while (size < capacity) size *= 2;
    this.ids = new Float64Array(size).fill(-1);
    this.values = new Float64Array(size);
    this.mask = size - 1;
  }

  get(id: number, absent = 0): number {
    const i = id & this.mask;
    return this.ids[i] === id ? this.values[i]! : absent;
  }

  set(id: number, v: number): void {
    const i = id & this.mask;
    this.ids[i] = id;
    this.values[i] = v;
  }

  add(id: number, d: number): number {
    const v = this.get(id) + d;
    this.set(id, v);
    return v;
  }
}

/** One byte per id for ids within a sliding range no wider than the capacity (no tags). */
export class FlagRing {
  private readonly flags: Uint8Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 64;
    while (size < capacity) size *= 2;
    this.flags = new Uint8Array(size);
    this.mask = size - 1;
  }

  get(id: number): number { return this.flags[id & this.mask]!; }
  set(id: number, v: number): void { this.flags[id & this.mask] = v; }
}

/** A FIFO of numbers (keys or event numbers), growing when full. */
export class NumberFifo {
  private buf: Float64Array;
  private head = 0;
  private n = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(Math.max(16, capacity));
  }

  get length(): number { return this.n; }

  push(v: number): void {
    if (this.n === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      for (let i = 0; i < this.n; i++) bigger[i] = this.buf[(this.head + i) % this.buf.length]!;
      this.buf = bigger;
      this.head = 0;
    }
    this.buf[(this.head + this.n) % this.buf.length] = v;
    this.n++;
  }

  peek(i = 0): number {
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  /** Moves the oldest number into `to[i]` (no value crosses a call). */
  shiftInto(to: Float64Array, i: number): void {
    to[i] = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.n--;
  }

  shift(): number {
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) % this.buf.length;
    this.n--;
    return v;
  }
}

// ---- the base class ----

export abstract class NexmarkQuery implements Workload {
  readonly keyBytes: number;
  readonly gen: NexmarkEvents;
  /** Effective state target: stateBytes × scale. */
  readonly targetBytes: number;
  /** The next event of the run. */
  n = HISTORY_START;
  /** Bytes (key + value) and entries put by the load. */
  loadedBytes = 0;
  loadedEntries = 0;
  /** Records that were timer work rather than events. */
  timerRecords = 0;
  protected readonly ev = new NexmarkEvent();
  protected readonly old = new NexmarkEvent();
  protected readonly common: CommonParams;
  private version = 0;
  private loadDone = false;
  private readonly silent = new RecordBuf();

  constructor(readonly name: string, common: CommonParams, defaultStateBytes: number, seed: number, eventsPerSecond: number) {
    this.common = common;
    this.keyBytes = common.keyBytes;
    this.targetBytes = (common.stateBytes ?? defaultStateBytes) * common.scale;
    this.gen = new NexmarkEvents(seed, { ...common, eventsPerSecond });
  }

  /** Puts the next entries of the initial state into `rec`; false when the load is over. */
  protected abstract loadStep(rec: RecordBuf): boolean;
  /** The state operations of event `ev` (already in `rec`'s CPU and time). */
  protected abstract onEvent(ev: NexmarkEvent, rec: RecordBuf): void;
  /** Fills a timer record when timers are due; false when none is. */
  protected work(_rec: RecordBuf): boolean { return false; }
  /** Derived knobs for describe(). */
  protected abstract derived(): Record<string, unknown>;

  nextLoad(rec: RecordBuf): boolean {
    if (this.loadDone) return false;
    if (!this.common.load) { this.drainLoad(); return false; }
    rec.reset(0);
    if (!this.loadStep(rec)) { this.loadDone = true; return false; }
    for (let i = 0; i < rec.count; i++) {
      this.loadedBytes += this.keyBytes + rec.sizes[i]!;
      this.loadedEntries++;
    }
    return true;
  }

  /** The bytes loaded against the state target: the load writes about that much. */
  loadProgress(): number {
    return this.loadDone ? 1 : Math.min(1, this.loadedBytes / this.targetBytes);
  }

  /** Runs the rest of the load without handing out its puts (the trackers still advance). */
  private drainLoad(): void {
    while (!this.loadDone) {
      this.silent.reset(0);
      if (!this.loadStep(this.silent)) this.loadDone = true;
    }
  }

  next(rec: RecordBuf): boolean {
    if (!this.loadDone) this.drainLoad();
    rec.reset(0);
    if (this.work(rec)) {
      this.timerRecords++;
      return true;
    }
    this.gen.at(this.n, this.ev);
    rec.reset(this.common.eventCpuUs);
    rec.timeUs = this.ev.timeUs;
    this.onEvent(this.ev, rec);
    this.n++;
    return true;
  }

  /** The state the query's load builds and its retention then holds (stateBytes × scale). */
  stateBytes(): number { return this.targetBytes; }

  describe(): Record<string, unknown> {
    return { name: this.name, ...this.common, stateBytes: this.targetBytes / this.common.scale, targetBytes: this.targetBytes, ...this.derived() };
  }

  // Operations. Keys go through `k`, a few key registers: a key helper writes an
  // entry's key there and the operation reads it, so a 53-bit key never crosses a
  // call as a value. The helpers make no calls (V8 boxes a double that crosses a call
  // it did not inline), so generating a record allocates nothing however the JIT
  // inlines. The token mixes key and version as kv's tokenOf does.
  protected readonly k = new Float64Array(4);

  /** Sets register r to an entry's key (stateKey, written out). */
  protected key(r: number, ns: number, group: number, primary: number, subBits: number, sub: number): void {
    const subMod = POW2[subBits]!;
    this.k[r] = ns * POW2[48]! + group * POW2[41]! + (primary % POW2[41 - subBits]!) * subMod + (sub % subMod);
  }
  private write(rec: RecordBuf, type: number, r: number, size: number): void {
    const key = this.k[r]!;
    const v = ++this.version;
    let h = Math.imul((key >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(key / 4294967296);
    h = Math.imul(h ^ (h >>> 13) ^ v, 0xc2b2ae35);
    const i = rec.count++;
    rec.types[i] = type;
    rec.keys[i] = key;
    rec.sizes[i] = size;
    rec.tokens[i] = h ^ (h >>> 16);
  }
  private read(rec: RecordBuf, type: number, r: number, size: number): void {
    const i = rec.count++;
    rec.types[i] = type;
    rec.keys[i] = this.k[r]!;
    rec.sizes[i] = size;
    rec.tokens[i] = 0;
  }
  protected put(rec: RecordBuf, r: number, size: number): void { this.write(rec, OP_PUT, r, size); }
  protected merge(rec: RecordBuf, r: number, size: number): void { this.write(rec, OP_MERGE, r, size); }
  protected get(rec: RecordBuf, r: number): void { this.read(rec, OP_GET, r, 0); }
  protected del(rec: RecordBuf, r: number): void { this.read(rec, OP_DELETE, r, 0); }
  /** A MapState iteration from register r's key: the entries under the prefix plus the one past it (RocksDB reads it to see the prefix end). */
  protected scan(rec: RecordBuf, r: number, entries: number): void { this.read(rec, OP_SCAN, r, entries + 1); }
}

// ---- event-time windows ----

/** Tumbling or sliding event-time windows measured in events, with the watermark's lag. */
export class EventWindows {
  /** Events per window (or slice). */
  readonly events: number;
  /** Events the watermark trails event time by. */
  readonly lagEvents: number;

  constructor(gen: NexmarkEvents, sizeSeconds: number, lagSeconds: number) {
    this.events = (sizeSeconds * 1e6) / gen.usPerEvent;
    this.lagEvents = (lagSeconds * 1e6) / gen.usPerEvent;
  }

  /** The window (slice) event n falls in. */
  of(n: number): number { return Math.floor(n / this.events); }
  /** First event of window w. */
  start(w: number): number { return Math.ceil(w * this.events); }
  /** True when, before event n, the watermark has passed the end of window w (its timer fires). */
  due(w: number, n: number): boolean { return n - this.lagEvents >= (w + 1) * this.events; }
}

// ---- how many distinct keys a stretch of events touches ----

/**
 * How Nexmark picks ids of one kind (bidders, sellers, auctions): an id is picked
 * uniformly from a range that slides with the newest id (`back` ids behind it, `lead`
 * ahead, `width` ids in all) with probability `q` per event, and the id
 * `hotOffset` of the current block of HOT_BLOCK ids with probability `hotQ` per event.
 */
export interface PickModel {
  /** Events per new id. */
  eventsPerId: number;
  back: number;
  lead: number;
  width: number;
  q: number;
  hotOffset: number;
  hotQ: number;
}

export function bidderPicks(gen: NexmarkEvents): PickModel {
  const c = gen.cfg;
  const bidShare = c.bidProportion / gen.total;
  const hot = 1 - 1 / c.hotBiddersRatio;
  return {
    eventsPerId: gen.total / c.personProportion, back: c.numActivePeople - 1, lead: ID_LEAD_EVENTS,
    width: c.numActivePeople + ID_LEAD_EVENTS, q: bidShare * (1 - hot), hotOffset: 1, hotQ: bidShare * hot,
  };
}

export function sellerPicks(gen: NexmarkEvents): PickModel {
  const c = gen.cfg;
  const share = c.auctionProportion / gen.total;
  const hot = 1 - 1 / c.hotSellersRatio;
  return {
    eventsPerId: gen.total / c.personProportion, back: c.numActivePeople - 1, lead: ID_LEAD_EVENTS,
    width: c.numActivePeople + ID_LEAD_EVENTS, q: share * (1 - hot), hotOffset: 0, hotQ: share * hot,
  };
}

export function auctionPicks(gen: NexmarkEvents): PickModel {
  const c = gen.cfg;
  const bidShare = c.bidProportion / gen.total;
  const hot = 1 - 1 / c.hotAuctionRatio;
  return {
    eventsPerId: gen.total / c.auctionProportion, back: c.numInFlightAuctions, lead: ID_LEAD_EVENTS,
    width: c.numInFlightAuctions + 1 + ID_LEAD_EVENTS, q: bidShare * (1 - hot), hotOffset: 0, hotQ: bidShare * hot,
  };
}

const ID_LEAD_EVENTS = 10; // Nexmark's PERSON_ID_LEAD and AUCTION_ID_LEAD

/** Expected picks of id p among events [s, e). */
export function pickRate(m: PickModel, p: number, s: number, e: number): number {
  const span = (m.back + 1 + m.lead) * m.eventsPerId;
  const lo = (p - m.lead) * m.eventsPerId;
  const ov = Math.min(lo + span, e) - Math.max(lo, s);
  let lambda = ov > 0 ? (ov * m.q) / m.width : 0;
  const block = p - (p % 100);
  if (p % 100 === m.hotOffset) {
    const hlo = block * m.eventsPerId;
    const hov = Math.min(hlo + 100 * m.eventsPerId, e) - Math.max(hlo, s);
    if (hov > 0) lambda += hov * m.hotQ;
  }
  return lambda;
}

/** Ids that events [s, e) may pick: [first, last]. */
export function pickRange(m: PickModel, s: number, e: number): [number, number] {
  return [Math.max(0, Math.floor(s / m.eventsPerId) - m.back - 1), Math.ceil(e / m.eventsPerId) + m.lead + 1];
}

/**
 * Expected number of distinct ids picked at least once among events [s, e): the sum
 * over ids of 1 − e^(−λ), λ an id's expected picks. Ids whose whole range lies inside
 * share one λ and are counted at once, so the cost is the boundary ids only.
 */
export function expectedDistinct(m: PickModel, s: number, e: number): number {
  if (e <= s) return 0;
  const [first, last] = pickRange(m, s, e);
  const inLo = Math.max(first, Math.ceil(s / m.eventsPerId + m.lead));
  const inHi = Math.min(last, Math.floor(e / m.eventsPerId - m.back - 1));
  let sum = 0;
  if (inHi >= inLo) {
    const span = (m.back + 1 + m.lead) * m.eventsPerId;
    const pFull = 1 - Math.exp((-span * m.q) / m.width);
    sum += (inHi - inLo + 1) * pFull;
    // Hot ids inside are picked for certain.
    const hot = Math.floor((inHi - m.hotOffset) / 100) - Math.floor((inLo - 1 - m.hotOffset) / 100);
    sum += hot * (1 - pFull);
    for (let p = first; p < inLo; p++) sum += 1 - Math.exp(-pickRate(m, p, s, e));
    for (let p = inHi + 1; p <= last; p++) sum += 1 - Math.exp(-pickRate(m, p, s, e));
  } else {
    for (let p = first; p <= last; p++) sum += 1 - Math.exp(-pickRate(m, p, s, e));
  }
  return sum;
}

/** The x in [lo, hi] where an increasing f reaches `target` (bisection on a log scale). */
export function solveIncreasing(f: (x: number) => number, target: number, lo: number, hi: number): number {
  if (f(hi) <= target) return hi;
  if (f(lo) >= target) return lo;
  for (let i = 0; i < 80 && hi / lo > 1 + 1e-9; i++) {
    const mid = Math.sqrt(lo * hi);
    if (f(mid) < target) lo = mid; else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** A deterministic coin: true with probability p for (seed, a, b). */
export function coin(seed: number, a: number, b: number, p: number): boolean {
  const h = fmix32(fmix32((a >>> 0) ^ seed) ^ Math.imul((b >>> 0) + 0x632be5ab, 0x27d4eb2d) ^ Math.floor(a / 4294967296));
  return h / 4294967296 < p;
}
