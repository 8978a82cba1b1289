/** The worker process boundary: determinism, cancellation within a second, the wall-time cap. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReproReport } from '../../server/src/protocol/reproduce';
import { ReproductionError, runReproduction } from '../../server/src/reproduce/runReproduction';
import { adamLstm, sigmoidHandwrittenBce } from './trainingConfigs';
import { bundleWorker, isAlive } from './workerBundle';

let worker: { workerPath: string; remove: () => void };

beforeAll(async () => {
  worker = await bundleWorker();
});

afterAll(() => worker.remove());

/** Everything measured, without the wall-clock fields. */
function measurements(report: ReproReport): unknown {
  return {
    verdict: report.verdict,
    margin: report.margin,
    runs: report.runs.map(({ wallMs: _wallMs, ...rest }) => rest),
  };
}

function rejection(promise: Promise<unknown>): Promise<ReproductionError> {
  return promise.then(
    () => {
      throw new Error('the reproduction finished instead of stopping');
    },
    (error: unknown) => {
      if (!(error instanceof ReproductionError)) throw error;
      return error;
    },
  );
}

describe('reproduction worker', () => {
  it('gives identical numbers for the same file, seed and backend', async () => {
    const options = { file: 'clf.py', backend: 'wasm' as const, steps: 30, seed: 4, workerPath: worker.workerPath };
    const first = await runReproduction(sigmoidHandwrittenBce(), options);
    const second = await runReproduction(sigmoidHandwrittenBce(), options);
    expect(first.seeds).toEqual([4, 5, 6]);
    expect(measurements(second)).toEqual(measurements(first));
    expect(first.tensorsLeaked).toBe(0);
  }, 60_000);

  it('stops every worker process within a second of cancellation', async () => {
    const pids: number[] = [];
    const controller = new AbortController();
    let resolveRunning: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (resolveRunning = resolve));
    const result = runReproduction(adamLstm(), {
      file: 'seq2seq.py',
      backend: 'wasm',
      workerPath: worker.workerPath,
      signal: controller.signal,
      onWorkerStart: (pid) => pids.push(pid),
      onProgress: (p) => {
        if (p.fraction > 0) resolveRunning();
      },
    });
    await running;
    expect(pids.length).toBeGreaterThan(0);
    const cancelledAt = Date.now();
    controller.abort();
    const error = await rejection(result);
    expect(error.failure).toBe('cancelled');
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);

  it('stops a worker that goes over the memory cap and names the cap', async () => {
    const error = await rejection(
      runReproduction(adamLstm(), { file: 'seq2seq.py', backend: 'wasm', workerPath: worker.workerPath, memoryCapMb: 16 }),
    );
    expect(error.failure).toBe('failed');
    expect(error.message).toMatch(/^memory cap exceeded: \d+ MiB > 16 MiB$/);
  }, 60_000);

  it('stops at the wall-time cap and says so', async () => {
    const pids: number[] = [];
    const started = Date.now();
    const error = await rejection(
      runReproduction(adamLstm(), {
        file: 'seq2seq.py',
        backend: 'wasm',
        workerPath: worker.workerPath,
        timeoutMs: 1500,
        onWorkerStart: (pid) => pids.push(pid),
      }),
    );
    expect(error.failure).toBe('timeout');
    expect(error.message).toBe('reproduction stopped at the wall-time cap of 1.5 s');
    expect(Date.now() - started).toBeLessThan(1500 + 1000);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
