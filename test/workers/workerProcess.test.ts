import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerProcess, WorkerStoppedError } from '../../server/src/workers/workerProcess';

// A worker that speaks the protocol by hand and misbehaves on request: it loops, exits or fails.
const SCRIPT = `
if (process.env.ROLE !== 'test-worker') process.exit(9);
process.on('message', ({ id, request }) => {
  if (request.loop) for (;;) {}
  if (request.exit) process.exit(3);
  if (request.fail) return process.send({ id, failure: 'asked to fail' });
  process.send({ id, result: { echo: request.value, pid: process.pid } });
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;

type Request = { value?: number; loop?: boolean; exit?: boolean; fail?: boolean };
type Result = { echo: number; pid: number };

describe('a worker process', () => {
  let folder: string;
  let script: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'nanlint-worker-'));
    script = join(folder, 'worker.js');
    writeFileSync(script, SCRIPT);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const start = () => new WorkerProcess<Request, Result>(script, { ROLE: 'test-worker' }, 'test worker');

  it('answers requests in order, one worker for all of them', async () => {
    const worker = start();
    const results = await Promise.all([1, 2, 3].map((value) => worker.run({ value }, 5_000)));
    expect(results.map((result) => result.echo)).toEqual([1, 2, 3]);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    worker.dispose();
  });

  it('stops a request over its budget and serves the next one from a new worker', async () => {
    const worker = start();
    const before = await worker.run({ value: 0 }, 5_000);
    const looping = worker.run({ loop: true }, 200);
    const after = worker.run({ value: 1 }, 5_000);
    const error = await looping.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkerStoppedError);
    expect((error as WorkerStoppedError).reason).toEqual({ kind: 'timeout', budgetMs: 200 });
    expect((error as Error).message).toBe('the test worker ran longer than 200 ms');
    const next = await after;
    expect(next.echo).toBe(1);
    expect(next.pid).not.toBe(before.pid);
    worker.dispose();
  });

  it('reports a worker that exits during a request, and a request that fails, and goes on', async () => {
    const worker = start();
    const exited = await worker.run({ exit: true }, 5_000).catch((caught: unknown) => caught);
    expect(exited).toBeInstanceOf(WorkerStoppedError);
    expect((exited as Error).message).toBe('the test worker exited (code 3)');
    const failed = await worker.run({ fail: true }, 5_000).catch((caught: unknown) => caught);
    expect(failed).not.toBeInstanceOf(WorkerStoppedError);
    expect((failed as Error).message).toBe('asked to fail');
    expect((await worker.run({ value: 7 }, 5_000)).echo).toBe(7);
    worker.dispose();
  });

  it('on dispose, rejects what is queued and kills a busy worker', async () => {
    const worker = start();
    await worker.run({ value: 0 }, 5_000);
    const busy = worker.run({ loop: true }, 60_000).catch((caught: unknown) => caught);
    const queued = worker.run({ value: 1 }, 5_000).catch((caught: unknown) => caught);
    await new Promise((resolve) => setTimeout(resolve, 100));
    worker.dispose();
    for (const outcome of await Promise.all([busy, queued])) expect((outcome as Error).message).toBe('the test worker was shut down');
    await expect(worker.run({ value: 2 }, 5_000)).rejects.toThrow('the test worker was shut down');
  });
});

describe('a worker whose parent dies while it is stuck in a request', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'nanlint-orphan-'));
    // The worker is the real exitWithParent, bundled from the sources, followed by a request that never ends.
    writeFileSync(join(folder, 'stuck.ts'), `import { exitWithParent } from ${JSON.stringify(join(__dirname, '../../server/src/workers/workerProcess'))};\nexitWithParent(100);\nprocess.send?.({ pid: process.pid });\nsetTimeout(() => { for (;;) {} }, 50);\n`);
    buildSync({ entryPoints: [join(folder, 'stuck.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: join(folder, 'stuck.js'), logLevel: 'silent' });
    writeFileSync(
      join(folder, 'parent.js'),
      `const child = require('node:child_process').fork(${JSON.stringify(join(folder, 'stuck.js'))}, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });\nchild.on('message', ({ pid }) => console.log(pid));\n`,
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('ends with it instead of spinning on as an orphan', async () => {
    const parent = spawn(process.execPath, [join(folder, 'parent.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isRunning(pid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 3_000;
    while (isRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const orphaned = isRunning(pid);
    if (orphaned) process.kill(pid, 'SIGKILL');
    expect(orphaned).toBe(false);
  });
});

/** Alive and not a zombie waiting to be reaped (Linux /proc). */
function isRunning(pid: number): boolean {
  const status = `/proc/${pid}/status`;
  return existsSync(status) && !/^State:\s+Z/m.test(readFileSync(status, 'utf8'));
}
