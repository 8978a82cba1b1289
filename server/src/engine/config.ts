import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Position } from './positions';
import type { Severity } from './rule';

/*
 * smol-toml ships ESM types over a CommonJS build; the type import names the ESM types and the
 * require loads the CommonJS build, which esbuild bundles and Node and vitest load synchronously.
 */
type SmolToml = typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });
const { parse: parseToml, TomlError }: SmolToml = require('smol-toml');

/** What the linter needs to decide which rules run, how loud they are and where they draw their lines. */
export interface LintConfig {
  /** Rule codes that run; null means every rule. */
  select: string[] | null;
  ignore: string[];
  severity: Record<string, Severity>;
  /** Per optimizer family (lower-case class name): the learning rate at or above which NAN301 fires. */
  learningRateThresholds: Record<string, number>;
  /** 'recurrent' asks for gradient clipping only when the model has recurrent layers. */
  clipping: 'recurrent' | 'always';
}

export const DEFAULT_CONFIG: LintConfig = {
  select: null,
  ignore: [],
  severity: {},
  learningRateThresholds: {
    adam: 1e-2,
    adamw: 1e-2,
    adamax: 1e-2,
    nadam: 1e-2,
    radam: 1e-2,
    rmsprop: 1e-2,
    lion: 1e-2,
    adagrad: 1e-1,
    sgd: 1.0,
  },
  clipping: 'recurrent',
};

/** Files larger than this are reported and skipped: 5 MiB is far beyond any hand-written training script. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
/** A file whose check runs longer than this is reported and skipped, so one odd file cannot stall a scan. */
export const DEFAULT_FILE_TIME_BUDGET_MS = 10_000;

/** Which side wins when the editor and pyproject.toml both set a key (Ruff's `configurationPreference`). */
export type ConfigurationPreference = 'editorFirst' | 'filesystemFirst' | 'editorOnly';

/** The keys `[tool.nanlint]` and the editor's `nanlint.*` settings can set; absent means "not set here". */
export interface ProjectSettings {
  select?: string[];
  ignore?: string[];
  /** Glob (relative to the configuration's folder, or a bare file name) → codes ignored in matching files. */
  perFileIgnores?: Record<string, string[]>;
  severity?: Record<string, Severity>;
  learningRateThresholds?: Record<string, number>;
  clipping?: 'recurrent' | 'always';
  /** Globs of files and folders never checked, relative to the configuration's folder. */
  exclude?: string[];
  maxFileSize?: number;
  fileTimeBudgetMs?: number;
}

export interface ConfigRange {
  start: Position;
  end: Position;
}

/** Something wrong in a configuration source; the rest of the source is still used. */
export interface ConfigProblem {
  /** Path of the configuration file, or `EDITOR_SETTINGS` for the editor's settings. */
  file: string;
  /** 0-based, UTF-16, as LSP counts. */
  range: ConfigRange;
  message: string;
}

export const EDITOR_SETTINGS = 'editor settings';

export interface LoadedConfigFile {
  path: string;
  /** The folder that `exclude` and `per-file-ignores` globs are relative to. */
  root: string;
  settings: ProjectSettings;
  problems: ConfigProblem[];
}

/** The settings that apply to one file, after every source has been merged. */
export interface ResolvedConfig {
  config: LintConfig;
  exclude: string[];
  /** Folder the exclude globs are relative to. */
  root: string;
  maxFileSize: number;
  fileTimeBudgetMs: number;
  /** The configuration file that was used, or null when none was found or asked for. */
  configFile: string | null;
  problems: ConfigProblem[];
}

/** Reading the file system is injectable so the LSP server can serve unsaved pyproject.toml buffers. */
export interface ConfigFileSystem {
  /** The file's text, or undefined when there is no such file. Throws on any other read failure. */
  readText(path: string): string | undefined;
}

export const NODE_FILE_SYSTEM: ConfigFileSystem = {
  readText(path) {
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw error;
    }
  },
};

export interface ResolveConfigRequest {
  /** The file being linted; pyproject.toml is looked for from its folder upwards. */
  filePath: string;
  editor?: ProjectSettings;
  preference?: ConfigurationPreference;
  /** Use this file instead of looking for one (`--config`). */
  configFile?: string;
  /** Use no configuration file at all (`--no-config`). */
  noConfig?: boolean;
  fileSystem?: ConfigFileSystem;
  /**
   * The codes of the registered rules (`RULES.map((rule) => rule.meta.code)`), passed in so this
   * module stays below the rule registry and selectors like `NAN3` can be expanded and checked.
   */
  ruleCodes: readonly string[];
}

export function resolveConfig(request: ResolveConfigRequest): ResolvedConfig {
  const fileSystem = request.fileSystem ?? NODE_FILE_SYSTEM;
  const preference = request.preference ?? 'editorFirst';
  let loaded: LoadedConfigFile | undefined;
  if (request.configFile !== undefined) loaded = loadConfigFile(request.configFile, request.ruleCodes, fileSystem);
  else if (!request.noConfig && preference !== 'editorOnly') {
    loaded = findConfigFile(dirname(resolve(request.filePath)), request.ruleCodes, fileSystem);
  }
  const editor = request.editor ? validateEditorSettings(request.editor, request.ruleCodes) : undefined;
  return combineSettings({ filePath: request.filePath, loaded, editor: editor?.settings, preference, extraProblems: editor?.problems ?? [] });
}

/** Merges already-loaded sources for one file: what `resolveConfig` does after reading. */
export function combineSettings(input: {
  filePath: string;
  loaded?: LoadedConfigFile;
  editor?: ProjectSettings;
  preference?: ConfigurationPreference;
  extraProblems?: ConfigProblem[];
}): ResolvedConfig {
  const preference = input.preference ?? 'editorFirst';
  const fromFile = preference === 'editorOnly' ? {} : (input.loaded?.settings ?? {});
  const fromEditor = input.editor ?? {};
  const [winner, loser] = preference === 'filesystemFirst' ? [fromFile, fromEditor] : [fromEditor, fromFile];
  const merged = mergeSettings(winner, loser);
  const root = input.loaded && preference !== 'editorOnly' ? input.loaded.root : dirname(resolve(input.filePath));
  const fileIgnores = perFileIgnoredCodes(merged.perFileIgnores ?? {}, input.filePath, root);
  const config: LintConfig = {
    select: merged.select ?? DEFAULT_CONFIG.select,
    ignore: unique([...(merged.ignore ?? DEFAULT_CONFIG.ignore), ...fileIgnores]),
    severity: { ...DEFAULT_CONFIG.severity, ...merged.severity },
    learningRateThresholds: { ...DEFAULT_CONFIG.learningRateThresholds, ...merged.learningRateThresholds },
    clipping: merged.clipping ?? DEFAULT_CONFIG.clipping,
  };
  return {
    config,
    exclude: merged.exclude ?? [],
    root,
    maxFileSize: merged.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    fileTimeBudgetMs: merged.fileTimeBudgetMs ?? DEFAULT_FILE_TIME_BUDGET_MS,
    configFile: input.loaded && preference !== 'editorOnly' ? input.loaded.path : null,
    problems: [...(input.loaded?.problems ?? []), ...(input.extraProblems ?? [])],
  };
}

/** Records merge entry by entry (the winner's entries override); every other key is taken whole. */
function mergeSettings(winner: ProjectSettings, loser: ProjectSettings): ProjectSettings {
  const merged: ProjectSettings = { ...loser, ...definedOnly(winner) };
  if (winner.severity && loser.severity) merged.severity = { ...loser.severity, ...winner.severity };
  if (winner.learningRateThresholds && loser.learningRateThresholds) {
    merged.learningRateThresholds = { ...loser.learningRateThresholds, ...winner.learningRateThresholds };
  }
  if (winner.perFileIgnores && loser.perFileIgnores) merged.perFileIgnores = { ...loser.perFileIgnores, ...winner.perFileIgnores };
  return merged;
}

function definedOnly(settings: ProjectSettings): ProjectSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as ProjectSettings;
}

/**
 * The nearest pyproject.toml with a `[tool.nanlint]` table, from `startDir` upwards, already parsed.
 */
export function findConfigFile(startDir: string, ruleCodes: readonly string[], fileSystem: ConfigFileSystem = NODE_FILE_SYSTEM): LoadedConfigFile | undefined {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const found = configFileIn(dir, ruleCodes, fileSystem);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The pyproject.toml of this folder when it has a `[tool.nanlint]` table. One that exists but cannot
 * be read is returned with that problem: skipping it would silently lint with the wrong settings.
 */
export function configFileIn(dir: string, ruleCodes: readonly string[], fileSystem: ConfigFileSystem = NODE_FILE_SYSTEM): LoadedConfigFile | undefined {
  const path = join(dir, 'pyproject.toml');
  let text: string | undefined;
  try {
    text = fileSystem.readText(path);
  } catch (error) {
    return { path, root: dir, settings: {}, problems: [{ file: path, range: rangeAt(0, 0, 0), message: `cannot read configuration file: ${errorReason(error)}` }] };
  }
  return text !== undefined && /^\s*\[\s*tool\s*\.\s*nanlint\s*[.\]]/m.test(text) ? parseConfigText(text, path, ruleCodes) : undefined;
}

/** Reads a configuration named on the command line; a read failure is a problem, not an exception. */
export function loadConfigFile(path: string, ruleCodes: readonly string[], fileSystem: ConfigFileSystem = NODE_FILE_SYSTEM): LoadedConfigFile {
  const absolute = resolve(path);
  let text: string | undefined;
  let reason = 'no such file';
  try {
    text = fileSystem.readText(absolute);
  } catch (error) {
    reason = errorReason(error);
  }
  if (text === undefined) {
    return { path, root: dirname(absolute), settings: {}, problems: [{ file: path, range: rangeAt(0, 0, 0), message: `cannot read configuration file: ${reason}` }] };
  }
  return parseConfigText(text, path, ruleCodes);
}

/**
 * Parses a configuration file. In a file named pyproject.toml the settings live under `[tool.nanlint]`;
 * any other file (e.g. nanlint.toml given to `--config`) holds them at the top level.
 */
export function parseConfigText(text: string, path: string, ruleCodes: readonly string[]): LoadedConfigFile {
  const root = dirname(resolve(path));
  const inPyproject = basename(path) === 'pyproject.toml';
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const message = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
      const line = Math.max(0, error.line - 1);
      const character = Math.max(0, error.column - 1);
      return { path, root, settings: {}, problems: [{ file: path, range: rangeAt(line, character, character + 1), message: `invalid TOML: ${message}` }] };
    }
    throw error;
  }
  const table = inPyproject ? nanlintTable(document) : document;
  const locator = new KeyLocator(text, inPyproject);
  const { settings, problems } = validateTable(table ?? {}, ruleCodes, (issue) => ({ file: path, range: locator.locate(issue), message: issue.message }));
  return { path, root, settings, problems };
}

function nanlintTable(document: Record<string, unknown>): Record<string, unknown> | undefined {
  const tool = document['tool'];
  if (!isRecord(tool)) return undefined;
  const table = tool['nanlint'];
  return isRecord(table) ? table : undefined;
}

/** A validation finding before it has a place in a file: the key path and, for list items, the offending value. */
interface Issue {
  keyPath: string[];
  token?: string;
  message: string;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
/** Optimizer families the training facts recognise beyond the ones with default thresholds. */
const EXTRA_OPTIMIZER_FAMILIES = ['adadelta', 'lbfgs'];

const KEYS: Record<string, (value: unknown, context: ValidationContext) => void> = {
  select: (value, { issues, settings, ruleCodes }) => {
    const codes = codeList(value, 'select', issues, ruleCodes);
    if (codes) settings.select = codes;
  },
  ignore: (value, { issues, settings, ruleCodes }) => {
    const codes = codeList(value, 'ignore', issues, ruleCodes);
    if (codes) settings.ignore = codes;
  },
  'per-file-ignores': (value, { issues, settings, ruleCodes }) => {
    if (!isRecord(value)) {
      issues.push({ keyPath: ['per-file-ignores'], message: "'per-file-ignores' must be a table of glob = [rule codes]" });
      return;
    }
    const result: Record<string, string[]> = {};
    for (const [glob, codes] of Object.entries(value)) {
      const list = codeList(codes, `per-file-ignores.${glob}`, issues, ruleCodes, ['per-file-ignores', glob]);
      if (list) result[glob] = list;
    }
    settings.perFileIgnores = result;
  },
  severity: (value, { issues, settings, ruleCodes }) => {
    if (!isRecord(value)) {
      issues.push({ keyPath: ['severity'], message: "'severity' must be a table of rule code = severity" });
      return;
    }
    const result: Record<string, Severity> = {};
    for (const [code, level] of Object.entries(value)) {
      const codes = expandCode(code, ruleCodes);
      if (codes.length === 0) {
        issues.push({ keyPath: ['severity', code], message: `unknown rule code '${code}' in 'severity'` });
        continue;
      }
      if (typeof level !== 'string' || !(SEVERITIES as readonly string[]).includes(level)) {
        issues.push({ keyPath: ['severity', code], message: `'severity.${code}' must be one of "error", "warning", "information", "hint"` });
        continue;
      }
      for (const expanded of codes) result[expanded] = level as Severity;
    }
    settings.severity = result;
  },
  'learning-rate-thresholds': (value, { issues, settings }) => {
    if (!isRecord(value)) {
      issues.push({ keyPath: ['learning-rate-thresholds'], message: "'learning-rate-thresholds' must be a table of optimizer = number" });
      return;
    }
    const known = [...Object.keys(DEFAULT_CONFIG.learningRateThresholds), ...EXTRA_OPTIMIZER_FAMILIES];
    const result: Record<string, number> = {};
    for (const [family, threshold] of Object.entries(value)) {
      const key = family.toLowerCase();
      if (!known.includes(key)) {
        issues.push({ keyPath: ['learning-rate-thresholds', family], message: `unknown optimizer '${family}' in 'learning-rate-thresholds' (known: ${known.join(', ')})` });
        continue;
      }
      if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
        issues.push({ keyPath: ['learning-rate-thresholds', family], message: `'learning-rate-thresholds.${family}' must be a positive number` });
        continue;
      }
      result[key] = threshold;
    }
    settings.learningRateThresholds = result;
  },
  clipping: (value, { issues, settings }) => {
    if (value === 'recurrent' || value === 'always') settings.clipping = value;
    else issues.push({ keyPath: ['clipping'], message: `'clipping' must be "recurrent" or "always"` });
  },
  exclude: (value, { issues, settings }) => {
    if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) settings.exclude = value;
    else issues.push({ keyPath: ['exclude'], message: "'exclude' must be a list of glob strings" });
  },
  'max-file-size': (value, { issues, settings }) => {
    if (Number.isSafeInteger(value) && (value as number) > 0) settings.maxFileSize = value as number;
    else issues.push({ keyPath: ['max-file-size'], message: "'max-file-size' must be a positive whole number of bytes" });
  },
  'file-time-budget-ms': (value, { issues, settings }) => {
    if (Number.isSafeInteger(value) && (value as number) > 0) settings.fileTimeBudgetMs = value as number;
    else issues.push({ keyPath: ['file-time-budget-ms'], message: "'file-time-budget-ms' must be a positive whole number of milliseconds" });
  },
};

/** The keys `[tool.nanlint]` accepts, for documentation and for "unknown key" messages. */
export const CONFIG_KEYS: readonly string[] = Object.keys(KEYS);

interface ValidationContext {
  issues: Issue[];
  settings: ProjectSettings;
  ruleCodes: readonly string[];
}

function validateTable<P>(table: Record<string, unknown>, ruleCodes: readonly string[], place: (issue: Issue) => P): { settings: ProjectSettings; problems: P[] } {
  const settings: ProjectSettings = {};
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(table)) {
    const check = KEYS[key];
    if (check) check(value, { issues, settings, ruleCodes });
    else issues.push({ keyPath: [key], message: `unknown key '${key}' in [tool.nanlint] (known: ${CONFIG_KEYS.join(', ')})` });
  }
  return { settings, problems: issues.map(place) };
}

/**
 * Editor settings use the same validation; their values arrive already typed by the editor but may
 * still name unknown rules. Problems there have no line to point at.
 */
export function validateEditorSettings(editor: ProjectSettings, ruleCodes: readonly string[]): { settings: ProjectSettings; problems: ConfigProblem[] } {
  const table: Record<string, unknown> = {};
  if (editor.select !== undefined) table['select'] = editor.select;
  if (editor.ignore !== undefined) table['ignore'] = editor.ignore;
  if (editor.perFileIgnores !== undefined) table['per-file-ignores'] = editor.perFileIgnores;
  if (editor.severity !== undefined) table['severity'] = editor.severity;
  if (editor.learningRateThresholds !== undefined) table['learning-rate-thresholds'] = editor.learningRateThresholds;
  if (editor.clipping !== undefined) table['clipping'] = editor.clipping;
  if (editor.exclude !== undefined) table['exclude'] = editor.exclude;
  if (editor.maxFileSize !== undefined) table['max-file-size'] = editor.maxFileSize;
  if (editor.fileTimeBudgetMs !== undefined) table['file-time-budget-ms'] = editor.fileTimeBudgetMs;
  return validateTable(table, ruleCodes, (issue) => ({ file: EDITOR_SETTINGS, range: rangeAt(0, 0, 0), message: issue.message }));
}

function codeList(value: unknown, where: string, issues: Issue[], ruleCodes: readonly string[], keyPath: string[] = [where]): string[] | undefined {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    issues.push({ keyPath, message: `'${where}' must be a list of rule codes` });
    return undefined;
  }
  const codes: string[] = [];
  for (const item of value) {
    const expanded = expandCode(item, ruleCodes);
    if (expanded.length === 0) issues.push({ keyPath, token: item, message: `unknown rule code '${item}' in '${where}'` });
    codes.push(...expanded);
  }
  return unique(codes);
}

/**
 * A selector names one rule (`NAN301`), a group by prefix (`NAN3`, as Ruff allows) or `ALL`;
 * the linter only ever sees full codes.
 */
export function expandCode(selector: string, ruleCodes: readonly string[]): string[] {
  const upper = selector.trim().toUpperCase();
  if (upper === 'ALL') return [...ruleCodes];
  if (!/^NAN\d{0,3}$/.test(upper)) return [];
  return ruleCodes.filter((code) => code.startsWith(upper));
}

/** Codes ignored for this file by the `per-file-ignores` globs that match it. */
export function perFileIgnoredCodes(perFileIgnores: Record<string, string[]>, filePath: string, root: string): string[] {
  const codes: string[] = [];
  for (const [glob, list] of Object.entries(perFileIgnores)) {
    if (matchesGlob(filePath, glob, root)) codes.push(...list);
  }
  return codes;
}

/**
 * Whether the path (or one of its folders below the root) matches any of the globs. Globs follow
 * Ruff/gitignore conventions: `**` crosses folders, `*` and `?` stay within one name, a glob
 * without `/` matches a file or folder name anywhere, a glob with `/` is relative to the root.
 */
export function isExcluded(path: string, globs: readonly string[], root: string): boolean {
  if (globs.length === 0) return false;
  const rel = toPosix(relative(root, resolve(path)));
  if (rel.startsWith('..') || isAbsolute(rel)) return globs.some((glob) => matchesGlob(path, glob, root));
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (globs.some((glob) => matchesRelative(prefix, glob))) return true;
  }
  return false;
}

export function matchesGlob(path: string, glob: string, root: string): boolean {
  const rel = toPosix(relative(root, resolve(path)));
  return matchesRelative(rel, glob);
}

function matchesRelative(rel: string, glob: string): boolean {
  const pattern = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (!pattern.includes('/')) return globToRegExp(pattern).test(rel.split('/').pop() ?? rel);
  return globToRegExp(pattern).test(rel);
}

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        source += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else source += '[^/]*';
    } else if (ch === '?') source += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) source += '\\[';
      else {
        source += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += /[\\^$.|+(){}]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${source}$`);
}

/** Finds the line of a key (or of a value inside its list) in the TOML text, for problem ranges. */
class KeyLocator {
  private readonly lines: string[];

  constructor(text: string, private readonly inPyproject: boolean) {
    this.lines = text.split('\n');
  }

  locate(issue: Issue): ConfigRange {
    const [first, ...rest] = issue.keyPath;
    const sections = this.sectionLines(first ?? '');
    if (issue.token !== undefined) {
      const found = this.findToken(sections, new RegExp(`(?<token>(["'])${escapeRegExp(issue.token)}\\2)`), issue.keyPath.at(-1) ?? '');
      if (found) return found;
    }
    const deepest = rest.at(-1) ?? first ?? '';
    const found = this.findToken(sections, keyPattern(deepest), first ?? '') ?? this.findToken(sections, keyPattern(first ?? ''), '');
    if (found) return found;
    const header = sections[0] ?? 0;
    return rangeAt(header, 0, (this.lines[header] ?? '').replace(/\r$/, '').length);
  }

  /** Line numbers of the nanlint table and its sub-tables (or the whole file outside pyproject.toml). */
  private sectionLines(firstKey: string): number[] {
    const lines: number[] = [];
    let inside = !this.inPyproject;
    const ownHeader = this.inPyproject ? /^\s*\[\s*tool\s*\.\s*nanlint\s*[.\]]/ : /^$/;
    const subHeader = new RegExp(`^\\s*\\[\\s*(?:tool\\s*\\.\\s*nanlint\\s*\\.\\s*)?["']?${escapeRegExp(firstKey)}["']?\\s*\\]`);
    this.lines.forEach((line, index) => {
      if (/^\s*\[/.test(line)) inside = this.inPyproject ? ownHeader.test(line) : true;
      if (inside || subHeader.test(line)) lines.push(index);
    });
    return lines;
  }

  /** The first match after the line that names `anchorKey` (when given), else the first match at all. */
  private findToken(lines: number[], pattern: RegExp, anchorKey: string): ConfigRange | undefined {
    const anchor = anchorKey ? lines.findIndex((index) => keyPattern(anchorKey).test(this.lines[index] ?? '')) : -1;
    const ordered = anchor >= 0 ? [...lines.slice(anchor), ...lines.slice(0, anchor)] : lines;
    for (const index of ordered) {
      const line = this.lines[index] ?? '';
      const match = pattern.exec(line);
      if (match) {
        // The named group is the key or value itself, without the separator the pattern matched before it.
        const token = match.groups?.['token'] ?? match[0];
        const start = match.index + match[0].lastIndexOf(token);
        return rangeAt(index, start, start + token.length);
      }
    }
    return undefined;
  }
}

function keyPattern(key: string): RegExp {
  const name = escapeRegExp(key);
  return new RegExp(`(?:^|[{,.\\s])\\s*(?<token>${name}|"${name}"|'${name}')(?=\\s*=|\\s*\\])`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rangeAt(line: number, startCharacter: number, endCharacter: number): ConfigRange {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isMissingFile(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}
