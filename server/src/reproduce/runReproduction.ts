/**
 * Parent side of the reproduction workers: forks dist/reproWorker.js, streams progress, and stops them
 * on cancellation (within a second: the worker is killed, not asked), at the wall-time cap and at the
 * memory cap (V8 heap via --max-old-space-size, resident set checked by the worker between steps).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { BackendRequest, ReproProgress, ReproReport, TrainingConfig, VariantKind } from '../protocol/reproduce';
import { assembleReport, type PartialReport } from './report';
import { workerMessageSchema, type RunRequest } from './workerMessages';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MEMORY_CAP_MB = 1024;
const HEAP_CAP_MB = 512;

export interface ReproductionOptions {
  file: string;
  steps?: number;
  seed?: number;
  backend?: BackendRequest;
  /** Wall-time cap; the worker is killed when it is reached. */
  timeoutMs?: number;
  /** Resident-set cap checked between training steps. */
  memoryCapMb?: number;
  onProgress?: (progress: ReproProgress) => void;
  signal?: AbortSignal;
  /** Where the worker bundle is; found next to this bundle (dist/) by default. */
  workerPath?: string;
  /** Called with each worker's process id once it is started. */
  onWorkerStart?: (pid: number) => void;
}

export type ReproductionFailure = 'cancelled' | 'timeout' | 'failed';

export class ReproductionError extends Error {
  constructor(
    readonly failure: ReproductionFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ReproductionError';
  }
}

/** dist/reproWorker.js seen from the bundles in dist/ or from the sources in server/src/reproduce/. */
export function defaultWorkerPath(): string {
  const candidates = [path.join(__dirname, 'reproWorker.js'), path.join(__dirname, '..', '..', '..', 'dist', 'reproWorker.js')];
  return candidates.find((candidate) => existsSync(candidate)) ?? (candidates[0] as string);
}

interface WorkerHandle {
  done: Promise<PartialReport>;
  kill(): void;
}

/** Starts one worker for some variants; its promise settles only once the process has exited. */
function startWorker(
  workerPath: string,
  request: RunRequest,
  onProgress: (progress: ReproProgress) => void,
  onStart: ((pid: number) => void) | undefined,
): WorkerHandle {
  const child = fork(workerPath, [], {
    execArgv: [`--max-old-space-size=${HEAP_CAP_MB}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  if (child.pid !== undefined) onStart?.(child.pid);
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-2000);
  });
  let outcome: { partial: PartialReport } | { error: ReproductionError } | null = null;
  const settle = (next: { partial: PartialReport } | { error: ReproductionError }) => {
    if (outcome === null) outcome = next;
  };
  const done = new Promise<PartialReport>((resolve, reject) => {
    child.on('message', (raw) => {
      const parsed = workerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        settle({ error: new ReproductionError('failed', `malformed message from the reproduction worker: ${parsed.error.message}`) });
        child.kill('SIGKILL');
        return;
      }
      const message = parsed.data;
      if (message.type === 'progress') onProgress({ message: message.message, fraction: message.fraction });
      else if (message.type === 'result') settle({ partial: message.partial as unknown as PartialReport });
      else settle({ error: new ReproductionError('failed', message.message) });
    });
    child.on('error', (error) => settle({ error: new ReproductionError('failed', `reproduction worker failed: ${error.message}`) }));
    child.on('exit', (code, signal) => {
      const final = outcome ?? {
        error: new ReproductionError(
          'failed',
          `reproduction worker exited (${signal ?? `code ${code}`}) without a report${stderrTail ? `: ${stderrTail.trim().split('\n').slice(-3).join(' ')}` : ''}`,
        ),
      };
      if ('partial' in final) resolve(final.partial);
      else reject(final.error);
    });
    child.send(request);
  });
  return {
    done,
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

/**
 * The two variants train in parallel worker processes when the machine has a core for each (the
 * wasm backend is single-threaded); the numbers do not depend on how the work is split.
 */
function variantGroups(): VariantKind[][] {
  return availableParallelism() >= 2 ? [['as-written'], ['fixed']] : [['as-written', 'fixed']];
}

export async function runReproduction(config: TrainingConfig, options: ReproductionOptions): Promise<ReproReport> {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  if (!existsSync(workerPath)) {
    throw new ReproductionError('failed', `reproduction worker not found at ${workerPath} (run \`npm run build\`)`);
  }
  if (options.signal?.aborted) throw new ReproductionError('cancelled', 'reproduction cancelled');
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const groups = variantGroups();
  const fractions = groups.map(() => 0);
  const workers = groups.map((variants, index) =>
    startWorker(
      workerPath,
      {
        type: 'run',
        config,
        steps: options.steps,
        seed: options.seed,
        backend: options.backend ?? 'auto',
        variants,
        memoryCapMb: options.memoryCapMb ?? DEFAULT_MEMORY_CAP_MB,
      },
      (progress) => {
        fractions[index] = progress.fraction;
        options.onProgress?.({ message: progress.message, fraction: fractions.reduce((a, b) => a + b, 0) / fractions.length });
      },
      options.onWorkerStart,
    ),
  );
  let stopReason: ReproductionError | null = null;
  const stopAll = (reason: ReproductionError) => {
    stopReason ??= reason;
    for (const worker of workers) worker.kill();
  };
  const timer = setTimeout(
    () => stopAll(new ReproductionError('timeout', `reproduction stopped at the wall-time cap of ${Math.round(timeoutMs / 100) / 10} s`)),
    timeoutMs,
  );
  const onAbort = () => stopAll(new ReproductionError('cancelled', 'reproduction cancelled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // One failing worker stops the others; every promise is awaited so no process outlives the call.
  const settled = await Promise.allSettled(
    workers.map((worker) =>
      worker.done.catch((error: unknown) => {
        stopAll(error instanceof ReproductionError ? error : new ReproductionError('failed', String(error)));
        throw error;
      }),
    ),
  );
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  if (stopReason !== null) throw stopReason;
  const partials = settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
  return assembleReport(config, options.file, options.seed ?? 0, partials, Date.now() - started);
}
