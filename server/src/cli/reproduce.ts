/**
 * `nanlint reproduce FILE`: extracts the training configuration from FILE, trains the matching sample
 * model as written and with the fixes (in worker processes), prints the verdict and writes the report
 * as JSON (interfaces.md's `reproduce --json`) and/or HTML (the same page the VS Code panel shows).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractTrainingConfig, type LintConfig } from '../engine';
import type { BackendRequest, ReproReport } from '../protocol/reproduce';
import { readReportScript, renderReportHtml } from '../reproduce/reportHtml';
import { ReproductionError, runReproduction } from '../reproduce/runReproduction';
import type { CliIo } from './io';

export const REPRODUCE_EXIT_OK = 0;
export const REPRODUCE_EXIT_ERROR = 2;

export interface ReproduceArgs {
  file: string;
  /** 1-based line of the training step or optimizer to reproduce. */
  line?: number;
  steps?: number;
  seed?: number;
  backend?: BackendRequest;
  /** Where to write the JSON report ('-' for stdout). */
  json?: string;
  /** Where to write the HTML report. */
  html?: string;
  timeoutMs?: number;
  /** Resolved lint configuration (selection decides which findings the fixed variant fixes). */
  config?: Partial<LintConfig>;
  /** The worker bundle; found next to the CLI bundle by default. */
  workerPath?: string;
}

function summary(report: ReproReport): string {
  const lines = [
    `${report.file}: ${report.scenario.title} on ${report.backend}, seeds ${report.seeds.join(', ')}, ${report.steps} steps (${(report.wallMs / 1000).toFixed(1)} s)`,
    `  sample: ${report.scenario.sample}`,
  ];
  for (const row of report.margin) {
    const cells = row.cells.map((c) => `x${c.multiplier} ${c.outcome === 'non-finite' ? `NaN@${c.step}` : c.outcome}`).join(', ');
    lines.push(`  margin ${row.label}: ${cells}`);
  }
  lines.push(report.verdict);
  return `${lines.join('\n')}\n`;
}

/** Returns the exit code: 0 when a report was produced (whatever it says), 2 on any error. */
export async function reproduceCommand(args: ReproduceArgs, io: CliIo): Promise<number> {
  const absolute = path.resolve(io.cwd, args.file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    io.stderr(`nanlint: ${args.file}: cannot read file (${error instanceof Error && 'code' in error ? String(error.code) : 'error'})\n`);
    return REPRODUCE_EXIT_ERROR;
  }
  const config = extractTrainingConfig(text, absolute, args.config, args.line === undefined ? {} : { line: args.line });
  if (config === null) {
    io.stderr(`nanlint: ${args.file}: no training loop, optimizer or model found to reproduce${args.line !== undefined ? ` near line ${args.line}` : ''}\n`);
    return REPRODUCE_EXIT_ERROR;
  }
  let report: ReproReport;
  try {
    report = await runReproduction(config, {
      file: args.file,
      steps: args.steps,
      seed: args.seed,
      backend: args.backend,
      timeoutMs: args.timeoutMs,
      workerPath: args.workerPath,
    });
  } catch (error) {
    const message = error instanceof ReproductionError ? error.message : `reproduction failed: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr(`nanlint: ${args.file}: ${message}\n`);
    return REPRODUCE_EXIT_ERROR;
  }
  try {
    if (args.json === '-') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(summary(report));
    if (args.json !== undefined && args.json !== '-') {
      writeFileSync(path.resolve(io.cwd, args.json), `${JSON.stringify(report, null, 2)}\n`);
    }
    if (args.html !== undefined) {
      writeFileSync(path.resolve(io.cwd, args.html), renderReportHtml(report, { scriptText: readReportScript() }));
    }
  } catch (error) {
    io.stderr(`nanlint: cannot write the report (${error instanceof Error ? error.message : String(error)})\n`);
    return REPRODUCE_EXIT_ERROR;
  }
  return REPRODUCE_EXIT_OK;
}
