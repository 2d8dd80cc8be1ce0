/**
 * Resolves a device flag: a preset name (nvme, hdfs, oss, s3, s3-express, memory) or
 * the path of a JSON/YAML device file such as `tiersim calibrate` writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../sim/errors.ts';
import { deviceSpec, type DeviceSpec } from '../../sim/device.ts';
import { PRESETS, PRESET_NAMES } from '../../sim/presets.ts';
import { zodMessage } from './zod-message.ts';

export function resolveDevice(nameOrPath: string, flag = '--device'): DeviceSpec {
  const preset = PRESETS[nameOrPath];
  if (preset) return preset;
  if (!/[./\\]/.test(nameOrPath) || !existsSync(nameOrPath)) {
    throw new InputError(`${flag}: unknown device '${nameOrPath}' (presets: ${PRESET_NAMES.join(', ')}; or a path to a device file)`);
  }
  const text = readFileSync(nameOrPath, 'utf8');
  let data: unknown;
  try {
    data = nameOrPath.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new InputError(`${nameOrPath}: not valid ${nameOrPath.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = deviceSpec.safeParse(data);
  if (!parsed.success) throw new InputError(`${nameOrPath}: ${zodMessage(parsed.error)}`);
  return parsed.data;
}
