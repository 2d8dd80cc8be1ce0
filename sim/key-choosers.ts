/**
 * Integer key choosers, after YCSB's generators (core/src/main/java/site/ycsb/generator):
 * uniform, zipfian (Gray et al., "Quickly generating billion-record synthetic databases"),
 * scrambled zipfian, hotspot and skewed-latest. All return keys in [0, n).
 */
import { InputError } from './errors.ts';
import type { Rng } from './random.ts';

export interface KeyChooser {
  next(rng: Rng): number;
}

export class UniformKeys implements KeyChooser {
  constructor(readonly n: number) {
    if (!(n >= 1)) throw new InputError(`uniform keys: item count ${n} must be at least 1`);
  }
  next(rng: Rng): number { return rng.int(this.n); }
}

/**
 * ζ(n, θ) = Σ_{i=1..n} i^-θ. Summed exactly for the first million terms and by the
 * Euler–Maclaurin formula for the tail, so that n = 10^10 (YCSB's scrambled item
 * count) costs milliseconds instead of minutes.
 */
export function zeta(n: number, theta: number): number {
  const exact = Math.min(n, 1_000_000);
  let sum = 0;
  for (let i = exact; i >= 1; i--) sum += Math.pow(i, -theta); // small terms first
  if (n === exact) return sum;
  const a = exact; // tail Σ_{i=a+1..n} f(i), f(x) = x^-θ
  const f = (x: number) => Math.pow(x, -theta);
  const integral = (Math.pow(n, 1 - theta) - Math.pow(a, 1 - theta)) / (1 - theta);
  const fp = (x: number) => -theta * Math.pow(x, -theta - 1);
  return sum + integral + (f(n) - f(a)) / 2 + (fp(n) - fp(a)) / 12;
}

/** YCSB ZipfianGenerator: item i (0-based) has probability ∝ (i+1)^-θ. */
export class ZipfianKeys implements KeyChooser {
  readonly alpha: number;
  readonly zetan: number;
  readonly eta: number;
  private readonly half: number;

  constructor(readonly n: number, readonly theta = 0.99, zetan?: number) {
    if (!(n >= 1)) throw new InputError(`zipfian keys: item count ${n} must be at least 1`);
    if (!(theta > 0 && theta < 1)) {
      throw new InputError(`zipfian keys: theta ${theta} is outside (0, 1); YCSB's generator is undefined at theta = 1`);
    }
    this.zetan = zetan ?? zeta(n, theta);
    const zeta2 = zeta(2, theta);
    this.alpha = 1 / (1 - theta);
    this.eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / this.zetan);
    this.half = 1 + Math.pow(0.5, theta);
  }

  next(rng: Rng): number {
    const u = rng.next();
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < this.half) return 1;
    const v = Math.floor(this.n * Math.pow(this.eta * u - this.eta + 1, this.alpha));
    return v < this.n ? v : this.n - 1;
  }

  /** Probability of the item of rank r (0-based): the analytic value tests compare with. */
  probability(rank: number): number {
    return Math.pow(rank + 1, -this.theta) / this.zetan;
  }
}

// YCSB's scrambled zipfian draws from a zipfian over 10^10 items and hashes the result,
// so that popular items are spread over the key space.
const SCRAMBLED_ITEMS = 10_000_000_000;
const SCRAMBLED_ZETAN_099 = 26.46902820178302; // YCSB's precomputed ζ(10^10, 0.99)

export class ScrambledZipfianKeys implements KeyChooser {
  private readonly zipf: ZipfianKeys;
  constructor(readonly n: number, theta = 0.99) {
    this.zipf = new ZipfianKeys(SCRAMBLED_ITEMS, theta, theta === 0.99 ? SCRAMBLED_ZETAN_099 : undefined);
    if (!(n >= 1)) throw new InputError(`scrambled zipfian keys: item count ${n} must be at least 1`);
  }
  next(rng: Rng): number {
    return fnvHash64Mod(this.zipf.next(rng), this.n);
  }
}

/**
 * YCSB's Utils.fnvhash64(v) % n for 0 ≤ v < 2^53, n < 2^37, computed in 32-bit halves
 * (FNV-1a over the 8 little-endian bytes, then Math.abs of the signed 64-bit result).
 * Integer operations only: the product by the FNV prime 2^40 + 0x1b3 keeps its low
 * word with Math.imul and its carry from 16-bit halves.
 */
export function fnvHash64Mod(v: number, n: number): number {
  let lo = 0x84222325; // offset basis 0xCBF29CE484222325
  let hi = 0xcbf29ce4;
  let vlo = v >>> 0;
  let vhi = (v / 4294967296) >>> 0;
  for (let i = 0; i < 8; i++) {
    const octet = vlo & 0xff;
    vlo = (vlo >>> 8) | ((vhi & 0xff) << 24);
    vhi >>>= 8;
    lo = (lo ^ octet) >>> 0;
    // (hi·2^32 + lo) · (2^40 + 0x1b3) mod 2^64
    const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16;
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = Math.imul(lo, 0x1b3) >>> 0;
  }
  if (hi & 0x80000000) { // Math.abs of a negative two's-complement value
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  // (hi·2^32 + lo) mod n, 16 bits at a time, every intermediate an exact double
  if (n > 68719476736) { // n > 2^36: modExact's products could pass 2^53
    let r = hi % n;
    r = (r * 65536 + (lo >>> 16)) % n;
    return (r * 65536 + (lo & 0xffff)) % n;
  }
  let r = modExact(hi, n);
  r = modExact(r * 65536 + (lo >>> 16), n);
  return modExact(r * 65536 + (lo & 0xffff), n);
}

/**
 * x mod n for integers 0 ≤ x < 2^52 + 2^16 and 0 < n ≤ 2^36, by a division instead of
 * `%`, which V8 computes with fmod (several times slower): the quotient may round up
 * by one, and q·n ≤ x + n stays below 2^53, so the remainder is exact and one
 * correction fixes it.
 */
function modExact(x: number, n: number): number {
  const r = x - Math.floor(x / n) * n;
  return r < 0 ? r + n : r;
}

/** YCSB HotspotIntegerGenerator: a fraction of operations go to a hot set at the start of the range. */
export class HotspotKeys implements KeyChooser {
  private readonly hotCount: number;
  constructor(readonly n: number, readonly hotSetFraction = 0.2, readonly hotOpFraction = 0.8) {
    if (!(hotSetFraction >= 0 && hotSetFraction <= 1)) throw new InputError(`hotspot keys: hot set fraction ${hotSetFraction} is outside [0, 1]`);
    if (!(hotOpFraction >= 0 && hotOpFraction <= 1)) throw new InputError(`hotspot keys: hot operation fraction ${hotOpFraction} is outside [0, 1]`);
    this.hotCount = Math.max(1, Math.floor(n * hotSetFraction));
  }
  next(rng: Rng): number {
    if (rng.next() < this.hotOpFraction || this.hotCount >= this.n) return rng.int(this.hotCount);
    return this.hotCount + rng.int(this.n - this.hotCount);
  }
}

/**
 * YCSB SkewedLatestGenerator: recent keys are popular. `latest` is the newest key
 * inserted so far; the workload advances it as it inserts.
 */
export class LatestKeys implements KeyChooser {
  private zipf: ZipfianKeys;
  latest: number;
  constructor(n: number, readonly theta = 0.99) {
    this.latest = n - 1;
    this.zipf = new ZipfianKeys(Math.max(1, n), theta);
  }
  /** Call when a new key has been inserted; the zipfian grows with the key count like YCSB's. */
  advance(latest: number): void {
    this.latest = latest;
    const count = latest + 1;
    // ζ is incremental in YCSB; here we rebuild rarely (when the count has grown 1%).
    if (count > this.zipf.n * 1.01) this.zipf = new ZipfianKeys(count, this.theta);
  }
  next(rng: Rng): number {
    const off = this.zipf.next(rng) % (this.latest + 1);
    return this.latest - off;
  }
}
