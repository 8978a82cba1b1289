import type { Diagnostic } from '../diagnostics';
import { isFixable, plural, type CheckReport, type Formatter } from './report';

/** `path:row:col: CODE [*] message` per finding and a summary, like `ruff check --output-format concise`. */
export const textFormatter: Formatter = {
  description: 'path:row:col: CODE message, one per line, then a summary (default)',
  format(report) {
    const lines = report.diagnostics.map((diagnostic) => formatLine(diagnostic, report.unsafeFixes));
    lines.push(...summary(report));
    return lines.map((line) => `${line}\n`).join('');
  },
};

function formatLine(diagnostic: Diagnostic, unsafeFixes: boolean): string {
  const place = diagnostic.cell === undefined ? diagnostic.filename : `${diagnostic.filename}:cell ${diagnostic.cell}`;
  const marker = isFixable(diagnostic, unsafeFixes) ? ' [*]' : '';
  return `${place}:${diagnostic.location.row}:${diagnostic.location.column}: ${diagnostic.code}${marker} ${diagnostic.message}`;
}

function summary(report: CheckReport): string[] {
  const remaining = report.diagnostics.length;
  const fixed = report.fixed.length;
  const lines: string[] = [];
  if (report.fixMode !== 'none' && fixed > 0) lines.push(`Found ${plural(remaining + fixed, 'problem')} (${fixed} fixed, ${remaining} remaining).`);
  else if (remaining > 0) lines.push(`Found ${plural(remaining, 'problem')}.`);
  else lines.push(report.skipped.length > 0 ? 'No problems found in the files that were checked.' : 'All checks passed!');
  const fixable = report.diagnostics.filter((diagnostic) => isFixable(diagnostic, report.unsafeFixes)).length;
  const hidden = report.unsafeFixes ? 0 : report.diagnostics.filter((diagnostic) => diagnostic.fix?.applicability === 'unsafe').length;
  const hiddenNote = hidden > 0 ? ` (${hidden} hidden ${hidden === 1 ? 'fix' : 'fixes'} can be enabled with the \`--unsafe-fixes\` option)` : '';
  if (fixable > 0) {
    const option = report.unsafeFixes ? '`--fix --unsafe-fixes`' : '`--fix`';
    lines.push(`[*] ${fixable} fixable with the ${option} option${hiddenNote}.`);
  } else if (hidden > 0) {
    lines.push(`No fixes available${hiddenNote}.`);
  }
  if (report.skipped.length > 0) lines.push(`${plural(report.skipped.length, 'file')} could not be checked (see the messages on stderr).`);
  return lines;
}
