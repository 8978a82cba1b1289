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

/** Where `offset` moves to when `edits` (non-overlapping) are applied: an insertion at the offset goes before it. */
function shiftedOffset(offset: number, edits: readonly Edit[]): number {
  let shift = 0;
  for (const edit of edits) if (edit.end <= offset) shift += edit.content.length - (edit.end - edit.start);
  return offset + shift;
}

/**
 * Whether a finding is still reported after `edits` (which include its fix) were applied, where the edits
 * moved it: then its fix did not take effect, and applying it again would not either.
 */
export function stillReported(violation: Violation, edits: readonly Edit[], after: LintResult): boolean {
  const start = shiftedOffset(violation.start, edits);
  return after.violations.some((other) => other.code === violation.code && other.start === start);
}

function findingKey(violation: Violation): string {
  return `${violation.code}:${violation.start}:${violation.end}`;
}

/**
 * Lints, applies every applicable fix that does not overlap another, and repeats from the new text
 * until nothing changes: fix-all re-lints instead of stitching stale edits together. A round whose
 * result has more syntax errors than its input keeps only its first fix that parses as cleanly as before.
 * A fix after which its finding is still there (where the edits moved it) did not take effect: the round
 * is redone without it, so no fix is applied again and again.
 */
export function applyFixes(text: string, path: string, config?: Partial<LintConfig>, options: FixOptions = {}): FixResult {
  const fixed: Violation[] = [];
  let current = text;
  let result = lint(current, path, config);
  // Findings of `current` whose fix did not remove them.
  let ineffective = new Set<string>();
  const applicable = (violation: Violation): violation is Violation & { fix: Fix } =>
    violation.fix !== undefined &&
    violation.fix.edits.length > 0 &&
    (violation.fix.applicability === 'safe' || (options.unsafe === true && violation.fix.applicability === 'unsafe')) &&
    (!options.codes || options.codes.includes(violation.code)) &&
    !ineffective.has(findingKey(violation));
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
    const nextResult = lint(next, path, config);
    const appliedEdits = applied.flatMap((violation) => violation.fix.edits);
    const stubborn = applied.filter((violation) => stillReported(violation, appliedEdits, nextResult));
    if (stubborn.length > 0) {
      for (const violation of stubborn) ineffective.add(findingKey(violation));
      continue;
    }
    fixed.push(...applied);
    current = next;
    result = nextResult;
    ineffective = new Set();
  }
  return { text: current, fixed, remaining: result };
}
