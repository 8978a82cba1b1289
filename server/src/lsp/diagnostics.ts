/**
 * Violations as LSP diagnostics. Each diagnostic carries its fix and the "disable for this line" edit in
 * `data`, already converted to editor ranges, with the version they were computed for, so code actions
 * need no server state and a stale fix is recognised instead of applied (Ruff's server does the same).
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { z } from 'zod';
import { docsUrl, noqaEdit, UNUSED_NOQA_CODE, UNUSED_NOQA_URL, unusedNoqaViolations, type Applicability, type Edit, type Severity, type Violation } from '../engine';
import type { LintOutcome } from './linting';
import type { LintSubject } from './subjects';

export const SOURCE = 'nanlint';

const documentChangeSchema = z.object({
  uri: z.string(),
  /** The document version the edits were computed against; null when unknown. */
  version: z.number().int().nullable(),
  edits: z.array(z.object({ range: z.object({ start: z.object({ line: z.number(), character: z.number() }), end: z.object({ line: z.number(), character: z.number() }) }), newText: z.string() })),
});

const fixDataSchema = z.object({
  title: z.string(),
  applicability: z.enum(['safe', 'unsafe', 'display-only']),
  changes: z.array(documentChangeSchema),
});

/** What a diagnostic's `data` holds; validated when it comes back in a code action request. */
export const diagnosticDataSchema = z.object({
  /** The file or notebook the diagnostic was computed for, and its version then. */
  ownerUri: z.string(),
  version: z.number().int(),
  fix: fixDataSchema.optional(),
  /** Further fixes a rule offers (NAN204's GradScaler): quick fixes only, never applied by fix-all. */
  alternatives: z.array(fixDataSchema).optional(),
  suppress: fixDataSchema.optional(),
});

export type DocumentChange = z.infer<typeof documentChangeSchema>;
export type FixData = z.infer<typeof fixDataSchema>;
export type DiagnosticData = z.infer<typeof diagnosticDataSchema>;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const byOutcome = new WeakMap<LintOutcome, Map<string, Diagnostic[]>>();

/** The diagnostics of one lint, grouped by the URI they land on (every target URI present, maybe empty). */
export function diagnosticsOf(outcome: LintOutcome): Map<string, Diagnostic[]> {
  let grouped = byOutcome.get(outcome);
  if (grouped) return grouped;
  grouped = new Map(outcome.subject.targetUris().map((uri) => [uri, []]));
  const result = outcome.result;
  if (result) {
    for (const violation of result.violations) add(grouped, toDiagnostic(outcome, violation));
    if (outcome.config.settings.reportUnusedNoqa) {
      // The same findings, messages and fixes as `nanlint check --report-unused-noqa`.
      for (const unused of unusedNoqaViolations(outcome.text, result.unusedSuppressions)) {
        const located = toDiagnostic(outcome, unused, UNUSED_NOQA_URL);
        if (located) located.diagnostic.tags = [DiagnosticTag.Unnecessary];
        add(grouped, located);
      }
    }
  }
  byOutcome.set(outcome, grouped);
  return grouped;
}

function add(grouped: Map<string, Diagnostic[]>, located: { uri: string; diagnostic: Diagnostic } | undefined): void {
  if (!located) return;
  const list = grouped.get(located.uri);
  if (list) list.push(located.diagnostic);
  else grouped.set(located.uri, [located.diagnostic]);
}

function alternativesData(subject: LintOutcome['subject'], violation: Violation): { alternatives?: FixData[] } {
  const alternatives = (violation.alternativeFixes ?? []).flatMap((fix) => {
    const data = toFixData(subject, fix.title, fix.applicability, fix.edits, violation.start);
    return data ? [data] : [];
  });
  return alternatives.length > 0 ? { alternatives } : {};
}

function toDiagnostic(outcome: LintOutcome, violation: Violation, href = docsUrl(violation.code)): { uri: string; diagnostic: Diagnostic } | undefined {
  const { subject } = outcome;
  const location = subject.locate(violation);
  if (!location) return undefined;
  const data: DiagnosticData = {
    ownerUri: subject.ownerUri,
    version: outcome.version,
    ...(violation.fix ? optional('fix', toFixData(subject, violation.fix.title, violation.fix.applicability, violation.fix.edits, violation.start)) : {}),
    ...alternativesData(subject, violation),
    ...(violation.code === UNUSED_NOQA_CODE ? {} : optional('suppress', toFixData(subject, `Disable ${violation.code} for this line`, 'safe', [noqaEdit(outcome.text, violation)], violation.start))),
  };
  const relatedInformation = violation.related.flatMap((related) => {
    const at = subject.locate(related);
    return at ? [{ location: at, message: related.message }] : [];
  });
  return {
    uri: location.uri,
    diagnostic: {
      range: location.range,
      severity: SEVERITY[violation.severity],
      code: violation.code,
      codeDescription: { href },
      source: SOURCE,
      message: violation.message,
      ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
      data,
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Engine edits (offsets into the linted text) of the fix for the finding at `findingAt`, as
 * per-document text edits; undefined if one cannot be placed.
 */
export function toFixData(subject: LintSubject, title: string, applicability: Applicability, edits: readonly Edit[], findingAt: number): FixData | undefined {
  const changes = new Map<string, DocumentChange>();
  for (const edit of edits) {
    const located = subject.locateEdit(edit, findingAt);
    if (!located) return undefined;
    let change = changes.get(located.uri);
    if (!change) {
      change = { uri: located.uri, version: subject.versionOf(located.uri) ?? null, edits: [] };
      changes.set(located.uri, change);
    }
    change.edits.push(located.edit);
  }
  return { title, applicability, changes: [...changes.values()] };
}
