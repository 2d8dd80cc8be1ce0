/** Reads a run config file (JSON or YAML) and validates it with messages that name the field. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../sim/errors.ts';
import { runConfig, type RunConfig } from './config.ts';
import { zodMessage } from './zod-message.ts';

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`--config: cannot read '${path}'`);
  }
  let data: unknown;
  try {
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(`${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new InputError(`${path}: expected a mapping of settings at the top level`);
  return data as Record<string, unknown>;
}

export function validateConfig(data: Record<string, unknown>, where: string): RunConfig {
  const parsed = runConfig.safeParse(data);
  if (!parsed.success) throw new InputError(`${where}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}
