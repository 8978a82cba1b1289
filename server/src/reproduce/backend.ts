/**
 * Picks the TensorFlow.js backend: the native `tensorflow` backend when @tensorflow/tfjs-node loads,
 * else `wasm` with its binaries read from disk (never fetched), else `cpu`.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { BackendName, BackendRequest } from '../protocol/reproduce';

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/** Folders that may hold the .wasm files: next to the bundle (dist/wasm) or the installed package. */
function wasmFolderCandidates(): string[] {
  const repository = path.join(__dirname, '..', '..', '..');
  return [
    path.join(__dirname, 'wasm'),
    path.join(repository, 'dist', 'wasm'),
    path.join(repository, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'),
  ];
}

export function locateWasmFolder(): string | null {
  return wasmFolderCandidates().find((folder) => WASM_FILES.every((file) => existsSync(path.join(folder, file)))) ?? null;
}

async function tryNative(): Promise<boolean> {
  try {
    // Optional dependency, external to the bundle: it registers the `tensorflow` backend when it loads.
    createRequire(__filename)('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
}

let wasmPathsSet = false;
async function tryWasm(): Promise<boolean> {
  if (!wasmPathsSet) {
    const folder = locateWasmFolder();
    if (folder === null) return false;
    const files: Record<string, string> = {};
    for (const file of WASM_FILES) files[file] = path.join(folder, file);
    setWasmPaths(files);
    wasmPathsSet = true;
  }
  try {
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/** Activates a backend and says which one is active. `auto` tries native, then wasm, then cpu. */
export async function selectBackend(request: BackendRequest): Promise<BackendName> {
  const order: BackendName[] =
    request === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : request === 'node' ? ['tensorflow'] : [request];
  for (const name of order) {
    if (await activate(name)) return name;
  }
  throw new Error(`backend '${request}' is not available here${request === 'node' ? ' (@tensorflow/tfjs-node did not load)' : ''}`);
}

/** Switches to an already-selected backend (used to replay a step on cpu and come back). */
export async function activate(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow') return tryNative();
  if (name === 'wasm') return tryWasm();
  return tf.setBackend('cpu');
}
