import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');

describe('.pre-commit-hooks.yaml', () => {
  const hooks = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  const field = (name: string): string | undefined => new RegExp(`^\\s*-?\\s*${name}:\\s*(.+)$`, 'm').exec(hooks)?.[1]?.trim();

  it('declares the nanlint hook as a node hook over Python files and notebooks', () => {
    expect(field('id')).toBe('nanlint');
    expect(field('language')).toBe('node');
    expect(field('types_or')).toBe('[python, jupyter]');
  });

  it('runs the check command of the bin that package.json installs', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const [command, subcommand] = (field('entry') ?? '').split(' ');
    expect(Object.keys(manifest.bin)).toContain(command);
    expect(subcommand).toBe('check');
  });
});
