/**
 * Vega-Lite chart specs: pure functions from results to specs. Every chart colours by
 * policy through one fixed palette (policyColor), so a policy has the same colour in
 * every chart of every report; the baselines are grey (local placement) and red
 * (no local cache), Belady's optimum black. Axis titles carry their units.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CheckedRun, ReplayResult, Summary } from './read.ts';
import { formatBytes } from '../sim/units.ts';

/** The fixed colours: local-cache policies first, then the eviction algorithms of `replay`. */
export const POLICY_COLORS: Readonly<Record<string, string>> = {
  local: '#7f7f7f',
  none: '#d62728',
  file: '#1f77b4',
  block: '#ff7f0e',
  adaptive: '#2ca02c',
  lru: '#9467bd',
  fifo: '#8c564b',
  clock: '#e377c2',
  sieve: '#17becf',
  s3fifo: '#bcbd22',
  arc: '#393b79',
  twoq: '#e7ba52',
  lfu: '#637939',
  lirs: '#843c39',
  belady: '#000000',
};

/** Colours for names outside the palette, picked by a hash of the name (distinct from the fixed ones). */
const EXTRA_COLORS = ['#6b6ecf', '#b5cf6b', '#cedb9c', '#e7969c', '#de9ed6', '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363', '#9c9ede', '#fd8d3c', '#74c476', '#a55194', '#bd9e39', '#5254a3'];

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The colour of a policy: fixed for known names (any case), stable by hash for others. */
export function policyColor(policy: string): string {
  const key = policy.toLowerCase();
  return Object.hasOwn(POLICY_COLORS, key) ? POLICY_COLORS[key]! : EXTRA_COLORS[fnv1a(key) % EXTRA_COLORS.length]!;
}

/** Policies in palette order, then the others alphabetically. */
export function orderPolicies(policies: Iterable<string>): string[] {
  const known = Object.keys(POLICY_COLORS);
  const rank = (p: string) => { const i = known.indexOf(p.toLowerCase()); return i < 0 ? known.length : i; };
  return [...new Set(policies)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The colour channel of every chart: field `policy`, explicit domain and range from the palette. */
export function colorEncoding(policies: Iterable<string>) {
  const domain = orderPolicies(policies);
  return {
    field: 'policy',
    type: 'nominal' as const,
    title: 'policy',
    scale: { domain, range: domain.map(policyColor) },
  };
}

/** What a run is called in colour legends: `local` for local placement, else its policy. */
export function seriesPolicy(s: Pick<Summary, 'policy' | 'placement'>): string {
  return s.placement === 'local' ? 'local' : s.policy;
}

export interface Chart {
  /** File stem under charts/: latency-cdf, hit-ratio-over-time, ... */
  name: string;
  title: string;
  /** One or two sentences under the chart in report.html. */
  description: string;
  spec: TopLevelSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 520;
const HEIGHT = 280;
const PANEL_WIDTH = 300;

/** Shared look: a font resvg finds on Debian (and browsers fall back from), white background. */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif',
  background: 'white',
  padding: { left: 8, top: 8, right: 16, bottom: 8 },
  view: { stroke: '#cccccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e8e8e8', labelColor: '#333333', titleColor: '#222222' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  title: { fontSize: 15, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555555', offset: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};

/** Subtitle lines of at most `width` characters: a long single line would widen the whole chart. */
export function wrapLines(text: string, width = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function top(title: string, subtitle: string | undefined, body: Record<string, unknown>): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title: subtitle ? { text: title, subtitle: wrapLines(subtitle) } : title,
    config: CHART_CONFIG,
    ...body,
  } as TopLevelSpec;
}

export const MIB = 2 ** 20;

// ---------------------------------------------------------------- latency CDF

export interface CdfPoint {
  latencyUs: number;
  /** Fraction of operations at or below latencyUs, 0..1. */
  fraction: number;
}
export interface CdfSeries {
  policy: string;
  /** Tells runs of one policy apart (seeds, cache sizes); defaults to the policy. */
  run?: string;
  points: CdfPoint[];
}

/** The CDF points of one op type: summary.latencyCdf when present, else p50, p90, p99, p99.9 and max. */
export function cdfFromSummary(s: Summary, op: string): CdfPoint[] {
  const cdf = s.latencyCdf;
  if (Array.isArray(cdf)) return cdf;
  if (cdf && cdf[op]) return cdf[op]!;
  const l = s.latencyUs?.[op];
  if (!l) return [];
  const points: CdfPoint[] = [
    { latencyUs: l.p50, fraction: 0.5 },
    ...(l.p90 !== undefined ? [{ latencyUs: l.p90, fraction: 0.9 }] : []),
    { latencyUs: l.p99, fraction: 0.99 },
    ...(l.p999 !== undefined ? [{ latencyUs: l.p999, fraction: 0.999 }] : []),
    ...(l.max !== undefined ? [{ latencyUs: l.max, fraction: 1 }] : []),
  ];
  return points;
}

/**
 * Latency CDF per policy, log x in µs; beside it the tail (the fraction slower than
 * x, log y), where p99 and p99.9 differences are visible.
 */
export function latencyCdfSpec(series: CdfSeries[], op = 'get'): TopLevelSpec {
  const values = series.flatMap((s) => s.points
    .filter((p) => p.latencyUs > 0)
    .map((p) => ({ run: s.run ?? s.policy, policy: s.policy, latencyUs: p.latencyUs, fraction: p.fraction, slower: 1 - p.fraction })));
  const minFraction = Math.min(1, ...values.map((v) => v.fraction));
  const color = colorEncoding(series.map((s) => s.policy));
  const x = { field: 'latencyUs', type: 'quantitative', scale: { type: 'log' }, title: `${op} latency (µs, log scale)`, axis: { format: '~s' } };
  const tooltip = [{ field: 'run' }, { field: 'policy' }, { field: 'latencyUs', title: 'latency (µs)', format: ',.1f' }, { field: 'fraction', title: 'fraction ≤', format: '.4f' }];
  const fromPercentiles = series.every((s) => s.points.length <= 5);
  // A fine CDF is a step function, drawn as one; a handful of percentiles keep their points.
  const mark = fromPercentiles ? { type: 'line', point: true } : { type: 'line', interpolate: 'step-after' };
  return top(`${op} latency distribution`, fromPercentiles
    ? `points at p50, p90, p99, p99.9 and max of each run; right: the tail on a log scale`
    : 'right: the tail on a log scale', {
    data: { values },
    hconcat: [
      {
        width: PANEL_WIDTH, height: HEIGHT,
        mark,
        encoding: {
          x, color, detail: { field: 'run' }, tooltip,
          y: { field: 'fraction', type: 'quantitative', title: `fraction of ${op}s ≤ latency`, axis: { format: '%' }, scale: { domain: [Math.floor(minFraction * 10) / 10, 1] } },
        },
      },
      {
        width: PANEL_WIDTH, height: HEIGHT,
        transform: [{ filter: 'datum.slower > 0' }],
        mark,
        encoding: {
          x, color, detail: { field: 'run' }, tooltip,
          y: { field: 'slower', type: 'quantitative', scale: { type: 'log' }, title: `fraction of ${op}s slower (log scale)`, axis: { format: '~%' } },
        },
      },
    ],
    resolve: { scale: { color: 'shared', x: 'shared' } },
  });
}

// ---------------------------------------------------------------- timelines

export interface TimelineRun {
  name: string;
  policy: string;
  timeline: Record<string, number>[];
  /** The measured simulated seconds (summary.simulatedSeconds): a last bucket shorter than half a second is left out. */
  seconds?: number;
}

/** A run's timeline rows without a short last bucket (a few operations; its percentiles and ratios mislead). */
function fullBuckets(r: TimelineRun): Record<string, number>[] {
  if (r.seconds === undefined || r.timeline.length === 0) return r.timeline;
  const last = r.timeline[r.timeline.length - 1]!;
  return r.seconds - last.second! < 0.5 ? r.timeline.slice(0, -1) : r.timeline;
}

/** Lines for time series: points while they can be told apart, thinner lines when there are many runs. */
function seriesMark(runs: TimelineRun[]) {
  const longest = Math.max(0, ...runs.map((r) => r.timeline.length));
  return {
    type: 'line',
    strokeWidth: runs.length > 6 ? 1.25 : 2,
    ...(longest <= 40 ? { point: { size: 16 } } : {}),
  };
}

/** Checkpoints and restores from the timelines' counters, one rule per (second, kind). */
function events(runs: TimelineRun[]): { second: number; event: string }[] {
  const seen = new Map<string, { second: number; event: string }>();
  for (const r of runs) {
    for (const row of r.timeline) {
      if ((row.checkpoints ?? 0) > 0) seen.set(`c${row.second}`, { second: row.second!, event: 'checkpoint' });
      if ((row.restores ?? 0) > 0) seen.set(`r${row.second}`, { second: row.second!, event: 'restore' });
    }
  }
  return [...seen.values()];
}

/** Rule layers for checkpoints (light, dotted) and restores (dark, labelled). */
function eventLayers(runs: TimelineRun[]): Record<string, unknown>[] {
  const ev = events(runs);
  if (ev.length === 0) return [];
  return [
    {
      data: { values: ev },
      transform: [{ filter: "datum.event === 'checkpoint'" }],
      mark: { type: 'rule', color: '#9a9a9a', strokeDash: [2, 3], strokeWidth: 1 },
      encoding: { x: { field: 'second', type: 'quantitative' }, tooltip: [{ field: 'event' }, { field: 'second', title: 'second' }] },
    },
    {
      data: { values: ev },
      transform: [{ filter: "datum.event === 'restore'" }],
      layer: [
        { mark: { type: 'rule', color: '#222222', strokeWidth: 1.5, strokeDash: [6, 3] }, encoding: { x: { field: 'second', type: 'quantitative' } } },
        {
          mark: { type: 'text', text: 'restore', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 11, color: '#222222' },
          encoding: { x: { field: 'second', type: 'quantitative' } },
        },
      ],
    },
  ];
}

function eventNote(runs: TimelineRun[]): string {
  const ev = events(runs);
  const c = ev.some((e) => e.event === 'checkpoint');
  const r = ev.some((e) => e.event === 'restore');
  return c && r ? '; dotted grey: a checkpoint completed in that second; dashed black: restore'
    : c ? '; dotted grey: a checkpoint completed in that second'
      : r ? '; dashed black: restore' : '';
}

/** A dash legend drawn as line samples, not as circles. */
const DASH_LEGEND = { symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 2, symbolStrokeColor: '#444444' };

const timeX = { field: 'second', type: 'quantitative', title: 'simulated time (s)', axis: { tickMinStep: 1, labelFlush: false } };

/** p50 and p99 of state operations per simulated second (timeline opP50Us, opP99Us). */
export function latencyOverTimeSpec(runs: TimelineRun[]): TopLevelSpec {
  const values = runs.flatMap((r) => fullBuckets(r).flatMap((row) => [
    ...((row.opP99Us ?? 0) > 0 ? [{ run: r.name, policy: r.policy, second: row.second, percentile: 'p99', latencyUs: row.opP99Us }] : []),
    ...((row.opP50Us ?? 0) > 0 ? [{ run: r.name, policy: r.policy, second: row.second, percentile: 'p50', latencyUs: row.opP50Us }] : []),
  ]));
  return top('State-operation latency over time', `p99 solid, p50 dashed, per simulated second${eventNote(runs)}`, {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: seriesMark(runs),
        encoding: {
          x: timeX,
          y: { field: 'latencyUs', type: 'quantitative', scale: { type: 'log' }, title: 'latency (µs, log scale)', axis: { format: '~s' } },
          color: colorEncoding(runs.map((r) => r.policy)),
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', legend: DASH_LEGEND, scale: { domain: ['p99', 'p50'], range: [[1, 0], [5, 3]] } },
          detail: { field: 'run' },
          tooltip: [{ field: 'run' }, { field: 'second', title: 'second' }, { field: 'percentile' }, { field: 'latencyUs', title: 'latency (µs)', format: ',.1f' }],
        },
      },
      ...eventLayers(runs),
    ],
  });
}

/** Share of block reads served by the memory block cache and by the local disk, per simulated second. */
export function hitRatioOverTimeSpec(runs: TimelineRun[]): TopLevelSpec {
  const values = runs.flatMap((r) => fullBuckets(r).filter((row) => (row.blockReads ?? 0) > 0).flatMap((row) => [
    { run: r.name, policy: r.policy, second: row.second, tier: 'memory', share: (row.memoryHits ?? 0) / row.blockReads! },
    { run: r.name, policy: r.policy, second: row.second, tier: 'local disk', share: (row.localHits ?? 0) / row.blockReads! },
  ]));
  return top('Hits per tier over time', `share of block reads served by each tier per simulated second; the rest went to the DFS${eventNote(runs)}`, {
    width: WIDTH, height: HEIGHT,
    layer: [
      {
        data: { values },
        mark: seriesMark(runs),
        encoding: {
          x: timeX,
          y: { field: 'share', type: 'quantitative', title: 'block reads served (%)', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: colorEncoding(runs.map((r) => r.policy)),
          strokeDash: { field: 'tier', type: 'nominal', title: 'tier', legend: DASH_LEGEND, scale: { domain: ['memory', 'local disk'], range: [[1, 0], [5, 3]] } },
          detail: { field: 'run' },
          tooltip: [{ field: 'run' }, { field: 'second', title: 'second' }, { field: 'tier' }, { field: 'share', format: '.2%' }],
        },
      },
      ...eventLayers(runs),
    ],
  });
}

// ---------------------------------------------------------------- the adaptive cache's boundary

/** An adaptive run's timeline has these columns (policies/adaptive.ts). */
export function hasAdaptiveTimeline(r: TimelineRun): boolean {
  return r.timeline.some((row) => row.adaptiveFileTargetBytes !== undefined);
}

/** The adaptive-over-time chart draws at most this many runs (a row of panels each). */
export const MAX_ADAPTIVE_RUNS = 6;

const REGION_SERIES = ['file region target', 'file region', 'block region'];
/** One legend for a panel's colour and dash (same field, same domain): line samples. */
const seriesLegend = (columns: number) => ({ orient: 'top', columns, symbolType: 'stroke', symbolSize: 300, symbolStrokeWidth: 2 });
const SIGNAL_SERIES = ['file ghost hits', 'block ghost hits', 'promotions', 'demotions'];

/**
 * Where an adaptive run's boundary stood each second and what moved it: the file
 * region's target and both regions' bytes; the ghost hits (what a larger file or
 * block region would have served), promotions and demotions; and the run's
 * operations, so that a move can be read against what it did to throughput. One row
 * of three panels per run.
 */
export function adaptiveOverTimeSpec(runs: TimelineRun[]): TopLevelSpec {
  const width = Math.round(WIDTH * 0.6);
  const height = Math.round(HEIGHT * 0.6);
  const x = { ...timeX, axis: { ...timeX.axis, titleFontWeight: 'normal' } };
  const rows = runs.map((r) => {
    const buckets = fullBuckets(r);
    const regions = buckets.flatMap((row) => [
      { second: row.second, series: 'file region target', mib: (row.adaptiveFileTargetBytes ?? 0) / MIB },
      { second: row.second, series: 'file region', mib: (row.adaptiveFileBytes ?? 0) / MIB },
      { second: row.second, series: 'block region', mib: (row.adaptiveBlockBytes ?? 0) / MIB },
    ]);
    const signals = buckets.flatMap((row) => [
      { second: row.second, series: 'file ghost hits', count: row.adaptiveFileGhostHits ?? 0 },
      { second: row.second, series: 'block ghost hits', count: row.adaptiveBlockGhostHits ?? 0 },
      { second: row.second, series: 'promotions', count: row.adaptivePromotions ?? 0 },
      { second: row.second, series: 'demotions', count: row.adaptiveDemotions ?? 0 },
    ]);
    const ops = buckets.map((row) => ({ second: row.second, ops: row.ops ?? 0 }));
    const mark = { type: 'line', strokeWidth: 1.75, ...(buckets.length <= 40 ? { point: { size: 12 } } : {}) };
    return {
      title: { text: r.name, anchor: 'start', fontSize: 12 },
      // Each panel its own colours and dashes (concatenated views share scales by default).
      resolve: { scale: { color: 'independent', strokeDash: 'independent', y: 'independent' } },
      hconcat: [
        {
          width, height, data: { values: regions }, mark,
          encoding: {
            x,
            y: { field: 'mib', type: 'quantitative', title: 'MiB' },
            color: { field: 'series', type: 'nominal', title: null, legend: seriesLegend(3), scale: { domain: REGION_SERIES, range: ['#444444', POLICY_COLORS.file, POLICY_COLORS.block] } },
            strokeDash: { field: 'series', type: 'nominal', title: null, legend: seriesLegend(3), scale: { domain: REGION_SERIES, range: [[5, 3], [1, 0], [1, 0]] } },
            tooltip: [{ field: 'second', title: 'second' }, { field: 'series' }, { field: 'mib', title: 'MiB', format: ',.1f' }],
          },
        },
        {
          width, height, data: { values: signals }, mark,
          encoding: {
            x,
            // symlog: a few promotions stay visible beside hundreds of ghost hits.
            y: { field: 'count', type: 'quantitative', title: 'per simulated second (symlog)', scale: { type: 'symlog' } },
            color: { field: 'series', type: 'nominal', title: null, legend: seriesLegend(4), scale: { domain: SIGNAL_SERIES, range: [POLICY_COLORS.file, POLICY_COLORS.block, '#6a3d9a', '#b15928'] } },
            strokeDash: { field: 'series', type: 'nominal', title: null, legend: seriesLegend(4), scale: { domain: SIGNAL_SERIES, range: [[1, 0], [1, 0], [5, 3], [5, 3]] } },
            tooltip: [{ field: 'second', title: 'second' }, { field: 'series' }, { field: 'count', format: ',.0f' }],
          },
        },
        {
          width, height, data: { values: ops }, mark: { ...mark, color: POLICY_COLORS.adaptive },
          encoding: {
            x,
            y: { field: 'ops', type: 'quantitative', title: 'operations per second' },
            tooltip: [{ field: 'second', title: 'second' }, { field: 'ops', title: 'operations', format: ',.0f' }],
          },
        },
      ],
    };
  });
  return top('The adaptive cache over time', 'per simulated second: the file region\'s target (dashed) and the bytes each region holds; the hits each ghost saw (a larger file or block region would have served them; block ghost hits estimated from its sample), promotions and demotions (dashed); the run\'s operations', {
    vconcat: rows,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  });
}

// ---------------------------------------------------------------- cache-size curves

/**
 * A log-scale axis of sizes in MiB, labelled in binary units (512 KiB, 64 MiB, 1 GiB);
 * ticks at the sizes that were run when there are few of them.
 */
export function sizeAxisX(field: string, title: string, sizesMiB: number[]) {
  const ticks = [...new Set(sizesMiB)].sort((x, y) => x - y);
  // Rotated labels at sizes at least 1.5× apart all fit; closer ones are thinned.
  const spread = ticks.every((t, i) => i === 0 || t / ticks[i - 1]! >= 1.5);
  return {
    field, type: 'quantitative', title, scale: { type: 'log', base: 2 },
    axis: {
      ...(ticks.length <= 12 ? { values: ticks } : {}),
      ...(ticks.length > 4 ? { labelAngle: -45, labelAlign: 'right', labelBaseline: 'middle' } : {}),
      labelExpr: "datum.value >= 1048576 ? format(datum.value / 1048576, '.3~g') + ' TiB' : datum.value >= 1024 ? format(datum.value / 1024, '.3~g') + ' GiB' : datum.value >= 1 ? format(datum.value, '.3~g') + ' MiB' : format(datum.value * 1024, '.3~g') + ' KiB'",
      labelOverlap: ticks.length <= 12 && spread ? false : 'greedy', labelSeparation: 6,
    },
  };
}

export interface SizePoint {
  run: string;
  policy: string;
  cacheSizeBytes: number;
  opsPerSecond: number;
  /** Runs of one experiment (one sweep, one workload and DFS); a line joins only points of one group. */
  group?: string;
}

/**
 * Throughput by local cache size per policy (the mean over seeds), log x. Runs
 * without a cache size (policy none, local placement) are drawn as dashed
 * horizontal baselines. Several experiments (workloads, DFS, input directories) get
 * a panel each, with its own y scale: one chart of a sweep's 20 experiments as lines
 * over each other shows none of them.
 */
export function throughputVsCacheSizeSpec(points: SizePoint[], baselines: SizePoint[] = []): TopLevelSpec {
  const withGroup = (p: SizePoint, baseline: boolean) => ({ ...p, group: p.group ?? '', cacheSizeMiB: p.cacheSizeBytes / MIB, baseline });
  const values = [...points.map((p) => withGroup(p, false)), ...baselines.map((p) => withGroup(p, true))];
  const color = colorEncoding(values.map((p) => p.policy));
  const groups = [...new Set(values.map((p) => p.group))];
  // Log y when some experiment's throughputs span more than 10×.
  const logY = groups.some((g) => {
    const ops = values.filter((v) => v.group === g && v.opsPerSecond > 0).map((v) => v.opsPerSecond);
    return ops.length > 0 && Math.max(...ops) / Math.min(...ops) > 10;
  });
  const y = {
    field: 'opsPerSecond', type: 'quantitative', aggregate: 'mean',
    title: `throughput (ops/s${logY ? ', log scale' : ''})`,
    scale: logY ? { type: 'log' } : { zero: true }, axis: { format: '~s' },
  };
  const tooltip = [{ field: 'policy' }, ...(groups.length > 1 ? [{ field: 'group', title: 'experiment' }] : []), { field: 'opsPerSecond', aggregate: 'mean', title: 'ops/s (mean)', format: ',.0f' }];
  const notes = ['state operations per simulated second, the mean over seeds'];
  if (baselines.length > 0) notes.push('dashed: runs without a local cache size (no cache, local placement)');
  if (groups.length > 1) notes.push(`${groups.length} experiments, a panel each with its own y scale`);
  const layer = [
    {
      transform: [{ filter: '!datum.baseline' }],
      mark: { type: 'line', point: true },
      encoding: {
        x: sizeAxisX('cacheSizeMiB', 'local cache size (log scale)', points.map((p) => p.cacheSizeBytes / MIB)),
        y, color, detail: { field: 'group' },
        tooltip: [...tooltip, { field: 'cacheSizeMiB', title: 'cache (MiB)', format: ',.0f' }],
      },
    },
    ...(baselines.length > 0 ? [{
      transform: [{ filter: 'datum.baseline' }],
      mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2 },
      encoding: { y, color, detail: { field: 'group' }, tooltip },
    }] : []),
  ];
  return panelPerGroup('Throughput by local cache size', notes.join('; '), values, groups, layer);
}

/** One chart of the layers, or, with several experiments (`group`), a panel each with its own y scale, four to a row. */
function panelPerGroup(title: string, subtitle: string, values: Record<string, unknown>[], groups: string[], layer: Record<string, unknown>[]): TopLevelSpec {
  if (groups.length <= 1) return top(title, subtitle, { width: WIDTH, height: HEIGHT, data: { values }, layer });
  return top(title, subtitle, {
    data: { values },
    facet: { field: 'group', type: 'nominal', title: null, sort: groups, header: { labelFontSize: 12, labelLimit: 260 } },
    columns: Math.min(groups.length, 4),
    resolve: { scale: { y: 'independent' } },
    spec: { width: 240, height: 150, layer },
  });
}

// ---------------------------------------------------------------- latency against load

export interface LoadPoint {
  run: string;
  policy: string;
  /** Records per simulated second offered (`--rate`). */
  offeredRecordsPerSecond: number;
  /** Records per simulated second the run achieved. */
  recordsPerSecond: number;
  getP99Us: number;
  /** Share of records the tasks reached after their due time. */
  lateShare: number;
  /** Runs of one experiment (workload, DFS, cache size); a line joins only points of one group. */
  group?: string;
}

/**
 * Get p99 by the rate the source offered, per policy (the mean over seeds; log y).
 * A hollow point is a rate the policy did not keep up with (it ran under 95% of the
 * rate): there it ran at its own pace, and its latency holds the queue it built.
 */
export function latencyVsLoadSpec(points: LoadPoint[]): TopLevelSpec {
  const values = points.map((p) => ({ ...p, group: p.group ?? '', behind: p.recordsPerSecond < 0.95 * p.offeredRecordsPerSecond }));
  const color = colorEncoding(values.map((p) => p.policy));
  const groups = [...new Set(values.map((p) => p.group))];
  const rates = [...new Set(values.map((p) => p.offeredRecordsPerSecond))].sort((m, n) => m - n);
  const x = {
    field: 'offeredRecordsPerSecond', type: 'quantitative', title: 'offered rate (records per simulated second, log scale)',
    scale: { type: 'log', domain: [rates[0] ?? 1, rates.at(-1) ?? 1] }, axis: { format: '~s', ...(rates.length <= 12 ? { values: rates } : {}) },
  };
  const y = { field: 'getP99Us', type: 'quantitative', aggregate: 'mean', title: 'get p99 (µs, log scale)', scale: { type: 'log' } };
  const tooltip = [
    { field: 'policy' }, ...(groups.length > 1 ? [{ field: 'group', title: 'experiment' }] : []),
    { field: 'offeredRecordsPerSecond', title: 'offered records/s', format: ',.0f' },
    { field: 'recordsPerSecond', aggregate: 'mean', title: 'records/s run (mean)', format: ',.0f' },
    { field: 'getP99Us', aggregate: 'mean', title: 'get p99 µs (mean)', format: ',.1f' },
    { field: 'lateShare', aggregate: 'mean', title: 'share late (mean)', format: '.1%' },
  ];
  const notes = ['get p99 at each rate the source offered (--rate), the mean over seeds', 'hollow: under 95% of the rate run (the policy fell behind)'];
  if (groups.length > 1) notes.push(`${groups.length} experiments, a panel each with its own y scale`);
  const layer = [
    { mark: { type: 'line' }, encoding: { x, y, color, detail: { field: 'group' } } },
    { transform: [{ filter: '!datum.behind' }], mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color, tooltip, detail: { field: 'group' } } },
    { transform: [{ filter: 'datum.behind' }], mark: { type: 'point', filled: true, fill: 'white', strokeWidth: 2, size: 50 }, encoding: { x, y, stroke: color, tooltip, detail: { field: 'group' } } },
  ];
  return panelPerGroup('Latency against load', notes.join('; '), values, groups, layer);
}

/** Miss ratio and byte miss ratio by cache size per eviction algorithm, for one trace (log x). */
export function missRatioCurveSpec(rows: Pick<ReplayResult, 'trace' | 'policy' | 'cacheSizeBytes' | 'missRatio' | 'byteMissRatio'>[], trace: string): TopLevelSpec {
  const mine = rows.filter((r) => r.trace === trace);
  const values = mine.flatMap((r) => [
    { policy: r.policy, cacheSizeMiB: r.cacheSizeBytes / MIB, metric: 'miss ratio (requests)', ratio: r.missRatio },
    ...(Number.isFinite(r.byteMissRatio) ? [{ policy: r.policy, cacheSizeMiB: r.cacheSizeBytes / MIB, metric: 'byte miss ratio', ratio: r.byteMissRatio }] : []),
  ]);
  return top(`Miss-ratio curve: ${trace}`, 'cache-only replay (tiersim replay): left the share of requests that missed, right the share of requested bytes', {
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['miss ratio (requests)', 'byte miss ratio'], header: { labelFontSize: 12 } } },
    spec: {
      width: PANEL_WIDTH, height: HEIGHT,
      mark: { type: 'line', point: true },
      encoding: {
        x: sizeAxisX('cacheSizeMiB', 'cache size (log scale)', values.map((v) => v.cacheSizeMiB)),
        y: { field: 'ratio', type: 'quantitative', title: 'miss ratio (%)', axis: { format: '%' }, scale: { zero: true } },
        color: colorEncoding(mine.map((r) => r.policy)),
        tooltip: [{ field: 'policy' }, { field: 'cacheSizeMiB', title: 'cache (MiB)', format: ',.2f' }, { field: 'metric' }, { field: 'ratio', format: '.4f' }],
      },
    },
  });
}

/** The miss ratio of each interval of a replay (--interval) over trace time, per algorithm; a panel per cache size. */
export function missRatioOverTimeSpec(rows: Pick<ReplayResult, 'trace' | 'policy' | 'cacheSizeBytes' | 'intervals'>[], trace: string): TopLevelSpec {
  const mine = rows.filter((r) => r.trace === trace && r.intervals && r.intervals.length > 0);
  const values = mine.flatMap((r) => r.intervals!.map((p) => ({
    policy: r.policy, cache: `${(r.cacheSizeBytes / MIB).toFixed(r.cacheSizeBytes < 10 * MIB ? 2 : 0)} MiB`, bytes: r.cacheSizeBytes, time: p.time, ratio: p.missRatio,
  })));
  return top(`Miss ratio over time: ${trace}`, 'cache-only replay with --interval: the miss ratio of the requests of each interval, at the trace time it ends', {
    data: { values },
    facet: { column: { field: 'cache', type: 'nominal', title: null, sort: { field: 'bytes', op: 'min' }, header: { labelFontSize: 12 } } },
    spec: {
      width: PANEL_WIDTH, height: HEIGHT,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'trace time (the trace\'s unit, from its first request)' },
        y: { field: 'ratio', type: 'quantitative', title: 'miss ratio (%)', axis: { format: '%' }, scale: { zero: true } },
        color: colorEncoding(mine.map((r) => r.policy)),
        tooltip: [{ field: 'policy' }, { field: 'cache' }, { field: 'time' }, { field: 'ratio', format: '.4f' }],
      },
    },
  });
}

// ---------------------------------------------------------------- bars

export interface RunBar {
  run: string;
  policy: string;
  placement?: string;
}

function runAxis(bars: RunBar[]) {
  const slanted = bars.length > 4 || bars.some((b) => b.run.length > 12);
  return {
    field: 'run', type: 'nominal', title: null, sort: bars.map((b) => b.run),
    axis: { labelAngle: slanted ? -35 : 0, labelLimit: 220, labelAlign: slanted ? 'right' : 'center' },
  };
}

/** A bar panel's width: a fixed step per bar. */
const barWidth = (n: number) => ({ step: n <= 3 ? 64 : n <= 12 ? 36 : 22 });

/** DFS read requests and DFS cost per run, one bar each, coloured by policy; no cost panel when the DFS has no price. */
export function dfsBarsSpec(bars: (RunBar & { reads: number; costUsd: number })[]): TopLevelSpec {
  const color = colorEncoding(bars.map((b) => b.policy));
  const free = bars.every((b) => b.costUsd === 0);
  const reads = {
    width: barWidth(bars.length), height: HEIGHT,
    mark: { type: 'bar' },
    encoding: {
      x: runAxis(bars), color,
      y: { field: 'reads', type: 'quantitative', title: 'DFS read requests', axis: { format: Math.max(0, ...bars.map((b) => b.reads)) >= 1e5 ? '~s' : ',.0f' } },
      tooltip: [{ field: 'run' }, { field: 'policy' }, { field: 'reads', title: 'DFS reads', format: ',' }],
    },
  };
  const cost = {
    width: barWidth(bars.length), height: HEIGHT,
    mark: { type: 'bar' },
    encoding: {
      x: runAxis(bars), color,
      y: { field: 'costUsd', type: 'quantitative', title: 'DFS cost (USD)', axis: { format: '$.3~f' } },
      tooltip: [{ field: 'run' }, { field: 'policy' }, { field: 'costUsd', title: 'cost (USD)', format: '$.6f' }],
    },
  };
  return top(free ? 'DFS requests' : 'DFS requests and cost', `per run over the measured phase${free ? '; no cost panel: this DFS has no per-request or per-byte price' : ''}`, {
    data: { values: bars },
    hconcat: free ? [reads] : [reads, cost],
    resolve: { scale: { color: 'shared' } },
  });
}

type LifecycleBar = RunBar & { checkpointP50?: number; checkpointMax?: number; restore?: number };

/** Checkpoint durations (bar p50, black tick max) and restore durations per run; ms when all are under a second. */
export function lifecycleBarsSpec(bars: LifecycleBar[]): TopLevelSpec {
  const label = (b: LifecycleBar): LifecycleBar => ({ ...b, run: b.placement && !b.run.includes(b.placement) ? `${b.run} (${b.placement})` : b.run });
  const cps = bars.filter((b) => b.checkpointP50 !== undefined).map(label);
  const rss = bars.filter((b) => b.restore !== undefined).map(label);
  const color = colorEncoding([...cps, ...rss].map((b) => b.policy));
  // Milliseconds when everything is under a second.
  const longest = Math.max(0, ...cps.map((b) => b.checkpointMax ?? b.checkpointP50!), ...rss.map((b) => b.restore!));
  const ms = longest < 1;
  const unit = ms ? 'ms' : 's';
  const k = ms ? 1000 : 1;
  const scaled = (rows: typeof cps) => rows.map((b) => ({
    ...b,
    ...(b.checkpointP50 !== undefined ? { checkpointP50: b.checkpointP50 * k } : {}),
    ...(b.checkpointMax !== undefined ? { checkpointMax: b.checkpointMax * k } : {}),
    ...(b.restore !== undefined ? { restore: b.restore * k } : {}),
  }));
  const panels: Record<string, unknown>[] = [];
  if (cps.length > 0) {
    panels.push({
      width: barWidth(cps.length), height: HEIGHT,
      data: { values: scaled(cps) },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x: runAxis(cps), color,
            y: { field: 'checkpointP50', type: 'quantitative', title: `checkpoint duration (${unit})` },
            tooltip: [{ field: 'run' }, { field: 'checkpointP50', title: `p50 (${unit})`, format: ',.3~f' }, { field: 'checkpointMax', title: `max (${unit})`, format: ',.3~f' }],
          },
        },
        {
          mark: { type: 'tick', color: '#000000', thickness: 2 },
          encoding: { x: runAxis(cps), y: { field: 'checkpointMax', type: 'quantitative' } },
        },
      ],
    });
  }
  if (rss.length > 0) {
    panels.push({
      width: barWidth(rss.length), height: HEIGHT,
      data: { values: scaled(rss) },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            x: runAxis(rss), color,
            y: { field: 'restore', type: 'quantitative', title: `restore duration (${unit})` },
            tooltip: [{ field: 'run' }, { field: 'restore', title: `restore (${unit})`, format: ',.3~f' }],
          },
        },
        // The value above each bar: a disaggregated restore is often too short to see as a bar.
        {
          mark: { type: 'text', dy: -6, fontSize: 11 },
          encoding: { x: runAxis(rss), y: { field: 'restore', type: 'quantitative' }, text: { field: 'restore', format: ',.3~r' } },
        },
      ],
    });
  }
  const what = [cps.length > 0 ? 'checkpoints: bar p50, black tick max' : '', rss.length > 0 ? 'restore: the slowest slot' : ''].filter((t) => t).join('; ');
  return top('Checkpoint and restore durations', `simulated time, local vs disaggregated placement; ${what}`, {
    hconcat: panels,
    resolve: { scale: { color: 'shared', y: 'independent' } },
  });
}

// ---------------------------------------------------------------- all charts of a report

/**
 * The op the latency CDF shows: the whole record (what a Flink operator's latency is;
 * for kv and YCSB a record is one operation), else gets for summaries without records.
 */
function cdfOp(runs: CheckedRun[]): string {
  return runs.some((r) => r.s.latencyUs?.record) ? 'record' : 'get';
}

/**
 * Charts with a line or bar per run are drawn for at most this many runs: beyond it
 * they are unreadable (and Vega runs out of stack); a large sweep gets the charts that
 * aggregate (throughput by cache size, --compare's ratios).
 */
export const MAX_RUNS_PER_RUN_CHART = 64;

/** Every chart that the runs and replay results have data for, in reading order. */

export function reportCharts(runs: CheckedRun[], replays: ReplayResult[] = []): Chart[] {
  const charts: Chart[] = [];
  const policyOf = (r: CheckedRun) => seriesPolicy(r.s);
  const perRun = runs.length <= MAX_RUNS_PER_RUN_CHART;

  const op = cdfOp(runs);
  const cdf = runs.map((r) => ({ policy: policyOf(r), run: r.name, points: cdfFromSummary(r.s, op) })).filter((c) => c.points.length > 0);
  if (perRun && cdf.length > 0) {
    charts.push({
      name: 'latency-cdf', title: `${op} latency distribution`, spec: latencyCdfSpec(cdf, op),
      description: `Cumulative distribution of ${op} latency per run (log x). Built from summary.json's latencyCdf (a point per percent, finer in the tail), or from its percentiles for summaries without one; the right panel shows the tail.`,
    });
  }

  const timelines: TimelineRun[] = !perRun ? [] : runs.filter((r) => r.timeline.length > 0).map((r) => ({
    name: r.name, policy: policyOf(r), timeline: r.timeline, ...(r.s.simulatedSeconds !== undefined ? { seconds: r.s.simulatedSeconds } : {}),
  }));
  if (timelines.some((t) => t.timeline.some((row) => (row.opP99Us ?? 0) > 0))) {
    charts.push({
      name: 'latency-over-time', title: 'State-operation latency over time', spec: latencyOverTimeSpec(timelines),
      description: 'p50 and p99 of all state operations in each simulated second (timeline.csv opP50Us, opP99Us).',
    });
  }
  if (timelines.some((t) => t.timeline.some((row) => (row.blockReads ?? 0) > 0))) {
    charts.push({
      name: 'hit-ratio-over-time', title: 'Hits per tier over time', spec: hitRatioOverTimeSpec(timelines),
      description: 'memoryHits / blockReads and localHits / blockReads in each simulated second; after a restore the caches warm up again.',
    });
  }

  const adaptive = timelines.filter(hasAdaptiveTimeline);
  if (adaptive.length > 0 && adaptive.length <= MAX_ADAPTIVE_RUNS) {
    charts.push({
      name: 'adaptive-over-time', title: 'The adaptive cache over time', spec: adaptiveOverTimeSpec(adaptive),
      description: `Per adaptive run and simulated second: the file region's target and both regions' bytes, the ghost hits, promotions and demotions, and the run's operations (timeline.csv adaptive* columns, ops); drawn for at most ${MAX_ADAPTIVE_RUNS} adaptive runs.`,
    });
  }

  // Throughput by cache size: when some policy ran at two sizes or more.
  const sized = runs.filter((r) => r.s.placement !== 'local' && r.s.policy !== 'none' && (r.s.cacheSizeBytes ?? 0) > 0);
  const sizesByPolicy = new Map<string, Set<number>>();
  for (const r of sized) {
    const set = sizesByPolicy.get(policyOf(r)) ?? new Set<number>();
    set.add(r.s.cacheSizeBytes!);
    sizesByPolicy.set(policyOf(r), set);
  }
  if ([...sizesByPolicy.values()].some((s) => s.size >= 2)) {
    // An experiment is a workload on a DFS, within one input directory; the directory is named only when there are several.
    const dirs = new Set(runs.map((r) => r.group ?? '')).size > 1;
    const point = (r: CheckedRun): SizePoint => ({
      run: r.name, policy: policyOf(r), cacheSizeBytes: r.s.cacheSizeBytes ?? 0, opsPerSecond: r.s.opsPerSecond,
      group: [dirs ? r.group ?? '' : '', r.s.workload, r.s.dfsDevice ?? ''].filter((part) => part !== '').join(' '),
    });
    const baselines = runs.filter((r) => !sized.includes(r)).map(point);
    charts.push({
      name: 'throughput-vs-cache-size', title: 'Throughput by local cache size', spec: throughputVsCacheSizeSpec(sized.map(point), baselines),
      description: 'State operations per simulated second by local cache size, the mean over seeds; runs without a cache size are horizontal baselines.',
    });
  }

  // Latency against load: when some policy ran at two offered rates or more (a sweep over exec.rate).
  const rated = runs.filter((r) => r.s.sourceRate !== undefined && r.s.latencyUs?.get?.p99 !== undefined);
  const ratesByPolicy = new Map<string, Set<number>>();
  for (const r of rated) {
    const set = ratesByPolicy.get(policyOf(r)) ?? new Set<number>();
    set.add(r.s.sourceRate!.recordsPerSecond);
    ratesByPolicy.set(policyOf(r), set);
  }
  if ([...ratesByPolicy.values()].some((s) => s.size >= 2)) {
    const dirs = new Set(rated.map((r) => r.group ?? '')).size > 1;
    const cache = (r: CheckedRun) => (r.s.placement === 'local' || !r.s.cacheSizeBytes ? '' : formatBytes(r.s.cacheSizeBytes));
    charts.push({
      name: 'latency-vs-load', title: 'Latency against load',
      spec: latencyVsLoadSpec(rated.map((r) => ({
        run: r.name, policy: policyOf(r), offeredRecordsPerSecond: r.s.sourceRate!.recordsPerSecond, recordsPerSecond: r.s.recordsPerSecond ?? 0,
        getP99Us: r.s.latencyUs!.get!.p99, lateShare: r.s.sourceRate!.lateShare,
        group: [dirs ? r.group ?? '' : '', r.s.workload, r.s.dfsDevice ?? '', cache(r)].filter((part) => part !== '').join(' '),
      }))),
      description: 'Get p99 by the records per simulated second the source offered (--rate; summary.json sourceRate), the mean over seeds; a hollow point is a rate the policy fell behind (it ran under 95% of it).',
    });
  }

  const traces = [...new Set(replays.map((r) => r.trace))];
  traces.forEach((trace, i) => {
    charts.push({
      name: traces.length === 1 ? 'miss-ratio-curve' : `miss-ratio-curve-${i + 1}`, title: `Miss-ratio curve: ${trace}`,
      spec: missRatioCurveSpec(replays, trace),
      description: `Miss ratio (requests) and byte miss ratio by cache size per eviction algorithm, trace ${trace}.`,
    });
  });
  const timed = traces.filter((t) => replays.some((r) => r.trace === t && r.intervals?.length));
  timed.forEach((trace, i) => {
    charts.push({
      name: timed.length === 1 ? 'miss-ratio-over-time' : `miss-ratio-over-time-${i + 1}`, title: `Miss ratio over time: ${trace}`,
      spec: missRatioOverTimeSpec(replays, trace),
      description: `The miss ratio of each interval (replay --interval; intervals.csv) per eviction algorithm and cache size, trace ${trace}.`,
    });
  });

  const bars = runs.map((r) => ({ run: r.name, policy: policyOf(r), ...(r.s.placement ? { placement: r.s.placement } : {}) }));
  if (perRun && runs.some((r) => r.s.dfs?.reads !== undefined)) {
    charts.push({
      name: 'dfs-requests-cost', title: 'DFS requests and cost',
      spec: dfsBarsSpec(runs.map((r, i) => ({ ...bars[i]!, reads: r.s.dfs?.reads ?? 0, costUsd: r.s.dfs?.costUsd ?? 0 }))),
      description: 'DFS read requests and the DFS bill (requests and bytes at the device\'s prices) of the measured phase.',
    });
  }
  if (perRun && runs.some((r) => r.s.checkpoint || r.s.restore)) {
    charts.push({
      name: 'checkpoint-restore', title: 'Checkpoint and restore durations',
      spec: lifecycleBarsSpec(runs.map((r, i) => ({
        ...bars[i]!,
        ...(r.s.checkpoint ? { checkpointP50: r.s.checkpoint.durationSeconds.p50, checkpointMax: r.s.checkpoint.durationSeconds.max } : {}),
        ...(r.s.restore ? { restore: r.s.restore.durationSeconds } : {}),
      }))),
      description: 'Checkpoint duration (p50 bar, max tick) and restore duration per run, local against disaggregated placement.',
    });
  }
  return charts;
}
