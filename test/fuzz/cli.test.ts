// The CLI's `main()` on folders of hostile files: random bytes (invalid UTF-8, NUL), mutated training
// scripts and broken notebooks. It always ends with exit code 0, 1 or 2, never throws, prints a JSON report
// that parses, points only inside the files, and `--fix` leaves no file with more syntax errors.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main';
import { checkAsync, LONG, runs } from './budget';
import { BROKEN_NOTEBOOKS, mutatedSeed } from './inputs';
import { syntaxErrorCount } from './invariants';

interface JsonDiagnostic {
  code: string;
  filename: string;
  cell?: number;
  location: { row: number; column: number };
  end_location: { row: number; column: number };
}

async function runMain(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd });
  return { code, stdout, stderr };
}

const file = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('py' as const), content: mutatedSeed(4).map((text) => Buffer.from(text, 'utf8')) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('py' as const), content: fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('ipynb' as const),
      content: fc.tuple(fc.constantFrom(...BROKEN_NOTEBOOKS), fc.nat()).map(([[, json], cut]) => Buffer.from(cut % 4 === 0 ? json.slice(0, cut % (json.length + 1)) : json, 'utf8')),
    }),
  },
);

/** Lines of each cell of a notebook file, or of the file itself; undefined when it is not readable as such. */
function linesOf(content: string, cell: number | undefined): number | undefined {
  if (cell === undefined) return content.split('\n').length;
  try {
    const notebook = JSON.parse(content) as { cells: Array<{ source: string | string[] }> };
    const source = notebook.cells[cell - 1]?.source;
    const text = Array.isArray(source) ? source.join('') : source;
    return typeof text === 'string' ? text.split('\n').length : undefined;
  } catch {
    return undefined;
  }
}

describe('the CLI on hostile folders', () => {
  it('reports, skips or fixes every file and never crashes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nanlint-fuzz-cli-'));
    try {
      let round = 0;
      await checkAsync(
        'cli',
        fc.asyncProperty(fc.array(file, { minLength: 1, maxLength: 5 }), fc.boolean(), async (files, fix) => {
          const dir = join(root, `round-${round++}`);
          const names = files.map((f, i) => `f${i}.${f.kind}`);
          mkdirSync(dir);
          files.forEach((f, i) => writeFileSync(join(dir, names[i] as string), f.content));
          const before = new Map(names.map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

          const report = await runMain(['check', '.', '--format', 'json', '--no-config', ...(fix ? ['--fix'] : [])], dir);
          expect([0, 1, 2]).toContain(report.code);
          expect(report.stderr).not.toMatch(/internal error|\n\s+at /);
          const diagnostics = JSON.parse(report.stdout) as JsonDiagnostic[];
          for (const d of diagnostics) {
            const name = d.filename.replace(/^\.\//, '');
            expect(names).toContain(name);
            expect(d.location.row).toBeGreaterThanOrEqual(1);
            expect(d.location.column).toBeGreaterThanOrEqual(1);
            expect(d.end_location.row).toBeGreaterThanOrEqual(d.location.row);
            const lines = linesOf(readFileSync(join(dir, name), 'utf8'), d.cell);
            if (lines !== undefined) expect(d.end_location.row).toBeLessThanOrEqual(lines);
          }
          if (fix) {
            for (const name of names.filter((n) => n.endsWith('.py'))) {
              const original = before.get(name) as string;
              const after = readFileSync(join(dir, name), 'utf8');
              if (after !== original) expect(syntaxErrorCount(after)).toBeLessThanOrEqual(syntaxErrorCount(original));
            }
            for (const name of names.filter((n) => n.endsWith('.ipynb'))) {
              const original = before.get(name) as string;
              const after = readFileSync(join(dir, name), 'utf8');
              if (after !== original) expect(() => JSON.parse(after)).not.toThrow();
            }
          }
        }),
        runs(40, 2_000),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, LONG ? 3_600_000 : 60_000);
});
