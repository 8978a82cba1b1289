/**
 * `source.fixAll.nanlint`: re-lint the current text and apply fixes to convergence, then send the
 * difference as edits. Edits from an older lint are never stitched together (vscode-eslint's issue 1745
 * shows how that goes wrong): every round starts from the text the previous round produced.
 */
import type { CancellationToken } from 'vscode-languageserver';
import { changedSpan, LineIndex, type LintConfig } from '../engine';
import type { CellKind } from '../engine/notebook';
import { applyNotebookFixes } from '../engine/notebookFixes';
import type { DocumentChange } from './diagnostics';
import { failRequestIfAborted, type EngineHost } from './engineProcess';
import { throwIfCancelled } from './guard';
import { analysedKind } from './notebooks';
import type { LintSubject, NotebookSubject } from './subjects';

export interface FixAllRequest {
  subject: LintSubject;
  config: LintConfig;
  unsafe: boolean;
  /** Where the fixing runs, and how long it may take (the file's time budget). */
  engine: EngineHost;
  budgetMs: number;
  token?: CancellationToken;
}

/** The edits that bring every target document of the subject to its fixed text; empty when nothing applies. */
export async function fixAllChanges(request: FixAllRequest): Promise<DocumentChange[]> {
  return changesOfFixAll(request).catch(failRequestIfAborted('fix all'));
}

async function changesOfFixAll(request: FixAllRequest): Promise<DocumentChange[]> {
  const { subject, engine, budgetMs } = request;
  const path = subject.path ?? subject.ownerUri;
  if (subject.kind === 'notebook') {
    const cells = (subject as NotebookSubject).notebook.cells;
    const before = cells.map((cell) => ({ kind: analysedKind(cell), text: cell.document.text }));
    const after = await engine.run('fixCells', { cells: before, path, config: request.config, unsafe: request.unsafe }, budgetMs);
    throwIfCancelled(request.token);
    const changes: DocumentChange[] = [];
    cells.forEach((cell, index) => {
      const original = before[index]?.text ?? '';
      const fixed = after[index] ?? original;
      if (fixed !== original) changes.push({ uri: cell.uri, version: cell.version, edits: [minimalEdit(original, fixed)] });
    });
    return changes;
  }
  const before = subject.text;
  const after = await engine.run('fixText', { text: before, path, config: request.config, unsafe: request.unsafe }, budgetMs);
  throwIfCancelled(request.token);
  if (after === before) return [];
  const uri = subject.targetUris()[0] ?? subject.ownerUri;
  return [{ uri, version: subject.versionOf(uri) ?? null, edits: [minimalEdit(before, after)] }];
}

/** A notebook's cell texts with its fixes applied (engine/notebookFixes.ts): every edit lands in one cell. */
export function fixCellTexts(cells: readonly { kind: CellKind; text: string }[], path: string, config: LintConfig, unsafe: boolean): string[] {
  const fixed = applyNotebookFixes(cells.map(({ kind, text }) => ({ kind, source: text })), path, config, { unsafe });
  return fixed.subject.cells.map((cell) => cell.source);
}

/** One LSP edit replacing only what differs between the two texts. */
export function minimalEdit(before: string, after: string): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string } {
  const { start, end, content } = changedSpan(before, after);
  const lines = new LineIndex(before);
  return { range: { start: lines.positionAt(start), end: lines.positionAt(end) }, newText: content };
}
