// Entry point of the reproduction worker process (dist/reproWorker.js), forked by runReproduction.
import { startWorker } from './reproduce/worker';

startWorker();
