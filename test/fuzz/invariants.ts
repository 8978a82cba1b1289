// The properties every engine call must keep, whatever the input. Each check throws an Error that
// names the broken property, so fast-check's report says what failed as well as on which input.
import { applyFixes, lint, LineIndex, type LintResult, type Span } from '../../server/src/engine';
import { parse, syntaxErrorNodes } from '../../server/src/engine/parse/tree';

/** Generous bounds: linear in size, far above the measured cost, so only a real blow-up trips them. */
export function lintBudgetMs(text: string): number {
  return 1_000 + text.length * 0.02;
}

/** The fixer re-lints once per pass and stops after a bounded number of passes. */
export function fixBudgetMs(text: string): number {
  return 5_000 + text.length * 0.1;
}

function fail(property: string, detail: string): never {
  throw new Error(`${property}: ${detail}`);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function checkSpan(text: string, span: Span, what: string): void {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) fail('integer offsets', `${what} ${JSON.stringify(span)}`);
  if (span.start < 0 || span.end < span.start || span.end > text.length) {
    fail('positions inside the document', `${what} ${span.start}..${span.end} in a text of ${text.length}`);
  }
  for (const offset of [span.start, span.end]) {
    if (offset > 0 && offset < text.length && isLowSurrogate(text.charCodeAt(offset)) && isHighSurrogate(text.charCodeAt(offset - 1))) {
      fail('positions on code point boundaries', `${what} splits a surrogate pair at ${offset}`);
    }
  }
}

function checkPositions(lines: LineIndex, span: Span, what: string): void {
  for (const offset of [span.start, span.end]) {
    const position = lines.positionAt(offset);
    if (position.line >= lines.lineCount || position.character < 0) fail('positions map to lines', `${what} at ${offset}`);
    if (lines.offsetAt(position) !== offset) {
      fail('offset ↔ position round trip', `${what}: ${offset} → ${JSON.stringify(position)} → ${lines.offsetAt(position)}`);
    }
    const { row, column } = lines.rowColumn(offset);
    if (row !== position.line + 1 || column < 1 || column > position.character + 1) {
      fail('row/column inside the line', `${what}: ${offset} → ${row}:${column}`);
    }
  }
}

export function checkLintResult(text: string, result: LintResult): void {
  if (result.ruleFailures.length > 0) fail('no rule throws', JSON.stringify(result.ruleFailures));
  const lines = new LineIndex(text);
  let previous = -1;
  for (const violation of result.violations) {
    const what = `${violation.code} at ${violation.start}`;
    checkSpan(text, violation, what);
    checkPositions(lines, violation, what);
    if (violation.start < previous) fail('violations sorted by offset', what);
    previous = violation.start;
    if (!/^NAN\d{3}$/.test(violation.code) || violation.message.length === 0) fail('well-formed violation', what);
    for (const related of violation.related) checkSpan(text, related, `${what} related`);
    const edits = violation.fix?.edits ?? [];
    for (const edit of edits) checkSpan(text, edit, `${what} fix edit`);
    const sorted = [...edits].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i] as Span).start < (sorted[i - 1] as Span).end) fail('edits of one fix do not overlap', what);
    }
  }
  for (const error of result.syntaxErrors) checkSpan(text, error, 'syntax error');
}

export function syntaxErrorCount(text: string): number {
  return syntaxErrorNodes(parse(text)).length;
}

/**
 * Runs `work` and fails when it takes longer than `budgetMs` twice in a row: a blow-up that depends on the
 * input repeats, a stall of the machine (another process, a long GC pause) does not. Returns the result.
 */
function withinBudget<T>(property: string, text: string, budgetMs: number, work: () => T): T {
  const times: number[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = performance.now();
    const result = work();
    const elapsed = performance.now() - started;
    if (elapsed <= budgetMs) return result;
    times.push(elapsed);
  }
  return fail(property, `${times.map((time) => time.toFixed(0)).join(' ms, then ')} ms for ${text.length} chars`);
}

/** Lints within the time budget and checks the result; returns it for further checks. */
export function lintChecked(text: string, path = 'fuzz.py'): LintResult {
  const result = withinBudget('lint time bounded by size', text, lintBudgetMs(text), () => lint(text, path));
  checkLintResult(text, result);
  return result;
}

/**
 * Applies fixes to convergence within the time budget: the result has no more syntax errors than the input,
 * its remaining diagnostics are well-formed, and fixing again changes nothing.
 */
export function fixChecked(text: string, unsafe: boolean, path = 'fuzz.py'): string {
  const result = withinBudget('fix time bounded by size', text, fixBudgetMs(text), () => applyFixes(text, path, undefined, { unsafe }));
  checkLintResult(result.text, result.remaining);
  if (result.fixed.length === 0 && result.text !== text) fail('no fixes, no change', 'text changed without a fix');
  // A text whose parse ran over budget is reported as not analysed and left as it is.
  if (result.remaining.notAnalysed !== undefined) return result.text;
  const before = syntaxErrorCount(text);
  const after = syntaxErrorCount(result.text);
  if (after > before) fail('fixes add no syntax errors', `${before} → ${after} error nodes`);
  if (result.fixed.length > 0) {
    const again = applyFixes(result.text, path, undefined, { unsafe });
    if (again.text !== result.text) {
      fail('fixing converges', `a second pass still fixes ${again.fixed.map((v) => v.code).join(', ')}`);
    }
  }
  return result.text;
}
