import type { Severity } from '../../engine/rule';
import type { Diagnostic } from '../diagnostics';
import type { Formatter } from './report';

/**
 * GitHub Actions workflow commands (`::warning file=…,line=…::message`), which the runner turns into
 * annotations on the pull request.
 */
export const githubFormatter: Formatter = {
  description: 'GitHub Actions workflow commands that annotate the pull request',
  format(report) {
    const lines = report.diagnostics.map(formatDiagnostic);
    for (const skipped of report.skipped) {
      lines.push(`::warning ${properties({ file: skipped.filename, title: 'nanlint: file not checked' })}::${escapeData(skipped.reason)}`);
    }
    return lines.map((line) => `${line}\n`).join('');
  },
};

function formatDiagnostic(diagnostic: Diagnostic): string {
  const title = `${diagnostic.code} (${diagnostic.name})`;
  // Rows inside a notebook cell are not rows of the .ipynb file: annotate the file lines that store
  // the cell's source lines, and name the cell and in-cell position in the message.
  if (diagnostic.cell !== undefined) {
    const where = `cell ${diagnostic.cell}, line ${diagnostic.location.row}, column ${diagnostic.location.column}: `;
    const lines: Record<string, string> = diagnostic.fileRows ? { line: String(diagnostic.fileRows.start), endLine: String(diagnostic.fileRows.end) } : {};
    return `::${command(diagnostic.severity)} ${properties({ file: diagnostic.filename, ...lines, title })}::${escapeData(where + diagnostic.message)}`;
  }
  const props = properties({
    file: diagnostic.filename,
    line: String(diagnostic.location.row),
    col: String(diagnostic.location.column),
    endLine: String(diagnostic.end_location.row),
    endColumn: String(diagnostic.end_location.column),
    title,
  });
  return `::${command(diagnostic.severity)} ${props}::${escapeData(diagnostic.message)}`;
}

function command(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

function properties(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
}

/** The runner's escaping for a command's message (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The runner's escaping for a property value (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
