import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { RULES } from '../engine';
import { expandCode } from '../engine/config';
import { CliConfigs, describeProblem } from './configs';
import { compareDiagnostics, type Diagnostic, type SkippedFile } from './diagnostics';
import { discoverFiles } from './discovery';
import { ioReason, type FileJob, type FixMode } from './fileCheck';
import { FORMATTERS, type FormatName } from './formatters';
import type { CheckReport } from './formatters/report';
import { formatStatistics } from './formatters/statistics';
import type { CliIo } from './io';
import { checkFiles } from './workerPool';

export interface CheckOptions {
  paths: string[];
  format: FormatName;
  outputFile?: string;
  statistics: boolean;
  fix: boolean;
  unsafeFixes: boolean;
  select?: string[];
  ignore?: string[];
  exitZero: boolean;
  configFile?: string;
  noConfig: boolean;
  reportUnusedNoqa: boolean;
  jobs?: number;
  maxFileSize?: number;
  fileTimeBudgetMs?: number;
  version: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A problem that stops the run before any file is checked: one line on stderr, exit 2. */
export class UsageError extends Error {}

const RULE_CODES = RULES.map((rule) => rule.meta.code);

export async function runCheck(options: CheckOptions, io: CliIo): Promise<number> {
  if (options.statistics && options.format !== 'text' && options.format !== 'json') {
    throw new UsageError(`--statistics prints text or json, not ${options.format}`);
  }
  const configs = new CliConfigs({
    ...(options.configFile === undefined ? {} : { configFile: resolve(io.cwd, options.configFile) }),
    noConfig: options.noConfig,
    ruleCodes: RULE_CODES,
    ...(options.select === undefined ? {} : { select: selectorsToCodes(options.select, '--select') }),
    ...(options.ignore === undefined ? {} : { ignore: selectorsToCodes(options.ignore, '--ignore') }),
    ...(options.maxFileSize === undefined ? {} : { maxFileSize: options.maxFileSize }),
    ...(options.fileTimeBudgetMs === undefined ? {} : { fileTimeBudgetMs: options.fileTimeBudgetMs }),
  });
  throwOnConfigProblems(configs, io.cwd);
  const { files, errors } = discoverFiles(options.paths.length > 0 ? options.paths : ['.'], io.cwd, configs);
  throwOnConfigProblems(configs, io.cwd);
  if (files.length === 0 && errors.length === 0) io.stderr('nanlint: warning: no .py or .ipynb files found under the given paths\n');

  const fixMode: FixMode = !options.fix ? 'none' : options.unsafeFixes ? 'unsafe' : 'safe';
  const budgets = new Map<string, number>();
  const jobs: FileJob[] = files.map((file) => {
    const resolved = configs.forFile(file.path);
    budgets.set(file.path, resolved.fileTimeBudgetMs);
    return { path: file.path, filename: file.filename, config: resolved.config, fix: fixMode, maxFileSize: resolved.maxFileSize, reportUnusedNoqa: options.reportUnusedNoqa };
  });
  const outcomes = await checkFiles(jobs, {
    ...(io.workerScript === undefined ? {} : { workerScript: io.workerScript }),
    workers: options.jobs ?? io.cores ?? 1,
    timeBudgetMs: (job) => budgets.get(job.path) ?? Number.POSITIVE_INFINITY,
  });

  const skipped: SkippedFile[] = [...errors, ...outcomes.flatMap((outcome) => (outcome.skipped ? [outcome.skipped] : []))];
  const diagnostics: Diagnostic[] = outcomes.flatMap((outcome) => outcome.diagnostics).sort(compareDiagnostics);
  const report: CheckReport = {
    diagnostics,
    skipped,
    syntaxErrors: outcomes.flatMap((outcome) => outcome.syntaxErrors),
    fixed: outcomes.flatMap((outcome) => outcome.fixed),
    fixMode,
    unsafeFixes: options.unsafeFixes,
    rules: RULES,
    version: options.version,
    cwd: io.cwd,
  };

  for (const file of skipped) io.stderr(`nanlint: ${file.filename}: ${file.reason}; skipped\n`);
  for (const error of report.syntaxErrors) {
    const cell = error.cell === undefined ? '' : `:cell ${error.cell}`;
    io.stderr(`nanlint: warning: ${error.filename}${cell}:${error.location.row}:${error.location.column}: syntax error; the rest of the file was still checked\n`);
  }

  const output = options.statistics ? formatStatistics(report, options.format === 'json' ? 'json' : 'text') : FORMATTERS[options.format].format(report);
  if (options.outputFile === undefined) io.stdout(output);
  else {
    const target = resolve(io.cwd, options.outputFile);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output);
    } catch (error) {
      io.stderr(`nanlint: ${options.outputFile}: cannot write the output file: ${ioReason(error)}\n`);
      return EXIT_ERROR;
    }
  }

  // A file that could not be checked leaves the job undone: CI must not pass on it, even with --exit-zero.
  if (skipped.length > 0) return EXIT_ERROR;
  return diagnostics.length > 0 && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** `--select NAN3,NAN101` → full codes; an unknown code is a usage error, not a silent no-op. */
function selectorsToCodes(selectors: string[], flag: string): string[] {
  const codes: string[] = [];
  for (const selector of selectors) {
    const expanded = expandCode(selector, RULE_CODES);
    if (expanded.length === 0) throw new UsageError(`unknown rule code '${selector}' in ${flag} (known: ${RULE_CODES.join(', ')})`);
    codes.push(...expanded);
  }
  return [...new Set(codes)];
}

function throwOnConfigProblems(configs: CliConfigs, cwd: string): void {
  const problems = configs.problems();
  const first = problems[0];
  if (!first) return;
  const shown = describeProblem({ ...first, file: displayPath(first.file, cwd) });
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more configuration ${problems.length === 2 ? 'problem' : 'problems'})` : '';
  throw new UsageError(`${shown}${more}`);
}

function displayPath(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
