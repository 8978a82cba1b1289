import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, renderRuleDoc, RULES } from '../../server/src/engine';

const ROOT = join(__dirname, '..', '..');
const RULE_FILES = readdirSync(join(ROOT, 'server/src/engine/rules')).filter((file) => file.endsWith('.ts') && file !== 'index.ts');

describe('rule registry', () => {
  it('registers exactly the files in rules/, each under its own name', () => {
    expect(RULES.map((rule) => `${rule.meta.name}.ts`).sort()).toEqual([...RULE_FILES].sort());
  });

  it('gives every rule a unique code and name', () => {
    expect(new Set(RULES.map((rule) => rule.meta.code)).size).toBe(RULES.length);
    expect(new Set(RULES.map((rule) => rule.meta.name)).size).toBe(RULES.length);
  });

  it('keeps the codes in order', () => {
    const codes = RULES.map((rule) => rule.meta.code);
    expect(codes).toEqual([...codes].sort());
  });
});

describe.each(RULES.map((rule) => [rule.meta.code, rule] as const))('%s', (code, rule) => {
  it('has docs under every heading', () => {
    const { docs } = rule.meta;
    for (const [heading, text] of Object.entries(docs)) {
      if (Array.isArray(text)) expect(text.length, heading).toBeGreaterThan(0);
      else expect(text.trim().length, heading).toBeGreaterThan(20);
    }
  });

  it('has its docs example flagged and its "use instead" silent', () => {
    const example = lint(rule.meta.docs.example, 'example.py', { select: [code] }).violations;
    expect(example.length).toBeGreaterThan(0);
    expect(lint(rule.meta.docs.useInstead, 'example.py', { select: [code] }).violations).toEqual([]);
  });

  it('has a rendered page in docs/rules that matches its meta', () => {
    const page = join(ROOT, 'docs/rules', `${code}.md`);
    expect(existsSync(page), `${page} is missing: run npm run docs`).toBe(true);
    expect(readFileSync(page, 'utf8')).toBe(renderRuleDoc(rule));
  });

  it('has a RuleTester suite and a fixture', () => {
    expect(existsSync(join(ROOT, 'test/rules', `${rule.meta.name}.test.ts`))).toBe(true);
    const fixture = join(ROOT, 'test/fixtures/rules', `${rule.meta.name}.py`);
    expect(existsSync(fixture)).toBe(true);
    expect(readFileSync(fixture, 'utf8')).toContain(`# expect: ${code}`);
  });

  it('fires on at least one bundled example', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((file) => file.endsWith('.py'));
    const fired = examples.some((file) => lint(readFileSync(join(ROOT, 'examples', file), 'utf8'), file).violations.some((violation) => violation.code === code));
    expect(fired).toBe(true);
  });
});

describe('examples', () => {
  it('include one clean script', () => {
    const clean = readdirSync(join(ROOT, 'examples')).filter((file) => file.endsWith('.py') && lint(readFileSync(join(ROOT, 'examples', file), 'utf8'), file).violations.length === 0);
    expect(clean.length).toBeGreaterThan(0);
  });
});
