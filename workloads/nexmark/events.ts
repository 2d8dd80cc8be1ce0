/**
 * The Nexmark event stream (people, auctions, bids), modelled on the generator of
 * nexmark/nexmark (nexmark-flink/.../generator: GeneratorConfig, NexmarkGenerator,
 * PersonGenerator, AuctionGenerator, BidGenerator, PriceGenerator, StringsGenerator).
 * The behaviour is re-stated here, not the code:
 *
 * - Event n (0-based) is a person, an auction or a bid by n mod (p + a + b) with the
 *   proportions person 1, auction 3, bid 46 (2% / 6% / 92%): the first p residues of
 *   each epoch of p + a + b events are people, the next a auctions, the rest bids.
 *   Person and auction ids are sequential (the k-th person has id k).
 * - A bid goes to a hot auction with probability 1 − 1/hotAuctionRatio (default 2):
 *   the first auction of the current block of 100 (lastAuction / 100 · 100); otherwise
 *   to a uniform auction among the last numInFlightAuctions (100) plus 10 not yet
 *   created ("lead" ids).
 * - Its bidder is hot with probability 1 − 1/hotBiddersRatio (4): the second person of
 *   the current block of 100 people; otherwise a uniform person among the last
 *   numActivePeople (1000) plus 10 lead ids.
 * - An auction's seller is hot with probability 1 − 1/hotSellersRatio (4): the first
 *   person of the current block of 100; otherwise chosen like a non-hot bidder. Its
 *   category is one of 5 (10…14; index 0 is category 10) and it expires a uniform
 *   time in [1 ms, 2·horizon] after it starts, the horizon being the time until
 *   numInFlightAuctions more auctions have been created.
 * - A person lives in one of six states (AZ, CA, ID, OR, WA, WY), uniformly.
 * - Prices are 10^(6u)·100 cents, u uniform: a log-uniform spread over 1 … 10^6 dollars;
 *   events carry u on a 2^20 grid (`priceCode`, monotone in the price; priceOfCode).
 * - Event time advances by 1/eventsPerSecond per event (Nexmark: interEventDelayUs).
 *
 * Unlike nexmark/nexmark (a SplittableRandom drawn in sequence) every random choice
 * of event n is a hash of (seed, n, field), as the original Beam generator seeded by
 * event id: any past event can be regenerated cheaply, which is how the queries find
 * the state entries that a TTL or a window retires without keeping them in memory.
 *
 * Row sizes approximate Flink's BinaryRowData: an 8-byte header, 8 bytes per field,
 * and the variable-length strings (rounded up) after them. A bid row (auction, bidder,
 * price, channel, url, dateTime, extra) is about 204 bytes, a person row about 276,
 * an auction row about 550: the `extra` padding follows Nexmark's nextExtra (the
 * average sizes 100 / 200 / 500 minus the other fields, ±20%).
 */

export interface NexmarkConfig {
  personProportion: number;
  auctionProportion: number;
  bidProportion: number;
  hotAuctionRatio: number;
  hotBiddersRatio: number;
  hotSellersRatio: number;
  numActivePeople: number;
  numInFlightAuctions: number;
  /** Event time per event is 1/eventsPerSecond seconds. */
  eventsPerSecond: number;
}

/** nexmark/nexmark's NexmarkConfiguration defaults (the rate is a query's own knob). */
export const NEXMARK_DEFAULTS = {
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  hotSellersRatio: 4,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
} as const;

export const KIND_PERSON = 0;
export const KIND_AUCTION = 1;
export const KIND_BID = 2;

/** The generator's fixed constants. */
export const HOT_BLOCK = 100; // HOT_AUCTION_RATIO, HOT_BIDDER_RATIO, HOT_SELLER_RATIO
export const ID_LEAD = 10; // PERSON_ID_LEAD, AUCTION_ID_LEAD
export const NUM_CATEGORIES = 5;
export const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'] as const;
export const PRICE_CODES = 2 ** 20;

/** BinaryRowData sizes of the full rows (header 8 + 8 per field + variable parts). */
export const BID_ROW_FIXED = 8 + 7 * 8 + 64; // + url (~64) + channel + extra
export const PERSON_ROW_FIXED = 8 + 8 * 8 + 16 + 16 + 24 + 8; // name, email, credit card, city; + extra
export const AUCTION_ROW_FIXED = 8 + 10 * 8 + 16 + 56; // itemName, description; + extra
/** Mean variable parts: bid channel (half are short hot channels) and the extras. */
export const BID_EXTRA_MIN = 54;
export const BID_EXTRA_SPAN = 28;
export const PERSON_EXTRA_MIN = 112;
export const PERSON_EXTRA_SPAN = 56;
export const AUCTION_EXTRA_MIN = 312;
export const AUCTION_EXTRA_SPAN = 156;
export const MEAN_BID_EXTRA = BID_EXTRA_MIN + (BID_EXTRA_SPAN - 1) / 2;
export const MEAN_BID_CHANNEL = 8;
export const MEAN_BID_ROW = BID_ROW_FIXED + MEAN_BID_CHANNEL + MEAN_BID_EXTRA;
export const MEAN_PERSON_ROW = PERSON_ROW_FIXED + PERSON_EXTRA_MIN + (PERSON_EXTRA_SPAN - 1) / 2;
export const MEAN_AUCTION_ROW = AUCTION_ROW_FIXED + AUCTION_EXTRA_MIN + (AUCTION_EXTRA_SPAN - 1) / 2;

/** One event; reused, filled by NexmarkEvents.at. */
export class NexmarkEvent {
  n = 0;
  kind = 0;
  /** Event time, µs from event 0. */
  timeUs = 0;
  /** Person id (person events). */
  person = 0;
  /** Auction id (auction events: its own; bids: the auction bid on). */
  auction = 0;
  bidder = 0;
  seller = 0;
  /** 0 … 4: Nexmark category 10 + index. */
  category = 0;
  /** Index into US_STATES. */
  state = 0;
  /** The price's rank on a 2^20 grid (monotone in price). */
  priceCode = 0;
  /** Auction end, µs. */
  expiresUs = 0;
  /** Length of the `extra` string. */
  extraBytes = 0;
  /** Bid channel bytes beyond the inline 7 (0 for the four hot channels). */
  channelBytes = 0;
  /** The whole event row, BinaryRowData bytes. */
  rowBytes = 0;
}

// Fields of the per-event hash.
const F_HOT1 = 1;
const F_ID1 = 2;
const F_HOT2 = 3;
const F_ID2 = 4;
const F_PRICE = 5;
const F_CATEGORY = 6;
const F_EXTRA = 7;
const F_EXPIRES = 8;
const F_CHANNEL = 9;
const FIELDS = 10;
const PERSON_FIELDS = (1 << F_CATEGORY) | (1 << F_EXTRA);
const AUCTION_FIELDS = (1 << F_HOT1) | (1 << F_ID1) | (1 << F_CATEGORY) | (1 << F_PRICE) | (1 << F_EXPIRES) | (1 << F_EXTRA);
const BID_FIELDS = (1 << F_HOT1) | (1 << F_ID1) | (1 << F_HOT2) | (1 << F_ID2) | (1 << F_PRICE) | (1 << F_CHANNEL) | (1 << F_EXTRA);

/** murmur3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function ufield(base: number, field: number): number {
  return fmix32(base ^ Math.imul(field, 0x165667b1)) / 4294967296;
}

/** Price in cents of a price code (Nexmark: round(10^(6u) · 100)). */
export function priceOfCode(code: number): number {
  return Math.round(Math.pow(10, (6 * (code + 0.5)) / PRICE_CODES) * 100);
}

export class NexmarkEvents {
  readonly cfg: NexmarkConfig;
  readonly total: number;
  /** µs of event time per event. */
  readonly usPerEvent: number;
  /** Events until numInFlightAuctions more auctions exist (the auction-length horizon). */
  readonly horizonEvents: number;
  private readonly seedMix: number;
  private readonly hotAuctionP: number;
  private readonly hotBidderP: number;
  private readonly hotSellerP: number;
  /** The uniform draws of the event being generated, by field (kept in a typed array so nothing is boxed). */
  private readonly draws = new Float64Array(FIELDS);

  constructor(seed: number, cfg: NexmarkConfig) {
    this.cfg = cfg;
    this.total = cfg.personProportion + cfg.auctionProportion + cfg.bidProportion;
    this.usPerEvent = 1e6 / cfg.eventsPerSecond;
    this.horizonEvents = Math.floor((cfg.numInFlightAuctions * this.total) / cfg.auctionProportion);
    this.seedMix = fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / 4294967296) ^ 0x6e78) ^ 0x9e3779b9);
    this.hotAuctionP = 1 - 1 / cfg.hotAuctionRatio;
    this.hotBidderP = 1 - 1 / cfg.hotBiddersRatio;
    this.hotSellerP = 1 - 1 / cfg.hotSellersRatio;
  }

  /** The per-event part of the hash. */
  private base(n: number): number {
    return fmix32((n >>> 0) ^ this.seedMix) ^ Math.imul((Math.floor(n / 4294967296) >>> 0) + 1, 0x27d4eb2d);
  }

  /** A uniform number in [0, 1) for event n and a field. */
  u(n: number, field: number): number {
    return ufield(this.base(n), field);
  }

  /** Fills `draws` with event n's uniform numbers for the fields in `mask`. */
  private draw(n: number, mask: number): void {
    const b = this.base(n);
    const d = this.draws;
    for (let f = 1; f < FIELDS; f++) {
      if ((mask & (1 << f)) === 0) continue;
      let h = b ^ Math.imul(f, 0x165667b1); // fmix32, inlined
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      d[f] = (h >>> 0) / 4294967296;
    }
  }

  kindOf(n: number): number {
    const r = n % this.total;
    if (r < this.cfg.personProportion) return KIND_PERSON;
    return r < this.cfg.personProportion + this.cfg.auctionProportion ? KIND_AUCTION : KIND_BID;
  }

  timeUs(n: number): number {
    return n * this.usPerEvent;
  }

  /** The newest person id at event n (its own id for a person event). */
  lastPerson(n: number): number {
    const { personProportion: p } = this.cfg;
    const epoch = Math.floor(n / this.total);
    const r = n % this.total;
    return epoch * p + (r < p ? r : p - 1);
  }

  /** The newest auction id at event n (its own for an auction event; −1 before any). */
  lastAuction(n: number): number {
    const { personProportion: p, auctionProportion: a } = this.cfg;
    let epoch = Math.floor(n / this.total);
    let r = n % this.total;
    if (r < p) { epoch--; r = a - 1; } else if (r >= p + a) r = a - 1; else r -= p;
    return epoch * a + r;
  }

  /** The event that creates person `id`. */
  personEvent(id: number): number {
    const p = this.cfg.personProportion;
    return Math.floor(id / p) * this.total + (id % p);
  }

  /** The event that creates auction `id`. */
  auctionEvent(id: number): number {
    const a = this.cfg.auctionProportion;
    return Math.floor(id / a) * this.total + this.cfg.personProportion + (id % a);
  }

  /** Nexmark's nextBase0PersonId: one of the active people or a few lead ids. */
  private randomPerson(n: number, field: number): number {
    const numPeople = this.lastPerson(n) + 1;
    const active = Math.min(numPeople, this.cfg.numActivePeople);
    return numPeople - active + Math.floor(this.draws[field]! * (active + ID_LEAD));
  }

  // The accessors below go through `draws` (and return small integers or booleans) so
  // that no hash or time value crosses a call boxed.

  /** Category index (0 = Nexmark's category 10) of auction `id`. */
  auctionCategory(id: number): number {
    this.draw(this.auctionEvent(id), 1 << F_CATEGORY);
    return Math.floor(this.draws[F_CATEGORY]! * NUM_CATEGORIES);
  }

  /** State index of person `id`. */
  personState(id: number): number {
    this.draw(this.personEvent(id), 1 << F_CATEGORY);
    return Math.floor(this.draws[F_CATEGORY]! * US_STATES.length);
  }

  /** True when event n is no later than auction `id` expires. */
  beforeExpiry(id: number, n: number): boolean {
    const a = this.auctionEvent(id);
    this.draw(a, 1 << F_EXPIRES);
    const horizonUs = this.horizonEvents * this.usPerEvent;
    return n * this.usPerEvent <= a * this.usPerEvent + 1000 + Math.floor(this.draws[F_EXPIRES]! * Math.max(2 * horizonUs, 1));
  }

  /** Expiry time of auction `id`, µs. */
  auctionExpiresUs(id: number): number {
    const n = this.auctionEvent(id);
    this.draw(n, 1 << F_EXPIRES);
    const horizonUs = this.horizonEvents * this.usPerEvent;
    return this.timeUs(n) + 1000 + Math.floor(this.draws[F_EXPIRES]! * Math.max(2 * horizonUs, 1));
  }

  /** Fills `ev` with event n. */
  at(n: number, ev: NexmarkEvent): void {
    ev.n = n;
    ev.kind = this.kindOf(n);
    this.draw(n, ev.kind === KIND_PERSON ? PERSON_FIELDS : ev.kind === KIND_AUCTION ? AUCTION_FIELDS : BID_FIELDS);
    const d = this.draws;
    ev.timeUs = this.timeUs(n);
    ev.channelBytes = 0;
    if (ev.kind === KIND_PERSON) {
      ev.person = this.lastPerson(n);
      ev.state = Math.floor(d[F_CATEGORY]! * US_STATES.length);
      ev.extraBytes = PERSON_EXTRA_MIN + Math.floor(d[F_EXTRA]! * PERSON_EXTRA_SPAN);
      ev.rowBytes = PERSON_ROW_FIXED + ev.extraBytes;
    } else if (ev.kind === KIND_AUCTION) {
      ev.auction = this.lastAuction(n);
      const lastP = this.lastPerson(n);
      ev.seller = d[F_HOT1]! < this.hotSellerP
        ? Math.floor(lastP / HOT_BLOCK) * HOT_BLOCK
        : this.randomPerson(n, F_ID1);
      ev.category = Math.floor(d[F_CATEGORY]! * NUM_CATEGORIES);
      ev.priceCode = Math.floor(d[F_PRICE]! * PRICE_CODES);
      const horizonUs = this.horizonEvents * this.usPerEvent;
      ev.expiresUs = ev.timeUs + 1000 + Math.floor(d[F_EXPIRES]! * Math.max(2 * horizonUs, 1));
      ev.extraBytes = AUCTION_EXTRA_MIN + Math.floor(d[F_EXTRA]! * AUCTION_EXTRA_SPAN);
      ev.rowBytes = AUCTION_ROW_FIXED + ev.extraBytes;
    } else {
      const lastA = this.lastAuction(n);
      if (d[F_HOT1]! < this.hotAuctionP) {
        ev.auction = Math.floor(lastA / HOT_BLOCK) * HOT_BLOCK;
      } else {
        const min = Math.max(lastA - this.cfg.numInFlightAuctions, 0);
        ev.auction = min + Math.floor(d[F_ID1]! * (lastA - min + 1 + ID_LEAD));
      }
      const lastP = this.lastPerson(n);
      ev.bidder = d[F_HOT2]! < this.hotBidderP
        ? Math.floor(lastP / HOT_BLOCK) * HOT_BLOCK + 1
        : this.randomPerson(n, F_ID2);
      ev.priceCode = Math.floor(d[F_PRICE]! * PRICE_CODES);
      ev.channelBytes = d[F_CHANNEL]! < 0.5 ? 0 : 16;
      ev.extraBytes = BID_EXTRA_MIN + Math.floor(d[F_EXTRA]! * BID_EXTRA_SPAN);
      ev.rowBytes = BID_ROW_FIXED + ev.channelBytes + ev.extraBytes;
    }
  }
}
