/**
 * What gets linted for a URI the editor talks about: a Python file, or the whole notebook a cell belongs
 * to. Both expose the same surface (text, version, where a span lands in the editor), so diagnostics,
 * code actions and hover do not care which one they have.
 */
import { fileURLToPath } from 'node:url';
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import type { Edit, Span } from '../engine';
import type { OpenTextDocument } from './documents';
import type { OpenNotebook } from './notebooks';

export interface EditorLocation {
  uri: string;
  range: Range;
}

export interface LintSubject {
  readonly kind: 'file' | 'notebook';
  /** The file's URI, or the notebook's for a cell: the key linting results and settings are kept under. */
  readonly ownerUri: string;
  /** The document version, or the notebook version (it moves with every cell edit). */
  readonly version: number;
  /** File-system path used to find pyproject.toml; undefined for documents that are not files. */
  readonly path: string | undefined;
  /** The text the engine lints: the file, or the notebook's joined and masked code cells. */
  readonly text: string;
  /** The URIs diagnostics land on: the file itself, or each code cell. */
  targetUris(): string[];
  /** Where a span of `text` is in the editor; a span crossing cells is cut at its cell's end. */
  locate(span: Span): EditorLocation | undefined;
  /**
   * An edit of `text` as an edit of one target document, for the fix of the finding at `findingAt`;
   * undefined when it does not fit inside one document (the separator between cells is in none).
   */
  locateEdit(edit: Edit, findingAt: number): { uri: string; edit: TextEdit } | undefined;
  /** The offset in `text` of a position in one of the target documents. */
  offsetAt(uri: string, position: Position): number | undefined;
  /** The version of one target document, for versioned workspace edits. */
  versionOf(uri: string): number | undefined;
}

export class FileSubject implements LintSubject {
  readonly kind = 'file';

  constructor(private readonly open: OpenTextDocument) {}

  get ownerUri(): string {
    return this.open.uri;
  }

  get version(): number {
    return this.open.version;
  }

  get path(): string | undefined {
    return filePathOf(this.open.uri);
  }

  get text(): string {
    return this.open.document.text;
  }

  targetUris(): string[] {
    return [this.open.uri];
  }

  locate(span: Span): EditorLocation {
    const lines = this.open.document.lineIndex;
    return { uri: this.open.uri, range: { start: lines.positionAt(span.start), end: lines.positionAt(span.end) } };
  }

  locateEdit(edit: Edit): { uri: string; edit: TextEdit } {
    const { uri, range } = this.locate(edit);
    return { uri, edit: { range, newText: edit.content } };
  }

  offsetAt(uri: string, position: Position): number | undefined {
    return uri === this.open.uri ? this.open.document.lineIndex.offsetAt(position) : undefined;
  }

  versionOf(uri: string): number | undefined {
    return uri === this.open.uri ? this.open.version : undefined;
  }
}

export class NotebookSubject implements LintSubject {
  readonly kind = 'notebook';

  constructor(readonly notebook: OpenNotebook) {}

  get ownerUri(): string {
    return this.notebook.uri;
  }

  get version(): number {
    return this.notebook.version;
  }

  get path(): string | undefined {
    return filePathOf(this.notebook.uri);
  }

  get text(): string {
    return this.notebook.virtual.text;
  }

  targetUris(): string[] {
    return this.notebook.cells.filter((cell) => cell.kind === 'code').map((cell) => cell.uri);
  }

  locate(span: Span): EditorLocation | undefined {
    const virtual = this.notebook.virtual;
    const inCell = virtual.spanToCell(span.start, span.end);
    const at = inCell ? { cellIndex: inCell.cellIndex, offset: inCell.start } : virtual.toCell(span.start);
    const cell = at && this.notebook.cells[at.cellIndex];
    if (!at || !cell) return undefined;
    const lines = cell.document.lineIndex;
    const end = inCell ? inCell.end : cell.document.text.length;
    return { uri: cell.uri, range: { start: lines.positionAt(at.offset), end: lines.positionAt(end) } };
  }

  locateEdit(edit: Edit, findingAt: number): { uri: string; edit: TextEdit } | undefined {
    const inCell = this.notebook.virtual.editToCell(edit, findingAt);
    const cell = inCell && this.notebook.cells[inCell.cellIndex];
    if (!inCell || !cell) return undefined;
    const lines = cell.document.lineIndex;
    return { uri: cell.uri, edit: { range: { start: lines.positionAt(inCell.start), end: lines.positionAt(inCell.end) }, newText: inCell.content } };
  }

  offsetAt(uri: string, position: Position): number | undefined {
    const index = this.notebook.cellIndexOf(uri);
    const cell = this.notebook.cells[index];
    if (!cell) return undefined;
    return this.notebook.virtual.toVirtual(index, cell.document.lineIndex.offsetAt(position));
  }

  versionOf(uri: string): number | undefined {
    return this.notebook.cells.find((cell) => cell.uri === uri)?.version;
  }
}

/** The file-system path of a `file:` URI; other schemes (untitled, remote) have none. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
