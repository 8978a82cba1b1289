/**
 * The "nanlint" language status item (the `{}` next to "Python" in the status bar), fed by the server's
 * `nanlint/status` notifications: the state of the active document, or of the server when it has none.
 */
import { LanguageStatusSeverity, languages, window, workspace, type Disposable, type LanguageStatusItem } from 'vscode';
import { CLIENT_COMMANDS, type StatusParams } from '../../server/src/protocol/messages';

const SEVERITY: Record<StatusParams['state'], LanguageStatusSeverity> = {
  ok: LanguageStatusSeverity.Information,
  disabled: LanguageStatusSeverity.Information,
  warning: LanguageStatusSeverity.Warning,
  error: LanguageStatusSeverity.Error,
};

export class ServerStatus implements Disposable {
  private readonly item: LanguageStatusItem;
  private readonly byUri = new Map<string, StatusParams>();
  private server: StatusParams | undefined;
  private readonly subscriptions: Disposable[] = [];

  constructor() {
    this.item = languages.createLanguageStatusItem('nanlint.status', [{ language: 'python' }]);
    this.item.name = 'nanlint';
    this.item.text = 'nanlint';
    this.item.detail = 'starting';
    this.item.busy = true;
    this.item.command = { command: CLIENT_COMMANDS.showOutput.id, title: 'Show Output' };
    this.subscriptions.push(window.onDidChangeActiveTextEditor(() => this.render()));
  }

  update(params: StatusParams): void {
    if (params.uri === undefined) this.server = params;
    else this.byUri.set(params.uri, params);
    this.render();
  }

  starting(): void {
    this.byUri.clear();
    this.server = undefined;
    this.item.busy = true;
    this.item.detail = 'starting';
    this.item.severity = LanguageStatusSeverity.Information;
  }

  stopped(reason: string): void {
    this.item.busy = false;
    this.item.text = 'nanlint';
    this.item.detail = reason;
    this.item.severity = LanguageStatusSeverity.Error;
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private render(): void {
    const params = this.activeUri().flatMap((uri) => this.byUri.get(uri) ?? [])[0] ?? this.server;
    if (!params) return;
    this.item.busy = false;
    this.item.severity = SEVERITY[params.state];
    this.item.text = params.state === 'disabled' ? 'nanlint (disabled)' : 'nanlint';
    this.item.detail = params.message;
  }

  /** The active document's URI and, for a notebook cell, its notebook's (where the server reports). */
  private activeUri(): string[] {
    const document = window.activeTextEditor?.document;
    if (!document) return [];
    const uri = document.uri.toString();
    const notebook = workspace.notebookDocuments.find((candidate) => candidate.getCells().some((cell) => cell.document === document));
    return notebook ? [notebook.uri.toString(), uri] : [uri];
  }
}
