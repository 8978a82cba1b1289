import { afterEach, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { RULES } from '../../server/src/engine';
import { LspTestClient, rangeOf } from '../helpers/lspHarness';
import { FOCUS, FP16_LOOP, HIGH_LR, LSTM_TRAINING } from './samples';

const URI = 'file:///workspace/train.py';

function find(actions: CodeAction[], title: string | RegExp): CodeAction {
  const action = actions.find((candidate) => (typeof title === 'string' ? candidate.title === title : title.test(candidate.title)));
  if (!action) throw new Error(`no action ${String(title)} among ${actions.map((a) => a.title).join(' | ')}`);
  return action;
}

describe.each([
  { mode: 'pull', pull: true },
  { mode: 'push', pull: false },
])('code actions ($mode)', ({ pull }) => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('offers the fix as a preferred quick-fix, and applying it leaves the file clean', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, HIGH_LR);
    const diagnostics = await client.diagnostics(URI);
    const actions = await client.codeActions(URI, diagnostics[0]!.range, diagnostics);
    const fix = find(actions, 'Set `lr=1e-3`');
    expect(fix).toMatchObject({ kind: 'quickfix', isPreferred: true });
    await client.applyEdit(fix.edit!);
    expect(client.text(URI)).toBe('import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\n');
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('inserts gradient clipping before optimizer.step() with the NAN201 quick-fix', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const diagnostics = (await client.diagnostics(URI)).filter((d) => d.code === 'NAN201');
    const actions = await client.codeActions(URI, diagnostics[0]!.range, diagnostics, ['quickfix']);
    await client.applyEdit(find(actions, /^Clip gradients/).edit!);
    expect(client.text(URI)).toContain('    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    optimizer.step()');
    expect((await client.diagnostics(URI)).map((d) => d.code)).toEqual(['NAN301']);
  });

  it('offers a rule\'s alternative fix as a second, unsafe quick-fix (NAN204: bfloat16 or a GradScaler)', async () => {
    client = await LspTestClient.start({ pull, settings: { select: ['NAN204'] } });
    await client.open(URI, FP16_LOOP);
    const diagnostics = await client.diagnostics(URI);
    const actions = await client.codeActions(URI, diagnostics[0]!.range, diagnostics, ['quickfix']);
    const fixes = actions.filter((action) => !action.title.startsWith('Disable'));
    expect(fixes.map((action) => action.isPreferred === true)).toEqual([true, false]);
    expect(fixes[1]!.title).toMatch(/GradScaler.*\(unsafe fix\)$/);
    await client.applyEdit(fixes[1]!.edit!);
    expect(client.text(URI)).toContain('GradScaler');
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('disables the rule for the line with a noqa comment', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, HIGH_LR);
    const diagnostics = await client.diagnostics(URI);
    const actions = await client.codeActions(URI, diagnostics[0]!.range, diagnostics);
    await client.applyEdit(find(actions, 'Disable NAN301 for this line').edit!);
    expect(client.text(URI)).toBe('import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)  # noqa: NAN301\n');
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('does not offer a quick-fix computed for an older version of the document', async () => {
    client = await LspTestClient.start({ pull });
    await client.open(URI, HIGH_LR);
    const stale = await client.diagnostics(URI);
    await client.replace(URI, 'import torch\n', 'import torch\n\n');
    const actions = await client.codeActions(URI, stale[0]!.range, stale, ['quickfix']);
    expect(actions).toEqual([]);
    const fresh = await client.diagnostics(URI);
    expect((await client.codeActions(URI, fresh[0]!.range, fresh, ['quickfix'])).length).toBeGreaterThan(0);
  });

  it('fixes everything safe with source.fixAll.nanlint, re-linting until nothing is left', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const actions = await client.codeActions(URI, rangeOf(LSTM_TRAINING, 'import torch'), [], ['source.fixAll']);
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.nanlint']);
    await client.applyEdit(actions[0]!.edit!);
    expect(client.text(URI)).toContain('lr=1e-3');
    expect(client.text(URI)).toContain('clip_grad_norm_');
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('computes the fix-all edit on resolve for clients that resolve code actions', async () => {
    client = await LspTestClient.start({ pull, resolveSupport: true });
    await client.open(URI, HIGH_LR);
    const [action] = await client.codeActions(URI, rangeOf(HIGH_LR, 'import'), [], ['source.fixAll.nanlint']);
    expect(action?.edit).toBeUndefined();
    const resolved = await client.resolveCodeAction(action!);
    await client.applyEdit(resolved.edit!);
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('applies the fix-all edit through the nanlint.applyFixAll command', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    await client.open(URI, LSTM_TRAINING);
    const result = await client.connection.sendRequest('workspace/executeCommand', { command: 'nanlint.applyFixAll', arguments: [{ uri: URI }] });
    expect(result).toMatchObject({ applied: true, documents: 1 });
    await client.waitFor(() => client.text(URI).includes('clip_grad_norm_'), 'the applied edit');
    expect(await client.diagnostics(URI)).toEqual([]);
  });
});

describe('fix-all safety', () => {
  // Any rule whose fix is unsafe will do; its documented example triggers it.
  const unsafeRule = RULES.find((rule) => rule.meta.fix === 'unsafe');

  it('leaves unsafe fixes out of fix-all unless nanlint.fixAll.unsafe is set', async () => {
    expect(unsafeRule, 'a rule with an unsafe fix').toBeDefined();
    const { code, docs } = unsafeRule!.meta;
    const client = await LspTestClient.start({ pull: true });
    try {
      await client.open(URI, docs.example);
      expect((await client.diagnostics(URI)).map((d) => d.code)).toContain(code);
      const [safeOnly] = await client.codeActions(URI, rangeOf(docs.example, docs.example.slice(0, 1)), [], ['source.fixAll.nanlint']);
      if (safeOnly?.edit) await client.applyEdit(safeOnly.edit);
      expect((await client.diagnostics(URI)).map((d) => d.code)).toContain(code);

      await client.changeSettings({ fixAll: { unsafe: true } });
      const [withUnsafe] = await client.codeActions(URI, rangeOf(docs.example, docs.example.slice(0, 1)), [], ['source.fixAll.nanlint']);
      await client.applyEdit(withUnsafe!.edit!);
      expect((await client.diagnostics(URI)).map((d) => d.code)).not.toContain(code);
    } finally {
      await client.shutdown();
    }
  });
});
