import { describe, expect, it } from 'vitest';
import { applyFixes, lint, type FixableViolation } from '../../server/src/engine';
import { applyNotebookFixes, NotebookFixSubject } from '../../server/src/engine/notebookFixes';
import type { NotebookCellInput } from '../../server/src/engine/notebook';
import { LSTM_NOTEBOOK_CELLS } from '../lsp/samples';

const code = (...sources: string[]): NotebookCellInput[] => sources.map((source) => ({ kind: 'code', source }));

/** A finding at `start` whose fix replaces `start`–`end` of the joined text with `content`. */
function replacing(start: number, end: number, content: string): FixableViolation {
  return {
    code: 'NAN999',
    name: 'test',
    message: 'test',
    severity: 'warning',
    start,
    end,
    related: [],
    fix: { title: 'test', applicability: 'safe', edits: [{ start, end, content }] },
  };
}

describe('notebook fix subject', () => {
  const subject = new NotebookFixSubject(code('%matplotlib inline\nlr = 0.01\n', 'x = 1'));
  const at = (needle: string): number => subject.text.indexOf(needle);

  it('takes an edit inside one cell and applies it to that cell only', () => {
    const fix = replacing(at('0.01'), at('0.01') + 4, '1e-3');
    expect(subject.accepts(fix)).toBe(true);
    expect(subject.withFixes([fix]).cells.map((cell) => cell.source)).toEqual(['%matplotlib inline\nlr = 1e-3\n', 'x = 1']);
  });

  it('refuses an edit that replaces masked IPython syntax, which the linter never saw', () => {
    expect(subject.text.startsWith('%matplotlib')).toBe(false);
    expect(subject.accepts(replacing(0, 5, 'y'))).toBe(false);
  });

  it('refuses an edit that spans two cells', () => {
    expect(subject.accepts(replacing(at('0.01'), at('x = 1') + 1, 'y'))).toBe(false);
  });
});

describe('notebook fix all (applyNotebookFixes)', () => {
  it('fixes a notebook as the same code in one file is fixed, leaving IPython lines untouched', () => {
    const cells = code(...LSTM_NOTEBOOK_CELLS.map((text) => text.replace('lr=1e-3', 'lr=0.01')));
    const config = { select: ['NAN201', 'NAN301'] };
    const before = lint(new NotebookFixSubject(cells).text, 'nb.ipynb', config);
    expect(before.violations.map((violation) => violation.code).sort()).toEqual(['NAN201', 'NAN301']);

    const result = applyNotebookFixes(cells, 'nb.ipynb', config);
    expect(result.fixed.map((violation) => violation.code).sort()).toEqual(['NAN201', 'NAN301']);
    expect(result.remaining.violations).toEqual([]);
    const sources = result.subject.cells.map((cell) => cell.source);
    expect(sources[0]).toContain('%matplotlib inline');
    expect(sources[3]).toBe('!pip list | grep torch');
    // Without the IPython lines, the cells joined are a Python file: its fix all gives the same code.
    const plain = cells.filter((_, index) => index !== 3).map((cell) => cell.source.replace('%matplotlib inline', '')).join('\n');
    const fixedPlain = applyFixes(plain, 'nb.py', config).text;
    expect(sources.filter((_, index) => index !== 3).map((source) => source.replace('%matplotlib inline', '')).join('\n')).toBe(fixedPlain);
  });
});
