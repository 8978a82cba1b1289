import type { SyntaxNode } from './parse/tree';
import { lineStartOf, nextLineStartOf } from './positions';
import type { Edit, Span } from './rule';

/** Helpers for building fixes as text edits; every offset is a UTF-16 offset into `text`. */

export function replaceNode(node: SyntaxNode | Span, content: string): Edit {
  const span = 'startIndex' in node ? { start: node.startIndex, end: node.endIndex } : node;
  return { start: span.start, end: span.end, content };
}

/**
 * The indentation of a statement that starts its own line; null when something else precedes it on
 * that line (`if ready: optimizer.step()`), where a line-based edit would change the meaning.
 */
export function ownLineIndentation(text: string, statementStart: number): string | null {
  const lineStart = lineStartOf(text, statementStart);
  const before = text.slice(lineStart, statementStart);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** The line ending the file already uses (as its first line ends). */
export function lineEnding(text: string): string {
  const firstNewline = text.indexOf('\n');
  return firstNewline > 0 && text[firstNewline - 1] === '\r' ? '\r\n' : '\n';
}

/** Inserts `line` (without indentation or newline) as a new line before the statement at `statementStart`. */
export function insertLineBefore(text: string, statementStart: number, line: string): Edit | null {
  const indentation = ownLineIndentation(text, statementStart);
  if (indentation === null) return null;
  const at = lineStartOf(text, statementStart);
  return { start: at, end: at, content: `${indentation}${line}${lineEnding(text)}` };
}

/** Inserts `line` as a new line after the statement spanning to `statementEnd`, indented like it. */
export function insertLineAfter(text: string, statementStart: number, statementEnd: number, line: string, indentation?: string): Edit | null {
  const ownIndentation = ownLineIndentation(text, statementStart);
  if (ownIndentation === null) return null;
  const rest = text.slice(statementEnd, nextLineStartOf(text, statementEnd));
  // Something after the statement on its line other than a comment: `a(); b()`.
  if (!/^[ \t]*(#.*)?\r?\n?$/.test(rest)) return null;
  const at = nextLineStartOf(text, statementEnd);
  const eol = lineEnding(text);
  const prefix = at === text.length && !text.endsWith('\n') ? eol : '';
  return { start: at, end: at, content: `${prefix}${indentation ?? ownIndentation}${line}${eol}` };
}

/** The statement node (an `expression_statement`, ...) a node sits in, up to its block. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current;
}

/** Deletes whole lines spanning a statement, when the statement is alone on them. */
export function deleteStatementLines(text: string, statement: SyntaxNode): Edit | null {
  if (ownLineIndentation(text, statement.startIndex) === null) return null;
  const rest = text.slice(statement.endIndex, nextLineStartOf(text, statement.endIndex));
  if (!/^[ \t]*(#.*)?\r?\n?$/.test(rest)) return null;
  return { start: lineStartOf(text, statement.startIndex), end: nextLineStartOf(text, statement.endIndex), content: '' };
}

/** Adds `name=value` after a call's last argument (comments and trailing commas stay where they are). */
export function appendKeywordArgument(argumentList: SyntaxNode, argument: string): Edit {
  const last = argumentList.namedChildren.filter((child) => child.type !== 'comment').pop();
  if (!last) return { start: argumentList.startIndex + 1, end: argumentList.startIndex + 1, content: argument };
  return { start: last.endIndex, end: last.endIndex, content: `, ${argument}` };
}

/** Insertions at one offset become one edit, in order: the edits of a fix must not overlap. */
export function mergeInsertions(edits: readonly Edit[]): Edit[] {
  const merged: Edit[] = [];
  for (const edit of edits) {
    const previous = merged[merged.length - 1];
    if (previous && previous.start === edit.start && previous.end === edit.end) previous.content += edit.content;
    else merged.push({ ...edit });
  }
  return merged;
}

/** One edit that turns `before` into `after`, replacing only what differs (common prefix and suffix kept). */
export function changedSpan(before: string, after: string): Edit {
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never split a surrogate pair or a CRLF between the kept and the replaced part.
  while (prefix > 0 && isLowSurrogateOrLf(before, prefix)) prefix--;
  while (suffix > 0 && isLowSurrogateOrLf(before, before.length - suffix)) suffix--;
  return { start: prefix, end: before.length - suffix, content: after.slice(prefix, after.length - suffix) };
}

function isLowSurrogateOrLf(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (code >= 0xdc00 && code <= 0xdfff) || (code === 0x0a && text.charCodeAt(index - 1) === 0x0d);
}
