/**
 * A sweep: every cell of a grid (or of one shard of it), each simulated once and
 * written as a whole directory, DIR/cells/<id>/ (summary.json, summary.csv,
 * timeline.csv, config.json, cell.json). A cell is written into a temporary
 * directory and renamed into place, so a cell directory is complete or absent; a
 * re-run skips the cells that exist, which makes a killed sweep resumable and lets
 * shards share one output directory. Cells run on worker threads.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../sim/errors.ts';
import { writeFileAtomic } from '../../reports/atomic.ts';
import { writeRunDir } from '../../reports/run-dir.ts';
import { toCsv } from '../../reports/csv.ts';
import { summaryRow } from '../../reports/flatten.ts';
import { simulate, TIERSIM_VERSION } from './simulate.ts';
import { workerBundle } from './worker-bundle.ts';
import { processTempDir } from './temp-dir.ts';
import { expandGrid, parseShard, readGridFile, shardCells, type Cell, type Shard } from './sweep-grid.ts';
import {
  epochMs, finishCell, finishedCells, newQueue, partialCells, progressHooks, stopQueue, takeCell,
  type CellQueue, type CellReply, type CellTimes, type WorkerStart,
} from './sweep-queue.ts';

export { parseShard, expandGrid } from './sweep-grid.ts';

/** The two summary fields that depend on the machine, not the config. */
export const WALL_FIELDS = ['wallSeconds', 'simulatedOpsPerWallSecond'] as const;

export interface SweepOptions {
  /** A grid file (JSON or YAML), or the grid itself. */
  grid: string | Record<string, unknown>;
  /** Names the grid in messages when it is given as an object. */
  gridName?: string;
  out: string;
  /** Worker threads; 1 runs in this thread. Default: min(cells to run, available parallelism). */
  workers?: number;
  /** `i/n` or {index, count}: run only cell k (in id order) with k mod n = i. */
  shard?: string | Shard;
  /** Stop handing out cells once this many have finished in this run (each other thread may finish one more; the rest is left for a re-run). */
  stopAfter?: number;
  /** Called once the plan is known, before any cell runs. */
  onPlan?: (plan: SweepPlan) => void;
  /** Called after each cell directory is in place. */
  onCell?: (cell: FinishedCell) => void;
  /**
   * Called a few times a second with the cells to run that are done, fractionally:
   * those finished plus how far each thread's current cell is (cellFraction), for a
   * progress bar that moves while cells run.
   */
  onProgress?: (cellsDone: number) => void;
}

export interface SweepPlan {
  gridCells: number;
  shard: Shard;
  shardCells: number;
  skipped: number;
  toRun: number;
  workers: number;
}

export interface FinishedCell {
  id: string;
  labels: Record<string, string | number>;
  summary: Record<string, unknown>;
  /** Cells finished in this run so far, this one included, and cells this run set out to do. */
  done: number;
  toRun: number;
}

export interface SweepResult {
  out: string;
  gridCells: number;
  shard: string;
  shardCells: number;
  /** Cells of this shard that were already done. */
  skipped: number;
  /** Ids of the cells this run simulated, in the order they finished. */
  ran: string[];
  /** Cells of this shard not done when the run stopped (stopAfter); 0 after a full run. */
  remaining: number;
  workers: number;
  wallSeconds: number;
  cellsPerSecond: number;
  /** Each thread's share of the run (0: this thread), for seeing where a sweep's time went. */
  threads: SweepThread[];
}

/** One thread of a sweep: seconds from the start of the run (after the grid is loaded). */
export interface SweepThread {
  cells: number;
  /** When it began its first cell: for a worker thread, its start-up (loading the simulator). */
  firstStartedSeconds: number;
  /** When it finished its last cell. */
  lastEndedSeconds: number;
  /** Its first cell's seconds, and the median of its cells' (the first included). */
  firstCellSeconds: number;
  medianCellSeconds: number;
}

const cellsDir = (out: string) => join(out, 'cells');
export const cellDir = (out: string, id: string) => join(cellsDir(out), id);

/** Writes one finished cell: a temporary directory, then one rename. Returns false if another process got there first. */
export function writeCell(out: string, cell: Cell, summary: Record<string, unknown>, timeline: Record<string, number>[]): boolean {
  const final = cellDir(out, cell.id);
  const tmp = join(cellsDir(out), `.tmp-${cell.id}-${process.pid}-${randomBytes(3).toString('hex')}`);
  writeRunDir(tmp, { summary, timeline, config: { ...cell.config } });
  writeFileSync(join(tmp, 'cell.json'), JSON.stringify({ id: cell.id, labels: cell.labels }, null, 2) + '\n');
  try {
    renameSync(tmp, final);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(join(final, 'summary.json'))) {
      rmSync(tmp, { recursive: true, force: true });
      return false;
    }
    throw err;
  }
}

/** Removes temporary directories a killed run left for this cell. */
function removeStaleTemps(out: string, id: string, names: string[]): void {
  for (const name of names) if (name.startsWith(`.tmp-${id}-`)) rmSync(join(cellsDir(out), name), { recursive: true, force: true });
}

/** DIR/sweep.csv: one row per finished cell of the grid (any shard), in id order, rebuilt from the cell directories. */
export function writeSweepCsv(out: string, cells: Cell[]): number {
  const rows: Record<string, unknown>[] = [];
  for (const cell of cells) {
    const path = join(cellDir(out, cell.id), 'summary.json');
    if (!existsSync(path)) continue;
    rows.push({ cell: cell.id, ...summaryRow(JSON.parse(readFileSync(path, 'utf8'))) });
  }
  writeFileAtomic(join(out, 'sweep.csv'), rows.length > 0 ? toCsv(rows) : 'cell\n');
  return rows.length;
}

/** A finished cell's result, with the thread that ran it (0: this one) and when. */
type OnResult = (cell: Cell, summary: Record<string, unknown>, timeline: Record<string, number>[], thread: number, times: CellTimes) => void;

/**
 * Runs `cells`, handing no more out once `stopAfter` have finished (Infinity: all),
 * telling `onProgress` the cells done (fractionally) at most every PROGRESS_MS.
 */
type Run = (cells: Cell[], onResult: OnResult, stopAfter: number, onProgress?: (cellsDone: number) => void) => Promise<void>;

const PROGRESS_MS = 200;

/** `report` at most every PROGRESS_MS, called or not. */
function throttled(report: () => void): () => void {
  let last = -Infinity;
  return () => {
    const now = performance.now();
    if (now - last < PROGRESS_MS) return;
    last = now;
    report();
  };
}

/** The error of a failed cell, naming the cell: an InputError stays one (exit status 2). */
function cellError(id: string, error: { name: string; message: string; stack?: string }): Error {
  const message = `cell ${id}: ${error.message}`;
  const e = error.name === 'InputError' ? new InputError(message) : new Error(message);
  if (error.stack && error.name !== 'InputError') e.stack = `${e.name}: ${message}\n${error.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

const inThisThread: Run = async (cells, onResult, stopAfter, onProgress) => {
  const progress = new Float64Array(1);
  let done = 0;
  const tick = onProgress && throttled(() => onProgress(done + progress[0]!));
  for (const cell of cells.slice(0, Math.min(stopAfter, cells.length))) {
    let result;
    const startedAt = epochMs();
    try {
      result = simulate(cell.config, undefined, tick ? progressHooks(progress, 0, cell.config, tick) : {});
    } catch (err) {
      throw err instanceof Error ? cellError(cell.id, err) : err;
    }
    progress[0] = 0;
    done++;
    onResult(cell, result.summary, result.timeline, 0, { startedAt, endedAt: epochMs() });
  }
};

/**
 * This thread and n - 1 worker threads take cells from one shared queue (sweep-queue.ts).
 * This thread runs a cell synchronously and looks at the workers' replies only between
 * its cells; a worker never waits for it, since it takes its next cell itself. Running
 * cells here as well spares one thread's start-up (loading the simulator).
 */
function onThreads(n: number): Run {
  return async (cells, onResult, stopAfter, onProgress) => {
    const queue = newQueue(cells.length, stopAfter);
    const threadCount = Math.min(n - 1, cells.length) + 1;
    const progress = new Float64Array(new SharedArrayBuffer(8 * threadCount));
    // Told while this thread simulates (from its cell's hooks) and, while it waits, by a timer.
    const tick = onProgress && throttled(() => onProgress(finishedCells(queue) + partialCells(progress)));
    const timer = tick && setInterval(tick, PROGRESS_MS);
    let failure: Error | undefined;
    const fail = (err: Error) => {
      failure ??= err;
      stopQueue(queue);
    };
    const handle: OnResult = (cell, summary, timeline, thread, times) => {
      try {
        onResult(cell, summary, timeline, thread, times);
      } catch (err) {
        fail(err as Error);
      }
    };
    const workers: Promise<void>[] = [];
    const threads: Worker[] = [];
    const shared: CellQueue = { cells: cells.map((c) => ({ id: c.id, config: c.config })), queue, progress };
    const bundle = workerBundle(new URL('./sweep-worker-main.ts', import.meta.url));
    for (let i = 0; i < Math.min(n - 1, cells.length); i++) {
      const w = bundle
        ? new Worker(bundle, { execArgv: ['--enable-source-maps'] })
        : new Worker(new URL('./sweep-worker.mjs', import.meta.url));
      threads.push(w);
      workers.push(new Promise<void>((resolve) => {
        let finished = false;
        const end = () => { finished = true; resolve(); };
        w.on('message', (reply: CellReply) => {
          if ('done' in reply) end();
          else if (reply.ok) handle(cells[reply.index]!, reply.summary, reply.timeline, i + 1, reply.times);
          else fail(cellError(cells[reply.index]!.id, reply.error));
        });
        // A thread that dies (an uncaught error, out of memory) fails the sweep once the others are done.
        w.on('error', (err) => { fail(err); end(); });
        w.on('exit', (code) => { if (!finished) { fail(new Error(`sweep worker exited with code ${code}`)); end(); } });
      }));
      w.postMessage({ ...shared, thread: i + 1 } satisfies WorkerStart);
    }
    try {
      for (let i = takeCell(queue); i >= 0; i = takeCell(queue)) {
        const cell = cells[i]!;
        let result;
        const startedAt = epochMs();
        try {
          result = simulate(cell.config, undefined, tick ? progressHooks(progress, 0, cell.config, tick) : {});
        } catch (err) {
          fail(err instanceof Error ? cellError(cell.id, err) : err as Error);
          break;
        }
        progress[0] = 0;
        finishCell(queue);
        handle(cell, result.summary, result.timeline, 0, { startedAt, endedAt: epochMs() });
        await new Promise(setImmediate); // take in the workers' replies
      }
      await Promise.all(workers);
    } finally {
      if (timer) clearInterval(timer);
      for (const w of threads) void w.terminate();
    }
    if (failure) throw failure;
  };
}

/**
 * Simulates `cells` on `workers` threads (1: in this thread) and calls `onResult` as
 * each finishes; for commands that assemble their own cells (reproduce). Nothing is written.
 */
export function runCells(cells: Cell[], workers: number, onResult: (cell: Cell, summary: Record<string, unknown>, timeline: Record<string, number>[]) => void,
  onProgress?: (cellsDone: number) => void): Promise<void> {
  const run = workers <= 1 ? inThisThread : onThreads(workers);
  return run(cells, onResult, Infinity, onProgress);
}

/** Loads, validates and expands a grid; nothing is written. */
export function loadGrid(grid: SweepOptions['grid'], gridName?: string) {
  const where = typeof grid === 'string' ? grid : gridName ?? 'grid';
  return expandGrid(typeof grid === 'string' ? readGridFile(grid) : grid, where);
}

/**
 * Runs a sweep (or one shard of it) into `out`. Every input error is raised before
 * anything is written. Cells already in `out` are skipped.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard ?? { index: 0, count: 1 };
  if (options.workers !== undefined && !(Number.isInteger(options.workers) && options.workers >= 1)) {
    throw new InputError(`--workers: ${options.workers} must be a whole number >= 1`);
  }
  if (!options.out) throw new InputError('--out: a directory is required');
  const { grid, cells } = loadGrid(options.grid, options.gridName);
  const mine = shardCells(cells, shard);

  mkdirSync(cellsDir(options.out), { recursive: true });
  writeFileAtomic(join(options.out, 'grid.json'), JSON.stringify({
    tiersimVersion: TIERSIM_VERSION,
    grid,
    cells: cells.map((c) => ({ id: c.id, labels: c.labels })),
  }, null, 2) + '\n');

  const present = readdirSync(cellsDir(options.out));
  const done = new Set(present.filter((n) => !n.startsWith('.')));
  const todo = mine.filter((c) => !done.has(c.id));
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), Math.max(todo.length, 1)));
  options.onPlan?.({ gridCells: cells.length, shard, shardCells: mine.length, skipped: mine.length - todo.length, toRun: todo.length, workers });
  for (const cell of todo) removeStaleTemps(options.out, cell.id, present);

  const ran: string[] = [];
  const runStarted = performance.now();
  const runStartedAt = epochMs();
  const times: { thread: number; startedAt: number; endedAt: number }[] = [];
  const run = workers === 1 ? inThisThread : onThreads(workers);
  try {
    await run(todo, (cell, summary, timeline, thread, t) => {
      times.push({ thread, ...t });
      writeCell(options.out, cell, summary, timeline);
      ran.push(cell.id);
      options.onCell?.({ id: cell.id, labels: cell.labels, summary, done: ran.length, toRun: todo.length });
    }, options.stopAfter ?? Infinity, options.onProgress);
  } finally {
    writeSweepCsv(options.out, cells);
  }
  const runSeconds = (performance.now() - runStarted) / 1000;
  return {
    out: options.out,
    gridCells: cells.length,
    shard: `${shard.index}/${shard.count}`,
    shardCells: mine.length,
    skipped: mine.length - todo.length,
    ran,
    remaining: todo.length - ran.length,
    workers,
    wallSeconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    cellsPerSecond: Number((ran.length / Math.max(runSeconds, 1e-9)).toFixed(3)),
    threads: sweepThreads(times, runStartedAt),
  };
}

/** Per thread (in thread order, those that ran a cell): when it ran its cells. */
function sweepThreads(times: { thread: number; startedAt: number; endedAt: number }[], origin: number): SweepThread[] {
  const seconds = (ms: number) => Number((ms / 1000).toFixed(3));
  const threads = [...new Set(times.map((t) => t.thread))].sort((a, b) => a - b);
  return threads.map((thread) => {
    const mine = times.filter((t) => t.thread === thread).sort((a, b) => a.startedAt - b.startedAt);
    const lengths = mine.map((t) => t.endedAt - t.startedAt).sort((a, b) => a - b);
    const mid = lengths.length >> 1;
    const median = lengths.length % 2 === 1 ? lengths[mid]! : (lengths[mid - 1]! + lengths[mid]!) / 2;
    return {
      cells: mine.length,
      firstStartedSeconds: seconds(mine[0]!.startedAt - origin),
      lastEndedSeconds: seconds(mine[mine.length - 1]!.endedAt - origin),
      firstCellSeconds: seconds(mine[0]!.endedAt - mine[0]!.startedAt),
      medianCellSeconds: seconds(median),
    };
  });
}

export interface SweepSpeed {
  workers: number;
  cells: number;
  wallSeconds: number;
  cellsPerSecond: number;
  /** CPU seconds of the whole process (every thread) while the sweep ran. */
  cpuSeconds: number;
  /** The cells' own wall seconds (`wallSeconds` of each summary, to the millisecond), summed. */
  cellSeconds: number;
  /** CPU seconds of this process's main thread while the sweep ran (Linux; undefined elsewhere). */
  mainThreadCpuSeconds: number | undefined;
  threads: SweepThread[];
}

/** CPU seconds the main thread has used, from /proc (Linux; undefined elsewhere). */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * The sweep's own speed, for `tiersim bench`: the whole grid into a fresh temporary
 * directory once per worker count and round, in cells per wall second (worker start-up
 * included). Rounds alternate the worker counts, and each count keeps its fastest
 * round, so that a slow spell of a shared machine does not decide a ratio.
 */
export async function sweepSpeed(grid: SweepOptions['grid'], workerCounts: number[] = [1, 2], rounds = 2): Promise<SweepSpeed[]> {
  const best = new Map<number, SweepSpeed>();
  for (let round = 0; round < rounds; round++) {
    for (const workers of workerCounts) {
      const out = processTempDir('tiersim-sweep-speed-');
      try {
        let cellSeconds = 0;
        const cpu = process.cpuUsage();
        const main = mainThreadCpuSeconds();
        const r = await runSweep({ grid, out, workers, onCell: (c) => { cellSeconds += c.summary.wallSeconds as number; } });
        const used = process.cpuUsage(cpu);
        const mainUsed = main === undefined ? undefined : mainThreadCpuSeconds()! - main;
        const speed = { workers: r.workers, cells: r.ran.length, wallSeconds: r.wallSeconds, cellsPerSecond: r.cellsPerSecond, cpuSeconds: (used.user + used.system) / 1e6, cellSeconds, mainThreadCpuSeconds: mainUsed, threads: r.threads };
        const prev = best.get(workers);
        if (!prev || speed.cellsPerSecond > prev.cellsPerSecond) best.set(workers, speed);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  return workerCounts.map((w) => best.get(w)!);
}
