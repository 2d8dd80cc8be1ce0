#!/usr/bin/env node
// Entry point: load the TypeScript sources through tsx, then run the command line.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

/**
 * The simulator's typed arrays come from glibc's malloc, which asks the kernel for
 * transparent huge pages only when told to (glibc 2.35+: glibc.malloc.hugetlb=1);
 * on kernels that give them only on request, a large store's lookups then miss the
 * TLB far less (README: "Huge pages"). The setting is read when the process starts,
 * so tiersim runs itself once more with it (as it does for its V8 flags, below). A
 * GLIBC_TUNABLES that already names glibc.malloc.hugetlb (=0 to turn it off) is left
 * as it is.
 */
function wantsHugePages() {
  const tunables = process.env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || tunables.includes('glibc.malloc.hugetlb')) return false;
  try {
    const glibc = String(process.report.getReport().header.glibcVersionRuntime ?? '').split('.').map(Number);
    if (!(glibc[0] > 2 || (glibc[0] === 2 && glibc[1] >= 35))) return false;
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false; // no report or no such file: run as asked
  }
}

/**
 * V8 flags tiersim runs with, unless given otherwise. `--initial-old-space-size`: V8
 * sizes the old generation of a new heap from what is live in it, and a simulation's
 * heap holds tens of MB while it allocates hundreds of MB a second, so by default V8
 * began a marking cycle whenever what was left below that small limit was less than
 * the young generation (about ten cycles a second in a Nexmark cell), and its helper
 * threads' marking took CPU beside the simulating thread — time a second busy thread
 * (a two-worker sweep) pays for. From 128 MB on, marking starts for the typed arrays'
 * memory instead (README: "V8's heap"). Worker threads share the process's flags.
 */
const V8_FLAGS = ['--initial-old-space-size=128'];

function missingV8Flags() {
  return V8_FLAGS.filter((flag) => !process.execArgv.some((a) => a.startsWith(flag.split('=')[0])));
}

/**
 * Runs tiersim again with huge pages (when `hugePages`) and its V8 flags; resolves
 * false when that process cannot start.
 */
function runAgain(hugePages) {
  const env = { ...process.env, TIERSIM_LAUNCHER_PID: String(process.pid) };
  if (hugePages) env.GLIBC_TUNABLES = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  const child = spawn(process.execPath, [...missingV8Flags(), ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env,
  });
  // A signal sent to this process alone (not its group) reaches the one doing the work.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', () => resolve(false));
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      // A progress bar hides the terminal's cursor while it runs; a run ended by a
      // signal (Ctrl-C) cannot show it again itself: its simulation holds the thread
      // that would run a handler, so it dies by the signal's default action.
      if (signal && process.stderr.isTTY) process.stderr.write('\x1b[?25h');
      if (signal) process.kill(process.pid, signal);
      else process.exitCode = code ?? 1;
      resolve(true);
    });
  });
}

/**
 * In the second process: end it when the launcher is gone (killed by a signal that
 * cannot be passed on, such as SIGKILL), as if there were one process. The
 * simulation keeps the main thread busy for seconds at a time, so a thread of its
 * own watches.
 */
function followLauncher() {
  const launcher = Number(process.env.TIERSIM_LAUNCHER_PID);
  // Not inherited: a tiersim this one starts has a launcher of its own, or none.
  delete process.env.TIERSIM_LAUNCHER_PID;
  if (!(launcher > 0)) return;
  const watch = `setInterval(() => { if (process.ppid !== ${launcher}) process.kill(process.pid, 'SIGTERM'); }, 250);`;
  new Worker(watch, { eval: true }).unref();
}

followLauncher();
// Without a second process (not needed, or it could not start), tiersim runs here.
const hugePages = wantsHugePages();
if (!((hugePages || missingV8Flags().length > 0) && (await runAgain(hugePages)))) {
  register();
  const { main } = await import('../scripts/cli.ts');
  process.exitCode = await main(process.argv.slice(2));
}
