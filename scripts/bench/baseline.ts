/**
 * A bench run held against an earlier one (`tiersim bench --baseline FILE`): each
 * figure beside the same figure of the baseline's bench.json, its change, and whether
 * its value (the median, with --repeat) left the range the baseline's runs spread
 * over. A figure with a target has a better direction (up for `>=`, down for `<=`);
 * it has regressed when every run of it is worse than every run of the baseline: a
 * median alone leaves a range of three by chance too often on these hosts (two of 14
 * target figures did, the simulator unchanged, on 2026-12-08), while three runs all
 * below three others happen by chance once in twenty. Figures are matched as
 * medianOfRuns matches them: the n-th figure of a name with the n-th of that name (a
 * section prints sub-lines such as a load's time under each of its figures).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../sim/errors.ts';
import { figureKeys, type Figure } from './figure.ts';
import type { Host } from './host.ts';

export interface Baseline {
  path: string;
  host?: Host;
  figures: Figure[];
}

export interface Against {
  was: Figure;
  /** value over the baseline's, less 1 (NaN where the baseline's is 0). */
  change: number;
  /** Where the value lies against the baseline's runs (its value alone without runs). */
  place: 'below' | 'within' | 'above';
  /** Every run worse than every run of the baseline, in the direction its target calls worse. */
  regressed: boolean;
}

/** An earlier run's bench.json, or the directory its --out named (DIR/bench.json). */
export function readBaseline(given: string): Baseline {
  const path = statSync(given, { throwIfNoEntry: false })?.isDirectory() ? join(given, 'bench.json') : given;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`--baseline: cannot read '${path}' as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const figures = (parsed as { figures?: unknown }).figures;
  if (!Array.isArray(figures) || !figures.every((f) => typeof f?.name === 'string' && typeof f?.value === 'number')) {
    throw new InputError(`--baseline: '${path}' is not a bench.json (no list 'figures' of {name, value, …})`);
  }
  return { path, host: (parsed as { host?: Host }).host, figures: figures as Figure[] };
}

/** The lowest and highest of a figure's runs (its value alone without runs). */
function span(f: Figure): [number, number] {
  const values = [f.value, ...(f.runs ?? [])];
  return [Math.min(...values), Math.max(...values)];
}

/** Each figure against its baseline figure, or undefined where the baseline has none. */
export function compareToBaseline(figures: Figure[], baseline: Figure[]): (Against | undefined)[] {
  const before = new Map<string, Figure>();
  const baseKeys = figureKeys(baseline);
  baseline.forEach((f, i) => before.set(baseKeys[i]!, f));
  return figureKeys(figures).map((key, i) => {
    const was = before.get(key);
    if (was === undefined) return undefined;
    const now = figures[i]!;
    const [lo, hi] = span(was);
    const place = now.value < lo ? 'below' : now.value > hi ? 'above' : 'within';
    const [nowLo, nowHi] = span(now);
    const regressed = now.target.startsWith('>=') ? nowHi < lo : now.target.startsWith('<=') ? nowLo > hi : false;
    return { was, change: was.value === 0 ? NaN : now.value / was.value - 1, place, regressed };
  });
}

/** The column printed after a figure: the baseline's value, the change, and the verdict. */
export function againstColumn(a: Against | undefined): string {
  if (a === undefined) return '  (not in the baseline)';
  const change = Number.isFinite(a.change) ? `${a.change >= 0 ? '+' : ''}${(100 * a.change).toFixed(1)}%` : '';
  const verdict = a.regressed ? '  REGRESSED' : a.place === 'within' ? '' : `  ${a.place} its range`;
  return `  was ${a.was.value} ${change}${verdict}`;
}
