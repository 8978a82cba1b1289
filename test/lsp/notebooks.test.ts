import { afterEach, describe, expect, it } from 'vitest';
import { LspTestClient } from '../helpers/lspHarness';
import { FOCUS, LSTM_NOTEBOOK_CELLS } from './samples';

const NOTEBOOK = 'file:///workspace/forecast.ipynb';

describe.each([
  { mode: 'pull', pull: true },
  { mode: 'push', pull: false },
])('notebooks ($mode)', ({ pull }) => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('reports NAN201 on the loop cell when the LSTM and optimizer are defined in earlier cells', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    const cells = await client.openNotebook(NOTEBOOK, LSTM_NOTEBOOK_CELLS.map((text) => ({ text })));
    const perCell = await Promise.all(cells.map((uri) => client.diagnostics(uri)));
    expect(perCell.map((list) => list.map((d) => d.code))).toEqual([[], [], [], [], ['NAN201']]);
    expect(perCell[4]?.[0]?.range).toEqual({ start: { line: 4, character: 4 }, end: { line: 4, character: 20 } });
  });

  it('applies the quick-fix to the loop cell only', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    const cells = await client.openNotebook(NOTEBOOK, LSTM_NOTEBOOK_CELLS.map((text) => ({ text })));
    const loop = cells[4]!;
    const diagnostics = await client.diagnostics(loop);
    const actions = await client.codeActions(loop, diagnostics[0]!.range, diagnostics, ['quickfix']);
    const fix = actions.find((action) => action.title.startsWith('Clip gradients'));
    const edited = fix?.edit?.documentChanges?.map((change) => ('textDocument' in change ? change.textDocument.uri : ''));
    expect(edited).toEqual([loop]);
    await client.applyEdit(fix!.edit!);
    expect(client.text(loop)).toContain('    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    optimizer.step()');
    cells.slice(0, 4).forEach((uri, index) => expect(client.text(uri)).toBe(LSTM_NOTEBOOK_CELLS[index]));
    expect(await client.diagnostics(loop)).toEqual([]);
  });

  it('moves a finding to the cell that changed: a high rate typed into the optimizer cell', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    const cells = await client.openNotebook(NOTEBOOK, LSTM_NOTEBOOK_CELLS.map((text) => ({ text })));
    const optimizerCell = cells[2]!;
    await client.editCell(NOTEBOOK, optimizerCell, { start: { line: 1, character: 52 }, end: { line: 1, character: 56 } }, '0.05');
    expect(client.text(optimizerCell)).toContain('lr=0.05');
    const diagnostics = await client.diagnostics(optimizerCell);
    expect(diagnostics.map((d) => d.code)).toEqual(['NAN301']);
    expect(diagnostics[0]?.range.start.line).toBe(1);
  });

  it('fixes every cell with notebook.source.fixAll.nanlint', async () => {
    client = await LspTestClient.start({ pull, settings: FOCUS });
    const source = [...LSTM_NOTEBOOK_CELLS];
    source[2] = source[2]!.replace('lr=1e-3', 'lr=0.01');
    const cells = await client.openNotebook(NOTEBOOK, source.map((text) => ({ text })));
    const actions = await client.codeActions(cells[0]!, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['notebook.source.fixAll']);
    expect(actions.map((action) => action.kind)).toEqual(['notebook.source.fixAll.nanlint']);
    await client.applyEdit(actions[0]!.edit!);
    expect(client.text(cells[2]!)).toContain('lr=1e-3');
    expect(client.text(cells[4]!)).toContain('clip_grad_norm_');
    expect(client.text(cells[0]!)).toBe(source[0]);
    expect(client.text(cells[3]!)).toBe(source[3]);
    for (const uri of cells) expect(await client.diagnostics(uri)).toEqual([]);
  });
});

describe('fixes that insert a line after the last statement of a cell', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  const RNN_CELLS = ['import torch.nn as nn\nencoder = nn.LSTM(32, 64)', 'print(encoder)', 'decoder = nn.GRU(64, 32)'];
  // Once `name` is bound by the first loop, the second uses names it cannot overwrite.
  const initLoop = (layer: string, [name, param] = ['name', 'param']): string =>
    `for ${name}, ${param} in ${layer}.named_parameters():\n    if "weight_hh" in ${name}:\n        nn.init.orthogonal_(${param})`;
  const SECOND_LOOP_NAMES: [string, string] = ['param_name', 'rnn_param'];

  it('the quick-fix edits the cell of the finding, also when that cell is the last one', async () => {
    client = await LspTestClient.start({ settings: { select: ['NAN501'] } });
    const cells = await client.openNotebook(NOTEBOOK, RNN_CELLS.map((text) => ({ text })));
    for (const [cellIndex, expectedLoop] of [[0, initLoop('encoder')], [2, initLoop('decoder', SECOND_LOOP_NAMES)]] as const) {
      const uri = cells[cellIndex]!;
      const diagnostics = await client.diagnostics(uri);
      expect(diagnostics.map((d) => d.code)).toEqual(['NAN501']);
      const actions = await client.codeActions(uri, diagnostics[0]!.range, diagnostics, ['quickfix']);
      const fix = actions.find((action) => action.title.startsWith('Initialize'));
      expect(fix?.edit?.documentChanges?.map((change) => ('textDocument' in change ? change.textDocument.uri : ''))).toEqual([uri]);
      await client.applyEdit(fix!.edit!);
      expect(client.text(uri)).toBe(`${RNN_CELLS[cellIndex]}\n${expectedLoop}`);
      expect(await client.diagnostics(uri)).toEqual([]);
    }
    expect(client.text(cells[1]!)).toBe(RNN_CELLS[1]);
  });

  it('notebook.source.fixAll.nanlint keeps each inserted line in the cell of its finding', async () => {
    client = await LspTestClient.start({ settings: { select: ['NAN501'] } });
    const cells = await client.openNotebook(NOTEBOOK, RNN_CELLS.map((text) => ({ text })));
    const actions = await client.codeActions(cells[0]!, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['notebook.source.fixAll']);
    await client.applyEdit(actions[0]!.edit!);
    // Both fixes land in one round (as in a file's fix all), each with names free in the text before it:
    // the second loop reuses the first one's loop variables, which nothing else reads.
    expect(cells.map((uri) => client.text(uri))).toEqual([`${RNN_CELLS[0]}\n${initLoop('encoder')}`, RNN_CELLS[1], `${RNN_CELLS[2]}\n${initLoop('decoder')}`]);
    for (const uri of cells) expect(await client.diagnostics(uri)).toEqual([]);
  });
});

describe('notebook structure changes', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('re-lints when a cell is inserted or removed, and clears the diagnostics of a removed cell (push)', async () => {
    client = await LspTestClient.start({ pull: false, settings: FOCUS });
    const cells = await client.openNotebook(NOTEBOOK, LSTM_NOTEBOOK_CELLS.map((text) => ({ text })));
    expect((await client.diagnostics(cells[4]!)).map((d) => d.code)).toEqual(['NAN201']);
    // Removing the loop cell takes its finding with it.
    const published = client.published.get(cells[4]!)?.length ?? 0;
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 2 },
      change: { cells: { structure: { array: { start: 4, deleteCount: 1 }, didClose: [{ uri: cells[4] }] } } },
    });
    const cleared = await client.waitFor(() => client.published.get(cells[4]!)?.slice(published).find((p) => p.diagnostics.length === 0), 'cleared diagnostics');
    expect(cleared.diagnostics).toEqual([]);

    const newCell = `${NOTEBOOK.replace(/^file:/, 'vscode-notebook-cell:')}#added`;
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 3 },
      change: {
        cells: {
          structure: {
            array: { start: 3, deleteCount: 0, cells: [{ kind: 2, document: newCell }] },
            didOpen: [{ uri: newCell, languageId: 'python', version: 1, text: 'optimizer = torch.optim.SGD(model.parameters(), lr=5.0)' }],
          },
        },
      },
    });
    const added = await client.waitFor(() => client.published.get(newCell)?.at(-1), 'diagnostics of the inserted cell');
    expect(added.diagnostics.map((d) => d.code)).toEqual(['NAN301']);
  });
});
