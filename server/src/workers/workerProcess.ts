/**
 * A forked worker process that runs requests one at a time, each within a time budget: the CLI's file
 * checks and the language server's engine jobs. A request that runs over its budget, or a worker that
 * dies, costs that request only: the worker is killed and a new one takes the next request.
 *
 * A process, not a worker thread: a thread that runs over its budget must be stopped, and stopping a thread
 * while it is inside tree-sitter's native code aborts the whole process ("terminate called after throwing
 * an instance of 'Napi::Error'", exit 134, also on process.exit). A process can be killed cleanly.
 *
 * The bundled entry point that forks the worker is also the worker's script: `env` tells it which role
 * to take, and the worker answers through serveWorkerRequests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';

/** What the parent sends, and what the worker answers. */
export interface WorkerRequest<Request> {
  id: number;
  request: Request;
}
export type WorkerReply<Result> = { ready: true } | { id: number; result: Result } | { id: number; failure: string };

/** A request the worker did not answer: it ran over its budget, or the worker exited. */
export class WorkerStoppedError extends Error {
  constructor(
    readonly reason: { kind: 'timeout'; budgetMs: number } | { kind: 'exit'; detail: string },
    message: string,
  ) {
    super(message);
  }
}

interface Pending<Request, Result> {
  request: Request;
  budgetMs: number;
  resolve(result: Result): void;
  reject(error: Error): void;
}

export class WorkerProcess<Request, Result> {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Pending<Request, Result>[] = [];
  private current: { id: number; pending: Pending<Request, Result>; timer: NodeJS.Timeout } | undefined;
  private nextId = 0;
  private disposed = false;

  constructor(
    private readonly script: string,
    /** Set in the worker's environment: the role the script takes. */
    private readonly env: Record<string, string>,
    /** Names the worker in messages: "the engine process exited (SIGKILL)". */
    private readonly name: string,
  ) {}

  /** Resolves with the worker's result; rejects with the worker's failure or a WorkerStoppedError. */
  run(request: Request, budgetMs: number): Promise<Result> {
    if (this.disposed) return Promise.reject(this.shutDown());
    return new Promise((resolve, reject) => {
      this.queue.push({ request, budgetMs, resolve, reject });
      this.feed();
    });
  }

  /** Lets an idle worker exit on its own; kills a busy one. Queued requests are rejected. */
  dispose(): void {
    this.disposed = true;
    const stopped = this.shutDown();
    for (const pending of this.queue.splice(0)) pending.reject(stopped);
    if (this.current) {
      this.stop(stopped);
      return;
    }
    const child = this.child;
    this.child = undefined;
    if (child?.connected) child.disconnect();
  }

  private shutDown(): WorkerStoppedError {
    return new WorkerStoppedError({ kind: 'exit', detail: 'disposed' }, `the ${this.name} was shut down`);
  }

  private feed(): void {
    if (this.current || this.queue.length === 0 || this.disposed) return;
    const child = this.child ?? this.start();
    if (!this.ready) return;
    const pending = this.queue.shift() as Pending<Request, Result>;
    const id = this.nextId++;
    // The budget counts from the moment the worker has the request: queued requests do not use it up.
    const timer = setTimeout(() => {
      this.stop(new WorkerStoppedError({ kind: 'timeout', budgetMs: pending.budgetMs }, `the ${this.name} ran longer than ${pending.budgetMs} ms`));
      this.feed();
    }, pending.budgetMs);
    this.current = { id, pending, timer };
    const message: WorkerRequest<Request> = { id, request: pending.request };
    child.send(message);
  }

  private start(): ChildProcess {
    const child = fork(this.script, [], {
      env: { ...process.env, ...this.env },
      // A parent started for debugging (`--inspect=6009`) must not hand its debug port to the worker.
      execArgv: process.execArgv.filter((argument) => !argument.startsWith('--inspect')),
      // Structured clone keeps results exactly as built.
      serialization: 'advanced',
      // The worker's stdout is not ours: over `--stdio` it would corrupt the LSP stream.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    this.ready = false;
    child.on('message', (reply: WorkerReply<Result>) => {
      if (child !== this.child) return;
      if ('ready' in reply) {
        this.ready = true;
        this.feed();
        return;
      }
      const current = this.current;
      if (!current || current.id !== reply.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      if ('result' in reply) current.pending.resolve(reply.result);
      else current.pending.reject(new Error(reply.failure));
      this.feed();
    });
    const onExit = (detail: string): void => {
      if (child !== this.child) return;
      this.stop(new WorkerStoppedError({ kind: 'exit', detail }, `the ${this.name} exited (${detail})`));
      this.feed();
    };
    child.on('error', (error) => onExit(error.message));
    child.on('exit', (code, signal) => onExit(signal ?? `code ${code}`));
    return child;
  }

  /** Kills the worker (whatever it kept goes with it) and fails the request it was running. */
  private stop(reason: WorkerStoppedError): void {
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

/** The part of `process` a worker talks through. */
export interface WorkerChannel<Request, Result> {
  on(event: 'message', listener: (message: WorkerRequest<Request>) => void): void;
  on(event: 'disconnect', listener: () => void): void;
  send?(reply: WorkerReply<Result>): boolean;
}

/** Runs in the worker: answers each request with `handle`'s result or its error, exits when the parent lets go. */
export function serveWorkerRequests<Request, Result>(channel: WorkerChannel<Request, Result>, handle: (request: Request) => Result): void {
  channel.on('message', ({ id, request }) => {
    let reply: WorkerReply<Result>;
    try {
      reply = { id, result: handle(request) };
    } catch (error) {
      reply = { id, failure: error instanceof Error ? error.message : String(error) };
    }
    channel.send?.(reply);
  });
  channel.on('disconnect', () => process.exit(0));
  channel.send?.({ ready: true });
}

// Runs on its own thread, so it still runs while the worker's main thread is stuck in a request.
const PARENT_WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.everyMs);
`;

/**
 * Makes a worker process end when its parent does. A worker normally exits on the IPC disconnect, but a
 * worker stuck in a runaway request never gets to that event: when the parent is killed meanwhile (an
 * editor stopping a server it thinks hangs), the worker would spin on as an orphan. A thread watches for
 * the parent to change (an orphan is adopted by init) and kills the process.
 */
export function exitWithParent(everyMs = 500): void {
  const watcher = new Worker(PARENT_WATCH, { eval: true, workerData: { parent: process.ppid, everyMs } });
  // The watch must not keep an idle worker alive.
  watcher.unref();
}
