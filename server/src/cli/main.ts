import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createConnection } from 'vscode-languageserver/node';
import { RULES, renderRuleDoc, ruleByCode } from '../engine';
import { defaultExtensions, runServer } from '../lsp/server';
import type { BackendRequest } from '../protocol/reproduce';
import { CliConfigs, describeProblem } from './configs';
import { EXIT_CLEAN, EXIT_ERROR, runCheck, UsageError } from './check';
import { FORMATTERS, isFormatName } from './formatters';
import type { CliIo } from './io';
import { reproduceCommand } from './reproduce';

/** The whole command line as a function: arguments in, exit code out, all output through `io`. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = buildProgram(argv, io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through here with code 0; any parse error was printed by outputError.
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    const message = error instanceof UsageError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    io.stderr(`nanlint: ${oneLine(message)}\n`);
    return EXIT_ERROR;
  }
}

function buildProgram(argv: readonly string[], io: CliIo, setExitCode: (code: number) => void): Command {
  const version = packageVersion();
  const program = new Command('nanlint')
    .description('Find the PyTorch and TensorFlow/Keras code patterns that make training loss go NaN')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true);
  configure(program, io);

  program
    .command('check')
    .description('lint Python files, folders and Jupyter notebooks (default: the current folder)')
    .argument('[paths...]', 'files or folders; .py and .ipynb files are checked')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('text'))
    .option('-o, --output-file <file>', 'write the report to this file instead of stdout')
    .option('--statistics', 'print the number of findings per rule instead of the findings')
    .option('--fix', 'apply safe fixes in place, then report what is left')
    .option('--unsafe-fixes', 'with --fix, also apply unsafe fixes; otherwise count them as available')
    .option('--select <codes>', 'only these rules (comma-separated codes or prefixes, e.g. NAN2,NAN301)', commaList)
    .option('--ignore <codes>', 'also skip these rules (comma-separated codes or prefixes)', commaList)
    .option('--exit-zero', 'exit 0 even when there are findings')
    .option('--config <file>', 'use this configuration file (pyproject.toml with [tool.nanlint], or a TOML file of the same keys)')
    .option('--no-config', 'ignore every pyproject.toml; defaults and command-line flags only')
    .option('--report-unused-noqa', 'report suppression directives that suppress nothing (NAN000)')
    .option('--jobs <n>', 'worker threads for the scan (default: all cores)', positiveInteger('--jobs'))
    .option('--max-file-size <bytes>', 'skip larger files (default 5242880)', positiveInteger('--max-file-size'))
    .option('--file-time-budget <ms>', 'skip a file whose check takes longer (default 10000)', positiveInteger('--file-time-budget'))
    .action(async (paths: string[], flags: CheckFlags) => {
      // `--no-config` and `--config FILE` share one commander key, where the last would silently win.
      if (argv.includes('--no-config') && argv.some((arg) => arg === '--config' || arg.startsWith('--config='))) {
        throw new UsageError('--config and --no-config cannot be used together');
      }
      const format = flags.format;
      if (!isFormatName(format)) throw new UsageError(`unknown format '${format}'`);
      setExitCode(
        await runCheck(
          {
            paths,
            format,
            ...(flags.outputFile === undefined ? {} : { outputFile: flags.outputFile }),
            statistics: flags.statistics === true,
            fix: flags.fix === true,
            unsafeFixes: flags.unsafeFixes === true,
            ...(flags.select === undefined ? {} : { select: flags.select }),
            ...(flags.ignore === undefined ? {} : { ignore: flags.ignore }),
            exitZero: flags.exitZero === true,
            ...(typeof flags.config === 'string' ? { configFile: flags.config } : {}),
            noConfig: flags.config === false,
            reportUnusedNoqa: flags.reportUnusedNoqa === true,
            ...(flags.jobs === undefined ? {} : { jobs: flags.jobs }),
            ...(flags.maxFileSize === undefined ? {} : { maxFileSize: flags.maxFileSize }),
            ...(flags.fileTimeBudget === undefined ? {} : { fileTimeBudgetMs: flags.fileTimeBudget }),
            version,
          },
          io,
        ),
      );
    });

  program
    .command('rule')
    .description("print a rule's documentation")
    .argument('<code>', 'rule code, e.g. NAN301')
    .action((code: string) => {
      const rule = ruleByCode(code.toUpperCase());
      if (!rule) throw new UsageError(`unknown rule code '${code}'`);
      io.stdout(`${renderRuleDoc(rule)}\n`);
    });

  program
    .command('server')
    .description('run the language server (for editors other than VS Code)')
    .option('--stdio', 'talk LSP over stdin/stdout')
    .action((flags: { stdio?: boolean }) => {
      if (flags.stdio !== true) throw new UsageError('server needs a transport: nanlint server --stdio');
      // The server keeps the process alive; it ends when the client sends `exit`.
      runServer(createConnection(process.stdin, process.stdout), defaultExtensions(), io.workerScript);
    });

  program
    .command('reproduce')
    .description('train the sample model that matches FILE as written and with the fixes applied, and report')
    .argument('<file>', 'the training script')
    .option('--line <n>', 'the training step or optimizer to reproduce (1-based line)', positiveInteger('--line'))
    .option('--steps <n>', 'training steps per run', positiveInteger('--steps'))
    .option('--seed <n>', 'random seed', nonNegativeInteger('--seed'))
    .addOption(new Option('--backend <backend>', 'TensorFlow.js backend').choices(BACKENDS).default('auto'))
    .option('--json <out>', "write the JSON report to this file ('-' for stdout)")
    .option('--html <out>', 'write the HTML report to this file')
    .action(async (file: string, flags: ReproduceFlags) => {
      const configs = new CliConfigs({ noConfig: false, ruleCodes: RULES.map((rule) => rule.meta.code) });
      const { config } = configs.forFile(resolve(io.cwd, file));
      const problem = configs.problems()[0];
      if (problem) throw new UsageError(describeProblem(problem));
      setExitCode(
        await reproduceCommand(
          {
            file,
            config,
            backend: flags.backend,
            ...(flags.line === undefined ? {} : { line: flags.line }),
            ...(flags.steps === undefined ? {} : { steps: flags.steps }),
            ...(flags.seed === undefined ? {} : { seed: flags.seed }),
            ...(flags.json === undefined ? {} : { json: flags.json }),
            ...(flags.html === undefined ? {} : { html: flags.html }),
          },
          io,
        ),
      );
    });

  for (const command of program.commands) configure(command, io);
  return program;
}

const BACKENDS: readonly BackendRequest[] = ['auto', 'node', 'wasm', 'cpu'];

interface ReproduceFlags {
  line?: number;
  steps?: number;
  seed?: number;
  backend: BackendRequest;
  json?: string;
  html?: string;
}

interface CheckFlags {
  format: string;
  outputFile?: string;
  statistics?: boolean;
  fix?: boolean;
  unsafeFixes?: boolean;
  select?: string[];
  ignore?: string[];
  exitZero?: boolean;
  /** A path for `--config FILE`, false for `--no-config`, true when neither was given. */
  config?: string | boolean;
  reportUnusedNoqa?: boolean;
  jobs?: number;
  maxFileSize?: number;
  fileTimeBudget?: number;
}

/** Commander prints through `io`, never exits the process, and reports errors on one line. */
function configure(command: Command, io: CliIo): void {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
    outputError: (text, write) => write(`nanlint: ${oneLine(text.replace(/^error:\s*/, ''))}\n`),
  });
}

function commaList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new UsageError(`${flag} takes a positive whole number, not '${value}'`);
    return parsed;
  };
}

function nonNegativeInteger(flag: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < 0) throw new UsageError(`${flag} takes a whole number, not '${value}'`);
    return parsed;
  };
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

/** The version in the package.json above this module (dist/cli.js or server/src/cli/main.ts). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'nanlint' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No package.json at this level: keep walking up.
    }
    if (dirname(dir) === dir) return '0.0.0';
  }
}
