import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncrementalDocument, LineIndex } from '../../server/src/engine';
import { parse } from '../../server/src/engine/parse/tree';

const BASE = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)  # é😀\r\nfor x in data:\n    loss.backward()\n    opt.step()\n';
const INSERTS = ['', 'x', '\n', '(', ')', '😀', 'é', '    ', 'clip(', 'lr=1e-3', '\r\n', '"""', '#'];

describe('incremental parsing', () => {
  it('an edited and reparsed tree equals a fresh parse of the same text, for random splices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 12 }),
        (splices) => {
          const document = new IncrementalDocument(BASE);
          document.tree();
          let expected = BASE;
          for (const [at, length, insert] of splices) {
            const lines = new LineIndex(expected);
            const start = at % (expected.length + 1);
            const end = Math.min(expected.length, start + length);
            document.applyChange({ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text: insert });
            expected = expected.slice(0, start) + insert + expected.slice(end);
            // Reparse at some steps only: several edits between parses must also compose.
            if (at % 3 === 0) document.tree();
          }
          expect(document.text).toBe(expected);
          expect(document.tree().rootNode.toString()).toBe(parse(expected).rootNode.toString());
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('a change without a range replaces the whole text', () => {
    const document = new IncrementalDocument('a = 1\n');
    document.tree();
    document.applyChange({ text: 'b = 2\n' });
    expect(document.tree().rootNode.text).toBe('b = 2\n');
  });
});

describe('LineIndex', () => {
  it('counts UTF-16 units for positions and code points for CLI columns', () => {
    const text = 'x = "😀"; y = 1\nz';
    const lines = new LineIndex(text);
    const offset = text.indexOf('y');
    expect(lines.positionAt(offset)).toEqual({ line: 0, character: 10 });
    expect(lines.rowColumn(offset)).toEqual({ row: 1, column: 10 });
    expect(lines.offsetAt({ line: 1, character: 0 })).toBe(text.indexOf('z'));
  });

  it('clamps positions past the end of a line or of the text', () => {
    const lines = new LineIndex('ab\ncd');
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe(3);
    expect(lines.offsetAt({ line: 9, character: 0 })).toBe(5);
  });
});
