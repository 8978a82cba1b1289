import { isFixable, type CheckReport } from './report';

export interface RuleStatistic {
  code: string;
  name: string;
  count: number;
  fixable: boolean;
}

/** Findings counted per rule, most frequent first (`--statistics`, as Ruff prints it). */
export function ruleStatistics(report: CheckReport): RuleStatistic[] {
  const byCode = new Map<string, RuleStatistic>();
  for (const diagnostic of report.diagnostics) {
    const entry = byCode.get(diagnostic.code) ?? { code: diagnostic.code, name: diagnostic.name, count: 0, fixable: false };
    entry.count++;
    entry.fixable ||= isFixable(diagnostic, report.unsafeFixes);
    byCode.set(diagnostic.code, entry);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

export function formatStatistics(report: CheckReport, as: 'text' | 'json'): string {
  const statistics = ruleStatistics(report);
  if (as === 'json') return `${JSON.stringify(statistics, null, 2)}\n`;
  const countWidth = Math.max(0, ...statistics.map((entry) => String(entry.count).length));
  const codeWidth = Math.max(0, ...statistics.map((entry) => entry.code.length));
  return statistics
    .map((entry) => `${String(entry.count).padStart(countWidth)}\t${entry.code.padEnd(codeWidth)}\t${entry.fixable ? '[*]' : '[ ]'} ${entry.name}\n`)
    .join('');
}
