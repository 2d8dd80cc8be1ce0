/**
 * report.html in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven
 * by playwright-core) opens it from disk with no console errors and no request but
 * the page itself, and every chart is drawn: an SVG of real size with marks in it.
 * Skipped, with the reason printed, where Chromium is not installed
 * (scripts/ci-setup.sh installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, writeReportFiles } from '../../reports/run-report.ts';
import { replayRows, run, tmp } from './fixtures.ts';

const CHROMIUM = process.env.TIERSIM_CHROMIUM ?? '/usr/bin/chromium';

test('report.html opens in headless Chromium without console errors, every chart drawn', { timeout: 60_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} not found; install it with scripts/ci-setup.sh (apt-get install chromium)`;
    console.log(`# browser test skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const { chromium } = await import('playwright-core');

  // Every kind of chart: runs at two cache sizes with checkpoints and a restore, baselines, a replay.
  const lifecycle = { checkpoint: { durationSeconds: { p50: 0.02, max: 0.05 } }, restore: { durationSeconds: 0.003 } };
  const runs = [
    run('local', { placement: 'local', policy: 'none', ...lifecycle }),
    run('none', { policy: 'none', cacheSizeBytes: 0 }),
    run('file-32MiB', { policy: 'file', cacheSizeBytes: 2 ** 25, ...lifecycle }),
    run('file-128MiB', { policy: 'file', cacheSizeBytes: 2 ** 27 }),
    run('block-32MiB', { policy: 'block', cacheSizeBytes: 2 ** 25, dfs: { reads: 300, costUsd: 0.01 } }),
    run('block-128MiB', { policy: 'block', cacheSizeBytes: 2 ** 27 }),
  ];
  const dir = tmp('browser');
  const { files, charts } = await buildReport(runs, replayRows('trace <x>.bin'), { tables: true });
  writeReportFiles(dir, files);
  assert.equal(charts.length, 7);

  const profile = tmp('chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });

    const drawn = await page.$$eval('figure.chart', (figures) => figures.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      const marks = svg ? svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark rect').length : 0;
      return { name: f.getAttribute('data-chart'), width: box?.width ?? 0, height: box?.height ?? 0, marks };
    }));
    assert.deepEqual(drawn.map((d) => d.name), charts.map((c) => c.name));
    for (const d of drawn) {
      assert.ok(d.width > 100 && d.height > 100, `${d.name}: drawn at ${d.width}×${d.height}`);
      assert.ok(d.marks > 0, `${d.name}: no marks`);
    }
    assert.ok(await page.$$eval('table tbody tr', (rows) => rows.length) >= runs.length);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url], 'the page fetched something');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
