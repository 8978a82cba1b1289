/**
 * nanlint's own LSP messages and command names, shared by the VS Code client and the language server
 * (vscode-eslint keeps these in one typed file for the same reason: both sides compile against it).
 */
import { NotificationType } from 'vscode-languageserver-protocol';

/** What the status item shows; `error` means nanlint itself failed, not that the code has findings. */
export type ServerState = 'ok' | 'disabled' | 'warning' | 'error';

export interface StatusParams {
  state: ServerState;
  /** One line for people: "nanlint 0.1.0", "pyproject.toml: unknown key 'selct'", ... */
  message: string;
  /** The server's version. */
  version: string;
  /** The document the status is about, when it is about one. */
  uri?: string;
}

export const StatusNotification = new NotificationType<StatusParams>('nanlint/status');

/** `workspace/executeCommand` commands the server handles. */
export const ServerCommands = {
  /** Arguments: [{ uri, version? }]; the server computes the fix-all edit and sends `workspace/applyEdit`. */
  applyFixAll: 'nanlint.applyFixAll',
  /** Arguments: [{ uri, line? }]; runs the reproduction for the file and returns its report. */
  reproduce: 'nanlint.reproduce',
} as const;

export type ServerCommand = (typeof ServerCommands)[keyof typeof ServerCommands];

export interface FixAllCommandArgs {
  uri: string;
  /** When given and the document has moved on, the command does nothing. */
  version?: number;
}

/**
 * Passed as `initializationOptions`. A client that implements some server commands itself (VS Code
 * wraps `nanlint.reproduce` in a progress notification and a report panel) lists them here, so the
 * server does not advertise them and the language client does not register a second command of the
 * same name.
 */
export interface InitializationOptions {
  clientCommands?: string[];
}

/** The code action kinds the server offers, under the standard `source.fixAll` hierarchy. */
export const CodeActionKinds = {
  fixAll: 'source.fixAll.nanlint',
  notebookFixAll: 'notebook.source.fixAll.nanlint',
} as const;

/** The VS Code commands the extension contributes; client/src/commands.ts maps each to its handler. */
export const CLIENT_COMMANDS = {
  restartServer: { id: 'nanlint.restartServer', title: 'Restart Server' },
  showOutput: { id: 'nanlint.showOutput', title: 'Show Output' },
  fixAll: { id: 'nanlint.fixAll', title: 'Fix All' },
  reproduce: { id: 'nanlint.reproduce', title: 'Reproduce on Sample Model' },
} as const;

export type ClientCommandName = keyof typeof CLIENT_COMMANDS;

/** The category VS Code prefixes command titles with in the palette: "nanlint: Restart Server". */
export const COMMAND_CATEGORY = 'nanlint';
