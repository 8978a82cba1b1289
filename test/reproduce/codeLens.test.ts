/** Code lenses sit on the lines whose findings a sample scenario can demonstrate, one per line. */
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../server/src/engine';
import { REPRODUCE_LENS_TITLE, reproduceCodeLenses } from '../../server/src/lsp/codeLens';

function violation(code: string, text: string, needle: string): Violation {
  const start = text.indexOf(needle);
  return { code, name: code, severity: 'warning', message: code, start, end: start + needle.length, related: [] };
}

describe('reproduce code lenses', () => {
  const text = 'import torch\nopt = torch.optim.Adam(m.parameters(), lr=0.01)\nfor x in data:\n    loss.backward()\n    opt.step()\n';

  it('puts one lens on each line with a reproducible finding, with the 0-based line as argument', () => {
    const lenses = reproduceCodeLenses('file:///t.py', text, [violation('NAN301', text, '0.01'), violation('NAN201', text, 'opt.step()'), violation('NAN501', text, 'import')]);
    expect(lenses.map((l) => l.range.start.line)).toEqual([1, 4]);
    expect(lenses[0]?.command).toEqual({ title: REPRODUCE_LENS_TITLE, command: 'nanlint.reproduce', arguments: ['file:///t.py', 1] });
  });

  it('merges findings on the same line into one lens', () => {
    const lenses = reproduceCodeLenses('file:///t.py', text, [violation('NAN301', text, '0.01'), violation('NAN201', text, 'Adam')]);
    expect(lenses).toHaveLength(1);
  });
});
