import type { Rule } from '../../engine/rule';
import type { Diagnostic, SkippedFile, SyntaxErrorLocation } from '../diagnostics';
import type { FixMode } from '../fileCheck';

/** Everything a `check` run found, in the shape every output format reads. */
export interface CheckReport {
  /** Sorted by filename, cell, row, column. */
  diagnostics: Diagnostic[];
  skipped: SkippedFile[];
  syntaxErrors: SyntaxErrorLocation[];
  /** Codes of the fixes `--fix` applied. */
  fixed: string[];
  fixMode: FixMode;
  /** `--unsafe-fixes` was given: unsafe fixes count as available. */
  unsafeFixes: boolean;
  /** The rule registry, for formats that describe every rule (SARIF). */
  rules: readonly Rule[];
  version: string;
  /** Absolute folder the relative filenames are relative to. */
  cwd: string;
}

export interface Formatter {
  description: string;
  format(report: CheckReport): string;
}

/** Whether `--fix` (with or without `--unsafe-fixes`) would apply the diagnostic's fix. */
export function isFixable(diagnostic: Diagnostic, unsafeFixes: boolean): boolean {
  const applicability = diagnostic.fix?.applicability;
  return applicability === 'safe' || (applicability === 'unsafe' && unsafeFixes);
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
