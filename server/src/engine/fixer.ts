import type { LintConfig } from './config';
import { lint, type LintResult } from './linter';
import { parse, ParseTimeoutError, syntaxErrorNodes } from './parse/tree';
import type { Edit, Fix, Violation } from './rule';

export interface FixOptions {
  /** Also apply fixes marked unsafe. Display-only fixes are never applied. */
  unsafe?: boolean;
  /** Only fix these codes. */
  codes?: string[];
}

export interface FixResult {
  text: string;
  fixed: Violation[];
  remaining: LintResult;
}

// Each pass re-lints; a pass that falls back to one fix at a time needs more of them.
const MAX_PASSES = 50;

/** Applies edits that do not overlap, from the end so earlier offsets stay valid. */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.content + result.slice(edit.end);
  return result;
}

function overlaps(a: Edit, b: Edit): boolean {
  // Two insertions at one point, or an insertion inside a replaced range, conflict too.
  return a.start < b.end && b.start < a.end || (a.start === b.start && (a.start === a.end || b.start === b.end));
}

/** A text that cannot be parsed within budget counts as broken: no fix may produce it. */
function syntaxErrorCount(text: string): number {
  try {
    return syntaxErrorNodes(parse(text)).length;
  } catch (error) {
    if (error instanceof ParseTimeoutError) return Number.POSITIVE_INFINITY;
    throw error;
  }
}

/**
 * Lints, applies every applicable fix that does not overlap another, and repeats from the new text
 * until nothing changes: fix-all re-lints instead of stitching stale edits together. A round whose
 * result has more syntax errors than its input keeps only its first fix that parses as cleanly as before.
 */
export function applyFixes(text: string, path: string, config?: Partial<LintConfig>, options: FixOptions = {}): FixResult {
  const fixed: Violation[] = [];
  let current = text;
  let result = lint(current, path, config);
  const applicable = (violation: Violation): violation is Violation & { fix: Fix } =>
    violation.fix !== undefined &&
    violation.fix.edits.length > 0 &&
    (violation.fix.applicability === 'safe' || (options.unsafe === true && violation.fix.applicability === 'unsafe')) &&
    (!options.codes || options.codes.includes(violation.code));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: (Violation & { fix: Fix })[] = [];
    const taken: Edit[] = [];
    for (const violation of result.violations.filter(applicable)) {
      if (violation.fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
      chosen.push(violation);
      taken.push(...violation.fix.edits);
    }
    if (chosen.length === 0) break;
    const errorsBefore = syntaxErrorCount(current);
    let next = applyEdits(current, taken);
    let applied = chosen;
    if (syntaxErrorCount(next) > errorsBefore) {
      // Some fix breaks the syntax here: keep the first one that does not, and re-lint from there.
      const clean = chosen.find((violation) => syntaxErrorCount(applyEdits(current, violation.fix.edits)) <= errorsBefore);
      next = clean ? applyEdits(current, clean.fix.edits) : current;
      applied = clean ? [clean] : [];
    }
    if (next === current) break;
    fixed.push(...applied);
    current = next;
    result = lint(current, path, config);
  }
  return { text: current, fixed, remaining: result };
}
