/**
 * How VS Code starts and talks to the bundled language server: dist/server.js over IPC, for Python
 * files and the Python cells of Jupyter notebooks.
 */
import type { ExtensionContext, LogOutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ServerCommands, type InitializationOptions } from '../../server/src/protocol/messages';

export const CLIENT_ID = 'nanlint';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { notebook: 'jupyter-notebook', language: 'python' },
];

export function createLanguageClient(context: ExtensionContext, outputChannel: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const initializationOptions: InitializationOptions = {
    // The extension wraps reproduction in a progress notification and a report panel (commands.ts).
    clientCommands: [ServerCommands.reproduce],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
    initializationOptions,
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  return new LanguageClient(CLIENT_ID, 'nanlint', serverOptions, clientOptions);
}
