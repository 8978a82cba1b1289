import { describe, expect, it } from 'vitest';
import { lint, resolveLintConfig } from '../../server/src/engine';
import { buildVirtualNotebook } from '../../server/src/engine/notebook';
import { fixCellTexts } from '../../server/src/lsp/fixAll';
import { LSTM_NOTEBOOK_CELLS } from './samples';

const config = resolveLintConfig({ select: ['NAN201', 'NAN301'] });
const code = (texts: readonly string[]) => texts.map((text) => ({ kind: 'code' as const, text }));
const virtual = (texts: readonly string[]) => buildVirtualNotebook(texts.map((source) => ({ kind: 'code' as const, source }))).text;

describe('notebook fix all (fixCellTexts)', () => {
  it('fixes a notebook that already has a syntax error in another cell, and adds none', () => {
    const cells = [...LSTM_NOTEBOOK_CELLS.map((text) => text.replace('lr=1e-3', 'lr=0.01')), 'print((\n'];
    const virtualBefore = virtual(cells);
    const before = lint(virtualBefore, 'nb.ipynb', config);
    expect(before.violations.map((violation) => violation.code).sort()).toEqual(['NAN201', 'NAN301']);
    expect(before.syntaxErrors.length).toBeGreaterThan(0);

    const fixed = fixCellTexts(code(cells), 'nb.ipynb', config, false);
    const after = lint(virtual(fixed), 'nb.ipynb', config);
    expect(fixed[2]).toContain('lr=1e-3');
    expect(fixed.at(-1)).toBe('print((\n');
    expect(after.syntaxErrors.length).toBe(before.syntaxErrors.length);
    expect(after.violations.map((violation) => violation.code)).not.toContain('NAN301');
  });
});
