/**
 * The workspace scan runs files on one worker per core. Workers are forked processes rather than
 * worker_threads: a thread that runs over its time budget must be stopped, and stopping a thread while
 * it is inside tree-sitter's native code aborts the whole process ("terminate called after throwing an
 * instance of 'Napi::Error'", exit 134 — also on process.exit). A process can be killed cleanly.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { checkFile, type FileJob } from './fileCheck';
import type { FileOutcome } from './diagnostics';

/** What the main process sends to a check worker, and what comes back. */
export interface WorkerRequest {
  id: number;
  job: FileJob;
}
export type WorkerResponse = { id: number; outcome: FileOutcome } | { id: number; crash: string };
/** Sent once the worker has loaded the engine, so the time budget counts checking time only. */
export interface WorkerReady {
  ready: true;
}

/** Tells the bundled CLI script that it was started as a check worker, not as the command line. */
export const CHECK_WORKER_ENV = 'NANLINT_CHECK_WORKER';

export interface PoolOptions {
  /** The bundled script to start as a worker; without it files are checked in this process. */
  workerScript?: string;
  workers: number;
  /** Per-file budget, enforced only on workers (a worker that runs over is killed and replaced). */
  timeBudgetMs: (job: FileJob) => number;
}

export async function checkFiles(jobs: readonly FileJob[], options: PoolOptions): Promise<FileOutcome[]> {
  if (!options.workerScript || jobs.length === 0) return checkHereOneByOne(jobs);
  return runOnWorkers(jobs, options.workerScript, Math.max(1, Math.min(options.workers, jobs.length)), options.timeBudgetMs);
}

/**
 * Checks the files in this process, giving the event loop a turn after each: node-tree-sitter frees a
 * tree's native memory in a finalizer that runs only then, so a loop that never yields holds every tree
 * it parsed (measured: 1.7 MB per 2,000-line file, gigabytes over a large repository).
 */
async function checkHereOneByOne(jobs: readonly FileJob[]): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const job of jobs) {
    outcomes.push(checkHere(job));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outcomes;
}

function checkHere(job: FileJob): FileOutcome {
  try {
    return checkFile(job);
  } catch (error) {
    return crashed(job, error instanceof Error ? error.message : String(error));
  }
}

function runOnWorkers(jobs: readonly FileJob[], script: string, count: number, budget: (job: FileJob) => number): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  return new Promise((resolveAll) => {
    const finishOne = (index: number, outcome: FileOutcome): void => {
      outcomes[index] = outcome;
      done++;
      if (done === jobs.length) resolveAll(outcomes);
    };
    const startWorker = (): void => {
      const worker: ChildProcess = fork(script, [], {
        env: { ...process.env, [CHECK_WORKER_ENV]: '1' },
        // Structured clone keeps outcomes exactly as built; the worker's own output is not ours to print.
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      let current: { index: number; timer: NodeJS.Timeout } | undefined;
      let retired = false;
      const retire = (kill: boolean): void => {
        retired = true;
        if (current) clearTimeout(current.timer);
        current = undefined;
        if (kill) worker.kill('SIGKILL');
        else if (worker.connected) worker.disconnect();
      };
      const replaceAfter = (index: number, outcome: FileOutcome): void => {
        retire(true);
        finishOne(index, outcome);
        if (next < jobs.length) startWorker();
      };
      const feed = (): void => {
        if (next >= jobs.length) {
          retire(false);
          return;
        }
        const index = next++;
        const job = jobs[index] as FileJob;
        const ms = budget(job);
        const timer = setTimeout(() => {
          replaceAfter(index, skippedFor(job, 'timeout', `checking took longer than the ${ms} ms budget (file-time-budget-ms)`));
        }, ms);
        current = { index, timer };
        const request: WorkerRequest = { id: index, job };
        worker.send(request);
      };
      worker.on('message', (response: WorkerResponse | WorkerReady) => {
        if ('ready' in response) {
          feed();
          return;
        }
        if (!current || response.id !== current.index) return;
        clearTimeout(current.timer);
        const { index } = current;
        current = undefined;
        finishOne(index, 'outcome' in response ? response.outcome : crashed(jobs[index] as FileJob, response.crash));
        feed();
      });
      const onFailure = (reason: string): void => {
        if (retired || !current) return;
        const { index } = current;
        replaceAfter(index, crashed(jobs[index] as FileJob, reason));
      };
      worker.on('error', (error) => onFailure(error.message));
      worker.on('exit', (code, signal) => onFailure(`the check worker exited (${signal ?? `code ${code}`})`));
    };
    for (let i = 0; i < count; i++) startWorker();
  });
}

/** The part of `process` a check worker talks through. */
export interface WorkerChannel {
  on(event: 'message', listener: (request: WorkerRequest) => void): void;
  on(event: 'disconnect', listener: () => void): void;
  send?(response: WorkerResponse | WorkerReady): boolean;
}

/** Runs inside a worker process: answers each request with its outcome, exits when the CLI lets go. */
export function serveCheckRequests(channel: WorkerChannel): void {
  const reply = (response: WorkerResponse | WorkerReady): void => {
    channel.send?.(response);
  };
  channel.on('message', (request) => {
    let response: WorkerResponse;
    try {
      response = { id: request.id, outcome: checkFile(request.job) };
    } catch (error) {
      response = { id: request.id, crash: error instanceof Error ? error.message : String(error) };
    }
    reply(response);
  });
  channel.on('disconnect', () => process.exit(0));
  reply({ ready: true });
}

function crashed(job: FileJob, message: string): FileOutcome {
  return skippedFor(job, 'crash', `internal error while checking (please report it): ${message}`);
}

function skippedFor(job: FileJob, kind: 'timeout' | 'crash', reason: string): FileOutcome {
  return { filename: job.filename, diagnostics: [], fixed: [], syntaxErrors: [], skipped: { filename: job.filename, kind, reason } };
}
