import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | string } };
};

describe('the VS Code extension manifest and bundle', () => {
  it('activates on Python files and Jupyter notebooks', () => {
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(['onLanguage:python', 'onNotebook:jupyter-notebook']));
  });

  it('declares support for untrusted (Restricted Mode) workspaces: the server only reads', () => {
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe(true);
  });

  it('points main at the built client bundle, which leaves the engine to the server process', () => {
    const bundle = resolve(root, manifest.main);
    expect(existsSync(bundle)).toBe(true);
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('require("vscode")');
    // The client starts dist/server.js; parsing and linting never run in the extension host.
    expect(code).not.toContain('require("tree-sitter")');
    expect(code).toContain('dist/server.js');
  });
});
