/**
 * The extension's commands: one table, keyed by the ids in protocol/messages.ts (which package.json's
 * `contributes.commands` is checked against), so a command cannot be contributed without a handler.
 */
import { commands, ProgressLocation, Uri, window, workspace, type ExtensionContext, type TextDocument } from 'vscode';
import { ExecuteCommandRequest, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, ServerCommands, type ClientCommandName } from '../../server/src/protocol/messages';
import type { ReproReport } from '../../server/src/protocol/reproduce';
import { showReportPanel } from './report';

/** What command handlers need from the running extension. */
export interface CommandContext {
  readonly extension: ExtensionContext;
  client(): LanguageClient | undefined;
  restart(): Promise<void>;
  showOutput(): void;
}

type CommandHandler = (context: CommandContext, ...args: unknown[]) => unknown;

export const COMMANDS: Record<ClientCommandName, CommandHandler> = {
  restartServer: (context) => context.restart(),
  showOutput: (context) => context.showOutput(),
  fixAll: (context) => fixAll(context),
  reproduce: (context, uri, line) => reproduce(context, typeof uri === 'string' ? uri : undefined, typeof line === 'number' ? line : undefined),
};

export function registerCommands(context: CommandContext): void {
  for (const name of Object.keys(COMMANDS) as ClientCommandName[]) {
    const handler = COMMANDS[name];
    context.extension.subscriptions.push(commands.registerCommand(CLIENT_COMMANDS[name].id, (...args: unknown[]) => handler(context, ...args)));
  }
}

function runningClient(context: CommandContext): LanguageClient | undefined {
  const client = context.client();
  if (!client?.isRunning()) {
    void window.showWarningMessage('nanlint: the language server is not running. Run "nanlint: Restart Server" to start it.');
    return undefined;
  }
  return client;
}

/** The active Python document: a file, or the notebook that holds the active cell. */
function activeTarget(): { uri: string; version: number; document: TextDocument } | undefined {
  const document = window.activeTextEditor?.document;
  if (!document || document.languageId !== 'python') return undefined;
  const notebook = workspace.notebookDocuments.find((candidate) => candidate.getCells().some((cell) => cell.document === document));
  return notebook ? { uri: notebook.uri.toString(), version: notebook.version, document } : { uri: document.uri.toString(), version: document.version, document };
}

async function fixAll(context: CommandContext): Promise<void> {
  const client = runningClient(context);
  const target = activeTarget();
  if (!client) return;
  if (!target) {
    void window.showInformationMessage('nanlint: open a Python file or notebook to fix.');
    return;
  }
  const result = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: ServerCommands.applyFixAll,
    arguments: [{ uri: target.uri, version: target.version }],
  })) as { applied?: boolean; reason?: string } | null;
  if (result && !result.applied && result.reason) void window.setStatusBarMessage(`nanlint: ${result.reason}`, 4000);
}

/**
 * Runs the reproduction for a file (the active one, or the one a code lens names) with a cancellable
 * progress notification fed by the server's work-done progress, then shows the report panel.
 */
async function reproduce(context: CommandContext, uriArgument: string | undefined, lineArgument: number | undefined): Promise<void> {
  const client = runningClient(context);
  if (!client) return;
  const target = uriArgument ?? activeTarget()?.uri;
  if (!target) {
    void window.showInformationMessage('nanlint: open a Python training script to reproduce.');
    return;
  }
  const line = lineArgument ?? (window.activeTextEditor?.document.uri.toString() === target ? window.activeTextEditor.selection.active.line : undefined);
  const name = Uri.parse(target).path.split('/').pop() ?? target;
  const report = await window.withProgress(
    { location: ProgressLocation.Notification, title: `nanlint: reproducing ${name} on a sample model`, cancellable: true },
    async (progress, token) => {
      const workDoneToken = `nanlint-reproduce-${Date.now()}`;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'end' && value.message) progress.report({ message: value.message });
      });
      try {
        return (await client.sendRequest(
          ExecuteCommandRequest.type,
          { command: ServerCommands.reproduce, arguments: [{ uri: target, ...(line !== undefined ? { line } : {}) }], workDoneToken },
          token,
        )) as ReproReport | null;
      } finally {
        listener.dispose();
      }
    },
  );
  if (report) showReportPanel(context.extension, report);
}
