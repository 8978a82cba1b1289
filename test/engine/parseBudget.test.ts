import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine';

// 23 unclosed brackets before 10,000 lines: tree-sitter's error recovery takes seconds on this.
const PATHOLOGICAL = readFileSync(join(__dirname, '..', 'fuzz', 'regressions', 'parse-time-grows-quadratically-after-23-unclosed-parentheses.py'), 'utf8');

describe('parse budget', () => {
  it('reports a file whose parse runs over budget as not analysed, within a bound, instead of hanging', () => {
    const started = performance.now();
    const result = lint(PATHOLOGICAL, 'slow.py');
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(result.notAnalysed).toMatch(/parsing took longer than \d+ ms/);
    expect(result.violations).toEqual([]);
  });

  it('parses the next file from scratch after a cancelled parse', () => {
    lint(PATHOLOGICAL, 'slow.py');
    const text = `import torch\nopt = torch.optim.Adam(m.parameters(), lr=0.1)\n${'x = 1\n'.repeat(5_000)}`;
    const result = lint(text, 'next.py');
    expect(result.notAnalysed).toBeUndefined();
    expect(result.syntaxErrors).toEqual([]);
    expect(result.violations.map((violation) => text.slice(violation.start, violation.end))).toEqual(['lr=0.1']);
  });
});
