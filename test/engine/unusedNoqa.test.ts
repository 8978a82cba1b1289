import { describe, expect, it } from 'vitest';
import { applyEdits, lint, UNUSED_NOQA_CODE, UNUSED_NOQA_URL, unusedNoqaViolations } from '../../server/src/engine';

const FLAGGED = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)';

/** The NAN000 findings of a text, and the text with all their fixes applied. */
function idleDirectives(text: string): { messages: string[]; fixed: string } {
  const violations = unusedNoqaViolations(text, lint(text, 't.py').unusedSuppressions);
  return { messages: violations.map((violation) => violation.message), fixed: applyEdits(text, violations.flatMap((violation) => violation.fix?.edits ?? [])) };
}

describe('unused suppression directives (NAN000)', () => {
  it('names the idle codes, or the blanket directive, as warnings with a safe fix', () => {
    const text = 'import torch\nx = 1  # noqa: NAN301, NAN201\ny = 2  # noqa\n';
    const violations = unusedNoqaViolations(text, lint(text, 't.py').unusedSuppressions);
    expect(violations.map(({ code, name, severity, message }) => ({ code, name, severity, message }))).toEqual([
      { code: UNUSED_NOQA_CODE, name: 'unused-noqa', severity: 'warning', message: 'Unused suppression directive (unused: `NAN301`, `NAN201`)' },
      { code: UNUSED_NOQA_CODE, name: 'unused-noqa', severity: 'warning', message: 'Unused blanket suppression directive: it suppresses nothing' },
    ]);
    expect(violations.map((violation) => [violation.fix?.title, violation.fix?.applicability])).toEqual([
      ['Remove the directive', 'safe'],
      ['Remove the directive', 'safe'],
    ]);
    expect(UNUSED_NOQA_URL).toMatch(/\/README\.md#suppressing-findings$/);
  });

  it('removes a trailing directive with the spaces before it, and an own-line directive keeping its indent', () => {
    const text = 'import torch\nx = 1  # noqa: NAN301\nif x:\n    # nanlint: disable=NAN201\n    y = 2\n';
    expect(idleDirectives(text).fixed).toBe('import torch\nx = 1\nif x:\n    \n    y = 2\n');
  });

  it('keeps the codes that still suppress a finding, in the directive style it was written in', () => {
    const noqa = idleDirectives(`${FLAGGED}  # noqa: NAN301, NAN201\n`);
    expect(noqa).toEqual({ messages: ['Unused suppression directive (unused: `NAN201`)'], fixed: `${FLAGGED}  # noqa: NAN301\n` });
    const disable = idleDirectives(`${FLAGGED}  # nanlint: disable=NAN201,NAN301\n`);
    expect(disable.fixed).toBe(`${FLAGGED}  # nanlint: disable=NAN301\n`);
    expect(lint(disable.fixed, 't.py')).toMatchObject({ violations: [], unusedSuppressions: [] });
  });
});
