/** report.html and the tables: self-contained, every name escaped, ids unique, CSV formula-safe. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedSvg, escapeHtml } from '../../reports/html.ts';
import { buildReport } from '../../reports/run-report.ts';
import { markdownTable, runsDisplay, tableCsv, tableRow } from '../../reports/table.ts';
import { checked, replayRows, run } from './fixtures.ts';

const EVIL = '<script>alert(1)</script>';

test('escapeHtml escapes markup and quotes', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('names from configs and traces are escaped everywhere in report.html; no script, no fetch', async () => {
  const runs = [
    run(EVIL, { workload: EVIL, policy: `${EVIL}p` }),
    run('b"><img src=x onerror=alert(2)>', { policy: 'file' }),
  ];
  const { files } = await buildReport(runs, replayRows(`${EVIL}.trace`), { tables: true });
  const html = files.get('report.html') as string;
  assert.ok(!/<script/i.test(html), 'a <script> tag in report.html');
  assert.ok(!/<img/i.test(html), 'an <img> tag in report.html');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  // No element that fetches or runs anything, no event-handler attribute (names sit escaped inside attribute values).
  const tags = [...html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)];
  const names = new Set(tags.map((t) => t[1]!.toLowerCase()));
  for (const bad of ['script', 'img', 'link', 'iframe', 'object', 'embed', 'foreignobject', 'image', 'use']) assert.ok(!names.has(bad), `<${bad}> in report.html`);
  for (const t of tags) {
    for (const a of t[2]!.matchAll(/([^\s=]+)="[^"]*"/g)) {
      const attr = a[1]!.toLowerCase();
      assert.ok(!attr.startsWith('on') && attr !== 'src', `attribute ${attr} on <${t[1]}>`);
    }
  }
  assert.ok(!/@import|url\(\s*['"]?(https?:|\/\/)/i.test(html), 'a stylesheet fetch');
  // Every chart inline, each id once in the page.
  const charts = [...files.keys()].filter((k) => k.endsWith('.svg')).length;
  assert.equal((html.match(/<svg/g) ?? []).length, charts);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  for (const m of html.matchAll(/url\(#([^)]+)\)/g)) assert.ok(ids.includes(m[1]), `dangling reference #${m[1]}`);
  // The tables: Markdown escapes markup and pipes; CSV defuses formulas.
  const md = files.get('table.md') as string;
  assert.ok(!md.includes('<script>') && md.includes('&lt;script&gt;'));
  assert.equal(markdownTable({ title: 't', columns: [{ label: 'a', numeric: false }], rows: [['x|y']] }).split('\n')[2], '| x\\|y |');
  const csv = tableCsv([tableRow(checked(run('=HYPERLINK("x")', { workload: '@SUM(A1)' })))]);
  assert.match(csv, /'=HYPERLINK/);
  assert.match(csv, /'@SUM/);
});

test('embedSvg prefixes ids and references; refuses script', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"></g></svg>';
  const out = embedSvg(svg, 'c3');
  assert.match(out, /id="c3-clip1"/);
  assert.match(out, /url\(#c3-clip1\)/);
  assert.throws(() => embedSvg('<svg><script>x</script></svg>', 'c'), /script/);
  assert.throws(() => embedSvg('<html></html>', 'c'), /not an SVG/);
});

test('the people\'s table: units, no cache size where none applies, unused columns left out', () => {
  const rows = [
    tableRow(checked(run('a', { cacheSizeBytes: 2 ** 27 }))),
    tableRow(checked(run('b', { placement: 'local', policy: 'none' }))),
    tableRow(checked(run('c', { cacheSizeBytes: 2 ** 27, cacheShareOfState: { share: 0.125, stateBytes: 2 ** 30 } }))),
  ];
  const t = runsDisplay(rows);
  const col = (label: string) => t.columns.findIndex((c) => c.label === label);
  assert.equal(t.rows[0]![col('local cache')], '128 MiB');
  assert.equal(t.rows[1]![col('local cache')], '—');
  // A size given as a share of the state says so.
  assert.equal(t.rows[2]![col('local cache')], '128 MiB (12.5% of state)');
  assert.equal(t.rows[0]![col('ops/s')], '30,000');
  assert.equal(col('restore s'), -1, 'no run restored');
  assert.equal(col('late'), -1, 'no run under a source rate');
  // Under a source rate (--rate): the rate offered and the share of records taken late.
  const rated = runsDisplay([tableRow(checked(run('d', { sourceRate: { recordsPerSecond: 25_000, lateShare: 0.0375 } })))]);
  const ratedCol = (label: string) => rated.columns.findIndex((c) => c.label === label);
  assert.equal(rated.rows[0]![ratedCol('offered rec/s')], '25,000');
  assert.equal(rated.rows[0]![ratedCol('late')], '3.8%');
});
