import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lint, resolveLintConfig } from '../../server/src/engine';
import { serveLintRequests, type ChildMessage, type LintChannel, type ParentMessage } from '../../server/src/lsp/lintProcess';
import { fileUri, LspTestClient } from '../helpers/lspHarness';
import { FOCUS, LSTM_TRAINING } from './samples';

// The bundled server lints in a child process and stops a lint at the file's time budget
// (`file-time-budget-ms`): a runaway lint must not freeze the server.
describe.each([
  { entry: 'node dist/server.js --stdio', spawnArgs: ['dist/server.js', '--stdio'], pull: true },
  { entry: 'node dist/server.js --stdio', spawnArgs: ['dist/server.js', '--stdio'], pull: false },
  { entry: 'nanlint server --stdio', spawnArgs: ['bin/nanlint.js', 'server', '--stdio'], pull: true },
])('$entry with a lint over its time budget (pull: $pull)', ({ spawnArgs, pull }) => {
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

  it('stops that lint, says so, and goes on linting other documents', async () => {
    client = await LspTestClient.start({ spawn: true, spawnArgs, pull, settings: FOCUS });
    // About 8,000 lines: far more than 1 ms of analysis, far less than the harness's own timeouts.
    const slow = fileUri(join(workspace, 'slow', 'train.py'));
    await client.open(slow, LSTM_TRAINING.repeat(300));
    expect(await client.diagnostics(slow)).toEqual([]);
    const status = await client.waitFor(() => client.statuses.find((s) => s.uri === slow && s.state === 'warning'), 'a warning status for the slow file');
    expect(status.message).toBe('not linted: analysis took longer than 1 ms (file-time-budget-ms) and was stopped');
    expect(client.logs.some((line) => line.includes(`not linted ${slow}`))).toBe(true);

    // The stopped child is replaced: the next document is linted as usual.
    const normal = fileUri(join(workspace, 'normal', 'train.py'));
    await client.open(normal, LSTM_TRAINING);
    expect((await client.diagnostics(normal)).map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
    await client.replace(normal, 'lr=0.01', 'lr=1e-3');
    expect((await client.diagnostics(normal)).map((d) => d.code)).toEqual(['NAN201']);
  });
});

describe('the lint child', () => {
  it('answers every text of a document as a fresh lint would, reparsing from its previous text', () => {
    const listeners: ((message: ParentMessage) => void)[] = [];
    const replies: ChildMessage[] = [];
    const channel = {
      on(event: 'message' | 'disconnect', listener: (message: ParentMessage) => void): void {
        if (event === 'message') listeners.push(listener);
      },
      send: (message: ChildMessage) => replies.push(message) > 0,
    };
    serveLintRequests(channel as LintChannel);
    expect(replies).toEqual([{ ready: true }]);
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
      for (const listener of listeners) listener({ id, key: 'file:///a.py', text, path: '/a.py', config });
      expect(replies[id + 1]).toEqual({ id, result: lint(text, '/a.py', config) });
    });
    expect(replies.slice(1).map((reply) => ('result' in reply ? reply.result.violations.length : reply))).toEqual([2, 1, 2, 1, 0, 2]);
  });
});
