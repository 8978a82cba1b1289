/**
 * Where the server's engine jobs run. The bundled server runs them in a child process, one at a time, so
 * that a job that runs away (an engine bug that loops, or a file far slower than its size suggests) is
 * stopped at the file's time budget instead of freezing every feature of the editor, and the server stays
 * free to answer meanwhile. A process, not a thread: stopping a thread inside tree-sitter's native code
 * aborts the whole process (see the CLI's workerPool). Without a bundled script (tests running the
 * sources) the same jobs run in this process, with no time budget.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { createEngineJobs, type EngineJob, type EngineJobs, type JobArgs, type JobResult } from './engineJobs';

/** Tells the bundled script that it was started as the server's engine child, not as the server. */
export const ENGINE_WORKER_ENV = 'NANLINT_ENGINE_WORKER';

export interface EngineHost {
  run<K extends EngineJob>(job: K, args: JobArgs<K>, budgetMs: number): Promise<JobResult<K>>;
  dispose(): void;
}

/** A job the child did not finish: it ran over its budget, or the child died. */
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
      return Promise.resolve(callJob(this.jobs, job, args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  dispose(): void {}
}

export interface JobRequest {
  id: number;
  job: EngineJob;
  args: unknown;
}
export type ChildMessage = { ready: true } | { id: number; result: unknown } | { id: number; failure: string };

interface Pending {
  request: Omit<JobRequest, 'id'>;
  budgetMs: number;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

class EngineProcess implements EngineHost {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Pending[] = [];
  private current: { id: number; pending: Pending; timer: NodeJS.Timeout } | undefined;
  private nextId = 0;
  private disposed = false;

  constructor(private readonly script: string) {}

  run<K extends EngineJob>(job: K, args: JobArgs<K>, budgetMs: number): Promise<JobResult<K>> {
    if (this.disposed) return Promise.reject(new EngineJobAbortedError('the server is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { job, args }, budgetMs, resolve: resolve as (result: unknown) => void, reject });
      this.feed();
    });
  }

  dispose(): void {
    this.disposed = true;
    const reason = new EngineJobAbortedError('the server is shutting down');
    for (const pending of this.queue.splice(0)) pending.reject(reason);
    this.stop(reason);
  }

  private feed(): void {
    if (this.current || this.queue.length === 0 || this.disposed) return;
    const child = this.child ?? this.start();
    if (!this.ready) return;
    const pending = this.queue.shift() as Pending;
    const id = this.nextId++;
    // The budget counts from the moment the child has the job: queued jobs do not use it up.
    const timer = setTimeout(() => {
      this.stop(new EngineJobAbortedError(`analysis took longer than ${pending.budgetMs} ms (file-time-budget-ms) and was stopped`));
      this.feed();
    }, pending.budgetMs);
    this.current = { id, pending, timer };
    const request: JobRequest = { id, ...pending.request };
    child.send(request);
  }

  private start(): ChildProcess {
    const child = fork(this.script, [], {
      env: { ...process.env, [ENGINE_WORKER_ENV]: '1' },
      serialization: 'advanced',
      // The child's stdout is not ours: over `--stdio` it would corrupt the LSP stream.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    this.ready = false;
    child.on('message', (message: ChildMessage) => {
      if (child !== this.child) return;
      if ('ready' in message) {
        this.ready = true;
        this.feed();
        return;
      }
      const current = this.current;
      if (!current || current.id !== message.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      if ('result' in message) current.pending.resolve(message.result);
      else current.pending.reject(new Error(message.failure));
      this.feed();
    });
    const onExit = (reason: string): void => {
      if (child !== this.child) return;
      this.stop(new EngineJobAbortedError(`the engine process ${reason}`));
      this.feed();
    };
    child.on('error', (error) => onExit(`failed: ${error.message}`));
    child.on('exit', (code, signal) => onExit(`exited (${signal ?? `code ${code}`})`));
    return child;
  }

  /** Kills the child (the documents it kept go with it) and fails the job it was running. */
  private stop(reason: EngineJobAbortedError): void {
    const { child, current } = this;
    this.child = undefined;
    this.ready = false;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.pending.reject(reason);
    }
    child?.kill('SIGKILL');
  }
}

/** The part of `process` the engine child talks through. */
export interface EngineChannel {
  on(event: 'message', listener: (request: JobRequest) => void): void;
  on(event: 'disconnect', listener: () => void): void;
  send?(message: ChildMessage): boolean;
}

/** Runs in the child: answers each job, exits when the server lets go. */
export function serveEngineJobs(channel: EngineChannel): void {
  const jobs = createEngineJobs();
  channel.on('message', (request) => {
    try {
      channel.send?.({ id: request.id, result: callJob(jobs, request.job, request.args as JobArgs<typeof request.job>) });
    } catch (error) {
      channel.send?.({ id: request.id, failure: error instanceof Error ? error.message : String(error) });
    }
  });
  channel.on('disconnect', () => process.exit(0));
  channel.send?.({ ready: true });
}

function callJob<K extends EngineJob>(jobs: EngineJobs, job: K, args: JobArgs<K>): JobResult<K> {
  if (!Object.hasOwn(jobs, job)) throw new Error(`the engine has no job '${String(job)}'`);
  return (jobs[job] as (args: JobArgs<K>) => JobResult<K>)(args);
}
