import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipEntries, type ZipEntry } from '../helpers/zipArchive';

const root = resolve(__dirname, '..', '..');
const vsixPath = join(root, 'dist', 'nanlint.vsix');
const NATIVE_PACKAGES = ['tree-sitter', 'tree-sitter-python'];
const RUNTIME_PACKAGES = [...NATIVE_PACKAGES, 'node-gyp-build'];
// The VSIX is about 3.6 MB; a much bigger one means something that does not run got in.
const SIZE_BUDGET_BYTES = 8 * 1024 * 1024;

/** What may be in the VSIX: each pattern names something the installed extension runs or shows. */
const SHIPPED: ReadonlyArray<readonly [string, RegExp]> = [
  ['VSIX manifest', /^(extension\.vsixmanifest|\[Content_Types\]\.xml)$/],
  ['extension manifest', /^extension\/package\.json$/],
  ['bundles the extension runs', /^extension\/dist\/(client\/extension|server|reproWorker)\.js$/],
  ['tfjs wasm backend', /^extension\/dist\/wasm\/[\w.-]+\.wasm$/],
  ['report webview script and styles', /^extension\/dist\/media\/[\w.-]+\.(js|css)$/],
  [
    'tree-sitter runtime',
    /^extension\/node_modules\/tree-sitter\/(package\.json|index\.js|LICENSE|prebuilds\/[\w-]+\/tree-sitter\.node|build\/Release\/tree_sitter_runtime_binding\.node)$/,
  ],
  [
    'tree-sitter-python runtime',
    /^extension\/node_modules\/tree-sitter-python\/(package\.json|bindings\/node\/index\.js|src\/node-types\.json|LICENSE|prebuilds\/[\w-]+\/tree-sitter-python\.node)$/,
  ],
  ['node-gyp-build runtime', /^extension\/node_modules\/node-gyp-build\/(package\.json|index\.js|node-gyp-build\.js|LICENSE)$/],
  ['noqa grammar', /^extension\/syntaxes\/[\w.-]+\.json$/],
  ['rule pages', /^extension\/docs\/rules\/NAN\d{3}\.md$/],
  ['icon', /^extension\/media\/icon\.png$/],
  ['read-me, changelog, license', /^extension\/(readme\.md|README\.md|changelog\.md|CHANGELOG\.md|LICENSE(\.txt)?)$/],
];

let entries: ZipEntry[] = [];
let names: string[] = [];
let unpacked = '';

function entry(name: string): ZipEntry {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in the VSIX`);
  return found;
}

beforeAll(() => {
  if (!existsSync(vsixPath)) {
    execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'pipe' });
  }
  entries = readZipEntries(readFileSync(vsixPath));
  names = entries.map((e) => e.name);
  console.info(
    `VSIX ${vsixPath}: ${names.length} files, ${(statSync(vsixPath).size / 1024 / 1024).toFixed(2)} MB`,
  );
}, 300_000);

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

describe('the packaged VSIX', () => {
  it('contains only files the installed extension runs or shows', () => {
    const unexpected = names.filter((name) => !SHIPPED.some(([, pattern]) => pattern.test(name)));
    expect(unexpected).toEqual([]);
  });

  it('contains no sources, tests, source maps or development dependencies', () => {
    expect(names.filter((name) => /\.(map|ts|mts|tsx)$/.test(name))).toEqual([]);
    expect(names.filter((name) => /^extension\/(client|server|test|bench|examples|scripts|\.ci)\//.test(name))).toEqual([]);
    const packages = new Set(
      names.flatMap((name) => /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(name)?.[1] ?? []),
    );
    expect([...packages].sort()).toEqual([...RUNTIME_PACKAGES].sort());
    for (const bundle of names.filter((name) => name.endsWith('.js') && name.startsWith('extension/dist/'))) {
      expect(entry(bundle).contents().toString('utf8'), bundle).not.toContain('sourceMappingURL');
    }
  });

  it('ships the tree-sitter native addon for every platform the packages provide', () => {
    for (const pkg of NATIVE_PACKAGES) {
      const platforms = readdirSync(join(root, 'node_modules', pkg, 'prebuilds'));
      expect(platforms.length).toBeGreaterThanOrEqual(4);
      for (const platform of platforms) {
        expect(names).toContain(`extension/node_modules/${pkg}/prebuilds/${platform}/${pkg}.node`);
      }
    }
  });

  it('ships the entry points and assets the manifest names', () => {
    const manifest = JSON.parse(entry('extension/package.json').contents().toString('utf8')) as {
      main: string;
      icon: string;
      contributes?: { grammars?: Array<{ path: string }> };
    };
    const packaged = (path: string) => `extension/${path.replace(/^\.\//, '')}`;
    expect(names).toContain(packaged(manifest.main));
    expect(names).toContain(packaged(manifest.icon));
    for (const grammar of manifest.contributes?.grammars ?? []) {
      expect(names).toContain(packaged(grammar.path));
    }
    for (const bundle of ['dist/server.js', 'dist/reproWorker.js', 'dist/media/report.js']) {
      expect(names).toContain(packaged(bundle));
    }
    const wasmFiles = readdirSync(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')).filter((f) =>
      f.endsWith('.wasm'),
    );
    expect(wasmFiles.length).toBeGreaterThan(0);
    for (const wasm of wasmFiles) expect(names).toContain(`extension/dist/wasm/${wasm}`);
    for (const page of readdirSync(join(root, 'docs/rules'))) expect(names).toContain(`extension/docs/rules/${page}`);
    for (const grammar of readdirSync(join(root, 'syntaxes'))) expect(names).toContain(`extension/syntaxes/${grammar}`);
    expect(names.filter((name) => /^extension\/(readme|changelog)\.md$/i.test(name))).toHaveLength(2);
    expect(names.some((name) => /^extension\/LICENSE(\.txt)?$/.test(name))).toBe(true);
  });

  it('stays within its size budget', () => {
    expect(statSync(vsixPath).size).toBeLessThan(SIZE_BUDGET_BYTES);
  });

  it('parses Python with the packaged tree-sitter, unpacked away from the repository', () => {
    unpacked = mkdtempSync(join(tmpdir(), 'nanlint-vsix-'));
    for (const e of entries) {
      const target = join(unpacked, e.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, e.contents());
    }
    const modules = join(unpacked, 'extension', 'node_modules');
    const script = `
      const Parser = require(${JSON.stringify(join(modules, 'tree-sitter'))});
      const Python = require(${JSON.stringify(join(modules, 'tree-sitter-python'))});
      const parser = new Parser();
      parser.setLanguage(Python);
      const tree = parser.parse('optimizer = Adam(model.parameters(), lr=0.01)\\n');
      process.stdout.write(tree.rootNode.toString());
    `;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: unpacked, encoding: 'utf8' });
    expect(output).toMatch(/^\(module \(expression_statement \(assignment left: \(identifier\) right: \(call/);
  });
});
