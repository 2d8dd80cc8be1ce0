/**
 * Every local-disk cache policy, one line each: name → factory(options) → PolicyFactory.
 * Options are checked when the factory is made, so a bad config fails before the run.
 */
import { z } from 'zod';
import { InputError } from '../sim/errors.ts';
import type { PolicyFactory } from '../sim/local-cache.ts';
import { adaptiveCache } from './adaptive.ts';
import { blockCache } from './block.ts';
import { fileCache } from './file.ts';
import { noneCache } from './none.ts';
import { parsePolicyOptions } from './options.ts';

export const POLICIES: Readonly<Record<string, (options?: unknown) => PolicyFactory>> = {
  none: (o) => Object.assign(() => noneCache(), { options: parsePolicyOptions('none', z.object({}).strict(), {}, o) }),
  file: fileCache,
  block: blockCache,
  adaptive: adaptiveCache,
};

export const POLICY_NAMES = Object.keys(POLICIES);

/** The factory of policy `name` with `options`, or an InputError naming the known policies. */
export function makePolicy(name: string, options?: unknown): PolicyFactory {
  const key = name.trim().toLowerCase();
  if (!Object.hasOwn(POLICIES, key)) {
    throw new InputError(`unknown local cache policy '${name}' (known: ${POLICY_NAMES.join(', ')})`);
  }
  return POLICIES[key]!(options);
}
