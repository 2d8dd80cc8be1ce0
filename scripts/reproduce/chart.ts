/**
 * The reproduction at a glance: per row, the simulated value over the published one
 * (log scale), with the row's band drawn as a bar in the same units.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG } from '../../reports/charts.ts';
import type { ReproducedRow } from './run.ts';

interface BandRow {
  id: string;
  claim: string;
  ratio: number;
  lo: number;
  hi: number;
  within: string;
}

export function reproduceChart(rows: ReproducedRow[]): TopLevelSpec {
  const values: BandRow[] = rows.map((r) => {
    // A band that starts at 0 is drawn from a hundredth of the published value (log scale).
    return { id: r.id, claim: r.claim, ratio: Math.max(r.ratio, 1e-3), lo: Math.max(r.bandLow / r.published, 1e-2), hi: r.bandHigh / r.published, within: r.within ? 'inside its band' : 'outside its band' };
  });
  const y = { field: 'id', type: 'nominal', sort: null, title: null };
  const x = { type: 'quantitative', scale: { type: 'log' }, title: 'simulated ÷ published (log scale)' };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'tiersim reproduce', subtitle: ['each row: the simulated figure over the published one; grey: the band it must fall in'] },
    config: CHART_CONFIG,
    width: 520,
    height: { step: 22 },
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#d9d9d9', height: 14 }, encoding: { y, x: { ...x, field: 'lo' }, x2: { field: 'hi' }, tooltip: [{ field: 'claim' }, { field: 'lo', format: '.3~f' }, { field: 'hi', format: '.3~f' }] } },
      { mark: { type: 'rule', color: '#555555', strokeDash: [3, 3] }, encoding: { x: { datum: 1, type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          y, x: { ...x, field: 'ratio' },
          color: { field: 'within', type: 'nominal', title: null, scale: { domain: ['inside its band', 'outside its band'], range: ['#2ca02c', '#d62728'] } },
          tooltip: [{ field: 'id' }, { field: 'claim' }, { field: 'ratio', format: '.3f' }],
        },
      },
    ],
  } as TopLevelSpec;
}
