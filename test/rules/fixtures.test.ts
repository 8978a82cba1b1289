import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, LineIndex } from '../../server/src/engine';
import { expectSameAsExhaustive } from '../helpers/ruleTester';

const FIXTURES = join(__dirname, '..', 'fixtures', 'rules');

/** `# expect: NAN301[, NAN201]` marks the next code line; every finding needs a marker and every marker a finding. */
function expectedFindings(text: string): string[] {
  const expected: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const marker = /^\s*# expect: (.+)$/.exec(line);
    if (!marker) return;
    let target = index + 1;
    while (target < lines.length && /^\s*(#.*)?$/.test(lines[target]!)) target++;
    for (const code of marker[1]!.split(',')) expected.push(`${target + 1}:${code.trim()}`);
  });
  return expected.sort();
}

describe('rule fixtures', () => {
  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.py'))) {
    it(`${file}: every finding has an # expect marker and every marker a finding`, () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const result = lint(text, file);
      expect(result.ruleFailures).toEqual([]);
      expectSameAsExhaustive(text, undefined, result.violations);
      const lines = new LineIndex(text);
      const actual = result.violations.map((violation) => `${lines.rowColumn(violation.start).row}:${violation.code}`).sort();
      expect(actual).toEqual(expectedFindings(text));
    });
  }
});
