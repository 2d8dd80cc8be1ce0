/**
 * Helpers shared by the synthetic workloads (ycsb.ts, wordcount.ts, phase.ts):
 * parameter validation into one-line InputErrors, YCSB's "hashed" key order as a
 * bijection, and a size parameter ("4GiB" or bytes).
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import { parseSize } from '../sim/units.ts';

/**
 * Parses a workload's parameters with its schema; a failure is one InputError line
 * `workload NAME: field: message`, or for a misspelt parameter `workload NAME:
 * unknown parameter(s) x (known: ...)`. The registry, a sweep's grid and a workload
 * built directly all fail through it, in the same words.
 */
export function parseWorkloadParams<S extends z.ZodType>(workload: string, schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const known = schema instanceof z.ZodObject ? ` (known: ${Object.keys(schema.shape).join(', ')})` : '';
  const what = issue.code === 'unrecognized_keys'
    ? `unknown parameter(s) ${issue.keys.join(', ')}${known}`
    : `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
  throw new InputError(`workload ${workload}: ${what}`);
}

/** Runs `build` (a key chooser's constructor, say) and prefixes its InputError with the workload's name. */
export function withWorkloadName<T>(workload: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`workload ${workload}: ${err.message}`);
    throw err;
  }
}

/** A θ parameter: YCSB's zipfian is defined for 0 < θ < 1 only (ζ's closed forms divide by 1 − θ). */
export const thetaField = z.number()
  .gt(0, { message: 'must be in (0, 1): YCSB\'s zipfian generator is undefined outside it (and at θ = 1)' })
  .lt(1, { message: 'must be in (0, 1): YCSB\'s zipfian generator is undefined outside it (and at θ = 1)' });

/** A count parameter: a positive integer. */
export const countField = (max = 2 ** 40) => z.number()
  .int({ message: 'must be a positive integer' })
  .positive({ message: 'must be a positive integer' })
  .max(max, { message: `must be at most ${max}` });

/** A size as bytes or text ("4GiB"); becomes bytes. */
export const sizeParam = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    const bytes = parseSize(v);
    if (bytes <= 0) {
      ctx.addIssue({ code: 'custom', message: 'must be more than 0 bytes' });
      return z.NEVER;
    }
    return bytes;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^size: /, '') });
    return z.NEVER;
  }
});

const MASK26 = 0x3ffffff;
const TWO26 = 67108864;
const ROUND_KEYS = [0x9e3779b9, 0x7f4a7c15, 0x85ebca6b, 0xc2b2ae35];

function round26(x: number, k: number): number {
  let h = Math.imul(x ^ k, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & MASK26;
}

/**
 * YCSB's insertorder=hashed: the n-th inserted key is not n but a scramble of it, so
 * keys inserted one after another land all over the key space (YCSB hashes the
 * number with FNV-1a 64 and prints it after "user"). Here a 4-round Feistel network
 * on two 26-bit halves: a bijection of [0, 2^52), so distinct numbers stay distinct
 * keys and every key is an exact double below 2^53.
 */
export function hashedKey(n: number): number {
  let l = Math.floor(n / TWO26) & MASK26;
  let r = n % TWO26;
  for (let i = 0; i < 4; i++) {
    const t = l ^ round26(r, ROUND_KEYS[i]!);
    l = r;
    r = t;
  }
  return l * TWO26 + r;
}

/** The inverse of hashedKey (tests, and turning a key back into its insertion number). */
export function unhashKey(key: number): number {
  let l = Math.floor(key / TWO26) & MASK26;
  let r = key % TWO26;
  for (let i = 3; i >= 0; i--) {
    const t = r ^ round26(l, ROUND_KEYS[i]!);
    r = l;
    l = t;
  }
  return l * TWO26 + r;
}
