/**
 * Seeded random streams. Every component derives its own stream from the run's
 * seed and its own name, so adding a component never shifts another's numbers.
 */

/**
 * xoroshiro128+ with the same steps and output as pure-rand's (tested against it),
 * without its indirections, and with a state that can be set again: a keyed stream
 * per event reuses one generator instead of allocating one.
 */
export class Xoroshiro128Plus {
  private s01 = 0;
  private s00 = 1;
  private s11 = 0;
  private s10 = 0;

  /** The state pure-rand's xoroshiro128plusFromState([s01, s00, s11, s10]) starts from. */
  setState(s01: number, s00: number, s11: number, s10: number): void {
    this.s01 = s01 | 0;
    this.s00 = s00 | 0;
    this.s11 = s11 | 0;
    this.s10 = s10 | 0;
  }

  next(): number {
    const out = (this.s00 + this.s10) | 0;
    const a0 = this.s10 ^ this.s00;
    const a1 = this.s11 ^ this.s01;
    const s00 = this.s00;
    const s01 = this.s01;
    this.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    this.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    this.s10 = (a1 << 5) ^ (a0 >>> 27);
    this.s11 = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }
}

/** 32-bit FNV-1a of a string: turns a component name into a number. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One step of splitmix32: a good 32-bit mixer for deriving seeds. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export class Rng {
  private readonly gen = new Xoroshiro128Plus();

  /** Only a rekeyable stream may be keyed: keying an ordinary one would break its sequence. */
  private constructor(private readonly rekeyableStream: boolean) {}

  /** The stream named `name` of the run with seed `seed`. */
  static stream(seed: number, name: string): Rng {
    const h = hashName(name);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    const a = mix32(lo ^ h);
    const b = mix32(a ^ hi);
    const c = mix32(b ^ 0x5bd1e995);
    const d = mix32(c ^ h);
    // xoroshiro must not start from the all-zero state. The generator is pure-rand's
    // xoroshiro128plusFromState([a, b | 1, c, d]), step for step, without its
    // indirections (a draw is twice as fast).
    const rng = new Rng(false);
    rng.gen.setState(a, b | 1, c, d);
    return rng;
  }

  /**
   * A stream to be keyed again and again (keyed): one per family of keyed events,
   * so that a keyed event allocates nothing.
   */
  static rekeyable(): Rng {
    return new Rng(true);
  }

  /**
   * Makes this (rekeyable) stream the stream of one keyed event, deterministic in
   * (base, key, n) alone: the n-th event with `key` draws the same numbers in every run
   * that has it, whatever else the run did before (common random numbers). `base`
   * comes from keyBase.
   */
  keyed(base: number, key: number, n: number): this {
    if (!this.rekeyableStream) throw new TypeError('Rng.keyed: not a rekeyable stream (Rng.rekeyable)');
    const a = mix32(base ^ (key >>> 0));
    const b = mix32(a ^ (Math.floor(key / 2 ** 32) >>> 0));
    const c = mix32(b ^ n);
    const d = mix32(c ^ 0x5bd1e995);
    this.gen.setState(a, b | 1, c, d);
    return this;
  }

  /** The base of a family of keyed streams of the run with seed `seed`. */
  static keyBase(seed: number, name: string): number {
    return mix32(mix32((seed >>> 0) ^ hashName(name)) ^ (Math.floor(seed / 2 ** 32) >>> 0));
  }

  /** A child stream: deterministic in this stream's seed and the child's name, not in draw order. */
  static child(parentSeed: number, parentName: string, name: string): Rng {
    return Rng.stream(parentSeed, `${parentName}/${name}`);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), n ≤ 2^53. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Standard normal (Box–Muller; the second value is dropped to keep the stream simple). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
