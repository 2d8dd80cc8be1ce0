import { InputError } from './errors.ts';

// Sizes follow Flink's MemorySize and libCacheSim: every unit is binary, so
// "4KB", "4KiB" and "4k" all mean 4096 bytes.
const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10,
  m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20,
  g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30,
  t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40,
};

const SIZE_RE = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-zA-Z]*)\s*$/;

/** Parses "4KiB", "64MiB", "1.5GiB", "4096" into bytes (an integer). */
export function parseSize(text: string | number, what = 'size'): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new InputError(`${what}: ${text} is not a size in bytes (must be >= 0)`);
    return Math.round(text);
  }
  const m = SIZE_RE.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    const hint = text.trim().startsWith('-') ? ' (must be >= 0)' : ' (expected e.g. 4096, 4KiB, 64MiB, 1GiB)';
    throw new InputError(`${what}: '${text}' is not a size${hint}`);
  }
  return Math.round(Number(m[1]) * unit);
}

const TIME_UNITS: Record<string, number> = {
  ns: 1e-3, us: 1, 'µs': 1, ms: 1e3, s: 1e6, min: 60e6, m: 60e6, h: 3600e6,
};
const TIME_RE = /^\s*(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(ns|us|µs|ms|s|min|m|h)\s*$/;

/** Parses "68us", "1.5ms", "2s" into microseconds. A bare number is microseconds. */
export function parseDuration(text: string | number, what = 'duration'): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new InputError(`${what}: ${text} is not a duration (must be >= 0)`);
    return text;
  }
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Number(text);
  const m = TIME_RE.exec(text);
  if (!m) throw new InputError(`${what}: '${text}' is not a duration (expected e.g. 68us, 1.5ms, 2s)`);
  return Number(m[1]) * TIME_UNITS[m[2]!]!;
}

/** Formats bytes for people: 4 KiB, 64 MiB, 1.5 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  const text = Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1);
  return `${text} ${units[i]}`;
}

/** A share as a percentage for people: 0.4 → "40%", 0.125 → "12.5%". */
export function formatShare(share: number): string {
  return `${+(share * 100).toFixed(4)}%`;
}

/** Formats microseconds for people: 68 µs, 1.50 ms, 2.00 s. */
export function formatDuration(us: number): string {
  if (us < 1000) return `${us.toFixed(us < 10 ? 2 : 0)} µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(2)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}
