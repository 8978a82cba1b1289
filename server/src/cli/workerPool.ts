/**
 * The workspace scan runs files on one worker process per core (workers/workerProcess.ts says why
 * processes): a file that runs over its time budget, or crashes its worker, is reported and skipped.
 */
import { WorkerProcess, WorkerStoppedError, serveWorkerRequests, type WorkerChannel } from '../workers/workerProcess';
import { checkFile, type FileJob } from './fileCheck';
import type { FileOutcome } from './diagnostics';

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

async function runOnWorkers(jobs: readonly FileJob[], script: string, count: number, budget: (job: FileJob) => number): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(jobs.length);
  let next = 0;
  const work = async (): Promise<void> => {
    const worker = new WorkerProcess<FileJob, FileOutcome>(script, { [CHECK_WORKER_ENV]: '1' }, 'check worker');
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index] as FileJob;
      const ms = budget(job);
      outcomes[index] = await worker.run(job, ms).catch((error: unknown): FileOutcome => {
        if (error instanceof WorkerStoppedError && error.reason.kind === 'timeout') {
          return skippedFor(job, 'timeout', `checking took longer than the ${ms} ms budget (file-time-budget-ms)`);
        }
        return crashed(job, error instanceof Error ? error.message : String(error));
      });
    }
    worker.dispose();
  };
  await Promise.all(Array.from({ length: count }, work));
  return outcomes;
}

/** Runs inside a worker process: answers each file job with its outcome. */
export function serveCheckRequests(channel: WorkerChannel<FileJob, FileOutcome>): void {
  serveWorkerRequests(channel, checkFile);
}

function crashed(job: FileJob, message: string): FileOutcome {
  return skippedFor(job, 'crash', `internal error while checking (please report it): ${message}`);
}

function skippedFor(job: FileJob, kind: 'timeout' | 'crash', reason: string): FileOutcome {
  return { filename: job.filename, diagnostics: [], fixed: [], syntaxErrors: [], skipped: { filename: job.filename, kind, reason } };
}
