import type { Tree } from './parse/tree';
import { lineStartOf, type LineIndex } from './positions';
import type { Edit, Span, Violation } from './rule';

/** A `# noqa` or `# nanlint: disable…` comment; `codes` null means every code. */
export interface Directive extends Span {
  kind: 'noqa' | 'disable' | 'disable-file';
  line: number;
  codes: string[] | null;
}

export interface UnusedDirective extends Span {
  /** The codes in the directive that suppressed nothing (null: a bare directive that suppressed nothing). */
  codes: string[] | null;
}

const DIRECTIVE = /#\s*(?:noqa\b(?::\s*(?<noqa>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?|nanlint:\s*(?<kind>disable-file|disable)\b(?:\s*=\s*(?<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?)/g;

/** Directives in comments only: a `# noqa` inside a string literal is text, not a directive. */
export function parseDirectives(text: string, tree: Tree, lines: LineIndex): Directive[] {
  const directives: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const node = tree.rootNode.descendantForIndex(match.index);
    if (node.type !== 'comment') continue;
    const groups = match.groups ?? {};
    const list = groups.noqa ?? groups.codes;
    const codes = list ? list.split(/[\s,]+/).filter(Boolean) : null;
    const kind = groups.kind === 'disable-file' ? 'disable-file' : groups.kind === 'disable' ? 'disable' : 'noqa';
    directives.push({ kind, line: lines.lineOf(match.index), codes, start: match.index, end: match.index + match[0].length });
  }
  return directives;
}

/**
 * Drops suppressed violations. A line directive covers violations whose anchor starts on its line;
 * `disable-file` covers the file. Also returns the directives (or codes) that suppressed nothing.
 */
export function applySuppressions(
  violations: Violation[],
  directives: Directive[],
  lines: LineIndex,
): { kept: Violation[]; unused: UnusedDirective[] } {
  if (directives.length === 0) return { kept: violations, unused: [] };
  const used = new Map<Directive, Set<string>>();
  const kept = violations.filter((violation) => {
    const line = lines.lineOf(violation.start);
    const directive = directives.find(
      (candidate) =>
        (candidate.kind === 'disable-file' || candidate.line === line) &&
        (candidate.codes === null || candidate.codes.includes(violation.code)),
    );
    if (!directive) return true;
    const codes = used.get(directive) ?? new Set<string>();
    codes.add(violation.code);
    used.set(directive, codes);
    return false;
  });
  const unused: UnusedDirective[] = [];
  for (const directive of directives) {
    const usedCodes = used.get(directive);
    if (directive.codes === null) {
      if (!usedCodes) unused.push({ start: directive.start, end: directive.end, codes: null });
      continue;
    }
    // Codes of other tools (`# noqa: E501`) are theirs to judge.
    const idle = directive.codes.filter((code) => code.startsWith('NAN') && !usedCodes?.has(code));
    if (idle.length > 0) unused.push({ start: directive.start, end: directive.end, codes: idle });
  }
  return { kept, unused };
}

/** Adds the violation's code to the `# noqa` on its line, or appends `  # noqa: CODE`. */
export function noqaEdit(text: string, violation: Violation): Edit {
  const lineStart = lineStartOf(text, violation.start);
  let lineEnd = text.indexOf('\n', violation.start);
  if (lineEnd === -1) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const line = text.slice(lineStart, lineEnd);
  const existing = /#\s*noqa:\s*[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*/.exec(line);
  if (existing) {
    const at = lineStart + existing.index + existing[0].length;
    return { start: at, end: at, content: `, ${violation.code}` };
  }
  const trimmedEnd = lineStart + line.trimEnd().length;
  return { start: trimmedEnd, end: lineEnd, content: `  # noqa: ${violation.code}` };
}
