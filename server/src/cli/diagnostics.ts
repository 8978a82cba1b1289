import type { Applicability, Severity } from '../engine/rule';

/** A 1-based row and a 1-based column counted in Unicode code points (Ruff's JSON convention). */
export interface Location {
  row: number;
  column: number;
}

export interface DiagnosticEdit {
  content: string;
  location: Location;
  end_location: Location;
}

export interface DiagnosticFix {
  applicability: Applicability;
  message: string;
  edits: DiagnosticEdit[];
}

export interface RelatedLocation {
  message: string;
  location: Location;
  end_location: Location;
}

/**
 * One finding as every output format sees it. The snake_case fields are exactly those of
 * `ruff check --output-format json`; `related` is ours and only SARIF prints it.
 */
export interface Diagnostic {
  code: string;
  name: string;
  message: string;
  severity: Severity;
  /** As given on the command line: relative stays relative. */
  filename: string;
  /** For notebooks: 1-based index in the cells array, markdown counted; rows are within the cell. */
  cell?: number;
  location: Location;
  end_location: Location;
  fix: DiagnosticFix | null;
  noqa_row: number;
  url: string;
  related: RelatedLocation[];
  /** For notebooks: the lines of the .ipynb file that hold the finding's first and last cell lines. */
  fileRows?: { start: number; end: number };
}

/** Why a file was not checked. `io` failures make the run exit 2; the others are reported and skipped. */
export type SkipKind = 'io' | 'too-large' | 'binary' | 'encoding' | 'notebook' | 'timeout' | 'crash';

export interface SkippedFile {
  filename: string;
  kind: SkipKind;
  reason: string;
}

export interface SyntaxErrorLocation {
  filename: string;
  cell?: number;
  location: Location;
}

/** What checking one file produced; plain data so it can cross a worker-thread boundary. */
export interface FileOutcome {
  filename: string;
  diagnostics: Diagnostic[];
  /** Fixes applied by `--fix`, by rule code. */
  fixed: string[];
  syntaxErrors: SyntaxErrorLocation[];
  skipped?: SkippedFile;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.filename, b.filename) ||
    (a.cell ?? 0) - (b.cell ?? 0) ||
    a.location.row - b.location.row ||
    a.location.column - b.location.column ||
    compareText(a.code, b.code)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
