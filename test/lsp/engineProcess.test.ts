import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lint, resolveLintConfig } from '../../server/src/engine';
import { serveEngineJobs, type JobRequest } from '../../server/src/lsp/engineProcess';
import type { WorkerReply, WorkerRequest } from '../../server/src/workers/workerProcess';
import { fileUri, LspTestClient } from '../helpers/lspHarness';
import { FOCUS, LSTM_TRAINING } from './samples';

// The bundled server runs lints, fix-all and extraction in a child process and stops a job at the file's
// time budget (`file-time-budget-ms`): a runaway job must not freeze the server.
describe.each([
  { entry: 'node dist/server.js --stdio', spawnArgs: ['dist/server.js', '--stdio'], pull: true },
  { entry: 'node dist/server.js --stdio', spawnArgs: ['dist/server.js', '--stdio'], pull: false },
  { entry: 'nanlint server --stdio', spawnArgs: ['bin/nanlint.js', 'server', '--stdio'], pull: true },
])('$entry with a job over its time budget (pull: $pull)', ({ spawnArgs, pull }) => {
  let workspace: string;
  let client: LspTestClient;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'nanlint-budget-'));
    mkdirSync(join(workspace, 'slow'));
    mkdirSync(join(workspace, 'normal'));
    writeFileSync(join(workspace, 'slow', 'pyproject.toml'), '[tool.nanlint]\nfile-time-budget-ms = 1\n');
  });
  afterEach(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('stops that job, says so, and goes on with the other documents', async () => {
    client = await LspTestClient.start({ spawn: true, spawnArgs, pull, settings: FOCUS });
    // About 8,000 lines: far more than 1 ms of analysis, far less than the harness's own timeouts.
    const slow = fileUri(join(workspace, 'slow', 'train.py'));
    await client.open(slow, LSTM_TRAINING.repeat(300));
    expect(await client.diagnostics(slow)).toEqual([]);
    const status = await client.waitFor(() => client.statuses.find((s) => s.uri === slow && s.state === 'warning'), 'a warning status for the slow file');
    expect(status.message).toBe('not linted: analysis took longer than 1 ms (file-time-budget-ms) and was stopped');
    expect(client.logs.some((line) => line.includes(`not linted ${slow}`))).toBe(true);
    const fixAll = await client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.applyFixAll', arguments: [{ uri: slow }] }).catch((error: unknown) => error);
    expect(fixAll).toBeInstanceOf(ResponseError);
    expect((fixAll as ResponseError<unknown>).message).toBe('nanlint: fix all was stopped: analysis took longer than 1 ms (file-time-budget-ms) and was stopped');

    // The stopped child is replaced: the next document is linted and fixed as usual.
    const normal = fileUri(join(workspace, 'normal', 'train.py'));
    await client.open(normal, LSTM_TRAINING);
    expect((await client.diagnostics(normal)).map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
    await client.replace(normal, 'lr=0.01', 'lr=1e-3');
    expect((await client.diagnostics(normal)).map((d) => d.code)).toEqual(['NAN201']);
    const fixed = await client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.applyFixAll', arguments: [{ uri: normal }] });
    expect(fixed).toMatchObject({ applied: true, documents: 1 });
    await client.waitFor(() => client.text(normal).includes('clip_grad_norm_'), 'the fix-all edit');
    expect(await client.diagnostics(normal)).toEqual([]);
  });
});

describe('the bundled server with nanlint.fileTimeBudgetMs', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('stops a lint over the budget the editor sets, and lints the file once the budget is raised', async () => {
    client = await LspTestClient.start({ spawn: true, spawnArgs: ['dist/server.js', '--stdio'], pull: true, settings: { ...FOCUS, fileTimeBudgetMs: 1 } });
    const uri = 'file:///workspace/long_training.py';
    await client.open(uri, LSTM_TRAINING.repeat(300));
    expect(await client.diagnostics(uri)).toEqual([]);
    const status = await client.waitFor(() => client.statuses.find((s) => s.uri === uri && s.state === 'warning'), 'a warning status');
    expect(status.message).toBe('not linted: analysis took longer than 1 ms (file-time-budget-ms) and was stopped');
    await client.changeSettings({ ...FOCUS, fileTimeBudgetMs: 60_000 });
    await client.waitFor(() => client.refreshRequests > 0, 'a diagnostic refresh request');
    const codes = (await client.diagnostics(uri)).map((d) => d.code);
    expect(codes.filter((code) => code === 'NAN201')).toHaveLength(300);
  });
});

/** An engine child on a fake channel: `send` delivers a request, `replies` collects the answers. */
function engineChild(): { send(id: number, request: JobRequest): void; replies: WorkerReply<unknown>[] } {
  const listeners: ((message: WorkerRequest<JobRequest>) => void)[] = [];
  const replies: WorkerReply<unknown>[] = [];
  serveEngineJobs({
    on(event: 'message' | 'disconnect', listener: (message: WorkerRequest<JobRequest>) => void): void {
      if (event === 'message') listeners.push(listener);
    },
    send: (reply: WorkerReply<unknown>) => replies.push(reply) > 0,
  } as Parameters<typeof serveEngineJobs>[0]);
  return {
    send: (id, request) => {
      for (const listener of listeners) listener({ id, request });
    },
    replies,
  };
}

describe('the engine child', () => {
  it('lints every text of a document as a fresh lint would, reparsing from its previous text', () => {
    const child = engineChild();
    expect(child.replies).toEqual([{ ready: true }]);
    const config = resolveLintConfig({ select: FOCUS.select });
    const texts = [
      LSTM_TRAINING,
      LSTM_TRAINING.replace('lr=0.01', 'lr=1e-3'),
      `# λ café 😀\r\n${LSTM_TRAINING.replace('lr=0.01', 'lr=0.5')}`,
      LSTM_TRAINING.replace('loss.backward()', 'loss.backward(\n'),
      '',
      LSTM_TRAINING,
    ];
    texts.forEach((text, id) => {
      child.send(id, { job: 'lint', args: { key: 'file:///a.py', text, path: '/a.py', config } });
      expect(child.replies[id + 1]).toEqual({ id, result: lint(text, '/a.py', config) });
    });
    expect(child.replies.slice(1).map((reply) => ('result' in reply ? (reply.result as { violations: unknown[] }).violations.length : reply))).toEqual([2, 1, 2, 1, 0, 2]);
  });

  it('answers a job it does not have with a failure, and goes on', () => {
    const child = engineChild();
    child.send(1, { job: 'compile' as JobRequest['job'], args: {} });
    child.send(2, { job: 'fixText', args: { text: 'x = 1\n', path: '/b.py', config: resolveLintConfig({}), unsafe: false } });
    expect(child.replies.slice(1)).toEqual([{ id: 1, failure: "the engine has no job 'compile'" }, { id: 2, result: 'x = 1\n' }]);
  });
});
