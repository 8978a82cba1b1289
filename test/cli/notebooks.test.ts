import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runCli } from './cliHarness';

/** The fixture also trips other rules (NAN501 on `nn.LSTM`); these tests are about NAN201 and NAN301 across cells. */
const PINNED = ['--select', 'NAN201,NAN301'];

const FIXTURE = readFileSync(join(__dirname, '../fixtures/notebooks/lstm-across-cells.ipynb'), 'utf8');

interface NotebookDiagnostic {
  code: string;
  filename: string;
  cell?: number;
  location: { row: number; column: number };
  noqa_row: number;
  fix: { edits: { location: { row: number } }[] } | null;
}

interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: unknown; metadata: unknown; execution_count?: unknown }[];
  metadata: unknown;
}

describe('notebooks on the command line', () => {
  it('reports NAN201 in the cell of the training loop, with rows counted in that cell', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const run = await runCli(['check', ...PINNED, '--format', 'json'], root);
    const diagnostics = JSON.parse(run.stdout) as NotebookDiagnostic[];
    const clipping = diagnostics.find((d) => d.code === 'NAN201');
    // Cell 5 of the cells array (markdown counted); `opt.step()` is its 7th line, after `!nvidia-smi`.
    expect(clipping).toMatchObject({ filename: 'train.ipynb', cell: 5, location: { row: 7, column: 5 }, noqa_row: 7 });
    expect(clipping?.fix?.edits[0]?.location.row).toBe(7);
  });

  it('reports NAN301 in the cell that builds the optimizer', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const diagnostics = JSON.parse((await runCli(['check', ...PINNED, '--format', 'json'], root)).stdout) as NotebookDiagnostic[];
    expect(diagnostics.map((d) => [d.code, d.cell, d.location.row])).toEqual([
      ['NAN301', 3, 2],
      ['NAN201', 5, 7],
    ]);
  });

  it('does not report magics or shell lines as syntax errors', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const run = await runCli(['check', ...PINNED], root);
    expect(run.stderr).toBe('');
  });

  it('prints the cell in the text format', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const run = await runCli(['check', ...PINNED], root);
    expect(run.stdout).toContain('train.ipynb:cell 5:7:5: NAN201 [*] ');
  });

  it('points SARIF and GitHub annotations at the lines of the .ipynb file that hold the finding', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const fileLines = FIXTURE.split('\n');
    const stepRow = fileLines.findIndex((line) => line.includes('"    opt.step()\\n"')) + 1;
    const sarif = JSON.parse((await runCli(['check', ...PINNED, '--format', 'sarif'], root)).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { region: unknown } }[]; properties: unknown; fixes?: unknown }[] }[];
    };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'NAN201')!;
    expect(result.locations[0]!.physicalLocation.region).toEqual({ startLine: stepRow, endLine: stepRow });
    expect(result.properties).toEqual({ cell: 5, cellRegion: { startLine: 7, startColumn: 5, endLine: 7, endColumn: 15 } });
    expect(result.fixes).toBeUndefined();
    const github = (await runCli(['check', ...PINNED, '--format', 'github'], root)).stdout;
    expect(github).toContain(`::warning file=train.ipynb,line=${stepRow},endLine=${stepRow},title=NAN201 (missing-gradient-clipping)::cell 5, line 7, column 5: `);
  });

  it('--fix rewrites only the sources of the fixed cells; outputs, metadata and layout stay byte-identical', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    const run = await runCli(['check', ...PINNED, '--fix'], root);
    expect(run.stdout).toBe('Found 2 problems (2 fixed, 0 remaining).\n');
    const fixedText = readFileSync(join(root, 'train.ipynb'), 'utf8');
    const before = JSON.parse(FIXTURE) as Notebook;
    const after = JSON.parse(fixedText) as Notebook;

    expect(after.cells[2]?.source).toEqual([
      'model = nn.LSTM(32, 64)\n',
      'opt = torch.optim.Adam(model.parameters(), lr=1e-3)\n',
      'print(model, "\u2192 ready")',
    ]);
    expect(after.cells[4]?.source).toEqual([
      '!nvidia-smi\n',
      'for x, y in loader:\n',
      '    opt.zero_grad()\n',
      '    out, _ = model(x)\n',
      '    loss = loss_fn(out, y)\n',
      '    loss.backward()\n',
      '    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n',
      '    opt.step()\n',
    ]);

    // Every byte outside the two edited source lines is unchanged: remove them and the texts are equal.
    const withoutEdits = fixedText
      .replace('lr=1e-3)', 'lr=0.01)')
      .replace('    "    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\\n",\n', '');
    expect(withoutEdits).toBe(FIXTURE);
    expect(after.metadata).toEqual(before.metadata);
    expect(after.cells.map((cell) => cell.outputs)).toEqual(before.cells.map((cell) => cell.outputs));
  });

  it('--fix keeps a string source a string', async () => {
    const notebook = {
      cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)' }],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const original = `${JSON.stringify(notebook, null, 2)}\n`;
    const root = makeProject({ 'nb.ipynb': original });
    await runCli(['check', ...PINNED, '--fix'], root);
    const text = readFileSync(join(root, 'nb.ipynb'), 'utf8');
    expect(text).toBe(original.replace('lr=0.01', 'lr=1e-3'));
  });

  it('--fix puts a line inserted after the last statement of a cell into that cell, not the next one', async () => {
    const root = makeProject({ 'nb.ipynb': codeCellsNotebook([['import torch.nn as nn\n', 'encoder = nn.LSTM(32, 64)'], ['print(encoder)']]) });
    const report = JSON.parse((await runCli(['check', '--select', 'NAN501', '--format', 'json'], root)).stdout) as NotebookDiagnostic[];
    expect(report.map((d) => [d.code, d.cell, d.fix?.edits.map((edit) => edit.location.row)])).toEqual([['NAN501', 1, [2]]]);

    const run = await runCli(['check', '--select', 'NAN501', '--fix'], root);
    expect(run.stdout).toBe('Found 1 problem (1 fixed, 0 remaining).\n');
    const fixed = JSON.parse(readFileSync(join(root, 'nb.ipynb'), 'utf8')) as Notebook;
    expect(fixed.cells.map((cell) => cell.source)).toEqual([
      ['import torch.nn as nn\n', 'encoder = nn.LSTM(32, 64)\n', 'for name, param in encoder.named_parameters():\n', '    if "weight_hh" in name:\n', '        nn.init.orthogonal_(param)'],
      ['print(encoder)'],
    ]);
    expect(await runCli(['check', '--select', 'NAN501'], root)).toMatchObject({ code: 0, stdout: 'All checks passed!\n' });
  });

  it('--fix puts a line inserted after the last statement of the last cell into that cell', async () => {
    const root = makeProject({ 'nb.ipynb': codeCellsNotebook([['import torch.nn as nn'], ['encoder = nn.GRU(8, 16)']]) });
    const run = await runCli(['check', '--select', 'NAN501', '--fix'], root);
    expect(run.stdout).toBe('Found 1 problem (1 fixed, 0 remaining).\n');
    const fixed = JSON.parse(readFileSync(join(root, 'nb.ipynb'), 'utf8')) as Notebook;
    expect(fixed.cells.map((cell) => cell.source)).toEqual([
      ['import torch.nn as nn'],
      ['encoder = nn.GRU(8, 16)\n', 'for name, param in encoder.named_parameters():\n', '    if "weight_hh" in name:\n', '        nn.init.orthogonal_(param)'],
    ]);
    expect(await runCli(['check', '--select', 'NAN501'], root)).toMatchObject({ code: 0, stdout: 'All checks passed!\n' });
  });

  it('a second --fix finds nothing to change', async () => {
    const root = makeProject({ 'train.ipynb': FIXTURE });
    await runCli(['check', ...PINNED, '--fix'], root);
    const once = readFileSync(join(root, 'train.ipynb'), 'utf8');
    const again = await runCli(['check', ...PINNED, '--fix'], root);
    expect(readFileSync(join(root, 'train.ipynb'), 'utf8')).toBe(once);
    expect(again).toMatchObject({ code: 0, stdout: 'All checks passed!\n' });
  });

  it('reports and removes an idle noqa comment inside a cell', async () => {
    const notebook = JSON.parse(FIXTURE) as Notebook;
    (notebook.cells[1]!.source as string[])[1] = 'import torch  # noqa: NAN301\n';
    const root = makeProject({ 'train.ipynb': `${JSON.stringify(notebook, null, 1)}\n` });
    const report = JSON.parse((await runCli(['check', ...PINNED, '--report-unused-noqa', '--format', 'json'], root)).stdout) as NotebookDiagnostic[];
    expect(report.find((d) => d.code === 'NAN000')).toMatchObject({ cell: 2, location: { row: 2, column: 15 } });
    await runCli(['check', ...PINNED, '--report-unused-noqa', '--fix'], root);
    const fixed = JSON.parse(readFileSync(join(root, 'train.ipynb'), 'utf8')) as Notebook;
    expect((fixed.cells[1]!.source as string[])[1]).toBe('import torch\n');
  });

  it('honours a noqa comment inside a cell', async () => {
    const notebook = JSON.parse(FIXTURE) as Notebook;
    const source = notebook.cells[2]!.source as string[];
    source[1] = 'opt = torch.optim.Adam(model.parameters(), lr=0.01)  # noqa: NAN301\n';
    const root = makeProject({ 'train.ipynb': JSON.stringify(notebook) });
    const diagnostics = JSON.parse((await runCli(['check', ...PINNED, '--format', 'json'], root)).stdout) as NotebookDiagnostic[];
    expect(diagnostics.map((d) => d.code)).toEqual(['NAN201']);
  });
});

/** An nbformat 4 notebook of code cells, sources stored as lists of lines, written as Jupyter writes it. */
function codeCellsNotebook(sources: string[][]): string {
  const cells = sources.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source }));
  return `${JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
}
