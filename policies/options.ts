/**
 * Options of the local-disk cache policies. A policy takes a plain object (from a
 * config file or flags); keys may be Flink's own names
 * (`state.backend.forst.cache.size-based-limit`) or tiersim's short ones (`sizeLimit`).
 * Both spellings end in one validated object; an unknown key or a bad value is an
 * InputError that names the key as the user wrote it.
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import { parseSize } from '../sim/units.ts';

/** A size as bytes or text ("256MiB", binary units as Flink's MemorySize); becomes bytes. */
export const sizeOption = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return parseSize(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^size: /, '') });
    return z.NEVER;
  }
});

/**
 * Validates `raw` against `schema` after renaming long keys through `aliases`
 * (long name → short name). Giving both names of one option is an error.
 */
export function parsePolicyOptions<S extends z.ZodObject>(
  policy: string,
  schema: S,
  aliases: Readonly<Record<string, string>>,
  raw: unknown,
): z.output<S> {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new InputError(`policy '${policy}': options must be an object of key: value`);
  }
  const shortKeys = Object.keys(schema.shape);
  const userKey = new Map<string, string>(); // short name → the key as written
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const short = aliases[key] ?? key;
    if (!shortKeys.includes(short)) {
      const known = shortKeys.flatMap((k) => [k, ...Object.keys(aliases).filter((a) => aliases[a] === k)]);
      throw new InputError(`policy '${policy}': unknown option '${key}' (known: ${known.join(', ')})`);
    }
    const earlier = userKey.get(short);
    if (earlier !== undefined) {
      throw new InputError(`policy '${policy}': option '${key}' given twice (also as '${earlier}')`);
    }
    userKey.set(short, key);
    renamed[short] = value;
  }
  const parsed = schema.safeParse(renamed);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const short = String(issue.path[0] ?? '');
    const key = userKey.get(short) ?? short;
    throw new InputError(`policy '${policy}': option ${key}: ${issue.message}`);
  }
  return parsed.data;
}
