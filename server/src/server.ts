// The language server as VS Code starts it (IPC) or any editor does (`--stdio`): the transport comes from argv.
import { createConnection } from 'vscode-languageserver/node';
import { runServer } from './lsp/server';

runServer(createConnection());
