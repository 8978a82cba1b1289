import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { LintConfig } from '../engine/config';
import { docsUrl, fixSubject, lint, TextFixSubject, UNUSED_NOQA_CODE, UNUSED_NOQA_URL, unusedNoqaViolations, type FixableViolation, type FixSubject, type LintResult, type SubjectFixResult } from '../engine';
import { parseNotebookCells, replaceCellSources, sourceLinesInFile, type VirtualNotebook } from '../engine/notebook';
import { applyNotebookFixes, NotebookFixSubject } from '../engine/notebookFixes';
import { LineIndex } from '../engine/positions';
import type { Edit, Violation } from '../engine/rule';
import type { Diagnostic, DiagnosticFix, FileOutcome, SkipKind, SyntaxErrorLocation } from './diagnostics';

export type FixMode = 'none' | 'safe' | 'unsafe';

/** One file to check; plain data so it can be posted to a worker thread. */
export interface FileJob {
  /** Absolute path to read and write. */
  path: string;
  /** The path as the user gave it, for output. */
  filename: string;
  config: LintConfig;
  fix: FixMode;
  maxFileSize: number;
  /** Also report `# noqa` / `# nanlint: disable` directives that suppress nothing. */
  reportUnusedNoqa: boolean;
}

const BOM = '\uFEFF';

export function checkFile(job: FileJob): FileOutcome {
  const read = readSource(job);
  if ('skipped' in read) return { filename: job.filename, diagnostics: [], fixed: [], syntaxErrors: [], skipped: read.skipped };
  const { text, bom } = read;
  if (job.path.toLowerCase().endsWith('.ipynb')) return checkNotebook(job, text, bom);
  return checkPython(job, text, bom);
}

function checkPython(job: FileJob, text: string, bom: boolean): FileOutcome {
  if (job.fix === 'none') return pythonOutcome(job, text, lint(text, job.filename, job.config), []);
  const applied = fixSubject(new TextFixSubject(text), job.filename, job.config, { unsafe: job.fix === 'unsafe' });
  const { subject, fixed } = withoutUnusedDirectives(job, applied);
  const finalText = subject.text;
  const result = finalText === applied.subject.text ? applied.remaining : lint(finalText, job.filename, job.config);
  if (finalText !== text) {
    const failure = writeBack(job, (bom ? BOM : '') + finalText);
    if (failure) return failure;
  }
  return pythonOutcome(job, finalText, result, fixed);
}

function pythonOutcome(job: FileJob, text: string, result: LintResult, fixed: string[]): FileOutcome {
  if (result.notAnalysed !== undefined) return skip(job.filename, 'timeout', result.notAnalysed);
  const index = new LineIndex(text);
  return {
    filename: job.filename,
    diagnostics: withUnusedNoqa(job, text, result).map((violation) => toDiagnostic(violation, job.filename, index, undefined, violation.fix && mapFix(violation.fix, index))),
    fixed,
    syntaxErrors: result.syntaxErrors.slice(0, 1).map((span) => ({ filename: job.filename, location: index.rowColumn(span.start) })),
  };
}

/** A fixed file that cannot be written is an I/O error for the run, not an internal one. */
function writeBack(job: FileJob, content: string): FileOutcome | undefined {
  try {
    writeFileSync(job.path, content);
    return undefined;
  } catch (error) {
    return skip(job.filename, 'io', `cannot write the fixed file: ${ioReason(error)}`);
  }
}

/**
 * With unused-noqa reporting on, fixing also removes the directives that suppress nothing (after the other
 * fixes, which can make a directive unused). One pass: removing a directive cannot reveal a finding.
 */
function withoutUnusedDirectives<Subject extends FixSubject<Subject>>(job: FileJob, applied: SubjectFixResult<Subject>): { subject: Subject; fixed: string[] } {
  const fixed = applied.fixed.map((violation) => violation.code);
  const { subject, remaining } = applied;
  if (!job.reportUnusedNoqa) return { subject, fixed };
  const idle = unusedNoqaViolations(subject.text, remaining.unusedSuppressions).filter((violation) => subject.accepts(violation));
  if (idle.length === 0) return { subject, fixed };
  return { subject: subject.withFixes(idle), fixed: [...fixed, ...idle.map((violation) => violation.code)] };
}

function withUnusedNoqa(job: FileJob, text: string, result: LintResult): Violation[] {
  if (!job.reportUnusedNoqa || result.unusedSuppressions.length === 0) return result.violations;
  return [...result.violations, ...unusedNoqaViolations(text, result.unusedSuppressions)].sort((a, b) => a.start - b.start || a.end - b.end);
}

function checkNotebook(job: FileJob, json: string, bom: boolean): FileOutcome {
  const parsed = parseNotebookCells(json);
  if (!parsed.ok) return skip(job.filename, 'notebook', parsed.reason);
  let cells = parsed.cells;
  let finalJson = json;
  const fixed: string[] = [];
  if (job.fix !== 'none') {
    const outcome = withoutUnusedDirectives(job, applyNotebookFixes(cells, job.filename, job.config, { unsafe: job.fix === 'unsafe' }));
    if (outcome.fixed.length > 0) {
      const changed = new Map<number, string>();
      outcome.subject.cells.forEach((cell, i) => {
        if (cell.source !== cells[i]?.source) changed.set(i, cell.source);
      });
      finalJson = replaceCellSources(json, changed);
      const failure = writeBack(job, (bom ? BOM : '') + finalJson);
      if (failure) return failure;
      fixed.push(...outcome.fixed);
      cells = [...outcome.subject.cells];
    }
  }
  const subject = new NotebookFixSubject(cells);
  const { notebook } = subject;
  const result = lint(notebook.text, job.filename, job.config);
  if (result.notAnalysed !== undefined) return skip(job.filename, 'timeout', result.notAnalysed);
  const indexes = cells.map((cell) => new LineIndex(cell.source));
  const fileLines = sourceLinesInFile(finalJson);
  const diagnostics: Diagnostic[] = [];
  for (const violation of withUnusedNoqa(job, notebook.text, result)) {
    const place = notebook.toCell(violation.start);
    const index = place && indexes[place.cellIndex];
    if (!place || !index) continue;
    const span = notebook.spanToCell(violation.start, violation.end) ?? { ...place, start: place.offset, end: place.offset };
    const edits = violation.fix && cellEdits(subject, { ...violation, fix: violation.fix }, place.cellIndex);
    const fix = violation.fix && edits ? mapFix({ ...violation.fix, edits }, index) : undefined;
    const shifted = { ...violation, start: span.start, end: span.end, related: shiftRelated(violation, notebook, place.cellIndex) };
    const diagnostic = toDiagnostic(shifted, job.filename, index, place.cellIndex + 1, fix);
    const rows = fileLines.get(place.cellIndex);
    const fileRow = (row: number): number | undefined => rows?.[Math.min(row, rows.length) - 1];
    const start = fileRow(diagnostic.location.row);
    const end = fileRow(diagnostic.end_location.row);
    diagnostics.push(start === undefined || end === undefined ? diagnostic : { ...diagnostic, fileRows: { start, end } });
  }
  const syntaxErrors: SyntaxErrorLocation[] = [];
  const firstError = result.syntaxErrors[0];
  const errorPlace = firstError && notebook.toCell(firstError.start);
  const errorIndex = errorPlace && indexes[errorPlace.cellIndex];
  if (errorPlace && errorIndex) syntaxErrors.push({ filename: job.filename, cell: errorPlace.cellIndex + 1, location: errorIndex.rowColumn(errorPlace.offset) });
  return { filename: job.filename, diagnostics, fixed, syntaxErrors };
}

/** The fix's edits in the anchor's cell coordinates; undefined when any edit lies outside that cell. */
function cellEdits(subject: NotebookFixSubject, violation: FixableViolation, cellIndex: number): Edit[] | undefined {
  const mapped = subject.cellEdits(violation);
  if (!mapped || mapped.some((edit) => edit.cellIndex !== cellIndex)) return undefined;
  return mapped.map(({ start, end, content }) => ({ start, end, content }));
}

function shiftRelated(violation: Violation, notebook: VirtualNotebook, cellIndex: number): Violation['related'] {
  return violation.related.flatMap((related) => {
    const span = notebook.spanToCell(related.start, related.end);
    return span && span.cellIndex === cellIndex ? [{ ...related, start: span.start, end: span.end }] : [];
  });
}

function toDiagnostic(violation: Violation, filename: string, index: LineIndex, cell: number | undefined, fix: DiagnosticFix | undefined): Diagnostic {
  const location = index.rowColumn(violation.start);
  return {
    code: violation.code,
    name: violation.name,
    message: violation.message,
    severity: violation.severity,
    filename,
    ...(cell === undefined ? {} : { cell }),
    location,
    end_location: index.rowColumn(violation.end),
    fix: fix ?? null,
    noqa_row: location.row,
    url: violation.code === UNUSED_NOQA_CODE ? UNUSED_NOQA_URL : docsUrl(violation.code),
    related: violation.related.map((related) => ({
      message: related.message,
      location: index.rowColumn(related.start),
      end_location: index.rowColumn(related.end),
    })),
  };
}

function mapFix(fix: NonNullable<Violation['fix']>, index: LineIndex): DiagnosticFix {
  return {
    applicability: fix.applicability,
    message: fix.title,
    edits: fix.edits.map((edit) => ({ content: edit.content, location: index.rowColumn(edit.start), end_location: index.rowColumn(edit.end) })),
  };
}

type ReadResult = { text: string; bom: boolean } | { skipped: { filename: string; kind: SkipKind; reason: string } };

function readSource(job: FileJob): ReadResult {
  let bytes: Buffer;
  try {
    const size = statSync(job.path).size;
    if (size > job.maxFileSize) {
      return skipped(job.filename, 'too-large', `file is ${size} bytes, over the ${job.maxFileSize}-byte limit (max-file-size)`);
    }
    bytes = readFileSync(job.path);
  } catch (error) {
    return skipped(job.filename, 'io', `cannot read: ${ioReason(error)}`);
  }
  if (bytes.includes(0)) return skipped(job.filename, 'binary', 'binary file (contains NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return skipped(job.filename, 'encoding', 'not valid UTF-8');
  }
  const bom = text.startsWith(BOM);
  return { text: bom ? text.slice(1) : text, bom };
}

function skipped(filename: string, kind: SkipKind, reason: string): ReadResult {
  return { skipped: { filename, kind, reason } };
}

function skip(filename: string, kind: SkipKind, reason: string): FileOutcome {
  return { filename, diagnostics: [], fixed: [], syntaxErrors: [], skipped: { filename, kind, reason } };
}

export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
