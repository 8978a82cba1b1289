import type { Diagnostic } from '../diagnostics';
import type { Formatter } from './report';

/** The fields of one diagnostic in `--format json`, in the order `ruff check --output-format json` writes them. */
export interface JsonDiagnostic {
  code: string;
  message: string;
  filename: string;
  cell?: number;
  location: Diagnostic['location'];
  end_location: Diagnostic['end_location'];
  fix: Diagnostic['fix'];
  noqa_row: number;
  url: string;
  severity: Diagnostic['severity'];
  name: string;
}

export function toJsonDiagnostic(diagnostic: Diagnostic): JsonDiagnostic {
  return {
    code: diagnostic.code,
    message: diagnostic.message,
    filename: diagnostic.filename,
    ...(diagnostic.cell === undefined ? {} : { cell: diagnostic.cell }),
    location: diagnostic.location,
    end_location: diagnostic.end_location,
    fix: diagnostic.fix,
    noqa_row: diagnostic.noqa_row,
    url: diagnostic.url,
    severity: diagnostic.severity,
    name: diagnostic.name,
  };
}

export const jsonFormatter: Formatter = {
  description: 'a JSON array with the field names of ruff check --output-format json',
  format(report) {
    return `${JSON.stringify(report.diagnostics.map(toJsonDiagnostic), null, 2)}\n`;
  },
};
