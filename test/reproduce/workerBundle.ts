/**
 * Bundles the reproduction worker into a temporary folder (with the wasm binaries next to it, as
 * dist/ ships them), so the process-boundary tests run the real bundle without `npm run build`.
 */
import { build } from 'esbuild';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const REPOSITORY = path.join(__dirname, '..', '..');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export async function bundleWorker(): Promise<{ workerPath: string; remove: () => void }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'nanlint-repro-'));
  await build({
    absWorkingDir: REPOSITORY,
    entryPoints: { reproWorker: 'server/src/reproWorker.ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: folder,
    logLevel: 'error',
    external: ['@tensorflow/tfjs-node'],
  });
  for (const file of WASM_FILES) {
    cpSync(path.join(REPOSITORY, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', file), path.join(folder, 'wasm', file));
  }
  return { workerPath: path.join(folder, 'reproWorker.js'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
