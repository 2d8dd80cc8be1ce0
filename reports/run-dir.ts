/**
 * The run directory of one simulation: summary.json, summary.csv (one row),
 * timeline.csv (one row per simulated second) and the resolved config.json.
 * Every file is written whole or not at all.
 */
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.ts';
import { toCsv } from './csv.ts';
import { summaryRow } from './flatten.ts';

export interface RunOutput {
  summary: Record<string, unknown>;
  timeline: Record<string, number>[];
  config: Record<string, unknown>;
}

export function writeRunDir(dir: string, run: RunOutput): string[] {
  const files = {
    'summary.json': JSON.stringify(run.summary, null, 2) + '\n',
    'summary.csv': toCsv([summaryRow(run.summary)]),
    'timeline.csv': toCsv(run.timeline),
    'config.json': JSON.stringify(run.config, null, 2) + '\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileAtomic(join(dir, name), text);
  return Object.keys(files).map((f) => join(dir, f));
}
