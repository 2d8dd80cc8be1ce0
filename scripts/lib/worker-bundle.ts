/**
 * A worker thread's TypeScript entry as one ES module, so that the thread starts in a
 * fraction of the time. Through tsx a worker thread took 0.36 s to load the simulator
 * in an idle process and 0.43–0.51 s in a sweep whose main thread was simulating; the
 * same code bundled by esbuild, packages included, imports in about 0.05 s, and a
 * sweep's worker began its first cell after 0.11–0.13 s. The bundle (with its source map, so a cell's error still names the
 * .ts lines) is cached in node_modules/.cache/tiersim and rebuilt when any file it
 * was built from changes size or modification time, or esbuild or Node changes.
 * Where esbuild, the cache folder or the build fails, or TIERSIM_WORKER_BUNDLE=0, the
 * caller keeps its tsx entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../reports/atomic.ts';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a bundle was built from: each input's path (from ROOT), size and modification time. */
type Manifest = [path: string, size: number, mtimeMs: number][];

const built = new Map<string, URL | undefined>();

/**
 * The bundle of `entry` (a .ts file), built or found in the cache; undefined when it
 * cannot be had, and then again for the rest of this process.
 */
export function workerBundle(entry: URL, cacheDir?: string): URL | undefined {
  if (process.env.TIERSIM_WORKER_BUNDLE === '0') return undefined;
  const key = `${entry.href}\n${cacheDir ?? ''}`;
  if (!built.has(key)) {
    let url: URL | undefined;
    try {
      url = buildWorkerBundle(fileURLToPath(entry), cacheDir);
    } catch {
      url = undefined;
    }
    built.set(key, url);
  }
  return built.get(key);
}

/**
 * The bundle of the .ts file at `entryPath`, from the cache folder or built now; throws
 * when it cannot be built.
 */
export function buildWorkerBundle(entryPath: string, cacheDir = defaultCacheDir()): URL {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const id = createHash('sha256').update(`${entryPath}\n${esbuild.version}\n${process.version}`).digest('hex').slice(0, 16);
  const out = join(cacheDir, `worker-${id}.mjs`);
  const manifestPath = join(cacheDir, `worker-${id}.json`);
  if (existsSync(out) && existsSync(manifestPath) && unchanged(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)) {
    return pathToFileURL(out);
  }
  const buildStarted = Date.now();
  const result = esbuild.buildSync({
    entryPoints: [entryPath],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: 'linked',
    // Packages written as CommonJS require Node's built-in modules.
    banner: { js: "import { createRequire as __tiersimRequire } from 'node:module'; const require = __tiersimRequire(import.meta.url);" },
    outfile: out,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  // The manifest is written last: a reader that finds it finds a complete bundle.
  for (const file of result.outputFiles) if (file.path.endsWith('.map')) writeFileAtomic(file.path, file.contents);
  for (const file of result.outputFiles) if (!file.path.endsWith('.map')) writeFileAtomic(file.path, file.contents);
  const manifest: Manifest = Object.keys(result.metafile.inputs).map((path) => {
    const s = statSync(join(ROOT, path));
    return [path, s.size, s.mtimeMs];
  });
  // A file changed while esbuild read it (or within a coarse clock's second): this
  // bundle serves this process, and the next one builds again.
  if (manifest.every(([, , mtimeMs]) => mtimeMs < buildStarted - 1000)) writeFileAtomic(manifestPath, JSON.stringify(manifest));
  return pathToFileURL(out);
}

/** node_modules/.cache/tiersim, in the node_modules that holds esbuild. */
function defaultCacheDir(): string {
  return join(dirname(dirname(require.resolve('esbuild/package.json'))), '.cache', 'tiersim');
}

function unchanged(manifest: Manifest): boolean {
  for (const [path, size, mtimeMs] of manifest) {
    let s;
    try {
      s = statSync(join(ROOT, path));
    } catch {
      return false;
    }
    if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
  }
  return manifest.length > 0;
}
