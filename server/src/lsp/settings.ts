/**
 * Settings per resource: the editor's `nanlint.*` section (through `workspace/configuration`, scoped to
 * the document, or to the notebook for a cell) merged with pyproject.toml `[tool.nanlint]` by
 * engine/config.ts according to `nanlint.configurationPreference`. Both layers are cached until the
 * editor says its settings changed or a pyproject.toml changes on disk.
 */
import { resolve } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { EDITOR_SETTINGS, isExcluded, resolveConfig, type ConfigProblem, type LintConfig, type ProjectSettings } from '../engine/config';
import { RULES } from '../engine';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../protocol/settings';
import type { Logger } from './guard';
import type { LintSubject } from './subjects';

export interface DocumentConfig {
  settings: Settings;
  config: LintConfig;
  /** Matched by an `exclude` glob: not linted. */
  excluded: boolean;
  /** Documents larger than this (UTF-8 bytes) are skipped, as the CLI skips such files. */
  maxFileSize: number;
  /** A lint that runs longer is stopped and reported (bundled server only: it lints in a child process). */
  fileTimeBudgetMs: number;
  configFile: string | null;
  problems: ConfigProblem[];
}

const RULE_CODES = RULES.map((rule) => rule.meta.code);

export class SettingsService {
  /** Bumped whenever any setting or configuration file may have changed; part of every cache key. */
  private currentGeneration = 0;
  private readonly editorSettings = new Map<string, Promise<Settings>>();
  private readonly resolved = new Map<string, DocumentConfig>();
  private readonly loggedProblems = new Set<string>();
  /** Settings pushed with `didChangeConfiguration`, for clients that cannot answer `workspace/configuration`. */
  private pushedSettings: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    private readonly canPullConfiguration: () => boolean,
  ) {}

  get generation(): number {
    return this.currentGeneration;
  }

  /** Forgets every cached value; `pushed` is the `settings` of a `didChangeConfiguration`, if any. */
  invalidate(pushed?: unknown): void {
    this.currentGeneration++;
    this.editorSettings.clear();
    this.resolved.clear();
    this.loggedProblems.clear();
    if (pushed !== undefined && pushed !== null && typeof pushed === 'object' && 'nanlint' in pushed) {
      this.pushedSettings = this.validate((pushed as { nanlint: unknown }).nanlint);
    }
  }

  /** Drops what was cached for a document that closed. */
  forget(scopeUri: string): void {
    this.editorSettings.delete(scopeUri);
    for (const key of this.resolved.keys()) if (key.startsWith(`${scopeUri}\u0000`)) this.resolved.delete(key);
  }

  /** The editor settings for a resource (a file or notebook URI). */
  settingsFor(scopeUri: string): Promise<Settings> {
    if (!this.canPullConfiguration()) return Promise.resolve(this.pushedSettings);
    let pending = this.editorSettings.get(scopeUri);
    if (!pending) {
      pending = this.connection.workspace.getConfiguration({ scopeUri, section: 'nanlint' }).then(
        (raw: unknown) => this.validate(raw),
        (error: unknown) => {
          this.log.warn(`could not read settings for ${scopeUri}: ${error instanceof Error ? error.message : String(error)}; using defaults`);
          return DEFAULT_SETTINGS;
        },
      );
      this.editorSettings.set(scopeUri, pending);
    }
    return pending;
  }

  /** The settings and resolved lint configuration for what is being linted. */
  async configFor(subject: LintSubject): Promise<DocumentConfig> {
    const generation = this.currentGeneration;
    const settings = await this.settingsFor(subject.ownerUri);
    const key = `${subject.ownerUri}\u0000${subject.path ?? ''}`;
    const cached = this.resolved.get(key);
    if (cached && cached.settings === settings) return cached;
    // A document that is not a file (untitled, remote) gets editor settings only, resolved as if it sat in the working folder.
    const filePath = subject.path ?? resolve('untitled.py');
    const result = resolveConfig({
      filePath,
      editor: editorProjectSettings(settings),
      preference: settings.configurationPreference,
      noConfig: subject.path === undefined,
      ruleCodes: RULE_CODES,
    });
    const documentConfig: DocumentConfig = {
      settings,
      config: result.config,
      excluded: subject.path !== undefined && isExcluded(subject.path, result.exclude, result.root),
      maxFileSize: result.maxFileSize,
      fileTimeBudgetMs: result.fileTimeBudgetMs,
      configFile: result.configFile,
      problems: result.problems,
    };
    for (const problem of result.problems) this.logProblem(problem);
    if (generation === this.currentGeneration) this.resolved.set(key, documentConfig);
    return documentConfig;
  }

  private validate(raw: unknown): Settings {
    const { settings, problems } = parseSettings(raw);
    for (const problem of problems) this.log.warn(problem);
    return settings;
  }

  private logProblem(problem: ConfigProblem): void {
    const where = problem.file === EDITOR_SETTINGS ? EDITOR_SETTINGS : `${problem.file}:${problem.range.start.line + 1}`;
    const line = `${where}: ${problem.message}`;
    if (this.loggedProblems.has(line)) return;
    this.loggedProblems.add(line);
    this.log.warn(line);
  }
}

/**
 * The editor settings that count as "set": VS Code only reports effective values, so an empty list or
 * table (the default) means "not set here" and leaves the key to pyproject.toml.
 */
function editorProjectSettings(settings: Settings): ProjectSettings {
  const project: ProjectSettings = {};
  if (settings.select !== null) project.select = settings.select;
  if (settings.ignore.length > 0) project.ignore = settings.ignore;
  if (Object.keys(settings.perFileIgnores).length > 0) project.perFileIgnores = settings.perFileIgnores;
  if (settings.exclude.length > 0) project.exclude = settings.exclude;
  if (Object.keys(settings.severity).length > 0) project.severity = settings.severity;
  if (Object.keys(settings.learningRateThresholds).length > 0) project.learningRateThresholds = settings.learningRateThresholds;
  if (settings.clipping !== null) project.clipping = settings.clipping;
  if (settings.maxFileSize !== null) project.maxFileSize = settings.maxFileSize;
  if (settings.fileTimeBudgetMs !== null) project.fileTimeBudgetMs = settings.fileTimeBudgetMs;
  return project;
}
