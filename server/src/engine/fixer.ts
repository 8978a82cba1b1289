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

/** A finding whose fix fix-all may apply. */
export type FixableViolation = Violation & { fix: Fix };

/**
 * What fix-all works on: the text that is linted, and how the fixes of its findings land in the source.
 * A Python file is its own text; a notebook is its cells, linted as one joined text (notebookFixes.ts).
 */
export interface FixSubject<Self extends FixSubject<Self>> {
  readonly text: string;
  /** Whether the fix can be applied to the source (in a notebook, not when an edit crosses cells). */
  accepts(violation: FixableViolation): boolean;
  /** The subject with the fixes' edits (offsets into `text`, accepted, not overlapping) applied. */
  withFixes(violations: readonly FixableViolation[]): Self;
}

export interface SubjectFixResult<Subject> {
  subject: Subject;
  fixed: Violation[];
  remaining: LintResult;
}

/** A Python file as a fix subject. */
export class TextFixSubject implements FixSubject<TextFixSubject> {
  constructor(readonly text: string) {}

  accepts(): boolean {
    return true;
  }

  withFixes(violations: readonly FixableViolation[]): TextFixSubject {
    return new TextFixSubject(applyEdits(this.text, violations.flatMap((violation) => violation.fix.edits)));
  }
}

/** Fix-all on a Python file's text: see fixSubject. */
export function applyFixes(text: string, path: string, config?: Partial<LintConfig>, options: FixOptions = {}): FixResult {
  const { subject, fixed, remaining } = fixSubject(new TextFixSubject(text), path, config, options);
  return { text: subject.text, fixed, remaining };
}

/**
 * Lints, applies every applicable fix that does not overlap another, and repeats from the new text
 * until nothing changes: fix-all re-lints instead of stitching stale edits together. A round whose
 * result has more syntax errors than its input keeps only its first fix that parses as cleanly as before.
 * A fix after which its finding is still there (where the edits moved it) did not take effect: the round
 * is redone without it, so no fix is applied again and again. A fix the subject cannot take (a notebook
 * edit across cells) is left out.
 */
export function fixSubject<Subject extends FixSubject<Subject>>(
  initial: Subject,
  path: string,
  config?: Partial<LintConfig>,
  options: FixOptions = {},
): SubjectFixResult<Subject> {
  const fixed: Violation[] = [];
  let current = initial;
  let result = lint(current.text, path, config);
  // Findings of `current` whose fix did not remove them, or whose fix the subject cannot take.
  let ineffective = new Set<string>();
  const applicable = (violation: Violation): violation is FixableViolation =>
    violation.fix !== undefined &&
    violation.fix.edits.length > 0 &&
    (violation.fix.applicability === 'safe' || (options.unsafe === true && violation.fix.applicability === 'unsafe')) &&
    (!options.codes || options.codes.includes(violation.code)) &&
    !ineffective.has(findingKey(violation));
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: FixableViolation[] = [];
    const taken: Edit[] = [];
    for (const violation of result.violations.filter(applicable)) {
      if (violation.fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
      if (!current.accepts(violation)) {
        ineffective.add(findingKey(violation));
        continue;
      }
      chosen.push(violation);
      taken.push(...violation.fix.edits);
    }
    if (chosen.length === 0) break;
    const errorsBefore = result.syntaxErrors.length;
    let next = current.withFixes(chosen);
    let applied = chosen;
    let nextResult = lint(next.text, path, config);
    if (nextResult.notAnalysed !== undefined || nextResult.syntaxErrors.length > errorsBefore) {
      // Some fix breaks the syntax here: keep the first one that does not, and re-lint from there.
      const clean = chosen.find((violation) => syntaxErrorCount(current.withFixes([violation]).text) <= errorsBefore);
      if (!clean) break;
      next = current.withFixes([clean]);
      applied = [clean];
      nextResult = lint(next.text, path, config);
    }
    if (next.text === current.text) break;
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
  return { subject: current, fixed, remaining: result };
}
