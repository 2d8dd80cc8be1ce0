/**
 * Worker threads' bundled entries: built from the sources, cached until a source
 * changes, source-mapped back to the .ts lines, and refused (so the caller keeps tsx)
 * when esbuild cannot build them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildWorkerBundle, workerBundle } from '../../scripts/lib/worker-bundle.ts';

// Inside the project, so that a package the entry imports resolves as from the sources.
const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'tiersim-bundle-test-'));
const out = join(dir, 'bundles');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a module; `old` dates it an hour back, as a file not being edited. */
function source(name: string, text: string, old = true): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  if (old) utimesSync(path, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
  return path;
}

/** Runs a bundle as a worker thread (as the sweep does) and returns what it posts first. */
async function run(bundle: URL): Promise<unknown> {
  const w = new Worker(bundle, { execArgv: ['--enable-source-maps'] });
  try {
    return await new Promise((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  } finally {
    await w.terminate();
  }
}

const entryText = (answer: number) => [
  "import { parentPort } from 'node:worker_threads';",
  "import { parse } from 'yaml';", // a package, bundled in
  "import { twice } from './helper.ts';",
  `const n: number = twice(parse('x: ${answer}').x);`,
  'function fail(): never { throw new Error(`failed at ${n}`); }',
  'try { fail(); } catch (e) { parentPort!.postMessage({ n, stack: (e as Error).stack }); }',
  '',
].join('\n');

test('a bundle runs the entry and its imports, names .ts lines in errors, and is rebuilt when a source changes', async () => {
  source('helper.ts', 'export const twice = (x: number): number => 2 * x;\n');
  const entry = source('entry.ts', entryText(21));
  const first = buildWorkerBundle(entry, out);
  const got = await run(first) as { n: number; stack: string };
  assert.equal(got.n, 42);
  assert.match(got.stack, /entry\.ts:5:/, 'the error points into entry.ts, line 5');

  // Nothing changed: the same file, not written again.
  const written = statSync(fileURLToPath(first)).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(buildWorkerBundle(entry, out).href, first.href);
  assert.equal(statSync(fileURLToPath(first)).mtimeMs, written);

  // An imported file changes: rebuilt, and the new code runs.
  source('helper.ts', 'export const twice = (x: number): number => 3 * x;\n');
  assert.equal((await run(buildWorkerBundle(entry, out)) as { n: number }).n, 63);
});

test('a source modified within the last second is not trusted: the next call builds again', async () => {
  source('helper.ts', 'export const twice = (x: number): number => 2 * x;\n');
  const entry = source('fresh.ts', entryText(5), false);
  const first = buildWorkerBundle(entry, out);
  const written = statSync(fileURLToPath(first)).mtimeMs;
  await new Promise((r) => setTimeout(r, 20));
  buildWorkerBundle(entry, out);
  assert.ok(statSync(fileURLToPath(first)).mtimeMs > written, 'rebuilt');
  assert.equal((await run(first) as { n: number }).n, 10);
});

test('an entry esbuild cannot build gives no bundle, and the caller keeps its own entry', () => {
  const broken = source('broken.ts', 'export const x = ;\n');
  assert.throws(() => buildWorkerBundle(broken, out));
  assert.equal(workerBundle(pathToFileURL(broken), out), undefined);
  assert.equal(workerBundle(pathToFileURL(join(dir, 'missing.ts')), out), undefined);
});

test('TIERSIM_WORKER_BUNDLE=0 keeps the tsx entry', () => {
  source('helper.ts', 'export const twice = (x: number): number => 2 * x;\n');
  const entry = pathToFileURL(source('off.ts', entryText(1)));
  process.env.TIERSIM_WORKER_BUNDLE = '0';
  try {
    assert.equal(workerBundle(entry, out), undefined);
  } finally {
    delete process.env.TIERSIM_WORKER_BUNDLE;
  }
  assert.ok(workerBundle(entry, out) instanceof URL);
});
