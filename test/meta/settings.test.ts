import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, SETTINGS } from '../../server/src/protocol/settings';

interface ContributedSetting {
  type: string | string[];
  default: unknown;
  scope?: string;
  enum?: unknown[];
  markdownDescription?: string;
  description?: string;
}

const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
};
const contributed = manifest.contributes.configuration.properties;
const specs = Object.values(SETTINGS);

describe('settings in package.json and protocol/settings.ts', () => {
  it('contributes exactly the settings the server reads', () => {
    expect(Object.keys(contributed).sort()).toEqual(specs.map((spec) => `nanlint.${spec.key}`).sort());
  });

  it.each(specs.map((spec) => [spec.key, spec] as const))('nanlint.%s has the same default and description, and resource scope', (key, spec) => {
    const setting = contributed[`nanlint.${key}`];
    expect(setting?.default).toEqual(spec.default);
    expect(spec.schema.safeParse(setting?.default).success).toBe(true);
    expect(setting?.scope).toBe('resource');
    expect(setting?.markdownDescription).toBe(spec.description);
  });

  it.each(specs.filter((spec) => contributed[`nanlint.${spec.key}`]?.enum).map((spec) => [spec.key, spec] as const))(
    'nanlint.%s accepts every value its enum offers and nothing else',
    (key, spec) => {
      const values = contributed[`nanlint.${key}`]?.enum ?? [];
      for (const value of values) expect(spec.schema.safeParse(value).success, `${String(value)}`).toBe(true);
      expect(spec.schema.safeParse('not-an-option').success).toBe(false);
    },
  );

  it('reads the defaults when the editor sends nothing, and nested keys where VS Code nests them', () => {
    expect(parseSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
    expect(parseSettings({ fixAll: { unsafe: true }, trace: { server: 'verbose' } }).settings).toMatchObject({ fixAllUnsafe: true, traceServer: 'verbose' });
  });
});
