import { DOCS_BASE_URL } from './docs';
import type { FixableViolation } from './fixer';
import type { UnusedDirective } from './suppressions';

/**
 * Not a rule of the registry: reported only when asked for (Ruff's RUF100), by `--report-unused-noqa` on
 * the command line and `nanlint.reportUnusedNoqa` in the editor, with the same messages and fixes.
 */
export const UNUSED_NOQA_CODE = 'NAN000';
export const UNUSED_NOQA_NAME = 'unused-noqa';
export const UNUSED_NOQA_URL = `${DOCS_BASE_URL}/README.md#suppressing-findings`;

/** One finding per directive that suppressed nothing, with a safe fix that removes the idle codes. */
export function unusedNoqaViolations(text: string, unused: readonly UnusedDirective[]): FixableViolation[] {
  return unused.map((directive) => {
    const original = text.slice(directive.start, directive.end);
    const codes = directive.codes;
    const remaining = codes === null ? [] : codesIn(original).filter((code) => !codes.includes(code));
    const message =
      codes === null ? 'Unused blanket suppression directive: it suppresses nothing' : `Unused suppression directive (unused: ${codes.map((code) => `\`${code}\``).join(', ')})`;
    const edit =
      remaining.length === 0
        ? { start: trailingCommentStart(text, directive.start), end: directive.end, content: '' }
        : { start: directive.start, end: directive.end, content: rewrite(original, remaining) };
    return {
      code: UNUSED_NOQA_CODE,
      name: UNUSED_NOQA_NAME,
      severity: 'warning',
      message,
      start: directive.start,
      end: directive.end,
      related: [],
      fix: { title: remaining.length === 0 ? 'Remove the directive' : 'Remove the unused codes', applicability: 'safe', edits: [edit] },
    };
  });
}

function codesIn(directive: string): string[] {
  const list = /(?:noqa:|=)\s*(.*)$/.exec(directive)?.[1] ?? '';
  return list.split(/[\s,]+/).filter(Boolean);
}

function rewrite(directive: string, codes: string[]): string {
  return directive.startsWith('# nanlint') || /nanlint:/.test(directive)
    ? directive.replace(/=.*$/, `=${codes.join(',')}`)
    : directive.replace(/noqa:.*$/, `noqa: ${codes.join(', ')}`);
}

/** A comment after code takes the spaces before it along; a comment alone on its line keeps the indent. */
function trailingCommentStart(text: string, start: number): number {
  let at = start;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at > 0 && text[at - 1] !== '\n' ? at : start;
}
