// Bundles the four entry points. tsc only type-checks (`npm run typecheck`).
// Native and optional packages stay external: tree-sitter finds its prebuilds relative to its own
// package folder, and @tensorflow/tfjs-node is loaded only when it happens to be installed.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode', 'tree-sitter', 'tree-sitter-python', '@tensorflow/tfjs-node'],
};

const builds = [
  { entryPoints: { 'client/extension': 'client/src/extension.ts' } },
  { entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts', reproWorker: 'server/src/reproWorker.ts' } },
  // The reproduction report's chart script (chart.js bundled in): loaded by the webview, inlined by --html.
  { entryPoints: { 'media/report': 'server/src/reproduce/browser/reportCharts.mts' }, platform: 'browser', format: 'iife', target: 'es2020', minify: true },
];

mkdirSync('dist/wasm', { recursive: true });
// The wasm backend's binaries are shipped next to the bundle so they load without network access.
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`, `dist/wasm/${file}`);
}

const contexts = await Promise.all(
  builds.map((b) => esbuild.context({ ...common, ...b, outdir: 'dist' })),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
