// Incremental parsing under random splices (the vscode-anycode / elm-language-server lesson): after any
// sequence of LSP content changes, the document's text, tree and lint result equal a fresh parse of the
// same text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncrementalDocument, lint, LineIndex } from '../../server/src/engine';
import { parse } from '../../server/src/engine/parse/tree';
import { check, LONG, runs } from './budget';
import { SEEDS } from './inputs';

const splice = fc.record({
  from: fc.nat(),
  length: fc.nat({ max: 40 }),
  text: fc.oneof(
    fc.constantFrom('', 'x', '\n', ')', '(', ':', '    ', '\t', '"', '#', 'lr=0.1', '\r\n', '𝒙', 'é', 'optimizer.step()\n'),
    fc.string({ maxLength: 12 }),
  ),
  /** Several changes in one event, as VS Code sends them: each range is against the text after the previous one. */
  batch: fc.nat({ max: 3 }),
});

interface Splice {
  from: number;
  length: number;
  text: string;
}

/** Applies LSP changes to a document and to a plain string side by side; returns the string. */
function applySplices(document: IncrementalDocument, initial: string, splices: readonly Splice[]): string {
  let expected = initial;
  for (const { from, length, text } of splices) {
    const lines = new LineIndex(expected);
    const start = from % (expected.length + 1);
    const end = Math.min(expected.length, start + length);
    document.applyChange({ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text });
    expected = expected.slice(0, start) + text + expected.slice(end);
    if (from % 3 === 0) document.tree();
  }
  return expected;
}

describe('incremental document regressions', () => {
  it('analyses an invalid text from a fresh parse: incremental error recovery can build a different tree', () => {
    const { initial, splices } = JSON.parse(readFileSync(join(__dirname, 'regressions', 'incremental-error-recovery-differs-from-a-fresh-parse.json'), 'utf8')) as { initial: string; splices: Splice[] };
    const document = new IncrementalDocument(initial);
    document.tree();
    const expected = applySplices(document, initial, splices);
    expect(document.tree().rootNode.toString()).toBe(parse(expected).rootNode.toString());
  });
});

describe('incremental document under random splices', () => {
  it('gives the same tree and findings as a fresh parse after every batch of changes', () => {
    check(
      'incremental splices',
      fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(splice, { minLength: 1, maxLength: 12 }), (seedIndex, splices) => {
        const initial = SEEDS[seedIndex] as string;
        const document = new IncrementalDocument(initial);
        document.tree();
        const expected = applySplices(document, initial, splices);
        expect(document.text).toBe(expected);
        expect(document.tree().rootNode.toString()).toBe(parse(expected).rootNode.toString());
        const incremental = lint(expected, 'doc.py', undefined, { document });
        const fresh = lint(expected, 'doc.py');
        expect(incremental.violations).toEqual(fresh.violations);
        expect(incremental.syntaxErrors).toEqual(fresh.syntaxErrors);
      }),
      runs(150, 5_000),
    );
  }, LONG ? 3_600_000 : 60_000);
});
