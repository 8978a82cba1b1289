/**
 * Where the server's engine jobs run. The bundled server runs them in a child process, one at a time
 * (workers/workerProcess.ts), so that a job that runs away (an engine bug that loops, or a file far slower
 * than its size suggests) is stopped at the file's time budget instead of freezing every feature of the
 * editor, and the server stays free to answer meanwhile. Without a bundled script (tests running the
 * sources) the same jobs run in this process, with no time budget.
 */
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { WorkerProcess, WorkerStoppedError, serveWorkerRequests, type WorkerChannel } from '../workers/workerProcess';
import { createEngineJobs, type EngineJob, type EngineJobs, type JobArgs, type JobResult } from './engineJobs';

/** Tells the bundled script that it was started as the server's engine child, not as the server. */
export const ENGINE_WORKER_ENV = 'NANLINT_ENGINE_WORKER';

export interface EngineHost {
  run<K extends EngineJob>(job: K, args: JobArgs<K>, budgetMs: number): Promise<JobResult<K>>;
  dispose(): void;
}

/** A job the engine process did not finish: it ran over its budget, or the process died. */
export class EngineJobAbortedError extends Error {}

/** For requests: an aborted job becomes a RequestFailed response that says what was stopped and why. */
export function failRequestIfAborted(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof EngineJobAbortedError) throw new ResponseError(LSPErrorCodes.RequestFailed, `nanlint: ${what} was stopped: ${error.message}`);
    throw error;
  };
}

export function createEngineHost(script: string | undefined): EngineHost {
  return script === undefined ? new InProcessEngine() : new EngineProcess(script);
}

class InProcessEngine implements EngineHost {
  private readonly jobs = createEngineJobs();

  run<K extends EngineJob>(job: K, args: JobArgs<K>): Promise<JobResult<K>> {
    try {
      return Promise.resolve(callJob(this.jobs, { job, args }) as JobResult<K>);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  dispose(): void {}
}

/** One engine job as it crosses to the child. */
export interface JobRequest {
  job: EngineJob;
  args: unknown;
}

class EngineProcess implements EngineHost {
  private readonly worker: WorkerProcess<JobRequest, unknown>;

  constructor(script: string) {
    this.worker = new WorkerProcess(script, { [ENGINE_WORKER_ENV]: '1' }, 'engine process');
  }

  async run<K extends EngineJob>(job: K, args: JobArgs<K>, budgetMs: number): Promise<JobResult<K>> {
    try {
      return (await this.worker.run({ job, args }, budgetMs)) as JobResult<K>;
    } catch (error) {
      if (!(error instanceof WorkerStoppedError)) throw error;
      const { reason } = error;
      throw new EngineJobAbortedError(
        reason.kind === 'timeout' ? `analysis took longer than ${reason.budgetMs} ms (file-time-budget-ms) and was stopped` : error.message,
      );
    }
  }

  dispose(): void {
    this.worker.dispose();
  }
}

/** Runs in the child: answers each engine job, exits when the server lets go. */
export function serveEngineJobs(channel: WorkerChannel<JobRequest, unknown>): void {
  const jobs = createEngineJobs();
  serveWorkerRequests(channel, (request) => callJob(jobs, request));
}

function callJob(jobs: EngineJobs, { job, args }: JobRequest): unknown {
  if (!Object.hasOwn(jobs, job)) throw new Error(`the engine has no job '${String(job)}'`);
  return (jobs[job] as (args: unknown) => unknown)(args);
}
