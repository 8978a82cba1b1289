import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CLIENT_COMMANDS, COMMAND_CATEGORY } from '../../server/src/protocol/messages';

const root = resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[]; menus?: Record<string, { command: string }[]> };
};

/** The keys of the COMMANDS object literal in client/src/commands.ts (that file imports vscode, so it is read, not run). */
function commandTableKeys(): string[] {
  const path = resolve(root, 'client/src/commands.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const keys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'COMMANDS' && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      for (const property of node.initializer.properties) if (property.name) keys.push(property.name.getText());
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return keys;
}

describe('commands in package.json, protocol/messages.ts and the COMMANDS table', () => {
  it('contributes exactly the commands in CLIENT_COMMANDS, with their titles and the nanlint category', () => {
    const expected = Object.values(CLIENT_COMMANDS).map(({ id, title }) => ({ command: id, title, category: COMMAND_CATEGORY }));
    const sortById = (a: { command: string }, b: { command: string }) => a.command.localeCompare(b.command);
    expect([...manifest.contributes.commands].sort(sortById)).toEqual(expected.sort(sortById));
  });

  it('registers a handler for every command and no other', () => {
    expect(commandTableKeys().sort()).toEqual(Object.keys(CLIENT_COMMANDS).sort());
  });

  it('only names contributed commands in menus', () => {
    const ids = new Set(manifest.contributes.commands.map((command) => command.command));
    for (const entries of Object.values(manifest.contributes.menus ?? {})) for (const entry of entries) expect(ids).toContain(entry.command);
  });
});
