import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine';
import { buildVirtualNotebook, maskIPythonSyntax, parseNotebookCells, replaceCellSources, sourceLinesInFile, type NotebookCellInput } from '../../server/src/engine/notebook';

const code = (source: string): NotebookCellInput => ({ kind: 'code', source });
const markdown = (source: string): NotebookCellInput => ({ kind: 'markdown', source });

describe('masking IPython syntax', () => {
  it('turns line magics, shell lines and help lines into harmless statements of the same length', () => {
    const source = '%matplotlib inline\n!pip install torch\nmodel?\n??model\nx = 1\n';
    const masked = maskIPythonSyntax(source);
    expect(masked).toBe('0                 \n0                 \n0     \n0      \nx = 1\n');
    expect(masked.length).toBe(source.length);
  });

  it('keeps the indentation of a magic inside a block so the block still parses', () => {
    const source = 'for i in range(3):\n    %time step()\n';
    const masked = maskIPythonSyntax(source);
    expect(masked).toBe('for i in range(3):\n    0           \n');
    expect(lint(masked, 'nb.py').syntaxErrors).toEqual([]);
  });

  it('keeps the assignment of `x = !ls` and masks only the shell part', () => {
    expect(maskIPythonSyntax('files = !ls data\nout = %sx pwd')).toBe(`files = ${'0'.padEnd('!ls data'.length)}\nout = ${'0'.padEnd('%sx pwd'.length)}`);
  });

  it('masks a whole non-Python cell magic and only the first line of %%time', () => {
    expect(maskIPythonSyntax('%%bash\necho hi\nls')).toBe('      \n       \n  ');
    expect(maskIPythonSyntax('%%time\nx = 1\n')).toBe('      \nx = 1\n');
  });

  it('masks the continuation lines of a magic that ends in a backslash', () => {
    expect(maskIPythonSyntax('!pip install \\\n   torch\nx = 1')).toBe(`${'0'.padEnd('!pip install \\'.length)}\n${' '.repeat('   torch'.length)}\nx = 1`);
  });

  it('keeps CRLF line ends and leaves plain Python untouched', () => {
    expect(maskIPythonSyntax('!ls\r\nx = 1\r\n')).toBe('0  \r\nx = 1\r\n');
    const python = 'import torch\nx = a % b\ns = "100%"\nif x != 2:\n    pass\n';
    expect(maskIPythonSyntax(python)).toBe(python);
  });

  it('never changes the length or the line breaks of any text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('%', '!', '?', '%%', '\\', '\n', '\r\n', ' ', 'x = ', '𝜂', 'é'), fc.string()), { maxLength: 30 }), (parts) => {
        const source = parts.join('');
        const masked = maskIPythonSyntax(source);
        expect(masked.length).toBe(source.length);
        expect([...masked.matchAll(/\n/g)].map((m) => m.index)).toEqual([...source.matchAll(/\n/g)].map((m) => m.index));
      }),
      { seed: 20251127, numRuns: 300 },
    );
  });
});

describe('the virtual document', () => {
  const cells = [markdown('# Title'), code('import torch\n'), markdown('text'), code('%matplotlib inline\nopt = 1'), { kind: 'raw', source: 'raw' } as NotebookCellInput];

  it('joins the code cells in order, each followed by a newline, skipping markdown and raw cells', () => {
    const notebook = buildVirtualNotebook(cells);
    expect(notebook.text).toBe('import torch\n\n0                 \nopt = 1\n');
    expect(notebook.segments).toEqual([
      { cellIndex: 1, start: 0, length: 13 },
      { cellIndex: 3, start: 14, length: 26 },
    ]);
  });

  it('maps offsets both ways, with cell indexes of the cells array', () => {
    const notebook = buildVirtualNotebook(cells);
    const optAt = notebook.text.indexOf('opt');
    expect(notebook.toCell(optAt)).toEqual({ cellIndex: 3, offset: 19 });
    expect(notebook.toVirtual(3, 19)).toBe(optAt);
    expect(notebook.toCell(13)).toEqual({ cellIndex: 1, offset: 13 });
    expect(notebook.toVirtual(0, 0)).toBeUndefined();
    expect(notebook.toVirtual(1, 99)).toBeUndefined();
  });

  it('maps a span inside one cell and refuses one that crosses cells', () => {
    const notebook = buildVirtualNotebook(cells);
    expect(notebook.spanToCell(14 + 19, 14 + 22)).toEqual({ cellIndex: 3, start: 19, end: 22 });
    expect(notebook.spanToCell(5, 20)).toBeUndefined();
  });

  it('round-trips every offset of every code cell', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ kind: fc.constantFrom<'code' | 'markdown'>('code', 'markdown'), source: fc.string({ maxLength: 20 }) }), { maxLength: 8 }), (input) => {
        const notebook = buildVirtualNotebook(input);
        input.forEach((cell, cellIndex) => {
          if (cell.kind !== 'code') return;
          for (let offset = 0; offset <= cell.source.length; offset++) {
            const virtual = notebook.toVirtual(cellIndex, offset);
            expect(virtual).toBeDefined();
            expect(notebook.toCell(virtual as number)).toEqual({ cellIndex, offset });
          }
        });
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('lets a fact from one cell reach a rule firing in another', () => {
    const notebook = buildVirtualNotebook([
      code('import torch\nimport torch.nn as nn\nmodel = nn.LSTM(8, 8)\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)'),
      markdown('## loop'),
      code('for x, y in loader:\n    opt.zero_grad()\n    loss_fn(model(x)[0], y).backward()\n    opt.step()'),
    ]);
    const [violation] = lint(notebook.text, 'nb.ipynb', { select: ['NAN201'] }).violations;
    expect(violation?.code).toBe('NAN201');
    const place = notebook.toCell(violation!.start);
    expect(place?.cellIndex).toBe(2);
  });
});

describe('edits of the virtual document as edits of one cell', () => {
  const cells = [code('import torch.nn as nn\nencoder = nn.LSTM(32, 64)'), markdown('## Use it'), code('print(encoder)')];
  const line = 'nn.init.orthogonal_(encoder.weight_hh_l0)';
  /** Where a line inserted after the first cell's last line lands: just after the newline that closes the cell. */
  const afterFirstCell = 'import torch.nn as nn\nencoder = nn.LSTM(32, 64)\n'.length;

  it('keeps a line inserted after the last line of a cell in that cell when the finding is there', () => {
    const notebook = buildVirtualNotebook(cells);
    const finding = notebook.text.indexOf('nn.LSTM');
    const insertion = { start: afterFirstCell, end: afterFirstCell, content: `${line}\n` };
    expect(notebook.editToCell(insertion, finding)).toEqual({ cellIndex: 0, start: afterFirstCell - 1, end: afterFirstCell - 1, content: `\n${line}` });
  });

  it('keeps a line inserted before the first line of a cell in that cell when the finding is there', () => {
    const notebook = buildVirtualNotebook(cells);
    const finding = notebook.text.indexOf('print');
    const insertion = { start: afterFirstCell, end: afterFirstCell, content: `${line}\n` };
    expect(notebook.editToCell(insertion, finding)).toEqual({ cellIndex: 2, start: 0, end: 0, content: `${line}\n` });
  });

  it('keeps a line inserted after the last line of the last cell in that cell, with its CRLF', () => {
    const notebook = buildVirtualNotebook([code('x = 1\r\nencoder = nn.GRU(8, 16)')]);
    const end = notebook.text.length;
    expect(notebook.editToCell({ start: end, end, content: `${line}\r\n` }, 0)).toEqual({ cellIndex: 0, start: end - 1, end: end - 1, content: `\r\n${line}` });
  });

  it('refuses an edit that crosses cells, and text without a line end after the last cell', () => {
    const notebook = buildVirtualNotebook(cells);
    expect(notebook.editToCell({ start: 5, end: afterFirstCell + 2, content: '' }, 5)).toBeUndefined();
    const end = notebook.text.length;
    expect(notebook.editToCell({ start: end, end, content: line }, 0)).toBeUndefined();
  });

  it('changes the cells exactly as the edit changes the virtual document', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }).map((source) => code(source.replace(/[%!?]/g, 'x'))), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        // A CRLF line moved into a cell keeps its CRLF there, so only `\n` lines give the identical text.
        fc.constantFrom('', 'a', 'a\n', '\n', 'a\nb\n'),
        (input, startSeed, lengthSeed, findingSeed, content) => {
          const notebook = buildVirtualNotebook(input);
          const start = startSeed % (notebook.text.length + 1);
          const edit = { start, end: start + (lengthSeed % 3 === 0 ? 0 : lengthSeed % (notebook.text.length - start + 1)), content };
          const mapped = notebook.editToCell(edit, findingSeed % (notebook.text.length + 1));
          if (!mapped) return;
          const cellsAfter = input.map((cell, cellIndex) =>
            cellIndex === mapped.cellIndex ? code(cell.source.slice(0, mapped.start) + mapped.content + cell.source.slice(mapped.end)) : cell,
          );
          const virtualAfter = notebook.text.slice(0, edit.start) + edit.content + notebook.text.slice(edit.end);
          expect(buildVirtualNotebook(cellsAfter).text).toBe(virtualAfter);
        },
      ),
      { seed: 1127, numRuns: 500 },
    );
  });
});

describe('reading notebook JSON', () => {
  it('reads cells with list or string sources', () => {
    const json = JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: ['a\n', 'b'] }, { cell_type: 'markdown', source: '# t' }, { cell_type: 'raw', source: [] }] });
    expect(parseNotebookCells(json)).toEqual({ ok: true, cells: [code('a\nb'), markdown('# t'), { kind: 'raw', source: '' }] });
  });

  it('names what is wrong with a file that is not an nbformat 4 notebook', () => {
    expect(parseNotebookCells('{')).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid notebook JSON: /) });
    expect(parseNotebookCells('[]')).toEqual({ ok: false, reason: 'not a notebook: the JSON is not an object' });
    expect(parseNotebookCells('{"nbformat": 3}')).toEqual({ ok: false, reason: 'unsupported notebook format 3 (nbformat 4 is read)' });
    expect(parseNotebookCells('{"nbformat": 4}')).toEqual({ ok: false, reason: 'not a notebook: "cells" is missing or not a list' });
    expect(parseNotebookCells('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}')).toEqual({ ok: false, reason: 'cell 1 has no "source" text' });
  });
});

describe('writing sources back', () => {
  const jupyterLayout = [
    '{',
    ' "cells": [',
    '  {',
    '   "cell_type": "code",',
    '   "metadata": {"a": "\\u00e9\\/"},',
    '   "outputs": [{"text": ["1.0\\n"]}],',
    '   "source": [',
    '    "x = 1\\n",',
    '    "y = \\"\\u2192\\""',
    '   ]',
    '  },',
    '  {',
    '   "cell_type": "code",',
    '   "metadata": {},',
    '   "source": "z = 2"',
    '  }',
    ' ],',
    ' "nbformat": 4',
    '}',
    '',
  ].join('\n');

  it('replaces only the source of the changed cell, in the list layout it had', () => {
    const out = replaceCellSources(jupyterLayout, new Map([[0, 'x = 1\nclip()\ny = "\u2192"']]));
    expect(out).toBe(jupyterLayout.replace('    "x = 1\\n",\n', '    "x = 1\\n",\n    "clip()\\n",\n'));
  });

  it('keeps a string source a string', () => {
    const out = replaceCellSources(jupyterLayout, new Map([[1, 'z = 3\n']]));
    expect(out).toBe(jupyterLayout.replace('"source": "z = 2"', '"source": "z = 3\\n"'));
  });

  it('fills an empty source list one line per element', () => {
    const json = '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": []\n  }\n ],\n "nbformat": 4\n}\n';
    const out = replaceCellSources(json, new Map([[0, 'a\nb']]));
    expect(JSON.parse(out)).toEqual({ cells: [{ cell_type: 'code', source: ['a\n', 'b'] }], nbformat: 4 });
    expect(out).toContain('   "source": [\n    "a\\n",\n    "b"\n   ]');
  });

  it('knows the file line of every source line, one per element or all on the line of a string', () => {
    const rows = sourceLinesInFile(jupyterLayout);
    expect(rows.get(0)).toEqual([8, 9]);
    expect(rows.get(1)).toEqual([15]);
    expect(sourceLinesInFile('{ not json').size).toBe(0);
  });

  it('changes nothing when no cell changed', () => {
    expect(replaceCellSources(jupyterLayout, new Map())).toBe(jupyterLayout);
  });
});
