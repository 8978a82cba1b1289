import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HIGH_LR, makeProject, runCli } from './cliHarness';

function codesByFile(stdout: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const diagnostic of JSON.parse(stdout) as { filename: string; code: string }[]) {
    (result[diagnostic.filename] ??= []).push(diagnostic.code);
  }
  return result;
}

describe('files that cannot be checked are reported and skipped; the run goes on and exits 2', () => {
  it('skips a binary file (NUL bytes)', async () => {
    const root = makeProject({ 'blob.py': Buffer.from('import torch\n\u0000\u0001', 'utf8'), 'train.py': HIGH_LR });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(run.stderr).toBe('nanlint: blob.py: binary file (contains NUL bytes); skipped\n');
    expect(codesByFile(run.stdout)).toEqual({ 'train.py': ['NAN301'] });
    expect(run.code).toBe(2);
  });

  it('exits 2 for a skipped file even with --exit-zero, and 1 when the same findings come without one', async () => {
    const withBlob = makeProject({ 'blob.py': Buffer.from('\u0000', 'utf8'), 'train.py': HIGH_LR });
    expect((await runCli(['check', '--exit-zero'], withBlob)).code).toBe(2);
    const withoutBlob = makeProject({ 'train.py': HIGH_LR });
    expect((await runCli(['check'], withoutBlob)).code).toBe(1);
  });

  it('skips a file that is not valid UTF-8', async () => {
    const root = makeProject({ 'latin1.py': Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]) });
    const run = await runCli(['check'], root);
    expect(run.stderr).toBe('nanlint: latin1.py: not valid UTF-8; skipped\n');
    expect(run.stdout).toContain('No problems found in the files that were checked.');
    expect(run.stdout).not.toContain('All checks passed!');
    expect(run.stdout).toContain('1 file could not be checked');
    expect(run.code).toBe(2);
  });

  it('skips a file over the size limit and says which limit', async () => {
    const root = makeProject({ 'big.py': `${'x = 1\n'.repeat(100)}${HIGH_LR}`, 'small.py': HIGH_LR });
    const run = await runCli(['check', '--max-file-size', '200', '--format', 'json'], root);
    expect(run.stderr).toMatch(/^nanlint: big\.py: file is \d+ bytes, over the 200-byte limit \(max-file-size\); skipped\n$/);
    expect(codesByFile(run.stdout)).toEqual({ 'small.py': ['NAN301'] });
  });

  it('takes the size limit from pyproject.toml', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nmax-file-size = 10\n', 'train.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.stderr).toContain('over the 10-byte limit');
    expect(run.code).toBe(2);
  });

  it('skips a notebook whose JSON is broken', async () => {
    const root = makeProject({ 'broken.ipynb': '{"cells": [', 'train.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.stderr).toMatch(/^nanlint: broken\.ipynb: invalid notebook JSON: .*; skipped\n$/);
    expect(run.stdout).toContain('train.py:2:44: NAN301');
  });

  it('skips a notebook of another nbformat and one without cells', async () => {
    const root = makeProject({ 'v3.ipynb': '{"nbformat": 3, "worksheets": []}', 'none.ipynb': '{"nbformat": 4, "metadata": {}}' });
    const run = await runCli(['check'], root);
    expect(run.stderr.split('\n').filter(Boolean).sort()).toEqual([
      'nanlint: none.ipynb: not a notebook: "cells" is missing or not a list; skipped',
      'nanlint: v3.ipynb: unsupported notebook format 3 (nbformat 4 is read); skipped',
    ]);
  });

  it('still reports findings around a syntax error and warns about it', async () => {
    const source = `import torch\ndef broken(:\n    pass\n${HIGH_LR.split('\n')[1]}\n`;
    const root = makeProject({ 'train.py': source });
    const run = await runCli(['check'], root);
    expect(run.stdout).toContain('train.py:4:44: NAN301');
    expect(run.stderr).toMatch(/^nanlint: warning: train\.py:2:\d+: syntax error; the rest of the file was still checked\n$/);
  });
});

describe('file discovery', () => {
  it('checks .py and .ipynb files and nothing else', async () => {
    const root = makeProject({ 'a.py': HIGH_LR, 'notes.txt': HIGH_LR, 'stub.pyi': HIGH_LR, 'b.PY': HIGH_LR });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(Object.keys(codesByFile(run.stdout)).sort()).toEqual(['a.py', 'b.PY']);
  });

  it('never reads node_modules, .git, __pycache__ or virtual environments', async () => {
    const root = makeProject({
      'train.py': HIGH_LR,
      'node_modules/pkg/x.py': HIGH_LR,
      '.git/hooks/x.py': HIGH_LR,
      '__pycache__/x.py': HIGH_LR,
      '.venv/lib/x.py': HIGH_LR,
      'venv/lib/x.py': HIGH_LR,
      'my-env/pyvenv.cfg': 'home = /usr/bin\n',
      'my-env/lib/site.py': HIGH_LR,
      '.ipynb_checkpoints/nb-checkpoint.py': HIGH_LR,
    });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(Object.keys(codesByFile(run.stdout))).toEqual(['train.py']);
  });

  it('does not follow a symbolic link to a folder', async () => {
    const root = makeProject({ 'real/train.py': HIGH_LR });
    symlinkSync(join(root, 'real'), join(root, 'loop'));
    symlinkSync(root, join(root, 'real', 'up'));
    const run = await runCli(['check', '--format', 'json'], root);
    expect(Object.keys(codesByFile(run.stdout))).toEqual(['real/train.py']);
  });

  it('honours exclude globs from pyproject.toml for folders and files', async () => {
    const root = makeProject({
      'pyproject.toml': '[tool.nanlint]\nexclude = ["generated", "experiments/**/*_old.py", "scratch_*.py"]\n',
      'train.py': HIGH_LR,
      'generated/model.py': HIGH_LR,
      'experiments/a/run_old.py': HIGH_LR,
      'experiments/a/run.py': HIGH_LR,
      'deep/scratch_1.py': HIGH_LR,
    });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(Object.keys(codesByFile(run.stdout)).sort()).toEqual(['experiments/a/run.py', 'train.py']);
  });

  it('applies exclude to files named on the command line too, as pre-commit names every file', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nexclude = ["legacy.py"]\n', 'legacy.py': HIGH_LR });
    const run = await runCli(['check', 'legacy.py'], root);
    expect(run).toMatchObject({ code: 0, stdout: 'All checks passed!\n' });
  });

  it('uses the nearest pyproject.toml with a [tool.nanlint] table for each file', async () => {
    const root = makeProject({
      'pyproject.toml': '[tool.nanlint]\nignore = ["NAN301"]\n',
      'a.py': HIGH_LR,
      'pkg/pyproject.toml': '[project]\nname = "no nanlint table here"\n',
      'pkg/b.py': HIGH_LR,
      'sub/pyproject.toml': '[tool.nanlint]\nselect = ["NAN301"]\n',
      'sub/c.py': HIGH_LR,
    });
    const run = await runCli(['check', '--format', 'json'], root);
    expect(codesByFile(run.stdout)).toEqual({ 'sub/c.py': ['NAN301'] });
  });
});

describe('configuration errors on the command line', () => {
  it('stops with one line naming pyproject.toml, the line and the problem, and exit 2', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nselct = ["NAN301"]\n', 'a.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "nanlint: pyproject.toml:2:1: unknown key 'selct' in [tool.nanlint] (known: select, ignore, per-file-ignores, severity, learning-rate-thresholds, clipping, exclude, max-file-size, file-time-budget-ms)\n",
    );
  });

  it('counts further problems on the same line', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nselect = ["NAN999"]\nclipping = "sometimes"\n', 'a.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.stderr).toBe("nanlint: pyproject.toml:2:11: unknown rule code 'NAN999' in 'select' (and 1 more configuration problem)\n");
  });

  it('reports bad TOML with its position', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nselect = ["NAN301"\n', 'a.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nanlint: pyproject\.toml:\d+:\d+: invalid TOML: .+\n$/);
  });

  it('reports a --config file that does not exist', async () => {
    const run = await runCli(['check', '--config', 'nope.toml'], makeProject({ 'a.py': HIGH_LR }));
    expect(run).toMatchObject({ code: 2, stderr: 'nanlint: nope.toml: cannot read configuration file: no such file\n' });
  });

  it('uses the --config file instead of any pyproject.toml', async () => {
    const root = makeProject({
      'pyproject.toml': '[tool.nanlint]\nignore = ["NAN301"]\n',
      'ci/nanlint.toml': 'learning-rate-thresholds = { adam = 0.001 }\n',
      'a.py': 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.005)\n',
    });
    const run = await runCli(['check', '--config', 'ci/nanlint.toml', '--format', 'json'], root);
    expect(codesByFile(run.stdout)).toEqual({ 'a.py': ['NAN301'] });
  });

  it('ignores every pyproject.toml with --no-config', async () => {
    const root = makeProject({ 'pyproject.toml': '[tool.nanlint]\nignore = ["NAN301"]\nselct = 1\n', 'a.py': HIGH_LR });
    const run = await runCli(['check', '--no-config', '--format', 'json'], root);
    expect(run.code).toBe(1);
    expect(codesByFile(run.stdout)).toEqual({ 'a.py': ['NAN301'] });
  });
});
