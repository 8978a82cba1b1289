// The language server as VS Code starts it (IPC) or any editor does (`--stdio`): the transport comes from argv.
// The same bundle serves as the server's lint child process, so the server ships as one file.
import { createConnection } from 'vscode-languageserver/node';
import { LINT_WORKER_ENV, serveLintRequests } from './lsp/lintProcess';
import { defaultExtensions, runServer } from './lsp/server';

if (process.env[LINT_WORKER_ENV] === '1' && process.send) {
  delete process.env[LINT_WORKER_ENV];
  serveLintRequests(process);
} else {
  runServer(createConnection(), defaultExtensions(), __filename);
}
