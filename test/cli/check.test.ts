import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAN, HIGH_LR, LSTM_LOOP, makeProject, runCli } from './cliHarness';

describe('nanlint check: findings and exit codes', () => {
  it('prints path:row:col: CODE message with a fixable marker and a summary, and exits 1', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check'], root);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^train\.py:2:44: NAN301 \[\*\] `Adam` learning rate `0\.01`/);
    expect(lines).toContain('Found 1 problem.');
    expect(lines).toContain('[*] 1 fixable with the `--fix` option.');
    expect(run.stderr).toBe('');
  });

  it('says all checks passed and exits 0 on a clean file', async () => {
    const root = makeProject({ 'train.py': CLEAN });
    const run = await runCli(['check', 'train.py'], root);
    expect(run).toEqual({ code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });

  it('exits 0 with --exit-zero even when there are findings', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', '--exit-zero'], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('NAN301');
  });

  it('warns when there is nothing to check, and exits 0', async () => {
    const run = await runCli(['check'], makeProject({ 'README.md': '# no python here\n' }));
    expect(run).toEqual({ code: 0, stdout: 'All checks passed!\n', stderr: 'nanlint: warning: no .py or .ipynb files found under the given paths\n' });
  });

  it('keeps a relative path relative and joins it with the files found under it', async () => {
    const root = makeProject({ 'src/models/train.py': HIGH_LR });
    const run = await runCli(['check', 'src'], root);
    expect(run.stdout.split('\n')[0]).toMatch(/^src\/models\/train\.py:2:44: NAN301/);
  });

  it('reports files in filename order whatever order they were found in', async () => {
    const root = makeProject({ 'b.py': HIGH_LR, 'a.py': HIGH_LR, 'c/a.py': HIGH_LR });
    const run = await runCli(['check', 'c', 'b.py', 'a.py', '--format', 'json'], root);
    const files = (JSON.parse(run.stdout) as { filename: string }[]).map((d) => d.filename);
    expect(files).toEqual(['a.py', 'b.py', 'c/a.py']);
  });
});

describe('nanlint check: rule selection', () => {
  it('runs only the selected rules with --select', async () => {
    const root = makeProject({ 'train.py': HIGH_LR + LSTM_LOOP });
    const only201 = await runCli(['check', '--select', 'NAN201', '--format', 'json'], root);
    expect((JSON.parse(only201.stdout) as { code: string }[]).map((d) => d.code)).toEqual(['NAN201']);
  });

  it('accepts a code prefix in --select, as Ruff does', async () => {
    const root = makeProject({ 'train.py': HIGH_LR + LSTM_LOOP });
    const run = await runCli(['check', '--select', 'NAN3', '--format', 'json'], root);
    expect((JSON.parse(run.stdout) as { code: string }[]).map((d) => d.code)).toEqual(['NAN301']);
  });

  it('skips the rules named in --ignore', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', '--ignore', 'NAN301'], root);
    expect(run.code).toBe(0);
  });

  it('rejects an unknown code in --select with one line on stderr and exit 2', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', '--select', 'NAN999'], root);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^nanlint: unknown rule code 'NAN999' in --select \(known: NAN101, .*\)\n$/);
  });
});

describe('nanlint check: usage errors', () => {
  it('reports an unknown option on one line and exits 2', async () => {
    const run = await runCli(['check', '--frobnicate'], makeProject({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("nanlint: unknown option '--frobnicate'\n");
  });

  it('rejects a format that is not in the registry', async () => {
    const run = await runCli(['check', '--format', 'xml'], makeProject({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nanlint: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json, sarif, github\.\n$/);
  });

  it('rejects --statistics with a format that cannot carry it', async () => {
    const run = await runCli(['check', '--statistics', '--format', 'sarif'], makeProject({ 'a.py': HIGH_LR }));
    expect(run).toMatchObject({ code: 2, stderr: 'nanlint: --statistics prints text or json, not sarif\n' });
  });

  it('rejects --config together with --no-config', async () => {
    const run = await runCli(['check', '--config', 'x.toml', '--no-config'], makeProject({}));
    expect(run).toMatchObject({ code: 2, stderr: 'nanlint: --config and --no-config cannot be used together\n' });
  });

  it('rejects a non-numeric --jobs', async () => {
    const run = await runCli(['check', '--jobs', 'many'], makeProject({}));
    expect(run).toMatchObject({ code: 2, stderr: "nanlint: --jobs takes a positive whole number, not 'many'\n" });
  });

  it('names a path that does not exist, checks the rest, and exits 2', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', 'missing.py', 'train.py'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('nanlint: missing.py: no such file or directory; skipped\n');
    expect(run.stdout).toContain('train.py:2:44: NAN301');
  });

  it('exits 2 with a usage line when no command is given', async () => {
    const run = await runCli([], makeProject({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: nanlint');
  });
});

describe('nanlint check --fix', () => {
  it('applies the safe fix in place and reports what is left', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', '--fix'], root);
    expect(readFileSync(join(root, 'train.py'), 'utf8')).toBe(CLEAN);
    expect(run.stdout).toBe('Found 1 problem (1 fixed, 0 remaining).\n');
    expect(run.code).toBe(0);
  });

  it('keeps a UTF-8 byte order mark when it rewrites a file', async () => {
    const root = makeProject({ 'train.py': `\uFEFF${HIGH_LR}` });
    await runCli(['check', '--fix'], root);
    expect(readFileSync(join(root, 'train.py'), 'utf8')).toBe(`\uFEFF${CLEAN}`);
  });

  it('leaves files alone without --fix', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    await runCli(['check'], root);
    expect(readFileSync(join(root, 'train.py'), 'utf8')).toBe(HIGH_LR);
  });
});

describe('nanlint check --statistics and --output-file', () => {
  it('prints counts per rule instead of findings', async () => {
    const root = makeProject({ 'a.py': HIGH_LR, 'b.py': HIGH_LR + LSTM_LOOP });
    const run = await runCli(['check', '--statistics', '--select', 'NAN201,NAN301'], root);
    expect(run.stdout).toBe('2\tNAN301\t[*] high-learning-rate\n1\tNAN201\t[*] missing-gradient-clipping\n');
    expect(run.code).toBe(1);
  });

  it('prints statistics as JSON with --format json', async () => {
    const root = makeProject({ 'a.py': HIGH_LR });
    const run = await runCli(['check', '--statistics', '--format', 'json'], root);
    expect(JSON.parse(run.stdout)).toEqual([{ code: 'NAN301', name: 'high-learning-rate', count: 1, fixable: true }]);
  });

  it('writes the report to --output-file and nothing to stdout', async () => {
    const root = makeProject({ 'a.py': HIGH_LR });
    const run = await runCli(['check', '--format', 'json', '--output-file', 'reports/nanlint.json'], root);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
    const written = JSON.parse(readFileSync(join(root, 'reports/nanlint.json'), 'utf8')) as { code: string }[];
    expect(written.map((d) => d.code)).toEqual(['NAN301']);
  });

  it('exits 2 naming the output file when it cannot be written', async () => {
    const root = makeProject({ 'a.py': HIGH_LR, 'blocker': 'a file, not a folder' });
    const run = await runCli(['check', '--output-file', 'blocker/out.txt'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nanlint: blocker\/out\.txt: cannot write the output file: /);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('nanlint check --report-unused-noqa', () => {
  const idle = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)  # noqa: NAN301\n';

  it('reports a directive that suppresses nothing as NAN000', async () => {
    const root = makeProject({ 'a.py': idle });
    const quiet = await runCli(['check'], root);
    expect(quiet.code).toBe(0);
    const run = await runCli(['check', '--report-unused-noqa'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('a.py:2:54: NAN000 [*] Unused suppression directive (unused: `NAN301`)');
  });

  it('does not report a directive that suppresses a finding', async () => {
    const root = makeProject({ 'a.py': 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)  # noqa: NAN301\n' });
    const run = await runCli(['check', '--report-unused-noqa'], root);
    expect(run).toMatchObject({ code: 0, stdout: 'All checks passed!\n' });
  });

  it('removes the idle directive with --fix', async () => {
    const root = makeProject({ 'a.py': idle });
    await runCli(['check', '--report-unused-noqa', '--fix'], root);
    expect(readFileSync(join(root, 'a.py'), 'utf8')).toBe(CLEAN);
  });
});

describe('nanlint server and reproduce', () => {
  it('asks for a transport when server is started without --stdio', async () => {
    const run = await runCli(['server'], makeProject({}));
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'nanlint: server needs a transport: nanlint server --stdio\n' });
  });

  it('hands reproduce to the reproduction command, which names a missing file', async () => {
    const run = await runCli(['reproduce', 'missing.py', '--steps', '5'], makeProject({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^nanlint: missing\.py: cannot read file/);
  });

  it('rejects an unknown reproduction backend', async () => {
    const run = await runCli(['reproduce', 'train.py', '--backend', 'gpu'], makeProject({}));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'gpu' is invalid. Allowed choices are auto, node, wasm, cpu.");
  });
});

describe('nanlint rule, --version, --help', () => {
  it('prints the documentation of a rule, whatever the case of its code', async () => {
    const run = await runCli(['rule', 'nan301'], makeProject({}));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# NAN301: high-learning-rate\n/);
    expect(run.stdout).toContain('## Why it makes NaN');
  });

  it('exits 2 for an unknown rule code', async () => {
    const run = await runCli(['rule', 'NAN999'], makeProject({}));
    expect(run).toEqual({ code: 2, stdout: '', stderr: "nanlint: unknown rule code 'NAN999'\n" });
  });

  it('prints the version of package.json', async () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], makeProject({}));
    expect(run).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  it('prints help for check with every flag and exits 0', async () => {
    const run = await runCli(['check', '--help'], makeProject({}));
    expect(run.code).toBe(0);
    for (const flag of ['--format', '--output-file', '--statistics', '--fix', '--unsafe-fixes', '--select', '--ignore', '--exit-zero', '--config', '--no-config', '--report-unused-noqa']) {
      expect(run.stdout).toContain(flag);
    }
  });
});
