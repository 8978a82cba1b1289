import { afterEach, describe, expect, it } from 'vitest';
import { UNUSED_NOQA_CODE } from '../../server/src/engine';
import { LspTestClient } from '../helpers/lspHarness';

const URI = 'file:///workspace/train.py';
const TEXT = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-4)  # noqa: NAN301\n';

describe('unused suppressions', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('are silent by default', async () => {
    client = await LspTestClient.start();
    await client.open(URI, TEXT);
    expect(await client.diagnostics(URI)).toEqual([]);
  });

  it('are reported with nanlint.reportUnusedNoqa as the CLI reports them, and the quick-fix removes the comment', async () => {
    client = await LspTestClient.start({ settings: { reportUnusedNoqa: true } });
    await client.open(URI, TEXT);
    const diagnostics = await client.diagnostics(URI);
    expect(diagnostics.map((d) => d.code)).toEqual([UNUSED_NOQA_CODE]);
    expect(diagnostics[0]?.tags).toEqual([1]);
    expect(diagnostics[0]?.message).toContain('NAN301');
    const actions = await client.codeActions(URI, diagnostics[0]!.range, diagnostics, ['quickfix']);
    await client.applyEdit(actions.find((action) => action.title === 'Remove the directive')!.edit!);
    expect(client.text(URI)).toBe('import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-4)\n');
    expect(await client.diagnostics(URI)).toEqual([]);
  });
});
