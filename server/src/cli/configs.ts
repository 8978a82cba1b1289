import { dirname, resolve } from 'node:path';
import {
  combineSettings,
  configFileIn,
  loadConfigFile,
  type ConfigProblem,
  type LoadedConfigFile,
  type ResolvedConfig,
} from '../engine/config';

export interface CliConfigOptions {
  /** `--config FILE`: one configuration for every file. */
  configFile?: string;
  /** `--no-config`: defaults only (plus command-line flags). */
  noConfig: boolean;
  ruleCodes: readonly string[];
  /** `--select`: replaces the configured selection. */
  select?: string[];
  /** `--ignore`: added to the configured ignores. */
  ignore?: string[];
  maxFileSize?: number;
  fileTimeBudgetMs?: number;
}

/**
 * The configuration of every checked file: the nearest pyproject.toml with `[tool.nanlint]` above the
 * file (read once per folder), then the command-line flags on top.
 */
export class CliConfigs {
  private readonly byDirectory = new Map<string, LoadedConfigFile | undefined>();
  private readonly seenProblems = new Map<string, ConfigProblem>();
  private readonly fixed: LoadedConfigFile | undefined;

  constructor(private readonly options: CliConfigOptions) {
    this.fixed = options.configFile === undefined ? undefined : loadConfigFile(options.configFile, options.ruleCodes);
    this.fixed?.problems.forEach((problem) => this.remember(problem));
  }

  forFile(path: string): ResolvedConfig {
    const loaded = this.options.configFile !== undefined ? this.fixed : this.options.noConfig ? undefined : this.nearest(dirname(resolve(path)));
    const resolved = combineSettings({ filePath: path, loaded });
    const { config } = resolved;
    return {
      ...resolved,
      config: {
        ...config,
        select: this.options.select ?? config.select,
        ignore: [...new Set([...config.ignore, ...(this.options.ignore ?? [])])],
      },
      maxFileSize: this.options.maxFileSize ?? resolved.maxFileSize,
      fileTimeBudgetMs: this.options.fileTimeBudgetMs ?? resolved.fileTimeBudgetMs,
    };
  }

  /** Problems in every configuration file read so far, each once. */
  problems(): ConfigProblem[] {
    return [...this.seenProblems.values()];
  }

  /** Each folder is read once; a folder without its own configuration takes its parent's. */
  private nearest(directory: string): LoadedConfigFile | undefined {
    if (this.byDirectory.has(directory)) return this.byDirectory.get(directory);
    const own = configFileIn(directory, this.options.ruleCodes);
    own?.problems.forEach((problem) => this.remember(problem));
    const parent = dirname(directory);
    const loaded = own ?? (parent === directory ? undefined : this.nearest(parent));
    this.byDirectory.set(directory, loaded);
    return loaded;
  }

  private remember(problem: ConfigProblem): void {
    const key = `${problem.file}:${problem.range.start.line}:${problem.range.start.character}:${problem.message}`;
    if (!this.seenProblems.has(key)) this.seenProblems.set(key, problem);
  }
}

/** `pyproject.toml:4:1: unknown key 'selct' …`, 1-based like every other line nanlint prints. */
export function describeProblem(problem: ConfigProblem): string {
  const { start, end } = problem.range;
  // An empty range at the very start stands for the whole file (it could not be read at all).
  if (start.line === 0 && start.character === 0 && end.line === 0 && end.character === 0) return `${problem.file}: ${problem.message}`;
  return `${problem.file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.message}`;
}
