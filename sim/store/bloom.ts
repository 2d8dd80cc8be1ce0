/**
 * A real bloom filter over integer keys in the layout of RocksDB's FastLocalBloom
 * (format_version ≥ 5, what ForSt writes): the filter is cut into 512-bit cache
 * lines, one hash picks a key's line and a second sets k bits inside it. A probe
 * touches one cache line, and its false positives come from the hashing, so the
 * simulated I/O saved or wasted by filters is what a real filter of that size gives.
 */

/** 32-bit words per cache line (512 bits). */
const LINE_WORDS = 16;

/**
 * Probes per key for a bits-per-key setting: RocksDB's FastLocalBloomImpl::ChooseNumProbes,
 * the most accurate count for a cache-local filter (6 at 10 bits/key, 9 at 16).
 */
export function bloomProbes(bitsPerKey: number): number {
  const millibits = Math.round(bitsPerKey * 1000);
  const steps = [2080, 3580, 5100, 6640, 8300, 10070, 11720, 14001, 16050, 18300, 22001, 25501];
  for (let i = 0; i < steps.length; i++) if (millibits <= steps[i]!) return i + 1;
  return millibits > 50000 ? 24 : Math.floor((millibits - 1) / 2000) - 1;
}

/** 32-bit words for n keys: whole cache lines, at least one. */
export function bloomWords(n: number, bitsPerKey: number): number {
  return Math.max(1, Math.ceil((n * bitsPerKey) / 512)) * LINE_WORDS;
}

/** The textbook false-positive rate (1 - e^{-k/b})^k of a standard filter with b bits per key. */
export function standardFpr(bitsPerKey: number, k: number): number {
  return (1 - Math.exp(-k / bitsPerKey)) ** k;
}

/**
 * The expected false-positive rate of a cache-local filter (RocksDB's
 * BloomMath::CacheLocalFpRate): keys per line vary, so it averages the standard
 * rate at one standard deviation of line occupancy above and below the mean.
 */
export function cacheLocalFpr(bitsPerKey: number, k: number): number {
  const keysPerLine = 512 / bitsPerKey;
  const sd = Math.sqrt(keysPerLine);
  return (standardFpr(512 / (keysPerLine + sd), k) + standardFpr(512 / (keysPerLine - sd), k)) / 2;
}

/** Seeds of the two hashes: LevelDB's bloom seed picks the line, another the bits in it. */
const LINE_SEED = 0xbc9f1d34;
const BITS_SEED = 0x2545f491;

/**
 * MurmurHash3 (x86, 32-bit) of the key's 8 little-endian bytes: both 32-bit halves
 * of a 53-bit key are mixed in, so keys that differ only in high bits spread too.
 * Two seeds give two independent hashes.
 */
export function hashKey(key: number, seed = LINE_SEED): number {
  let h = murmurRound(seed, key >>> 0);
  h = murmurRound(h, (key / 4294967296) >>> 0);
  h ^= 8;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function murmurRound(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

// The line: hashKey mapped onto [0, lines) by multiplication (Lemire's fastrange, as
// RocksDB's FastRange32). The bits: the top 9 bits of the second hash, multiplied by the golden
// ratio between probes (AddHashPrepared).

/** First word of the key's line in `bits`. */
function lineOf(bits: Uint32Array, key: number): number {
  return Math.floor((hashKey(key) / 4294967296) * (bits.length / LINE_WORDS)) * LINE_WORDS;
}

/** Sets the key's k bits in `bits` (a whole number of 16-word lines). */
export function bloomAdd(bits: Uint32Array, k: number, key: number): void {
  const line = lineOf(bits, key);
  let h = hashKey(key, BITS_SEED);
  for (let j = 0; j < k; j++) {
    const bit = h >>> 23;
    bits[line + (bit >>> 5)]! |= 1 << (bit & 31);
    h = Math.imul(h, 0x9e3779b9);
  }
}

/** Adds every key of `keys`. */
export function bloomAddAll(bits: Uint32Array, k: number, keys: Float64Array): void {
  for (let i = 0; i < keys.length; i++) bloomAdd(bits, k, keys[i]!);
}

/** False only if the key was never added. */
export function bloomMayContain(bits: Uint32Array, k: number, key: number): boolean {
  const line = lineOf(bits, key);
  let h = hashKey(key, BITS_SEED);
  for (let j = 0; j < k; j++) {
    const bit = h >>> 23;
    if ((bits[line + (bit >>> 5)]! & (1 << (bit & 31))) === 0) return false;
    h = Math.imul(h, 0x9e3779b9);
  }
  return true;
}

/** A filter over a known number of keys, when not embedded in an SST's buffer. */
export class BloomFilter {
  readonly bits: Uint32Array;
  readonly k: number;

  constructor(expectedKeys: number, bitsPerKey = 10) {
    this.bits = new Uint32Array(bloomWords(expectedKeys, bitsPerKey));
    this.k = bloomProbes(bitsPerKey);
  }

  get numBits(): number { return this.bits.length * 32; }
  add(key: number): void { bloomAdd(this.bits, this.k, key); }
  mayContain(key: number): boolean { return bloomMayContain(this.bits, this.k, key); }
}
