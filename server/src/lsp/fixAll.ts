/**
 * `source.fixAll.nanlint`: re-lint the current text and apply fixes to convergence, then send the
 * difference as edits. Edits from an older lint are never stitched together (vscode-eslint's issue 1745
 * shows how that goes wrong): every round starts from the text the previous round produced.
 */
import type { CancellationToken } from 'vscode-languageserver';
import { applyEdits, changedSpan, lint, LineIndex, stillReported, type Edit, type Fix, type LintConfig, type LintResult, type Violation } from '../engine';
import { buildVirtualNotebook, type CellKind, type VirtualNotebook } from '../engine/notebook';
import type { DocumentChange } from './diagnostics';
import { failRequestIfAborted, type EngineHost } from './engineProcess';
import { throwIfCancelled } from './guard';
import { analysedKind } from './notebooks';
import type { LintSubject, NotebookSubject } from './subjects';

const MAX_NOTEBOOK_ROUNDS = 100;

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

/**
 * Notebooks: the engine lints the joined cells, but every edit must land in one cell, so the rounds
 * happen here, one fix at a time, on the cell texts (masking keeps offsets, so a virtual offset minus
 * the cell's start is an offset in the real cell); a fix that would add a syntax error is skipped.
 */
export function fixCellTexts(cells: readonly { kind: CellKind; text: string }[], path: string, config: LintConfig, unsafe: boolean): string[] {
  let current = cells.map((cell) => cell.text);
  const virtualOf = (texts: readonly string[]): VirtualNotebook => buildVirtualNotebook(texts.map((source, index) => ({ kind: cells[index]?.kind ?? 'markdown', source })));
  const rejected = new Set<string>();
  let result: LintResult | undefined;
  for (let round = 0; round < MAX_NOTEBOOK_ROUNDS; round++) {
    const virtual = virtualOf(current);
    result ??= lint(virtual.text, path, config);
    const candidate = result.violations.find((violation): violation is Violation & { fix: Fix } => {
      const fix = violation.fix;
      if (!fix || fix.edits.length === 0 || rejected.has(fixKey(violation))) return false;
      return fix.applicability === 'safe' || (unsafe && fix.applicability === 'unsafe');
    });
    if (!candidate) break;
    const next = applyInCells(virtual, current, candidate.fix.edits, candidate.start);
    const fixed = next && virtualOf(next).text;
    const fixedResult = fixed !== undefined && fixed !== virtual.text ? lint(fixed, path, config) : undefined;
    // Skipped: a fix that crosses cells, changes nothing, adds a syntax error (or a text too slow to parse),
    // or leaves its finding in place.
    if (!next || !fixedResult || fixedResult.notAnalysed !== undefined || fixedResult.syntaxErrors.length > result.syntaxErrors.length || stillReported(candidate, candidate.fix.edits, fixedResult)) {
      rejected.add(fixKey(candidate));
      continue;
    }
    current = next;
    result = fixedResult;
  }
  return current;
}

/** The cell texts with the edits of the finding at `findingAt` applied; undefined when an edit crosses a cell boundary. */
function applyInCells(virtual: VirtualNotebook, texts: readonly string[], edits: readonly Edit[], findingAt: number): string[] | undefined {
  const byCell = new Map<number, Edit[]>();
  for (const edit of edits) {
    const inCell = virtual.editToCell(edit, findingAt);
    if (!inCell) return undefined;
    const list = byCell.get(inCell.cellIndex) ?? [];
    list.push({ start: inCell.start, end: inCell.end, content: inCell.content });
    byCell.set(inCell.cellIndex, list);
  }
  const next = [...texts];
  for (const [cellIndex, cellEdits] of byCell) next[cellIndex] = applyEdits(next[cellIndex] ?? '', cellEdits);
  return next;
}

function fixKey(violation: Violation): string {
  return `${violation.code}:${violation.start}:${violation.end}:${violation.fix?.title ?? ''}`;
}

/** One LSP edit replacing only what differs between the two texts. */
export function minimalEdit(before: string, after: string): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string } {
  const { start, end, content } = changedSpan(before, after);
  const lines = new LineIndex(before);
  return { range: { start: lines.positionAt(start), end: lines.positionAt(end) }, newText: content };
}
