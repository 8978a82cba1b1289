/**
 * The reproduction through the language server: code lenses on reproducible findings, the
 * `nanlint.reproduce` command with work-done progress on the client's token, and cancellation.
 * Uses the bundled worker in dist/ (`npm test` builds first).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource, WorkDoneProgress, type CodeLens, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import type { ReproReport } from '../../server/src/protocol/reproduce';
import { LspTestClient } from '../helpers/lspHarness';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function example(name: string): { uri: string; text: string } {
  const file = path.join(EXAMPLES, name);
  return { uri: pathToFileURL(file).toString(), text: readFileSync(file, 'utf8') };
}

/** The reproduction workers this (in-process) server has forked, from /proc. */
function reproWorkers(): number[] {
  const workers: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('reproWorker')) workers.push(Number(entry));
    } catch {
      // The process ended while the table was read.
    }
  }
  return workers;
}

describe('nanlint.reproduce over LSP', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('offers a "Reproduce on sample model" lens on the finding and answers the command with the measured report', async () => {
    const { uri, text } = example('standardize_sensor_features.py');
    client = await LspTestClient.start();
    await client.open(uri, text);
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    expect(lenses.length).toBeGreaterThan(0);
    expect(lenses.every((lens) => lens.command?.title === 'Reproduce on sample model' && lens.command.command === 'nanlint.reproduce')).toBe(true);
    const report = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'nanlint.reproduce',
      arguments: lenses[0]?.command?.arguments,
    })) as ReproReport;
    expect(report.scenario.id).toBe('tabular-constant-column');
    expect(report.verdict).toMatch(/^Reproduced\. As written: NaN\/Inf in 3\/3 seeds, first at steps \[0, 0, 0\]/);
  }, 120_000);

  it('streams work-done progress on the token the client sent with the command', async () => {
    const { uri, text } = example('standardize_sensor_features.py');
    client = await LspTestClient.start();
    await client.open(uri, text);
    const progress: (WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd)[] = [];
    client.connection.onProgress(WorkDoneProgress.type, 'repro-1', (value) => {
      progress.push(value);
    });
    await client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.reproduce', arguments: [uri], workDoneToken: 'repro-1' });
    await client.waitFor(() => progress.some((p) => p.kind === 'end'), 'the end of the work-done progress');
    expect(progress[0]?.kind).toBe('begin');
    expect(progress.some((p) => p.kind === 'report' && (p.percentage ?? 0) > 0)).toBe(true);
  }, 120_000);

  it('answers RequestCancelled and stops the workers within a second when the client cancels the command', async () => {
    const { uri, text } = example('lstm_seq2seq.py');
    client = await LspTestClient.start();
    await client.open(uri, text);
    const source = new CancellationTokenSource();
    const response = client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.reproduce', arguments: [uri] }, source.token);
    const workers = await client.waitFor(() => {
      const found = reproWorkers();
      return found.length > 0 ? found : undefined;
    }, 'the reproduction workers to start', 60_000);
    const cancelledAt = Date.now();
    source.cancel();
    await expect(response).rejects.toMatchObject({ code: -32800 });
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    expect(reproWorkers().filter((pid) => workers.includes(pid))).toEqual([]);
  }, 120_000);
});
