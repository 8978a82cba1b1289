/**
 * Jupyter notebooks through LSP notebook document sync: the cells of each open notebook, in order, and
 * the virtual Python document their code cells make together (engine/notebook.ts joins and masks them),
 * so a fact from one cell (the optimizer) reaches a rule firing in another (the training loop).
 */
import { NotebookCellKind } from 'vscode-languageserver';
import { buildVirtualNotebook, type CellKind, type VirtualNotebook } from '../engine/notebook';
import { IncrementalDocument } from '../engine/parse/document';
import { applyContentChanges } from './documents';
import type { DidChangeNotebookParam, NotebookCellParam, TextDocumentItemParam } from './params';

export interface NotebookCellState {
  readonly uri: string;
  kind: 'code' | 'markdown';
  languageId: string;
  version: number;
  readonly document: IncrementalDocument;
}

/** Python code cells are analysed; every other cell (markdown, another language) is masked. */
export function analysedKind(cell: Pick<NotebookCellState, 'kind' | 'languageId'>): CellKind {
  return cell.kind === 'code' && cell.languageId === 'python' ? 'code' : 'markdown';
}

export class OpenNotebook {
  private virtualCache: VirtualNotebook | undefined;

  constructor(
    readonly uri: string,
    readonly notebookType: string,
    public version: number,
    public cells: NotebookCellState[],
  ) {}

  /** The joined code cells, rebuilt after any change (notebooks are small; a rebuild is a string join). */
  get virtual(): VirtualNotebook {
    this.virtualCache ??= buildVirtualNotebook(this.cells.map((cell) => ({ kind: analysedKind(cell), source: cell.document.text })));
    return this.virtualCache;
  }

  invalidate(): void {
    this.virtualCache = undefined;
  }

  cellIndexOf(uri: string): number {
    return this.cells.findIndex((cell) => cell.uri === uri);
  }
}

export class NotebookStore {
  private readonly notebooks = new Map<string, OpenNotebook>();
  private readonly notebookOfCell = new Map<string, OpenNotebook>();

  open(uri: string, notebookType: string, version: number, cells: readonly NotebookCellParam[], texts: readonly TextDocumentItemParam[]): OpenNotebook {
    this.close(uri);
    const textByUri = new Map(texts.map((item) => [item.uri, item]));
    const notebook = new OpenNotebook(uri, notebookType, version, cells.map((cell) => cellState(cell, textByUri.get(cell.document))));
    this.notebooks.set(uri, notebook);
    for (const cell of notebook.cells) this.notebookOfCell.set(cell.uri, notebook);
    return notebook;
  }

  /**
   * Applies one `notebookDocument/didChange`: structure first (cells inserted or removed), then cell
   * kinds, then text edits. Returns the notebook and the cell URIs that left it, whose diagnostics must
   * be cleared; undefined for a notebook that is not open.
   */
  change(params: DidChangeNotebookParam): { notebook: OpenNotebook; removedCells: string[] } | undefined {
    const notebook = this.notebooks.get(params.notebookDocument.uri);
    if (!notebook) return undefined;
    const removedCells: string[] = [];
    const cellsChange = params.change.cells;
    const structure = cellsChange?.structure;
    if (structure) {
      const opened = new Map((structure.didOpen ?? []).map((item) => [item.uri, item]));
      const { start, deleteCount, cells = [] } = structure.array;
      const boundedStart = Math.min(start, notebook.cells.length);
      const inserted = cells.map((cell) => {
        const existing = notebook.cells.find((state) => state.uri === cell.document);
        return existing ?? cellState(cell, opened.get(cell.document));
      });
      const removed = notebook.cells.splice(boundedStart, deleteCount, ...inserted);
      for (const cell of removed) {
        if (!inserted.includes(cell)) {
          this.notebookOfCell.delete(cell.uri);
          removedCells.push(cell.uri);
        }
      }
      for (const cell of inserted) this.notebookOfCell.set(cell.uri, notebook);
    }
    for (const data of cellsChange?.data ?? []) {
      const cell = notebook.cells.find((state) => state.uri === data.document);
      if (cell) cell.kind = data.kind === NotebookCellKind.Code ? 'code' : 'markdown';
    }
    for (const content of cellsChange?.textContent ?? []) {
      const cell = notebook.cells.find((state) => state.uri === content.document.uri);
      if (!cell) continue;
      applyContentChanges(cell.document, content.changes);
      cell.version = content.document.version;
    }
    notebook.version = params.notebookDocument.version;
    notebook.invalidate();
    return { notebook, removedCells };
  }

  close(uri: string): OpenNotebook | undefined {
    const notebook = this.notebooks.get(uri);
    if (!notebook) return undefined;
    this.notebooks.delete(uri);
    for (const cell of notebook.cells) this.notebookOfCell.delete(cell.uri);
    return notebook;
  }

  get(uri: string): OpenNotebook | undefined {
    return this.notebooks.get(uri);
  }

  forCell(cellUri: string): OpenNotebook | undefined {
    return this.notebookOfCell.get(cellUri);
  }

  all(): IterableIterator<OpenNotebook> {
    return this.notebooks.values();
  }
}

function cellState(cell: NotebookCellParam, item: TextDocumentItemParam | undefined): NotebookCellState {
  return {
    uri: cell.document,
    kind: cell.kind === NotebookCellKind.Code ? 'code' : 'markdown',
    languageId: item?.languageId ?? 'python',
    version: item?.version ?? 0,
    document: new IncrementalDocument(item?.text ?? ''),
  };
}
