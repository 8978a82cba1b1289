import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileUri, LspTestClient } from '../helpers/lspHarness';
import { RULES } from '../../server/src/engine';
import { FOCUS, HIGH_LR, LSTM_TRAINING } from './samples';

/** Everything but the sample's two rules: with these ignored, "no select" still means the same two. */
const OTHER_RULES = RULES.map((rule) => rule.meta.code).filter((code) => !FOCUS.select.includes(code));

const URI = 'file:///workspace/train.py';

describe.each([
  { mode: 'pull', pull: true },
  { mode: 'push', pull: false },
])('settings ($mode)', ({ pull }) => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('applies nanlint.ignore after a configuration change', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    expect((await client.diagnostics(URI)).map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
    const published = client.published.get(URI)?.length ?? 0;
    await client.changeSettings({ ...FOCUS, ignore: ['NAN301'] });
    if (pull) await client.waitFor(() => client.refreshRequests > 0, 'a diagnostic refresh request');
    else await client.waitFor(() => (client.published.get(URI)?.length ?? 0) > published, 're-published diagnostics');
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN201']);
  });

  it('reports nothing while nanlint.enable is false', async () => {
    client = await LspTestClient.start({ pull, settings: { enable: false } });
    await client.open(URI, HIGH_LR);
    expect(await client.diagnostics(URI)).toEqual([]);
    await client.waitFor(() => client.statuses.find((s) => s.state === 'disabled'), 'a disabled status');
  });
});

describe('settings', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('reads settings for the document being linted (scoped by URI)', async () => {
    client = await LspTestClient.start();
    await client.open(URI, HIGH_LR);
    await client.diagnostics(URI);
    expect(client.configurationRequests).toContainEqual({ items: [{ scopeUri: URI, section: 'nanlint' }] });
  });

  it('logs and ignores invalid or unknown settings, keeping the valid ones', async () => {
    client = await LspTestClient.start({ settings: { select: 'NAN301', ignore: [...OTHER_RULES, 'NAN301'], colour: 'red', learningRateThresholds: { adam: -1 } } });
    await client.open(URI, LSTM_TRAINING);
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN201']);
    expect(client.logs.some((line) => line.includes('nanlint.select'))).toBe(true);
    expect(client.logs.some((line) => line.includes('nanlint.colour'))).toBe(true);
    expect(client.logs.some((line) => line.includes('nanlint.learningRateThresholds'))).toBe(true);
  });

  it('uses the editor learning-rate threshold for NAN301', async () => {
    client = await LspTestClient.start({ settings: { learningRateThresholds: { adam: 0.1 } } });
    await client.open(URI, HIGH_LR);
    expect(await client.diagnostics(URI)).toEqual([]);
  });
});

describe('pyproject.toml', () => {
  let client: LspTestClient;
  let folder: string;
  afterEach(async () => {
    await client.shutdown();
    rmSync(folder, { recursive: true, force: true });
  });

  function project(toml: string): string {
    folder = mkdtempSync(join(tmpdir(), 'nanlint-lsp-'));
    writeFileSync(join(folder, 'pyproject.toml'), toml);
    return fileUri(join(folder, 'train.py'));
  }

  it('applies [tool.nanlint] and reloads it when the file changes', async () => {
    const uri = project('[tool.nanlint]\nignore = ["NAN301"]\n');
    client = await LspTestClient.start({ workspaceFolder: folder, settings: FOCUS });
    await client.open(uri, LSTM_TRAINING);
    expect((await client.diagnostics(uri)).map((d) => d.code)).toEqual(['NAN201']);
    writeFileSync(join(folder, 'pyproject.toml'), '[tool.nanlint]\nignore = ["NAN201"]\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(join(folder, 'pyproject.toml')), type: 2 }] });
    await client.waitFor(() => client.refreshRequests > 0, 'a diagnostic refresh request');
    expect((await client.diagnostics(uri)).map((d) => d.code)).toEqual(['NAN301']);
  });

  it('lets the editor win with editorFirst, the file with filesystemFirst, and ignores the file with editorOnly', async () => {
    const uri = project('[tool.nanlint]\nselect = ["NAN201"]\n');
    const codes = async (settings: Record<string, unknown>): Promise<string[]> => {
      await client.changeSettings(settings);
      return (await client.diagnostics(uri)).map((d) => String(d.code)).sort();
    };
    client = await LspTestClient.start({ workspaceFolder: folder });
    await client.open(uri, LSTM_TRAINING);
    expect(await codes({ select: ['NAN301'], configurationPreference: 'editorFirst' })).toEqual(['NAN301']);
    expect(await codes({ select: ['NAN301'], configurationPreference: 'filesystemFirst' })).toEqual(['NAN201']);
    expect(await codes({ ignore: OTHER_RULES, configurationPreference: 'editorOnly' })).toEqual(['NAN201', 'NAN301']);
  });

  it('puts a diagnostic on the offending line of an invalid pyproject.toml and still lints', async () => {
    const uri = project('[project]\nname = "demo"\n\n[tool.nanlint]\nselct = ["NAN301"]\n');
    client = await LspTestClient.start({ workspaceFolder: folder });
    await client.open(uri, HIGH_LR);
    expect((await client.diagnostics(uri)).map((d) => d.code)).toEqual(['NAN301']);
    const tomlUri = fileUri(join(folder, 'pyproject.toml'));
    const published = await client.waitFor(() => client.published.get(tomlUri)?.at(-1), 'pyproject.toml diagnostics');
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]).toMatchObject({ source: 'nanlint', range: { start: { line: 4 } } });
    expect(published.diagnostics[0]?.message).toContain('selct');
  });

  it('skips a document larger than max-file-size and says so in the status', async () => {
    const uri = project('[tool.nanlint]\nmax-file-size = 64\n');
    client = await LspTestClient.start({ workspaceFolder: folder });
    await client.open(uri, LSTM_TRAINING);
    expect(await client.diagnostics(uri)).toEqual([]);
    const status = await client.waitFor(() => client.statuses.find((s) => s.uri === uri && s.state === 'warning'), 'a warning status');
    expect(status.message).toContain('max-file-size');
  });

  it('takes max-file-size from nanlint.maxFileSize too, and lints again once the setting is cleared', async () => {
    const uri = project('[tool.nanlint]\n');
    client = await LspTestClient.start({ workspaceFolder: folder, settings: { ...FOCUS, maxFileSize: 64 } });
    await client.open(uri, LSTM_TRAINING);
    expect(await client.diagnostics(uri)).toEqual([]);
    const status = await client.waitFor(() => client.statuses.find((s) => s.uri === uri && s.state === 'warning'), 'a warning status');
    expect(status.message).toBe('not linted: larger than max-file-size (64 bytes)');
    await client.changeSettings({ ...FOCUS, maxFileSize: null });
    await client.waitFor(() => client.refreshRequests > 0, 'a diagnostic refresh request');
    expect((await client.diagnostics(uri)).map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
  });
});
