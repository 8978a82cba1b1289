import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes, lint, RULES, type Violation } from '../../server/src/engine';
import { syntaxErrorCount } from '../helpers/ruleTester';

const ROOT = join(__dirname, '..', '..');

function pythonFiles(folder: string): [string, string][] {
  return readdirSync(join(ROOT, folder))
    .filter((file) => file.endsWith('.py'))
    .map((file) => [`${folder}/${file}`, readFileSync(join(ROOT, folder, file), 'utf8')]);
}

const INPUTS: [string, string][] = [
  ...pythonFiles('examples'),
  ...pythonFiles('test/fixtures/rules'),
  ...RULES.map((rule): [string, string] => [`${rule.meta.code} docs example`, rule.meta.docs.example]),
];

/** Code and message: positions move when a fix edits lines above a finding. */
function signatures(violations: Violation[]): string[] {
  return violations.map((violation) => `${violation.code}: ${violation.message}`).sort();
}

function withoutOne(list: string[], item: string): string[] {
  const index = list.indexOf(item);
  return index === -1 ? list : [...list.slice(0, index), ...list.slice(index + 1)];
}

describe.each(INPUTS)('fixing everything in %s', (_name, text) => {
  for (const unsafe of [false, true]) {
    it(`${unsafe ? 'safe and unsafe' : 'safe'} fixes keep the code parsing, remove what they fix and add nothing`, () => {
      const before = lint(text, 'input.py');
      const fixed = applyFixes(text, 'input.py', undefined, { unsafe });
      expect(syntaxErrorCount(fixed.text)).toBeLessThanOrEqual(syntaxErrorCount(text));
      let expectedLeft = signatures(before.violations);
      for (const violation of fixed.fixed) expectedLeft = withoutOne(expectedLeft, `${violation.code}: ${violation.message}`);
      // Every remaining finding was there before and was not fixed (a fix may make a sibling finding go too).
      for (const signature of signatures(fixed.remaining.violations)) {
        expect(expectedLeft).toContain(signature);
        expectedLeft = withoutOne(expectedLeft, signature);
      }
      expect(applyFixes(fixed.text, 'input.py', undefined, { unsafe }).text).toBe(fixed.text);
      if (before.violations.some((violation) => violation.fix && (unsafe || violation.fix.applicability === 'safe'))) {
        expect(fixed.text).not.toBe(text);
      }
    });
  }
});
