// The language server as VS Code starts it (IPC) or any editor does (`--stdio`): the transport comes from argv.
// The same bundle serves as the server's engine child process, so the server ships as one file.
import { createConnection } from 'vscode-languageserver/node';
import { ENGINE_WORKER_ENV, serveEngineJobs } from './lsp/engineProcess';
import { defaultExtensions, runServer } from './lsp/server';
import { exitWithParent } from './workers/workerProcess';

if (process.env[ENGINE_WORKER_ENV] === '1' && process.send) {
  delete process.env[ENGINE_WORKER_ENV];
  exitWithParent();
  serveEngineJobs(process);
} else {
  runServer(createConnection(), defaultExtensions(), __filename);
}
