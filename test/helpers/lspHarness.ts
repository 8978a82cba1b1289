/**
 * A real LSP client for tests: it talks JSON-RPC to the nanlint server over streams, either in this
 * process (the NanlintServer class on an in-memory stream pair) or as a child process
 * (`node dist/server.js --stdio`). It answers the server's requests the way an editor does
 * (configuration, applyEdit, refresh) and keeps its own copy of each open document's text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type {
  ApplyWorkspaceEditParams,
  CodeAction,
  Diagnostic,
  DocumentDiagnosticReport,
  Hover,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/engine/positions';
import { runServer } from '../../server/src/lsp/server';
import type { StatusParams } from '../../server/src/protocol/messages';

export interface HarnessOptions {
  /** Pull diagnostics (`textDocument/diagnostic`) when true, push (`publishDiagnostics`) when false. */
  pull?: boolean;
  /** The `nanlint` settings section the client answers `workspace/configuration` with. */
  settings?: Record<string, unknown>;
  /** Run the bundled server in a child process instead of the server class in this process. */
  spawn?: boolean;
  /** The child's arguments after `node` (default `dist/server.js --stdio`); relative to the repository. */
  spawnArgs?: string[];
  /** Advertise codeAction/resolve support for `edit` (VS Code does). */
  resolveSupport?: boolean;
  workspaceFolder?: string;
  initializationOptions?: unknown;
}

export interface OpenDoc {
  text: string;
  version: number;
}

export interface NotebookCellSpec {
  kind?: 'code' | 'markdown';
  text: string;
}

const REPO = resolve(__dirname, '..', '..');

export class LspTestClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly docs = new Map<string, OpenDoc>();
  readonly configurationRequests: unknown[] = [];
  refreshRequests = 0;
  settings: Record<string, unknown>;
  initializeResult: InitializeResult | undefined;
  private readonly events = new EventEmitter();
  private readonly notebookVersions = new Map<string, number>();
  private readonly notebookCells = new Map<string, string[]>();

  private constructor(
    readonly connection: MessageConnection,
    readonly options: HarnessOptions,
    private readonly stop: () => Promise<void>,
    readonly child: ChildProcess | undefined,
  ) {
    this.settings = options.settings ?? {};
    this.events.setMaxListeners(0);
  }

  static async start(options: HarnessOptions = {}): Promise<LspTestClient> {
    let client: LspTestClient;
    if (options.spawn) {
      const [script = 'dist/server.js', ...args] = options.spawnArgs ?? ['dist/server.js', '--stdio'];
      const child = spawn(process.execPath, [resolve(REPO, script), ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
      const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      client = new LspTestClient(connection, options, async () => {
        connection.dispose();
        if (child.exitCode === null) child.kill();
      }, child);
    } else {
      const toServer = new PassThrough();
      const toClient = new PassThrough();
      const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
      runServer(serverConnection);
      const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
      client = new LspTestClient(connection, options, async () => {
        connection.dispose();
        serverConnection.dispose();
        toServer.end();
        toClient.end();
      }, undefined);
    }
    client.listen();
    await client.initialize();
    return client;
  }

  private listen(): void {
    const { connection } = this;
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      this.events.emit('message');
    });
    connection.onNotification('nanlint/status', (params: StatusParams) => {
      this.statuses.push(params);
      this.events.emit('message');
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
      this.events.emit('message');
    });
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) => {
      this.configurationRequests.push(params);
      this.events.emit('message');
      return params.items.map((item) => (item.section === 'nanlint' ? this.settings : null));
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      this.events.emit('message');
      return null;
    });
    connection.onRequest('workspace/applyEdit', async (params: ApplyWorkspaceEditParams) => {
      this.appliedEdits.push(params);
      await this.applyEdit(params.edit);
      this.events.emit('message');
      return { applied: true };
    });
    connection.listen();
  }

  private async initialize(): Promise<void> {
    const pull = this.options.pull ?? true;
    const folder = this.options.workspaceFolder ?? REPO;
    this.initializeResult = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: null,
      rootUri: fileUri(folder),
      workspaceFolders: [{ uri: fileUri(folder), name: 'workspace' }],
      initializationOptions: this.options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          applyEdit: true,
          ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            dataSupport: true,
            ...(this.options.resolveSupport ? { resolveSupport: { properties: ['edit'] } } : {}),
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        },
        notebookDocument: { synchronization: { dynamicRegistration: false } },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves once `condition` returns something other than undefined/false; re-checked on every message. */
  waitFor<T>(condition: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const check = (): boolean => {
        const value = condition();
        if (value === undefined || value === false) return false;
        cleanup();
        resolvePromise(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('message', check);
      };
      if (!check()) this.events.on('message', check);
    });
  }

  async open(uri: string, text: string, languageId = 'python'): Promise<void> {
    this.docs.set(uri, { text, version: 1 });
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends one incremental change and updates the local copy the same way an editor does. */
  async edit(uri: string, range: Range, newText: string): Promise<number> {
    const doc = this.mustGet(uri);
    doc.text = applyTextEdits(doc.text, [{ range, newText }]);
    doc.version++;
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: doc.version },
      contentChanges: [{ range, text: newText }],
    });
    return doc.version;
  }

  /** Replaces the first occurrence of `search` in the document through an incremental change. */
  async replace(uri: string, search: string, replacement: string): Promise<number> {
    const doc = this.mustGet(uri);
    const start = doc.text.indexOf(search);
    if (start === -1) throw new Error(`'${search}' is not in ${uri}`);
    const lines = new LineIndex(doc.text);
    return this.edit(uri, { start: lines.positionAt(start), end: lines.positionAt(start + search.length) }, replacement);
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Opens a notebook whose cells get URIs `<notebook>#cellN` (N counted from 1); returns the cell URIs. */
  async openNotebook(uri: string, cells: readonly NotebookCellSpec[]): Promise<string[]> {
    const cellUris = cells.map((_, index) => `${uri.replace(/^file:/, 'vscode-notebook-cell:')}#cell${index + 1}`);
    cells.forEach((cell, index) => this.docs.set(cellUris[index] ?? '', { text: cell.text, version: 1 }));
    this.notebookVersions.set(uri, 1);
    this.notebookCells.set(uri, cellUris);
    await this.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: cells.map((cell, index) => ({ kind: cell.kind === 'markdown' ? 1 : 2, document: cellUris[index] })),
      },
      cellTextDocuments: cells.map((cell, index) => ({
        uri: cellUris[index],
        languageId: cell.kind === 'markdown' ? 'markdown' : 'python',
        version: 1,
        text: cell.text,
      })),
    });
    return cellUris;
  }

  /** Sends an incremental change to one cell through `notebookDocument/didChange`. */
  async editCell(notebookUri: string, cellUri: string, range: Range, newText: string): Promise<void> {
    const doc = this.mustGet(cellUri);
    doc.text = applyTextEdits(doc.text, [{ range, newText }]);
    doc.version++;
    const version = (this.notebookVersions.get(notebookUri) ?? 1) + 1;
    this.notebookVersions.set(notebookUri, version);
    await this.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: notebookUri, version },
      change: { cells: { textContent: [{ document: { uri: cellUri, version: doc.version }, changes: [{ range, text: newText }] }] } },
    });
  }

  notebookOf(cellUri: string): string | undefined {
    for (const [notebook, cells] of this.notebookCells) if (cells.includes(cellUri)) return notebook;
    return undefined;
  }

  /** The current diagnostics of a document: pulled, or the latest published for its current version. */
  async diagnostics(uri: string): Promise<Diagnostic[]> {
    if (this.options.pull ?? true) {
      const report = await this.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
      if (report.kind !== 'full') throw new Error(`expected a full report for ${uri}, got ${report.kind}`);
      return report.items;
    }
    const version = this.mustGet(uri).version;
    const params = await this.waitFor(() => {
      const list = this.published.get(uri);
      const last = list?.[list.length - 1];
      return last && last.version === version ? last : undefined;
    }, `diagnostics of ${uri} at version ${version}`);
    return params.diagnostics;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest<CodeAction>('codeAction/resolve', action);
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  /** Applies an edit the way an editor does: to its copy, then as `didChange` to the server. */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    for (const [uri, edits] of documentEdits(edit)) {
      const notebook = this.notebookOf(uri);
      if (notebook) {
        for (const textEdit of [...edits].sort(compareEditsDescending)) await this.editCell(notebook, uri, textEdit.range, textEdit.newText);
        continue;
      }
      for (const textEdit of [...edits].sort(compareEditsDescending)) await this.edit(uri, textEdit.range, textEdit.newText);
    }
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  text(uri: string): string {
    return this.mustGet(uri).text;
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
    } finally {
      await this.stop();
    }
  }

  private mustGet(uri: string): OpenDoc {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open in the test client`);
    return doc;
  }
}

export function fileUri(path: string): string {
  return `file://${path.startsWith('/') ? '' : '/'}${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function documentEdits(edit: WorkspaceEdit): [string, TextEdit[]][] {
  const result: [string, TextEdit[]][] = [];
  for (const change of edit.documentChanges ?? []) {
    if ('textDocument' in change) result.push([change.textDocument.uri, change.edits.filter((e): e is TextEdit => 'range' in e)]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) result.push([uri, edits]);
  return result;
}

function compareEditsDescending(a: TextEdit, b: TextEdit): number {
  return b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character;
}

/** Applies LSP text edits (non-overlapping, positions in the original text) to a string. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits
    .map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const span of spans) result = result.slice(0, span.start) + span.text + result.slice(span.end);
  return result;
}

/** The range covering the first occurrence of `search` in `text`. */
export function rangeOf(text: string, search: string): Range {
  const start = text.indexOf(search);
  if (start === -1) throw new Error(`'${search}' not found`);
  const lines = new LineIndex(text);
  return { start: lines.positionAt(start), end: lines.positionAt(start + search.length) };
}
