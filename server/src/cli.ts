import { availableParallelism } from 'node:os';
import { main } from './cli/main';
import { processIo } from './cli/io';
import { CHECK_WORKER_ENV, serveCheckRequests } from './cli/workerPool';
import { ENGINE_WORKER_ENV, serveEngineJobs } from './lsp/engineProcess';
import { exitWithParent } from './workers/workerProcess';

// The same bundle serves as the scan's check worker and as `nanlint server`'s engine child, so the CLI ships as one file.
if (process.env[CHECK_WORKER_ENV] === '1' && process.send) {
  delete process.env[CHECK_WORKER_ENV];
  exitWithParent();
  serveCheckRequests(process);
} else if (process.env[ENGINE_WORKER_ENV] === '1' && process.send) {
  delete process.env[ENGINE_WORKER_ENV];
  exitWithParent();
  serveEngineJobs(process);
} else {
  void main(process.argv.slice(2), processIo(__filename, availableParallelism())).then((code) => {
    process.exitCode = code;
  });
}
