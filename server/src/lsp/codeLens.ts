/**
 * Code lenses "Reproduce on sample model" above each line whose finding the reproduction runner can
 * demonstrate (a training step, optimizer, clip, loss or preprocessing line with a diagnostic). The
 * lens runs `nanlint.reproduce` with `[uri, line]` (0-based line), the form the VS Code command takes
 * and the server command accepts. Files only: a notebook cell's
 * lines are not the lines the extraction sees.
 */
import { z } from 'zod';
import type { CodeLens } from 'vscode-languageserver';
import { LineIndex, REPRODUCIBLE_CODES, type Violation } from '../engine';
import { CLIENT_COMMANDS } from '../protocol/messages';
import { guardRequest } from './guard';
import { textDocumentIdentifierSchema } from './params';
import type { NanlintServer, ServerExtension } from './server';

export const REPRODUCE_LENS_TITLE = 'Reproduce on sample model';

/** One lens per line that carries a reproducible finding, in line order. */
export function reproduceCodeLenses(uri: string, text: string, violations: readonly Violation[]): CodeLens[] {
  const index = new LineIndex(text);
  const lines = new Set<number>();
  for (const violation of violations) {
    if (REPRODUCIBLE_CODES.has(violation.code)) lines.add(index.positionAt(violation.start).line);
  }
  return [...lines]
    .sort((a, b) => a - b)
    .map((line) => {
      return {
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        command: { title: REPRODUCE_LENS_TITLE, command: CLIENT_COMMANDS.reproduce.id, arguments: [uri, line] },
      };
    });
}

async function lensesFor(server: NanlintServer, uri: string): Promise<CodeLens[]> {
  const outcome = await server.lint(uri);
  if (outcome.subject.kind !== 'file' || outcome.result === undefined) return [];
  return reproduceCodeLenses(uri, outcome.text, outcome.result.violations);
}

/**
 * Answers `textDocument/codeLens`. The server must advertise `codeLensProvider: { resolveProvider: false }`
 * in its initialize result for clients to ask.
 */
export function codeLensExtension(): ServerExtension {
  return (server) => {
    server.connection.onCodeLens(
      guardRequest(server.log, 'textDocument/codeLens', z.object({ textDocument: textDocumentIdentifierSchema }), (params) => lensesFor(server, params.textDocument.uri)),
    );
  };
}
