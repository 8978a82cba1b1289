// `npm run bench`: bundles every bench/*.bench.ts into dist/bench/ and runs them one after another
// (never in parallel: on a 2-core machine they would measure each other). Each benchmark prints a markdown
// section on stdout; the sections are collected into bench/results/latest.md and summarised at the end.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename, join } from 'node:path';

const benchDir = 'bench';
const outDir = join('dist', 'bench');
const only = process.argv.slice(2);
const entries = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

await esbuild.build({
  entryPoints: entries.map((file) => join(benchDir, file)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['tree-sitter', 'tree-sitter-python', '@tensorflow/tfjs-node'],
});

/** Runs one bundled benchmark, echoing its output live; resolves with its stdout and exit code. */
function runBench(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ stdout, code: code ?? 1 }));
  });
}

const sections = [];
const failures = [];
for (const entry of entries) {
  const name = basename(entry, '.ts');
  const started = performance.now();
  const { stdout, code } = await runBench(join(outDir, `${name}.js`));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  sections.push(stdout.trim());
  if (code !== 0) failures.push(`${name} exited with ${code}`);
  console.error(`[bench] ${name}: ${seconds} s, exit ${code}`);
}

const header = [
  '# nanlint benchmarks',
  '',
  `${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  '',
].join('\n');
const report = `${header}\n${sections.join('\n\n')}\n`;
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'latest.md'), report);

// The summary is every line a benchmark marked as a headline figure (`**…**` target lines).
const headline = report.split('\n').filter((line) => line.startsWith('- **'));
console.log('\n## Summary\n');
console.log(headline.join('\n'));
console.log(`\nwritten to ${join(benchDir, 'results', 'latest.md')}`);
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}
