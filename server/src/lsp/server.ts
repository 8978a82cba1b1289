/**
 * The nanlint language server: a class that takes a `Connection` (so tests drive it over in-memory
 * streams, bash-language-server style) and wires the LSP concerns in this folder to it. It holds the open
 * documents and notebooks; everything it answers comes from the engine's `lint()` of their current text.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ExecuteCommandRequest,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  CodeActionKind,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver';
import { z } from 'zod';
import { CodeActionKinds, ServerCommands, type InitializationOptions } from '../protocol/messages';
import { codeLensExtension } from './codeLens';
import { codeActions, resolveCodeAction, workspaceEdit, type CodeActionServices } from './codeActions';
import { CommandRegistry } from './commands';
import { ConfigProblemPublisher } from './configProblems';
import { diagnosticsOf, SOURCE } from './diagnostics';
import { TextDocumentStore } from './documents';
import { fixAllChanges } from './fixAll';
import { guardNotification, guardRequest, UnknownDocumentError, type Logger } from './guard';
import { hover } from './hover';
import { createEngineHost, type EngineHost } from './engineProcess';
import { LintService, type LintOutcome } from './linting';
import { NotebookStore } from './notebooks';
import { DiagnosticPusher } from './pushDiagnostics';
import {
  codeActionParamsSchema,
  didChangeNotebookSchema,
  didChangeSchema,
  didCloseNotebookSchema,
  didCloseSchema,
  didOpenNotebookSchema,
  didOpenSchema,
  documentDiagnosticSchema,
  executeCommandSchema,
  fixAllCommandArgsSchema,
  textDocumentPositionSchema,
} from './params';
import { reproduceExtension } from './reproduce';
import { SettingsService } from './settings';
import { StatusReporter } from './status';
import { FileSubject, NotebookSubject, type LintSubject } from './subjects';

const initializationOptionsSchema = z.object({ clientCommands: z.array(z.string()).optional() }).passthrough();
const configurationChangeSchema = z.object({ settings: z.unknown().optional() }).passthrough();
const watchedFilesSchema = z.object({ changes: z.array(z.object({ uri: z.string(), type: z.number() })) });

/** Extra server features (the reproduction command, code lenses) hook in here before the server listens. */
export interface ServerExtension {
  (server: NanlintServer): void;
}

export class NanlintServer {
  readonly log: Logger;
  readonly commands = new CommandRegistry();
  readonly status: StatusReporter;
  private readonly documents = new TextDocumentStore();
  private readonly notebooks = new NotebookStore();
  private readonly subjects = new Map<string, LintSubject>();
  private readonly settings: SettingsService;
  private readonly lints: LintService;
  /** Where lints, fixes and extractions run (a child process in the bundled server). */
  readonly engine: EngineHost;
  private capabilities: ClientCapabilities = {};
  private clientCommands = new Set<string>();
  private readonly configProblems: ConfigProblemPublisher;
  private readonly pusher: DiagnosticPusher;

  constructor(
    readonly connection: Connection,
    extensions: readonly ServerExtension[] = [],
    /** The bundled script that runs as the engine child process; without it engine jobs run in this process, with no time budget. */
    engineScript?: string,
  ) {
    // Logging must never throw: a message logged while the connection closes is simply lost.
    const safely = (send: (message: string) => void) => (message: string) => {
      try {
        send(message);
      } catch {
        return;
      }
    };
    this.log = {
      info: safely((message) => connection.console.info(message)),
      warn: safely((message) => connection.console.warn(message)),
      error: safely((message) => connection.console.error(message)),
    };
    this.status = new StatusReporter(connection);
    this.settings = new SettingsService(connection, this.log, () => this.capabilities.workspace?.configuration === true);
    this.engine = createEngineHost(engineScript);
    this.lints = new LintService(this.settings, this.status, this.log, this.engine);
    this.configProblems = new ConfigProblemPublisher(connection);
    this.pusher = new DiagnosticPusher(connection, this.lints, this.configProblems, this.log, (owner) => this.subjects.get(owner));
    this.commands.register(ServerCommands.applyFixAll, (args, token) => this.applyFixAll(args, token));
    for (const extend of extensions) extend(this);
    this.registerHandlers();
  }

  /** Whether diagnostics are pulled by the client (`textDocument/diagnostic`) rather than pushed. */
  get pullDiagnostics(): boolean {
    return this.capabilities.textDocument?.diagnostic !== undefined;
  }

  /** The file or notebook a URI (a file, a notebook, or a notebook cell) belongs to; throws if none is open. */
  subjectFor(uri: string): LintSubject {
    const notebook = this.notebooks.forCell(uri) ?? this.notebooks.get(uri);
    const subject = this.subjects.get(notebook ? notebook.uri : uri);
    if (!subject) throw new UnknownDocumentError(uri);
    return subject;
  }

  /** Lints what a URI belongs to with its current settings (cached per version). */
  lint(uri: string): Promise<LintOutcome> {
    return this.lints.lint(this.subjectFor(uri));
  }

  private registerHandlers(): void {
    const { connection, log } = this;
    connection.onInitialize((params) => this.initialize(params.capabilities, params.initializationOptions));
    connection.onInitialized(() => this.initialized());
    connection.onShutdown(() => {
      this.pusher.stop();
      this.engine.dispose();
    });

    connection.onDidOpenTextDocument(
      guardNotification(log, 'textDocument/didOpen', didOpenSchema, ({ textDocument }) => {
        const open = this.documents.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
        const subject = new FileSubject(open);
        this.subjects.set(open.uri, subject);
        this.lints.forget(open.uri);
        this.schedulePush(open.uri);
      }),
    );
    connection.onDidChangeTextDocument(
      guardNotification(log, 'textDocument/didChange', didChangeSchema, ({ textDocument, contentChanges }) => {
        const outcome = this.documents.change(textDocument.uri, textDocument.version, contentChanges);
        if (outcome === 'unknown-document') log.warn(`textDocument/didChange for ${textDocument.uri}, which is not open: ignored`);
        else if (outcome === 'stale-version') log.warn(`textDocument/didChange for ${textDocument.uri} with version ${textDocument.version}, not newer than the current one: ignored`);
        else this.schedulePush(textDocument.uri);
      }),
    );
    connection.onDidCloseTextDocument(
      guardNotification(log, 'textDocument/didClose', didCloseSchema, ({ textDocument }) => {
        if (!this.documents.close(textDocument.uri)) return;
        this.subjects.delete(textDocument.uri);
        this.forgetOwner(textDocument.uri, [textDocument.uri]);
      }),
    );

    const notebookSync = connection.notebooks.synchronization;
    notebookSync.onDidOpenNotebookDocument(
      guardNotification(log, 'notebookDocument/didOpen', didOpenNotebookSchema, ({ notebookDocument, cellTextDocuments }) => {
        const notebook = this.notebooks.open(notebookDocument.uri, notebookDocument.notebookType, notebookDocument.version, notebookDocument.cells, cellTextDocuments);
        this.subjects.set(notebook.uri, new NotebookSubject(notebook));
        this.lints.forget(notebook.uri);
        this.schedulePush(notebook.uri);
      }),
    );
    notebookSync.onDidChangeNotebookDocument(
      guardNotification(log, 'notebookDocument/didChange', didChangeNotebookSchema, (params) => {
        const changed = this.notebooks.change(params);
        if (!changed) {
          log.warn(`notebookDocument/didChange for ${params.notebookDocument.uri}, which is not open: ignored`);
          return;
        }
        if (!this.pullDiagnostics) this.pusher.clear(changed.removedCells);
        this.schedulePush(changed.notebook.uri);
      }),
    );
    notebookSync.onDidCloseNotebookDocument(
      guardNotification(log, 'notebookDocument/didClose', didCloseNotebookSchema, ({ notebookDocument }) => {
        const notebook = this.notebooks.close(notebookDocument.uri);
        if (!notebook) return;
        this.subjects.delete(notebook.uri);
        this.forgetOwner(notebook.uri, notebook.cells.map((cell) => cell.uri));
      }),
    );
    notebookSync.onDidSaveNotebookDocument(() => undefined);

    connection.onDidChangeConfiguration(
      guardNotification(log, 'workspace/didChangeConfiguration', configurationChangeSchema, (params) => {
        this.settings.invalidate(params.settings);
        this.refreshDiagnostics();
      }),
    );
    connection.onDidChangeWatchedFiles(
      guardNotification(log, 'workspace/didChangeWatchedFiles', watchedFilesSchema, ({ changes }) => {
        if (!changes.some((change) => /(^|\/)pyproject\.toml$/.test(change.uri))) return;
        log.info('pyproject.toml changed: reloading the configuration');
        this.settings.invalidate();
        this.refreshDiagnostics();
      }),
    );

    connection.languages.diagnostics.on(
      guardRequest(
        log,
        'textDocument/diagnostic',
        documentDiagnosticSchema,
        async ({ textDocument, previousResultId }, token): Promise<DocumentDiagnosticReport> => {
          const outcome = await this.lints.lint(this.subjectFor(textDocument.uri), token);
          this.configProblems.publish(outcome.config);
          const resultId = `${outcome.version}.${outcome.generation}`;
          if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
          return { kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnosticsOf(outcome).get(textDocument.uri) ?? [] };
        },
        // A pull for a closed document races its close: tell the client not to ask again.
        (error) => new ResponseError(LSPErrorCodes.ServerCancelled, error.message, { retriggerRequest: false }),
      ),
    );

    const actionServices: CodeActionServices = {
      subjectFor: (uri) => this.subjectFor(uri),
      settings: this.settings,
      engine: this.engine,
      documentChanges: () => this.capabilities.workspace?.workspaceEdit?.documentChanges === true,
      resolveEdits: () => this.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true,
    };
    connection.onCodeAction(
      guardRequest(log, 'textDocument/codeAction', codeActionParamsSchema, (params, token) =>
        codeActions({ uri: params.textDocument.uri, diagnostics: params.context.diagnostics, only: params.context.only }, actionServices, token),
      ),
    );
    connection.onCodeActionResolve(
      guardRequest(log, 'codeAction/resolve', z.object({ title: z.string() }).passthrough(), (action, token) => resolveCodeAction(action, actionServices, token)),
    );
    connection.onHover(
      guardRequest(log, 'textDocument/hover', textDocumentPositionSchema, ({ textDocument, position }, token) =>
        hover(this.subjectFor(textDocument.uri), textDocument.uri, position, this.lints, token),
      ),
    );
    // `onRequest` rather than `onExecuteCommand`: the latter strips `workDoneToken` from the params, and
    // the command's progress must go to the token the client created.
    connection.onRequest(
      ExecuteCommandRequest.type,
      guardRequest(log, 'workspace/executeCommand', executeCommandSchema, ({ command, arguments: args, workDoneToken }, token) =>
        this.commands.execute(command, args ?? [], token, workDoneToken),
      ),
    );
  }

  private initialize(capabilities: ClientCapabilities, rawOptions: unknown): InitializeResult {
    this.capabilities = capabilities;
    const options = initializationOptionsSchema.safeParse(rawOptions ?? {});
    if (!options.success) this.log.warn('ignoring malformed initializationOptions');
    const initOptions: InitializationOptions = options.success ? options.data : {};
    this.clientCommands = new Set(initOptions.clientCommands ?? []);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKinds.fixAll, CodeActionKinds.notebookFixAll],
          resolveProvider: true,
        },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: this.commands.names().filter((command) => !this.clientCommands.has(command)) },
      },
      serverInfo: { name: 'nanlint', version: this.status.version },
    };
    if (this.pullDiagnostics) {
      // Notebook cells depend on each other (facts flow across cells), so other cells are re-pulled after an edit.
      result.capabilities.diagnosticProvider = { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: false };
    }
    return result;
  }

  private initialized(): void {
    if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'nanlint' }).catch((error: unknown) => this.log.warn(`could not register for configuration changes: ${String(error)}`));
    }
    if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/pyproject.toml' }] })
        .catch((error: unknown) => this.log.warn(`could not watch pyproject.toml: ${String(error)}`));
    }
    this.log.info(`nanlint ${this.status.version} started (${this.pullDiagnostics ? 'pull' : 'push'} diagnostics)`);
    this.status.report({ state: 'ok', message: '' });
  }

  /** Push mode: lint and publish the document (or notebook) a URI belongs to. */
  private schedulePush(ownerUri: string): void {
    const subject = this.subjects.get(this.notebooks.forCell(ownerUri)?.uri ?? ownerUri);
    if (subject && !this.pullDiagnostics) this.pusher.schedule(subject);
  }

  /** Settings or configuration files changed: the client re-pulls, or the server re-pushes everything. */
  private refreshDiagnostics(): void {
    if (this.pullDiagnostics) {
      if (this.capabilities.workspace?.diagnostics?.refreshSupport) {
        void this.connection.languages.diagnostics.refresh().catch((error: unknown) => this.log.warn(`diagnostic refresh failed: ${String(error)}`));
      }
      return;
    }
    for (const subject of this.subjects.values()) this.schedulePush(subject.ownerUri);
  }

  private forgetOwner(ownerUri: string, targetUris: readonly string[]): void {
    this.lints.forget(ownerUri);
    this.settings.forget(ownerUri);
    this.status.forget(ownerUri);
    if (!this.pullDiagnostics) this.pusher.forget(ownerUri, targetUris);
  }

  /** `nanlint.applyFixAll`: computes the fix-all edit from the current text and asks the client to apply it. */
  private async applyFixAll(args: readonly unknown[], token: CancellationToken): Promise<{ applied: boolean; documents: number; reason?: string }> {
    const parsed = fixAllCommandArgsSchema.safeParse(args[0]);
    if (!parsed.success) throw new ResponseError(ErrorCodes.InvalidParams, `${ServerCommands.applyFixAll} expects [{ uri, version? }]`);
    const subject = this.subjectFor(parsed.data.uri);
    if (parsed.data.version !== undefined && parsed.data.version !== subject.version) {
      return { applied: false, documents: 0, reason: 'the document changed since the command was issued' };
    }
    const { settings, config, fileTimeBudgetMs } = await this.settings.configFor(subject);
    if (!settings.enable) return { applied: false, documents: 0, reason: 'nanlint is disabled' };
    const changes = await fixAllChanges({ subject, config, unsafe: settings.fixAllUnsafe, engine: this.engine, budgetMs: fileTimeBudgetMs, token });
    if (changes.length === 0) return { applied: false, documents: 0, reason: 'nothing to fix' };
    const versioned = this.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    const response = await this.connection.workspace.applyEdit({ label: 'nanlint: Fix All', edit: workspaceEdit(changes, versioned) });
    return { applied: response.applied, documents: changes.length, ...(response.failureReason ? { reason: response.failureReason } : {}) };
  }
}

/** The features every nanlint server has beyond the core: the reproduction command and its code lenses. */
export function defaultExtensions(): ServerExtension[] {
  return [reproduceExtension(), codeLensExtension()];
}

/** Starts the server on a connection (stdio, IPC or in-memory streams) and listens. */
export function runServer(connection: Connection, extensions: readonly ServerExtension[] = defaultExtensions(), engineScript?: string): NanlintServer {
  const server = new NanlintServer(connection, extensions, engineScript);
  connection.listen();
  return server;
}
