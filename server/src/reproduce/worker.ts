/**
 * The body of the reproduction worker process (forked by runReproduction): receives one run request
 * (some variants of a report), streams progress, enforces the memory cap between steps and sends the report back.
 */
import { runVariantJobs } from './runner';
import { runRequestSchema, type WorkerMessage } from './workerMessages';

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

async function handle(raw: unknown): Promise<void> {
  const parsed = runRequestSchema.safeParse(raw);
  if (!parsed.success) {
    await send({ type: 'error', message: `invalid reproduction request: ${parsed.error.message}` });
    process.exit(2);
  }
  const request = parsed.data;
  const capBytes = request.memoryCapMb * 1024 * 1024;
  try {
    const partial = await runVariantJobs(request.config, {
      variants: request.variants,
      steps: request.steps,
      seed: request.seed,
      backend: request.backend,
      onProgress: (p) => void send({ type: 'progress', message: p.message, fraction: p.fraction }),
      checkpoint: () => {
        const rss = process.memoryUsage().rss;
        if (rss > capBytes) throw new Error(`memory cap exceeded: ${Math.round(rss / 1048576)} MiB > ${request.memoryCapMb} MiB`);
      },
    });
    await send({ type: 'result', partial });
    process.exit(0);
  } catch (error) {
    await send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}

export function startWorker(): void {
  process.once('message', (raw) => void handle(raw));
  // The parent going away (crash, kill) must not leave an orphan burning a core.
  process.on('disconnect', () => process.exit(0));
}
