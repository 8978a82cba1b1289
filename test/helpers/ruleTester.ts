import { describe, expect, it } from 'vitest';
import { applyFixes, lint, LineIndex, type LintConfig, type Rule, type Violation } from '../../server/src/engine';
import { parse, syntaxErrorNodes } from '../../server/src/engine/parse/tree';

/** ESLint RuleTester semantics on vitest: valid cases report nothing; invalid cases report exactly `errors`. */
export interface ValidCase {
  name?: string;
  code: string;
  config?: Partial<LintConfig>;
}

export interface ExpectedError {
  /** 1-based line of the anchor's start. */
  line: number;
  /** 1-based code-point column of the anchor's start. */
  column?: number;
  /** The exact source text of the anchor. */
  anchor?: string;
  /** A substring the message must contain (the concrete value, ...). */
  message?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after applying the rule's fixes to convergence; null when no fix may be applied. */
  output: string | null;
  /** Apply unsafe fixes too. */
  unsafe?: boolean;
}

function title(testCase: ValidCase): string {
  return testCase.name ?? testCase.code.trim().split('\n').slice(-1)[0] ?? testCase.code;
}

export function syntaxErrorCount(text: string): number {
  return syntaxErrorNodes(parse(text)).length;
}

/** The facts skip calls they cannot ask about; analysing every call must not change any finding. */
export function expectSameAsExhaustive(text: string, config: Partial<LintConfig> | undefined, violations: Violation[]): void {
  const exhaustive = lint(text, 'test.py', config, { exhaustiveCalls: true }).violations;
  expect(violations.map(describeViolation)).toEqual(exhaustive.map(describeViolation));
}

function describeViolation(violation: Violation): string {
  return `${violation.code}@${violation.start}-${violation.end}: ${violation.message}`;
}

export function ruleTester(rule: Rule, cases: { valid: (ValidCase | string)[]; invalid: InvalidCase[] }): void {
  const { code } = rule.meta;
  const only = (config?: Partial<LintConfig>): Partial<LintConfig> => ({ ...config, select: [code] });
  describe(`${code} ${rule.meta.name}`, () => {
    describe('valid', () => {
      for (const raw of cases.valid) {
        const testCase = typeof raw === 'string' ? { code: raw } : raw;
        it(title(testCase), () => {
          const result = lint(testCase.code, 'test.py', only(testCase.config));
          expect(result.ruleFailures).toEqual([]);
          expect(result.violations.map((violation) => violation.message)).toEqual([]);
          expectSameAsExhaustive(testCase.code, only(testCase.config), result.violations);
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(title(testCase), () => {
          const result = lint(testCase.code, 'test.py', only(testCase.config));
          expect(result.ruleFailures).toEqual([]);
          expectSameAsExhaustive(testCase.code, only(testCase.config), result.violations);
          const lines = new LineIndex(testCase.code);
          const actual = result.violations.map((violation) => {
            const { row, column } = lines.rowColumn(violation.start);
            return { line: row, column, anchor: testCase.code.slice(violation.start, violation.end), message: violation.message };
          });
          expect(actual.length, JSON.stringify(actual, null, 2)).toBe(testCase.errors.length);
          testCase.errors.forEach((expected, index) => {
            const found = actual[index]!;
            expect(found.line).toBe(expected.line);
            if (expected.column !== undefined) expect(found.column).toBe(expected.column);
            if (expected.anchor !== undefined) expect(found.anchor).toBe(expected.anchor);
            if (expected.message !== undefined) expect(found.message).toContain(expected.message);
          });

          const fixOptions = { codes: [code], unsafe: testCase.unsafe ?? false };
          const fixed = applyFixes(testCase.code, 'test.py', only(testCase.config), fixOptions);
          if (testCase.output === null) {
            expect(fixed.text).toBe(testCase.code);
            return;
          }
          expect(fixed.text).toBe(testCase.output);
          expect(syntaxErrorCount(fixed.text)).toBeLessThanOrEqual(syntaxErrorCount(testCase.code));
          expect(lint(fixed.text, 'test.py', only(testCase.config)).violations).toEqual([]);
          expect(applyFixes(fixed.text, 'test.py', only(testCase.config), fixOptions).text).toBe(fixed.text);
        });
      }
    });
  });
}
