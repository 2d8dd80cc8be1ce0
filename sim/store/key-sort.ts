/**
 * Argsort of a memtable's new keys: the positions of keys[from, to) in key order.
 *
 * Sorting the keys and then finding each one's slot in the memtable's hash table
 * costs a table probe per key, and the table of a memtable of small values (hundreds
 * of thousands of keys) is larger than the processor's caches: the probes, not the
 * sort, were most of a flush's sort. A least-significant-digit radix sort carries
 * each key's position along instead, in passes over 11-bit digits of the key's
 * IEEE-754 bits (mapped so that unsigned order is numeric order); a digit that is the
 * same in every key is skipped. Keys are distinct (one slot per key), so ties do not
 * arise; -0 sorts before 0, as Float64Array.prototype.sort puts it.
 */

const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const MASK = BUCKETS - 1;
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Scratch buffers, grown to the largest sort so far (sorts never nest). */
class Scratch {
  lo = new Uint32Array(0);
  hi = new Uint32Array(0);
  pos = new Uint32Array(0);
  lo2 = new Uint32Array(0);
  hi2 = new Uint32Array(0);
  pos2 = new Uint32Array(0);
  readonly counts = new Uint32Array(BUCKETS);

  ensure(n: number): void {
    if (this.lo.length >= n) return;
    const cap = Math.max(n, this.lo.length * 2);
    this.lo = new Uint32Array(cap); this.hi = new Uint32Array(cap); this.pos = new Uint32Array(cap);
    this.lo2 = new Uint32Array(cap); this.hi2 = new Uint32Array(cap); this.pos2 = new Uint32Array(cap);
  }
}
const scratch = new Scratch();

/**
 * Writes from + i for the keys[from + i], i in [0, to - from), into dst in ascending
 * key order; returns their number. Keys must be distinct and not NaN.
 */
export function sortKeyPositions(keys: Float64Array, from: number, to: number, dst: Uint32Array): number {
  const n = to - from;
  if (n <= 0) return 0;
  scratch.ensure(n);
  const words = new Uint32Array(keys.buffer, keys.byteOffset + 8 * from, 2 * n);
  const lw = LITTLE ? 0 : 1;
  const hw = 1 - lw;
  let sLo = scratch.lo, sHi = scratch.hi, sPos = scratch.pos;
  let dLo = scratch.lo2, dHi = scratch.hi2, dPos = scratch.pos2;
  const counts = scratch.counts;
  // Sortable bits: a non-negative double's bits with the sign set, a negative's inverted.
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + hw]!;
    const l = words[2 * i + lw]!;
    if (h >= 0x80000000) { sHi[i] = ~h >>> 0; sLo[i] = ~l >>> 0; } else { sHi[i] = h + 0x80000000; sLo[i] = l; }
    sPos[i] = from + i;
  }
  // Six digits: bits 0, 11 and 22 on of the low word, then of the high word (the top
  // digit of each word has 10 bits).
  for (let d = 0; d < 6; d++) {
    const shift = (d % 3) * DIGIT_BITS;
    const src = d >= 3 ? sHi : sLo;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & MASK]!++;
    if (counts[(src[0]! >>> shift) & MASK] === n) continue; // the same digit everywhere
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) { const c = counts[b]!; counts[b] = sum; sum += c; }
    if (d < 3) {
      for (let i = 0; i < n; i++) {
        const at = counts[(src[i]! >>> shift) & MASK]!++;
        dLo[at] = sLo[i]!;
        dHi[at] = sHi[i]!;
        dPos[at] = sPos[i]!;
      }
      const t = sLo; sLo = dLo; dLo = t;
    } else {
      // The low word's digits are done: it need not move any more.
      for (let i = 0; i < n; i++) {
        const at = counts[(src[i]! >>> shift) & MASK]!++;
        dHi[at] = sHi[i]!;
        dPos[at] = sPos[i]!;
      }
    }
    let t = sHi; sHi = dHi; dHi = t;
    t = sPos; sPos = dPos; dPos = t;
  }
  dst.set(sPos.subarray(0, n));
  return n;
}
