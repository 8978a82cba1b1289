// Regenerates docs/rules/<CODE>.md from each rule's meta (the one source of truth).
// `--check` exits 1 when a page is missing or stale instead of writing.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = 'dist/scripts/engine.js';
await esbuild.build({
  entryPoints: ['server/src/engine/index.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  external: ['tree-sitter', 'tree-sitter-python'],
  logLevel: 'warning',
});
const { RULES, renderRuleDoc } = createRequire(import.meta.url)(`../${out}`);
const check = process.argv.includes('--check');
mkdirSync('docs/rules', { recursive: true });
const wanted = new Set();
let stale = 0;
for (const rule of RULES) {
  const file = `docs/rules/${rule.meta.code}.md`;
  wanted.add(`${rule.meta.code}.md`);
  const page = renderRuleDoc(rule);
  if (existsSync(file) && readFileSync(file, 'utf8') === page) continue;
  stale++;
  if (check) console.error(`${file} is missing or out of date: run npm run docs`);
  else writeFileSync(file, page);
}
for (const file of readdirSync('docs/rules')) {
  if (wanted.has(file)) continue;
  stale++;
  if (check) console.error(`docs/rules/${file} has no rule`);
  else rmSync(`docs/rules/${file}`);
}
if (check && stale > 0) process.exit(1);
console.log(check ? 'docs/rules is up to date' : `docs/rules: ${RULES.length} pages, ${stale} written`);
