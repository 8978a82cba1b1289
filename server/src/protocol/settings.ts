/**
 * The editor settings (`nanlint.*`), shared by the VS Code client, the language server and the meta test
 * that keeps package.json's `contributes.configuration` in step with this table. The server reads them per
 * resource through `workspace/configuration`; every value is validated here, key by key, so one wrong
 * value falls back to its default and the rest still apply.
 */
import { z } from 'zod';

const severity = z.enum(['error', 'warning', 'information', 'hint']);
const codeList = z.array(z.string());

export type ConfigurationPreferenceSetting = 'editorFirst' | 'filesystemFirst' | 'editorOnly';

export interface Settings {
  enable: boolean;
  /** Rule codes or prefixes that run; null leaves the choice to pyproject.toml (or every rule). */
  select: string[] | null;
  ignore: string[];
  perFileIgnores: Record<string, string[]>;
  exclude: string[];
  severity: Record<string, 'error' | 'warning' | 'information' | 'hint'>;
  learningRateThresholds: Record<string, number>;
  /** null leaves the choice to pyproject.toml (or the default, 'recurrent'). */
  clipping: 'recurrent' | 'always' | null;
  /** null leaves it to pyproject.toml (or the default, 5 MiB). */
  maxFileSize: number | null;
  /** null leaves it to pyproject.toml (or the default, 10 s). */
  fileTimeBudgetMs: number | null;
  fixAllUnsafe: boolean;
  reportUnusedNoqa: boolean;
  configurationPreference: ConfigurationPreferenceSetting;
  traceServer: 'off' | 'messages' | 'verbose';
}

export interface SettingSpec<T> {
  /** The key under `nanlint.` in VS Code's settings, dotted where the setting is nested. */
  key: string;
  schema: z.ZodType<T>;
  default: T;
  description: string;
}

export type SettingsTable = { [K in keyof Settings]: SettingSpec<Settings[K]> };

export const SETTINGS: SettingsTable = {
  enable: {
    key: 'enable',
    schema: z.boolean(),
    default: true,
    description: 'Lint Python files and notebooks with nanlint.',
  },
  select: {
    key: 'select',
    schema: codeList.nullable(),
    default: null,
    description: 'Rule codes or prefixes to run (e.g. `["NAN2", "NAN301"]`). `null` leaves it to pyproject.toml, or runs every rule.',
  },
  ignore: {
    key: 'ignore',
    schema: codeList,
    default: [],
    description: 'Rule codes or prefixes never reported.',
  },
  perFileIgnores: {
    key: 'perFileIgnores',
    schema: z.record(z.string(), codeList),
    default: {},
    description: 'Glob → rule codes ignored in matching files; globs are relative to the folder of the pyproject.toml in use, or to the file\'s folder.',
  },
  exclude: {
    key: 'exclude',
    schema: z.array(z.string()),
    default: [],
    description: 'Globs of files and folders that are never linted, relative to the folder of the pyproject.toml in use (or the file\'s folder).',
  },
  severity: {
    key: 'severity',
    schema: z.record(z.string(), severity),
    default: {},
    description: 'Rule code → severity (`error`, `warning`, `information`, `hint`), overriding the rule default.',
  },
  learningRateThresholds: {
    key: 'learningRateThresholds',
    schema: z.record(z.string(), z.number().positive()),
    default: {},
    description: 'Optimizer family (lower-case class name, e.g. `adam`) → learning rate at or above which NAN301 fires.',
  },
  clipping: {
    key: 'clipping',
    schema: z.enum(['recurrent', 'always']).nullable(),
    default: null,
    description: 'When NAN201 asks for gradient clipping: `recurrent` (models with recurrent layers) or `always`. `null` leaves it to pyproject.toml.',
  },
  maxFileSize: {
    key: 'maxFileSize',
    schema: z.number().int().positive().nullable(),
    default: null,
    description: 'Files larger than this many bytes (UTF-8) are not linted. `null` leaves it to pyproject.toml `max-file-size`, or 5 MiB.',
  },
  fileTimeBudgetMs: {
    key: 'fileTimeBudgetMs',
    schema: z.number().int().positive().nullable(),
    default: null,
    description: 'A lint, fix all or reproduction setup that runs longer than this many milliseconds on one file is stopped and reported. `null` leaves it to pyproject.toml `file-time-budget-ms`, or 10 000.',
  },
  fixAllUnsafe: {
    key: 'fixAll.unsafe',
    schema: z.boolean(),
    default: false,
    description: 'Let `source.fixAll.nanlint` and "nanlint: Fix All" apply unsafe fixes too (they may change what the code computes).',
  },
  reportUnusedNoqa: {
    key: 'reportUnusedNoqa',
    schema: z.boolean(),
    default: false,
    description: 'Report `# noqa: NAN…` and `# nanlint: disable=…` directives that suppress nothing.',
  },
  configurationPreference: {
    key: 'configurationPreference',
    schema: z.enum(['editorFirst', 'filesystemFirst', 'editorOnly']),
    default: 'editorFirst',
    description: 'Which wins when both these settings and pyproject.toml `[tool.nanlint]` set a key: the editor, the file, or the editor alone (pyproject.toml ignored).',
  },
  traceServer: {
    key: 'trace.server',
    schema: z.enum(['off', 'messages', 'verbose']),
    default: 'off',
    description: 'Traces the communication between VS Code and the nanlint language server.',
  },
};

export const DEFAULT_SETTINGS: Settings = Object.fromEntries(
  Object.entries(SETTINGS).map(([name, spec]) => [name, spec.default]),
) as unknown as Settings;

export interface ParsedSettings {
  settings: Settings;
  /** One line per ignored value or unknown key, for the server's log. */
  problems: string[];
}

/**
 * Reads the object the editor returns for the `nanlint` section (dotted keys arrive nested:
 * `{ fixAll: { unsafe: true } }`). Invalid values fall back to their defaults, unknown keys are reported.
 */
export function parseSettings(raw: unknown): ParsedSettings {
  const settings: Record<string, unknown> = {};
  const problems: string[] = [];
  const section = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) problems.push(`nanlint settings must be an object, got ${describe(raw)}`);
  for (const [name, spec] of Object.entries(SETTINGS) as [keyof Settings, SettingSpec<unknown>][]) {
    const value = valueAt(section, spec.key.split('.'));
    if (value === undefined) {
      settings[name] = spec.default;
      continue;
    }
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) settings[name] = parsed.data;
    else {
      settings[name] = spec.default;
      problems.push(`ignoring nanlint.${spec.key} = ${describe(value)}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    }
  }
  for (const key of unknownKeys(section, '')) problems.push(`ignoring unknown setting nanlint.${key}`);
  return { settings: settings as unknown as Settings, problems };
}

const KNOWN_KEYS = Object.values(SETTINGS).map((spec) => spec.key);

function unknownKeys(section: Record<string, unknown>, prefix: string): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    const path = prefix + key;
    if (KNOWN_KEYS.includes(path)) continue;
    if (isRecord(value) && KNOWN_KEYS.some((known) => known.startsWith(`${path}.`))) found.push(...unknownKeys(value, `${path}.`));
    else found.push(path);
  }
  return found;
}

function valueAt(section: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = section;
  for (const part of path) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
