import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFixes, lint } from '../../server/src/engine';

/**
 * Python names are Unicode (PEP 3131). Renaming a file's own variables to non-ASCII names must not change
 * what nanlint finds: each finding stays on its line, and each fix still removes its finding.
 */
const INPUTS = [
  ...readdirSync('examples')
    .filter((file) => file.endsWith('.py'))
    .map((file) => join('examples', file)),
  ...readdirSync('test/fixtures/rules').map((file) => join('test/fixtures/rules', file)),
];

// A suffix from outside the BMP too (𝛼 is a surrogate pair in a JavaScript string).
const SUFFIXES = ['λ', '_données', '𝛼'];

/**
 * The file's own assigned names, renamed wherever they are used as names. Names that also appear as an
 * attribute (`.lr`), a keyword (`lr=`) or in a string are left alone: those spellings belong to libraries.
 */
function renameOwnNames(text: string, suffix: string): { text: string; renamed: string[] } {
  const assigned = new Set([...text.matchAll(/^[ \t]*([A-Za-z_]\w*)[ \t]*=(?!=)/gm)].map((match) => match[1]!));
  const renamed = [...assigned].filter((name) => {
    if (name === 'self' || name.startsWith('__')) return false;
    const foreign = new RegExp(String.raw`\.\s*${name}\b|[(,]\s*${name}\s*=(?!=)|^[ \t]*${name}=[^=\n]*,[ \t]*$|["'][^"'\n]*\b${name}\b[^"'\n]*["']`, 'm');
    return !foreign.test(text);
  });
  let result = text;
  for (const name of renamed) result = result.replace(new RegExp(String.raw`(?<![\w.])${name}\b`, 'g'), `${name}${suffix}`);
  return { text: result, renamed };
}

function findings(text: string): string[] {
  return lint(text, 'renamed.py').violations.map((violation) => `${violation.code}@${text.slice(0, violation.start).split('\n').length}`);
}

describe('non-ASCII names', () => {
  const renamedSomewhere = new Set<string>();
  for (const path of INPUTS) {
    const original = readFileSync(path, 'utf8');
    for (const name of renameOwnNames(original, '').renamed) renamedSomewhere.add(name);
    for (const suffix of SUFFIXES) {
      it(`find the same problems in ${path} with its names renamed to *${suffix}`, () => {
        const { text } = renameOwnNames(original, suffix);
        expect(text).not.toBe(original);
        expect(findings(text)).toEqual(findings(original));
        const fixed = applyFixes(text, 'renamed.py', undefined, { unsafe: true }).text;
        const fixedOriginal = applyFixes(original, 'renamed.py', undefined, { unsafe: true }).text;
        expect(findings(fixed)).toEqual(findings(fixedOriginal));
      });
    }
  }

  it('were tried on the names that carry the values rules follow', () => {
    // Guards the renaming above against silently renaming nothing.
    expect(renamedSomewhere.size).toBeGreaterThan(40);
    for (const name of ['optimizer', 'model', 'criterion', 'scaler']) expect([...renamedSomewhere]).toContain(name);
  });

  it('bind a learning rate held by a Greek name', () => {
    const text = 'import torch\nα = 0.01\nopt = torch.optim.Adam(model.parameters(), lr=α)\n';
    const [finding] = lint(text, 'greek.py').violations;
    expect(finding).toMatchObject({ code: 'NAN301' });
    expect(finding!.message).toContain('0.01');
    expect(finding!.related.map((related) => text.slice(related.start, related.end))).toContain('α = 0.01');
  });
});
