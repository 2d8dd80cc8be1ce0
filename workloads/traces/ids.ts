/**
 * Object ids are JavaScript numbers, exact below 2^53. Wider ids (u64 in the binary
 * formats, long numbers in text, non-numeric keys) are folded into 53 bits by a hash:
 * deterministic, so the same id always gives the same number, and distinct ids
 * collide only with the odds of a 53-bit hash (about n^2 / 2^54 for n ids).
 */

const TWO32 = 4294967296;

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 53-bit number from two 32-bit words. */
function fold(a: number, b: number): number {
  const h1 = mix32(a ^ mix32(b ^ 0x9e3779b9));
  const h2 = mix32(b ^ mix32(a ^ 0x7f4a7c15) ^ 0x27d4eb2f);
  return (h1 & 0x1fffff) * TWO32 + h2;
}

/** The id of an unsigned 64-bit value given as its high and low 32-bit words. */
export function idFromU64(hi: number, lo: number): number {
  if (hi < 0x200000) return hi * TWO32 + lo;
  return fold(hi, lo);
}

/** The id of a decimal integer too long to be exact as a number. */
export function idFromBigDecimal(digits: string): number {
  const v = BigInt(digits);
  if (v < 2n ** 53n) return Number(v);
  const lo = Number(v & 0xffffffffn);
  const hi = Number((v >> 32n) & 0xffffffffn);
  const top = Number(v >> 64n) >>> 0; // beyond u64: fold the rest in too
  return fold(hi ^ mix32(top), lo);
}

/** The id of a non-numeric key: FNV-1a over its bytes, widened to 53 bits. */
export function idFromBytes(buf: Uint8Array, start: number, end: number): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return fold(a >>> 0, b >>> 0);
}
