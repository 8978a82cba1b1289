import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  DEFAULT_FILE_TIME_BUDGET_MS,
  DEFAULT_MAX_FILE_SIZE,
  EDITOR_SETTINGS,
  expandCode,
  globToRegExp,
  isExcluded,
  resolveConfig,
  type ConfigFileSystem,
  type ResolveConfigRequest,
} from '../../server/src/engine/config';
import { lint, RULES } from '../../server/src/engine';

const RULE_CODES = RULES.map((rule) => rule.meta.code);
const HIGH_LR = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)\n';

/** A file system holding only the given files, so tests never touch the disk. */
function memoryFs(files: Record<string, string>): ConfigFileSystem {
  return { readText: (path) => files[path] };
}

function resolveWith(pyproject: string | undefined, request: Partial<ResolveConfigRequest> = {}) {
  const files: Record<string, string> = pyproject === undefined ? {} : { '/proj/pyproject.toml': pyproject };
  return resolveConfig({ filePath: '/proj/src/train.py', fileSystem: memoryFs(files), ruleCodes: RULE_CODES, ...request });
}

function codes(text: string, config: Parameters<typeof lint>[2]): string[] {
  return lint(text, 'train.py', config).violations.map((violation) => violation.code);
}

describe('defaults', () => {
  it('selects every rule with the documented thresholds', () => {
    expect(DEFAULT_CONFIG).toEqual({
      select: null,
      ignore: [],
      severity: {},
      learningRateThresholds: { adam: 1e-2, adamw: 1e-2, adamax: 1e-2, nadam: 1e-2, radam: 1e-2, rmsprop: 1e-2, lion: 1e-2, adagrad: 1e-1, sgd: 1.0 },
      clipping: 'recurrent',
    });
  });

  it('resolves to the defaults when there is no configuration file', () => {
    const resolved = resolveWith(undefined);
    expect(resolved).toMatchObject({ config: DEFAULT_CONFIG, exclude: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, fileTimeBudgetMs: DEFAULT_FILE_TIME_BUDGET_MS, configFile: null, problems: [] });
  });
});

describe('[tool.nanlint] keys', () => {
  it('select', () => {
    const { config } = resolveWith('[tool.nanlint]\nselect = ["NAN201", "NAN301"]\n');
    expect(config.select).toEqual(['NAN201', 'NAN301']);
  });

  it('select with a prefix or ALL expands to the full codes', () => {
    expect(resolveWith('[tool.nanlint]\nselect = ["NAN2"]\n').config.select).toEqual(RULE_CODES.filter((code) => code.startsWith('NAN2')));
    expect(resolveWith('[tool.nanlint]\nselect = ["ALL"]\n').config.select).toEqual(RULE_CODES);
  });

  it('ignore', () => {
    const { config } = resolveWith('[tool.nanlint]\nignore = ["NAN301"]\n');
    expect(config.ignore).toEqual(['NAN301']);
    expect(codes(HIGH_LR, config)).toEqual([]);
  });

  it('per-file-ignores applies to matching files only', () => {
    const pyproject = '[tool.nanlint.per-file-ignores]\n"tests/**/*.py" = ["NAN301"]\n"notebook_*.py" = ["NAN201"]\n';
    const files = memoryFs({ '/proj/pyproject.toml': pyproject });
    const at = (filePath: string) => resolveConfig({ filePath, fileSystem: files, ruleCodes: RULE_CODES }).config.ignore;
    expect(at('/proj/tests/unit/test_train.py')).toEqual(['NAN301']);
    expect(at('/proj/deep/notebook_1.py')).toEqual(['NAN201']);
    expect(at('/proj/src/train.py')).toEqual([]);
  });

  it('severity overrides one rule', () => {
    const { config } = resolveWith('[tool.nanlint]\nseverity = { NAN301 = "error" }\n');
    expect(config.severity).toEqual({ NAN301: 'error' });
    expect(lint(HIGH_LR, 'train.py', config).violations[0]?.severity).toBe('error');
  });

  it('learning-rate-thresholds merges over the defaults', () => {
    const { config } = resolveWith('[tool.nanlint.learning-rate-thresholds]\nadam = 0.1\n');
    expect(config.learningRateThresholds).toEqual({ ...DEFAULT_CONFIG.learningRateThresholds, adam: 0.1 });
    expect(codes(HIGH_LR, config)).toEqual([]);
  });

  it('clipping', () => {
    expect(resolveWith('[tool.nanlint]\nclipping = "always"\n').config.clipping).toBe('always');
  });

  it('exclude, relative to the folder of pyproject.toml', () => {
    const resolved = resolveWith('[tool.nanlint]\nexclude = ["build", "legacy/*.py"]\n');
    expect(resolved.exclude).toEqual(['build', 'legacy/*.py']);
    expect(resolved.root).toBe('/proj');
    expect(isExcluded('/proj/build/gen/model.py', resolved.exclude, resolved.root)).toBe(true);
    expect(isExcluded('/proj/legacy/old.py', resolved.exclude, resolved.root)).toBe(true);
    expect(isExcluded('/proj/legacy/sub/old.py', resolved.exclude, resolved.root)).toBe(false);
    expect(isExcluded('/proj/src/train.py', resolved.exclude, resolved.root)).toBe(false);
  });

  it('max-file-size and file-time-budget-ms', () => {
    const resolved = resolveWith('[tool.nanlint]\nmax-file-size = 1000\nfile-time-budget-ms = 250\n');
    expect(resolved.maxFileSize).toBe(1000);
    expect(resolved.fileTimeBudgetMs).toBe(250);
  });

  it('finds the nearest pyproject.toml that has a [tool.nanlint] table, walking up', () => {
    const files = memoryFs({
      '/proj/pyproject.toml': '[tool.nanlint]\nignore = ["NAN301"]\n',
      '/proj/src/pyproject.toml': '[project]\nname = "x"\n',
    });
    const resolved = resolveConfig({ filePath: '/proj/src/pkg/train.py', fileSystem: files, ruleCodes: RULE_CODES });
    expect(resolved.configFile).toBe('/proj/pyproject.toml');
    expect(resolved.config.ignore).toEqual(['NAN301']);
  });

  it('reads top-level keys from a --config file that is not pyproject.toml', () => {
    const files = memoryFs({ '/ci/nanlint.toml': 'ignore = ["NAN201"]\n' });
    const resolved = resolveConfig({ filePath: '/proj/train.py', configFile: '/ci/nanlint.toml', fileSystem: files, ruleCodes: RULE_CODES });
    expect(resolved.config.ignore).toEqual(['NAN201']);
    expect(resolved.configFile).toBe('/ci/nanlint.toml');
  });

  it('uses no file with noConfig', () => {
    const resolved = resolveWith('[tool.nanlint]\nignore = ["NAN301"]\n', { noConfig: true });
    expect(resolved.config.ignore).toEqual([]);
    expect(resolved.configFile).toBeNull();
  });
});

describe('editor settings and configurationPreference', () => {
  const pyproject = '[tool.nanlint]\nignore = ["NAN201"]\nclipping = "always"\nlearning-rate-thresholds = { adam = 0.5, sgd = 2.0 }\n';
  const editor = { ignore: ['NAN301'], learningRateThresholds: { adam: 0.05 } };

  it('editorFirst (the default): editor values win key by key, file values fill the rest', () => {
    const { config } = resolveWith(pyproject, { editor });
    expect(config.ignore).toEqual(['NAN301']);
    expect(config.clipping).toBe('always');
    expect(config.learningRateThresholds).toMatchObject({ adam: 0.05, sgd: 2.0, adagrad: 0.1 });
  });

  it('filesystemFirst: file values win, editor values fill the rest', () => {
    const { config } = resolveWith(pyproject, { editor: { ...editor, select: ['NAN301'] }, preference: 'filesystemFirst' });
    expect(config.ignore).toEqual(['NAN201']);
    expect(config.select).toEqual(['NAN301']);
    expect(config.learningRateThresholds).toMatchObject({ adam: 0.5, sgd: 2.0 });
  });

  it('editorOnly: the file is not read at all', () => {
    const resolved = resolveWith(`${pyproject}bogus = 1\n`, { editor, preference: 'editorOnly' });
    expect(resolved.config.ignore).toEqual(['NAN301']);
    expect(resolved.config.clipping).toBe('recurrent');
    expect(resolved.configFile).toBeNull();
    expect(resolved.problems).toEqual([]);
  });

  it('reports an unknown code in editor settings as an editor-settings problem and drops it', () => {
    const resolved = resolveWith(undefined, { editor: { select: ['NAN301', 'NAN998'] } });
    expect(resolved.config.select).toEqual(['NAN301']);
    expect(resolved.problems).toEqual([{ file: EDITOR_SETTINGS, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: "unknown rule code 'NAN998' in 'select'" }]);
  });
});

describe('broken configuration: exact message, position, and linting goes on', () => {
  const FILE = '/proj/pyproject.toml';

  function problemsOf(pyproject: string) {
    const resolved = resolveWith(pyproject);
    return { resolved, problems: resolved.problems.map((p) => ({ line: p.range.start.line, character: p.range.start.character, message: p.message, file: p.file })) };
  }

  it('bad TOML: points at the error and falls back to the defaults', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint]\nselect = ["NAN301"\nignore = []\n');
    expect(problems).toEqual([{ file: FILE, line: 2, character: 0, message: 'invalid TOML: expected comma or end of structure' }]);
    expect(resolved.config).toEqual(DEFAULT_CONFIG);
    expect(codes(HIGH_LR, resolved.config)).toEqual(['NAN301']);
  });

  it('unknown key: names it and keeps the valid keys', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint]\nselct = ["NAN201"]\nseverity = { NAN301 = "error" }\n');
    expect(problems).toEqual([
      { file: FILE, line: 1, character: 0, message: "unknown key 'selct' in [tool.nanlint] (known: select, ignore, per-file-ignores, severity, learning-rate-thresholds, clipping, exclude, max-file-size, file-time-budget-ms)" },
    ]);
    expect(resolved.config.severity).toEqual({ NAN301: 'error' });
    expect(lint(HIGH_LR, 'train.py', resolved.config).violations.map((v) => [v.code, v.severity])).toEqual([['NAN301', 'error']]);
  });

  it('wrong type: names the key and the expected type', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint]\nignore = "NAN301"\nclipping = true\n');
    expect(problems).toEqual([
      { file: FILE, line: 1, character: 0, message: "'ignore' must be a list of rule codes" },
      { file: FILE, line: 2, character: 0, message: `'clipping' must be "recurrent" or "always"` },
    ]);
    expect(codes(HIGH_LR, resolved.config)).toEqual(['NAN301']);
  });

  it('unknown rule code in a list: points at the code and keeps the known ones', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint]\nignore = [\n  "NAN201",\n  "NAN999",\n]\n');
    expect(problems).toEqual([{ file: FILE, line: 3, character: 2, message: "unknown rule code 'NAN999' in 'ignore'" }]);
    expect(resolved.config.ignore).toEqual(['NAN201']);
    expect(codes(HIGH_LR, resolved.config)).toEqual(['NAN301']);
  });

  it('unknown rule code in severity and a bad severity value', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint.severity]\nNAN999 = "error"\nNAN301 = "fatal"\n');
    expect(problems).toEqual([
      { file: FILE, line: 1, character: 0, message: "unknown rule code 'NAN999' in 'severity'" },
      { file: FILE, line: 2, character: 0, message: `'severity.NAN301' must be one of "error", "warning", "information", "hint"` },
    ]);
    expect(lint(HIGH_LR, 'train.py', resolved.config).violations[0]?.severity).toBe('warning');
  });

  it('bad learning-rate thresholds: unknown optimizer and non-positive value', () => {
    const { resolved, problems } = problemsOf('[tool.nanlint]\nlearning-rate-thresholds = { adamm = 0.1, sgd = -1 }\n');
    expect(problems.map((p) => p.message)).toEqual([
      "unknown optimizer 'adamm' in 'learning-rate-thresholds' (known: adam, adamw, adamax, nadam, radam, rmsprop, lion, adagrad, sgd, adadelta, lbfgs)",
      "'learning-rate-thresholds.sgd' must be a positive number",
    ]);
    expect(problems.map((p) => [p.line, p.character])).toEqual([
      [1, 29],
      [1, 42],
    ]);
    expect(resolved.config.learningRateThresholds).toEqual(DEFAULT_CONFIG.learningRateThresholds);
  });

  it('bad limits', () => {
    const { problems } = problemsOf('[tool.nanlint]\nmax-file-size = "5MB"\nfile-time-budget-ms = 0\nexclude = [1]\n');
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, "'max-file-size' must be a positive whole number of bytes"],
      [2, "'file-time-budget-ms' must be a positive whole number of milliseconds"],
      [3, "'exclude' must be a list of glob strings"],
    ]);
  });

  it('a pyproject.toml that exists but cannot be read is reported, not skipped', () => {
    const denied: ConfigFileSystem = {
      readText: (path) => {
        if (path === '/proj/pyproject.toml') throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return path === '/pyproject.toml' ? '[tool.nanlint]\nignore = ["NAN301"]\n' : undefined;
      },
    };
    const resolved = resolveConfig({ filePath: '/proj/src/train.py', fileSystem: denied, ruleCodes: RULE_CODES });
    expect(resolved.problems.map((p) => [p.file, p.message])).toEqual([['/proj/pyproject.toml', 'cannot read configuration file: permission denied']]);
    expect(resolved.config.ignore).toEqual([]);
  });

  it('a --config file that cannot be read is one problem at the top of it', () => {
    const resolved = resolveConfig({ filePath: '/proj/train.py', configFile: '/nowhere.toml', fileSystem: memoryFs({}), ruleCodes: RULE_CODES });
    expect(resolved.problems).toEqual([{ file: '/nowhere.toml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'cannot read configuration file: no such file' }]);
    expect(resolved.config).toEqual(DEFAULT_CONFIG);
  });
});

describe('selectors and globs', () => {
  it('expands exact codes, prefixes and ALL, case-insensitively, and nothing else', () => {
    expect(expandCode('nan301', RULE_CODES)).toEqual(['NAN301']);
    expect(expandCode('NAN', RULE_CODES)).toEqual(RULE_CODES);
    expect(expandCode('E501', RULE_CODES)).toEqual([]);
    expect(expandCode('NAN999', RULE_CODES)).toEqual([]);
  });

  it('translates ** across folders and * within one name', () => {
    expect(globToRegExp('a/**/b.py').test('a/b.py')).toBe(true);
    expect(globToRegExp('a/**/b.py').test('a/x/y/b.py')).toBe(true);
    expect(globToRegExp('a/*.py').test('a/x/b.py')).toBe(false);
    expect(globToRegExp('[!_]*.py').test('_private.py')).toBe(false);
    expect(globToRegExp('file?.py').test('file1.py')).toBe(true);
  });
});
