import { afterEach, describe, expect, it } from 'vitest';
import { LspTestClient } from '../helpers/lspHarness';

describe('server capabilities', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('advertises incremental sync, notebook sync for Jupyter, fix-all kinds, hover, code lenses and its commands', async () => {
    client = await LspTestClient.start();
    const capabilities = client.initializeResult!.capabilities;
    expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(capabilities.notebookDocumentSync).toMatchObject({ notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' } }] });
    expect(capabilities.codeActionProvider).toMatchObject({ codeActionKinds: ['quickfix', 'source.fixAll.nanlint', 'notebook.source.fixAll.nanlint'] });
    expect(capabilities.hoverProvider).toBe(true);
    expect(capabilities.codeLensProvider).toBeDefined();
    expect(capabilities.executeCommandProvider?.commands.sort()).toEqual(['nanlint.applyFixAll', 'nanlint.reproduce']);
  });

  it('leaves out commands the client says it implements itself', async () => {
    client = await LspTestClient.start({ initializationOptions: { clientCommands: ['nanlint.reproduce'] } });
    expect(client.initializeResult!.capabilities.executeCommandProvider?.commands).toEqual(['nanlint.applyFixAll']);
  });
});
