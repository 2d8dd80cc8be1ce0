import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// bin/tiersim.mjs runs itself again with its V8 flags, and with glibc.malloc.hugetlb=1
// where glibc (2.35+) and the kernel (transparent huge pages on request) make that worth
// it. An --import hook prints GLIBC_TUNABLES and the V8 heap flag in every node process
// the launcher runs.
const PRINT = 'data:text/javascript,console.log("tunables:"+(process.env.GLIBC_TUNABLES||"-")+" pid:"+process.pid+" heap:"+(process.execArgv.find((a)=>a.startsWith("--initial-old-space-size"))||"-"))';

function hostGivesHugePages(): boolean {
  if (process.platform !== 'linux') return false;
  const [major, minor] = String((process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime ?? '0.0').split('.').map(Number);
  if (!(major! > 2 || (major === 2 && minor! >= 35))) return false;
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false;
  }
}

function launch(env: NodeJS.ProcessEnv, ...args: string[]) {
  const nodeArgs = args[0]?.startsWith('--initial-old-space-size') ? [args.shift()!] : [];
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', PRINT, 'bin/tiersim.mjs', ...args], { encoding: 'utf8', env });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('tunables:'));
  const tunables = lines.map((l) => l.slice(9, l.indexOf(' pid:')));
  const heap = lines.map((l) => l.slice(l.indexOf(' heap:') + 6));
  return { status: r.status, tunables, heap, stdout: r.stdout };
}

test('the launcher runs tiersim once more, with its V8 heap flag and, where the host gives them, glibc huge pages', () => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  const r = launch(env, '--version');
  assert.equal(r.status, 0);
  assert.ok(r.stdout.includes('0.1.0'));
  assert.deepEqual(r.tunables, ['-', hostGivesHugePages() ? 'glibc.malloc.hugetlb=1' : '-']);
  assert.deepEqual(r.heap, ['-', '--initial-old-space-size=128']);
});

test('a GLIBC_TUNABLES that names the setting is left alone; others are kept', () => {
  const off = launch({ ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, '--version');
  assert.deepEqual(off.tunables, ['glibc.malloc.hugetlb=0', 'glibc.malloc.hugetlb=0']);
  const other = launch({ ...process.env, GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, '--version');
  if (hostGivesHugePages()) assert.deepEqual(other.tunables, ['glibc.malloc.arena_max=2', 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1']);
  else assert.deepEqual(other.tunables, ['glibc.malloc.arena_max=2', 'glibc.malloc.arena_max=2']);
});

test('a V8 heap size given to node is kept, and with nothing else to change tiersim runs in one process', () => {
  const r = launch({ ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, '--initial-old-space-size=64', '--version');
  assert.equal(r.status, 0);
  assert.deepEqual(r.heap, ['--initial-old-space-size=64']);
});

test('the exit status of the run that did the work is the launcher\'s', () => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  assert.equal(launch(env, 'no-such-command').status, 2);
});

test('the second process ends when the launcher is killed outright', async () => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  // A run of a minute or more, killed with SIGKILL (which the launcher cannot pass on).
  const child = spawn(process.execPath, ['--import', PRINT, 'bin/tiersim.mjs', 'run', '--ops', '50000000'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const pids = () => [...out.matchAll(/pid:(\d+)/g)].map((m) => Number(m[1]));
  const deadline = Date.now() + 20_000;
  while (pids().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const second = pids()[1]!;
  assert.ok(second > 0 && second !== child.pid, out);
  await new Promise((r) => setTimeout(r, 500));
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  assert.ok(alive(second), 'the second process runs');
  child.kill('SIGKILL');
  const gone = Date.now() + 5_000;
  while (alive(second) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
  const stillAlive = alive(second);
  if (stillAlive) process.kill(second, 'SIGKILL');
  assert.ok(!stillAlive, 'the second process outlived its launcher by 5 s');
});

// `script` (util-linux) runs a command on a pseudo-terminal, where progress bars show.
const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0 ? 'script' : undefined;

test('a run interrupted on a terminal gives the terminal its cursor back', { skip: SCRIPT ? false : 'no `script` to give the run a terminal' }, async () => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  const command = `${process.execPath} --import '${PRINT}' bin/tiersim.mjs run --ops 50000000`;
  const child = spawn(SCRIPT!, ['-qfc', command, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const ended = new Promise((r) => child.on('exit', r));
  const HIDE = '\x1b[?25l';
  const SHOW = '\x1b[?25h';
  const deadline = Date.now() + 30_000;
  while (!out.includes(HIDE) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const launcher = Number(/pid:(\d+)/.exec(out)?.[1]);
  assert.ok(out.includes(HIDE) && launcher > 0, `no progress bar on the terminal: ${JSON.stringify(out.slice(0, 300))}`);
  process.kill(launcher, 'SIGINT');
  const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await ended;
  clearTimeout(killed);
  assert.ok(out.lastIndexOf(SHOW) > out.lastIndexOf(HIDE), 'the cursor stays hidden after the run ends');
});
