import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const serverSource = resolve(__dirname, '../../server/src');

/** Each relative import of the TypeScript files under `folder`, as `importer → imported folder/file` (paths from server/src). */
function relativeImports(folder: string): { importer: string; imported: string }[] {
  const files = readdirSync(resolve(serverSource, folder), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const path = resolve(serverSource, folder, file);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, false);
    return source.statements.flatMap((statement) => {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return [];
      return [{ importer: relative(serverSource, path), imported: relative(serverSource, resolve(dirname(path), specifier.text)) }];
    });
  });
}

const into = (folders: string[]) => (edge: { imported: string }) => folders.some((folder) => edge.imported === folder || edge.imported.startsWith(`${folder}/`));

describe('layers of the server source', () => {
  it('the language server imports nothing from the command line and the engine imports no face', () => {
    expect(relativeImports('lsp').filter(into(['cli']))).toEqual([]);
    expect(relativeImports('engine').filter(into(['cli', 'lsp', 'reproduce', 'server', 'reproWorker']))).toEqual([]);
  });

  it('the worker process knows no engine and no face: the CLI and the language server both build on it', () => {
    expect(relativeImports('workers').filter(into(['engine', 'cli', 'lsp', 'reproduce', 'protocol', 'server']))).toEqual([]);
  });
});
