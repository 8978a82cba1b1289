import { afterEach, describe, expect, it } from 'vitest';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, LSPErrorCodes } from 'vscode-languageserver-protocol';
import { LspTestClient, rangeOf } from '../helpers/lspHarness';
import { FOCUS, HIGH_LR, LSTM_TRAINING } from './samples';

const URI = 'file:///workspace/train.py';

async function errorOf(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ResponseError) return error;
    throw error;
  }
  throw new Error('expected an error response');
}

describe('robustness', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('answers requests for unknown or closed documents with an error and keeps serving', async () => {
    client = await LspTestClient.start();
    const unknown = 'file:///workspace/never-opened.py';
    expect((await errorOf(client.hover(unknown, { line: 0, character: 0 }))).code).toBe(ErrorCodes.InvalidParams);
    expect((await errorOf(client.codeActions(unknown, rangeOf('x', 'x'), []))).code).toBe(ErrorCodes.InvalidParams);
    const pull = await errorOf(client.diagnostics(unknown));
    expect(pull.code).toBe(LSPErrorCodes.ServerCancelled);
    expect(pull.data).toEqual({ retriggerRequest: false });

    await client.open(URI, HIGH_LR);
    await client.close(URI);
    expect((await errorOf(client.hover(URI, { line: 1, character: 5 }))).code).toBe(ErrorCodes.InvalidParams);

    await client.open(URI, HIGH_LR);
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
  });

  it('rejects malformed params with InvalidParams', async () => {
    client = await LspTestClient.start();
    await client.open(URI, HIGH_LR);
    const hover = await errorOf(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line: -1, character: 'x' } }));
    expect(hover.code).toBe(ErrorCodes.InvalidParams);
    const actions = await errorOf(client.connection.sendRequest('textDocument/codeAction', { textDocument: {} }));
    expect(actions.code).toBe(ErrorCodes.InvalidParams);
    const command = await errorOf(client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.applyFixAll', arguments: [42] }));
    expect(command.code).toBe(ErrorCodes.InvalidParams);
    const unknownCommand = await errorOf(client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.nope' }));
    expect(unknownCommand.code).toBe(ErrorCodes.InvalidParams);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: URI }, contentChanges: 'all of it' });
    await client.connection.sendNotification('textDocument/didOpen', { nonsense: true });
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
  });

  it('converges to the final text after a flood of changes sent without waiting', async () => {
    client = await LspTestClient.start({ settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const sends: Promise<number>[] = [];
    // Type "0.0", delete it, and finally settle on a safe rate, one character at a time.
    const lrStart = rangeOf(LSTM_TRAINING, '0.01').start;
    const at = (offset: number) => ({ line: lrStart.line, character: lrStart.character + offset });
    for (let round = 0; round < 200; round++) {
      sends.push(client.edit(URI, { start: at(4), end: at(4) }, '9'));
      sends.push(client.edit(URI, { start: at(4), end: at(5) }, ''));
    }
    sends.push(client.edit(URI, { start: at(0), end: at(4) }, '1e-4'));
    await Promise.all(sends);
    expect(client.text(URI)).toContain('lr=1e-4)');
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN201']);
  });

  it('publishes the final text of a flood in push mode without linting every intermediate version', async () => {
    client = await LspTestClient.start({ pull: false, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    await client.diagnostics(URI);
    const before = client.published.get(URI)?.length ?? 0;
    const lrStart = rangeOf(LSTM_TRAINING, '0.01').start;
    const sends: Promise<number>[] = [];
    for (let round = 0; round < 200; round++) {
      sends.push(client.edit(URI, { start: lrStart, end: lrStart }, '9'));
      sends.push(client.edit(URI, { start: lrStart, end: { line: lrStart.line, character: lrStart.character + 1 } }, ''));
    }
    sends.push(client.edit(URI, { start: lrStart, end: { line: lrStart.line, character: lrStart.character + 4 } }, '1e-4'));
    await Promise.all(sends);
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN201']);
    const publishes = (client.published.get(URI)?.length ?? 0) - before;
    expect(publishes).toBeLessThan(sends.length / 4);
  });

  it('ignores changes with versions that do not move forward and clamps edits past the end', async () => {
    client = await LspTestClient.start();
    await client.open(URI, HIGH_LR);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 1 },
      contentChanges: [{ text: 'garbage that must not be applied' }],
    });
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 40, character: 0 }, end: { line: 99, character: 7 } }, text: 'print("end")\n' }],
    });
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
    await client.waitFor(() => client.logs.some((line) => line.includes('not newer')), 'the stale-version warning');
  });

  it('answers a request cancelled while it waits for settings with RequestCancelled, and stays alive', async () => {
    client = await LspTestClient.start({ settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const { CancellationTokenSource } = await import('vscode-jsonrpc');
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } }, source.token);
    source.cancel();
    expect((await errorOf(pending)).code).toBe(LSPErrorCodes.RequestCancelled);
    expect((await client.diagnostics(URI)).length).toBe(2);
  });
});
