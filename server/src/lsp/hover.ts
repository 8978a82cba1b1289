/**
 * Hover: over a nanlint finding, or over a rule code in a `# noqa: NAN…` / `# nanlint: disable=…`
 * comment, show what the rule is about, why the pattern makes NaN, and the link to its page, all from
 * the rule's own docs (the single source docs/rules/*.md is rendered from).
 */
import { MarkupKind, type CancellationToken, type Hover, type Position, type Range } from 'vscode-languageserver';
import { docsUrl, ruleByCode, type Rule } from '../engine';
import type { LintService } from './linting';
import type { LintSubject } from './subjects';

const DIRECTIVE = /#\s*(?:noqa\s*:|nanlint\s*:\s*disable(?:-file)?\s*=)[\s,A-Z0-9]*/g;
const CODE = /[A-Z]+[0-9]+/g;

export async function hover(subject: LintSubject, uri: string, position: Position, lints: LintService, token: CancellationToken): Promise<Hover | null> {
  const directive = directiveCodeAt(lineText(subject, uri, position.line), position);
  if (directive) {
    const rule = ruleByCode(directive.code);
    return rule ? { contents: { kind: MarkupKind.Markdown, value: ruleHover(rule) }, range: directive.range } : null;
  }
  const offset = subject.offsetAt(uri, position);
  if (offset === undefined) return null;
  const outcome = await lints.lint(subject, token);
  const hits = (outcome.result?.violations ?? []).filter((violation) => violation.start <= offset && offset <= violation.end);
  const rules = [...new Set(hits.map((violation) => violation.code))].flatMap((code) => ruleByCode(code) ?? []);
  const first = hits[0];
  if (rules.length === 0 || !first) return null;
  const location = subject.locate(first);
  return {
    contents: { kind: MarkupKind.Markdown, value: rules.map(ruleHover).join('\n\n---\n\n') },
    ...(location && location.uri === uri ? { range: location.range } : {}),
  };
}

export function ruleHover(rule: Rule): string {
  const { code, name, docs } = rule.meta;
  return [`**${code}** \`${name}\``, '', docs.summary, '', `**Why it makes NaN:** ${docs.whyNaN}`, '', `[${code} documentation](${docsUrl(code)})`].join('\n');
}

/** The text of one line of a target document (a file, or one cell). */
function lineText(subject: LintSubject, uri: string, line: number): string {
  const start = subject.offsetAt(uri, { line, character: 0 });
  const end = subject.offsetAt(uri, { line: line + 1, character: 0 });
  if (start === undefined || end === undefined) return '';
  return subject.text.slice(start, end).replace(/\r?\n$/, '');
}

/** The rule code under the cursor when it sits in a suppression directive. */
function directiveCodeAt(text: string, position: Position): { code: string; range: Range } | undefined {
  for (const directive of text.matchAll(DIRECTIVE)) {
    const directiveStart = directive.index;
    for (const code of directive[0].matchAll(CODE)) {
      const start = directiveStart + code.index;
      const end = start + code[0].length;
      if (position.character >= start && position.character <= end) {
        return { code: code[0], range: { start: { line: position.line, character: start }, end: { line: position.line, character: end } } };
      }
    }
  }
  return undefined;
}
