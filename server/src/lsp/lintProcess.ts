/**
 * The bundled server lints in a child process, one lint at a time, so that a lint that runs away (an
 * engine bug that loops, or a file far slower than its size suggests) is stopped at the file's time budget
 * instead of freezing every feature of the editor; the server itself stays free to answer. A process, not
 * a thread: stopping a thread inside tree-sitter's native code aborts the whole process (see the CLI's
 * workerPool). The child keeps each document's last text and tree and turns the next text into one edit,
 * so it still reparses incrementally.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { IncrementalDocument, lint, type LintConfig, type LintResult } from '../engine';
import { minimalEdit } from './fixAll';

/** Tells the bundled server script that it was started as the lint child, not as the language server. */
export const LINT_WORKER_ENV = 'NANLINT_LINT_WORKER';

export interface LintRequest {
  id: number;
  /** The document's key (its owner URI): the child keeps one text and tree per key. */
  key: string;
  text: string;
  path: string;
  config: LintConfig;
}
export type ParentMessage = LintRequest | { forget: string };
export type ChildMessage = { ready: true } | { id: number; result: LintResult } | { id: number; failure: string };

/** A lint the child did not finish: it ran over its budget, or the child died. */
export class LintAbortedError extends Error {}

interface Job {
  request: Omit<LintRequest, 'id'>;
  budgetMs: number;
  resolve(result: LintResult): void;
  reject(error: Error): void;
}

export class LintProcess {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly queue: Job[] = [];
  private current: { id: number; job: Job; timer: NodeJS.Timeout } | undefined;
  private nextId = 0;
  private disposed = false;

  constructor(private readonly script: string) {}

  lint(key: string, text: string, path: string, config: LintConfig, budgetMs: number): Promise<LintResult> {
    if (this.disposed) return Promise.reject(new LintAbortedError('the server is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { key, text, path, config }, budgetMs, resolve, reject });
      this.feed();
    });
  }

  /** Drops the child's copy of a closed document. */
  forget(key: string): void {
    if (this.child && this.ready) this.send({ forget: key });
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.reject(new LintAbortedError('the server is shutting down'));
    this.stop(new LintAbortedError('the server is shutting down'));
  }

  private feed(): void {
    if (this.current || this.queue.length === 0 || this.disposed) return;
    const child = this.child ?? this.start();
    if (!this.ready) return;
    const job = this.queue.shift() as Job;
    const id = this.nextId++;
    // The budget counts from the moment the child has the request: queued lints do not use it up.
    const timer = setTimeout(() => {
      this.stop(new LintAbortedError(`analysis took longer than ${job.budgetMs} ms (file-time-budget-ms) and was stopped`));
      this.feed();
    }, job.budgetMs);
    this.current = { id, job, timer };
    this.send({ id, ...job.request }, child);
  }

  private start(): ChildProcess {
    const child = fork(this.script, [], {
      env: { ...process.env, [LINT_WORKER_ENV]: '1' },
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
      if ('result' in message) current.job.resolve(message.result);
      else current.job.reject(new Error(message.failure));
      this.feed();
    });
    const onExit = (reason: string): void => {
      if (child !== this.child) return;
      this.stop(new LintAbortedError(`the lint process ${reason}`));
      this.feed();
    };
    child.on('error', (error) => onExit(`failed: ${error.message}`));
    child.on('exit', (code, signal) => onExit(`exited (${signal ?? `code ${code}`})`));
    return child;
  }

  /** Kills the child (its documents go with it) and fails the lint it was running. */
  private stop(reason: LintAbortedError): void {
    const { child, current } = this;
    this.child = undefined;
    this.ready = false;
    this.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.job.reject(reason);
    }
    child?.kill('SIGKILL');
  }

  private send(message: ParentMessage, child = this.child): void {
    child?.send(message);
  }
}

/** The part of `process` the lint child talks through. */
export interface LintChannel {
  on(event: 'message', listener: (message: ParentMessage) => void): void;
  on(event: 'disconnect', listener: () => void): void;
  send?(message: ChildMessage): boolean;
}

/** Runs in the child: lints each request against the document's previous text, exits when the server lets go. */
export function serveLintRequests(channel: LintChannel): void {
  const documents = new Map<string, IncrementalDocument>();
  channel.on('message', (message) => {
    if ('forget' in message) {
      documents.delete(message.forget);
      return;
    }
    let document = documents.get(message.key);
    if (!document) {
      document = new IncrementalDocument(message.text);
      documents.set(message.key, document);
    } else if (document.text !== message.text) {
      const { range, newText } = minimalEdit(document.text, message.text);
      document.applyChange({ range, text: newText });
    }
    try {
      channel.send?.({ id: message.id, result: lint(message.text, message.path, message.config, { document }) });
    } catch (error) {
      documents.delete(message.key);
      channel.send?.({ id: message.id, failure: error instanceof Error ? error.message : String(error) });
    }
  });
  channel.on('disconnect', () => process.exit(0));
  channel.send?.({ ready: true });
}
