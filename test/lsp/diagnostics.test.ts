import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { docsUrl } from '../../server/src/engine';
import { LspTestClient, rangeOf } from '../helpers/lspHarness';
import { FOCUS, HIGH_LR, LSTM_TRAINING } from './samples';

const URI = 'file:///workspace/train.py';

describe.each([
  { mode: 'pull', pull: true },
  { mode: 'push', pull: false },
])('diagnostics ($mode)', ({ pull }) => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('reports a high Adam learning rate on open, with code, source, link, severity and fix data', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, HIGH_LR);
    const diagnostics = await client.diagnostics(URI);
    expect(diagnostics).toHaveLength(1);
    const [diagnostic] = diagnostics;
    expect(diagnostic).toMatchObject({
      code: 'NAN301',
      source: 'nanlint',
      severity: DiagnosticSeverity.Warning,
      codeDescription: { href: docsUrl('NAN301') },
      range: rangeOf(HIGH_LR, 'lr=0.01'),
    });
    expect(diagnostic?.message).toContain('0.01');
    expect(diagnostic?.data).toMatchObject({ version: 1, fix: { applicability: 'safe' } });
  });

  it('reports missing clipping at optimizer.step() in an LSTM training loop', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const diagnostics = await client.diagnostics(URI);
    const clipping = diagnostics.find((d) => d.code === 'NAN201');
    expect(clipping?.range).toEqual(rangeOf(LSTM_TRAINING, 'optimizer.step()'));
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
  });

  it('follows incremental edits: lowering the rate clears NAN301, raising it again brings it back', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, HIGH_LR);
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
    await client.replace(URI, '0.01', '0.001');
    expect(await client.diagnostics(URI)).toEqual([]);
    await client.replace(URI, '0.001', '0.5');
    const again = await client.diagnostics(URI);
    expect(again.map((d) => d.code)).toEqual(['NAN301']);
    expect(again[0]?.message).toContain('0.5');
    expect(again[0]?.data).toMatchObject({ version: 3 });
  });

  it('keeps reporting findings outside a syntax error typed in the middle of the file', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, LSTM_TRAINING);
    await client.replace(URI, 'loss_fn = nn.MSELoss()', 'loss_fn = nn.MSELoss(((');
    const codes = (await client.diagnostics(URI)).map((d) => d.code);
    expect(codes).toContain('NAN301');
  });
});

describe('diagnostics over pull', () => {
  it('answers an unchanged report when the client already has the current result', async () => {
    const client = await LspTestClient.start({ pull: true });
    try {
      await client.open(URI, HIGH_LR);
      const first = await client.connection.sendRequest<{ kind: string; resultId?: string }>('textDocument/diagnostic', { textDocument: { uri: URI } });
      const second = await client.connection.sendRequest<{ kind: string; resultId?: string }>('textDocument/diagnostic', {
        textDocument: { uri: URI },
        previousResultId: first.resultId,
      });
      expect(second).toEqual({ kind: 'unchanged', resultId: first.resultId });
      await client.replace(URI, '0.01', '0.02');
      const third = await client.connection.sendRequest<{ kind: string; resultId?: string }>('textDocument/diagnostic', {
        textDocument: { uri: URI },
        previousResultId: first.resultId,
      });
      expect(third.kind).toBe('full');
    } finally {
      await client.shutdown();
    }
  });

  it('advertises pull diagnostics only to clients that support them', async () => {
    const pullClient = await LspTestClient.start({ pull: true });
    const pushClient = await LspTestClient.start({ pull: false });
    try {
      expect(pullClient.initializeResult?.capabilities.diagnosticProvider).toBeDefined();
      expect(pushClient.initializeResult?.capabilities.diagnosticProvider).toBeUndefined();
    } finally {
      await pullClient.shutdown();
      await pushClient.shutdown();
    }
  });
});
