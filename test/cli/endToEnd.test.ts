import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLEAN, HIGH_LR, LSTM_LOOP, makeProject, runCli } from './cliHarness';

const BIN = join(__dirname, '../../bin/nanlint.js');
const BUNDLE = join(__dirname, '../../dist/cli.js');

function nanlint(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A training script long enough that checking it takes far longer than a few hundred milliseconds. */
function slowScript(): string {
  const lines = ['import torch', 'import torch.nn as nn', 'model = nn.LSTM(8, 8)'];
  for (let i = 0; i < 4000; i++) {
    lines.push(`opt${i} = torch.optim.Adam(model.parameters(), lr=0.01)`, `for x in loader${i}:`, `    loss${i} = model(x)`, `    loss${i}.backward()`, `    opt${i}.step()`);
  }
  return `${lines.join('\n')}\n`;
}

describe('the installed command (bin/nanlint.js → dist/cli.js, files checked on worker threads)', () => {
  beforeAll(() => {
    // `npm test` builds first; a missing bundle is a setup error worth a clear message, not a skip.
    expect(existsSync(BUNDLE), 'dist/cli.js is missing: run `npm run build` first').toBe(true);
  });

  it('prints the NAN301 finding and exits 1', () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = nanlint(['check'], root);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(/^train\.py:2:44: NAN301 \[\*\] /);
    expect(run.stderr).toBe('');
  });

  it('exits 0 on a clean tree and 2 on a usage error, without a stack trace', () => {
    const root = makeProject({ 'train.py': CLEAN });
    expect(nanlint(['check'], root).code).toBe(0);
    const usage = nanlint(['check', '--format', 'yaml'], root);
    expect(usage.code).toBe(2);
    expect(usage.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(usage.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('prints its version', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(nanlint(['--version'], makeProject({})).stdout).toBe(`${manifest.version}\n`);
  });

  it('gives the same JSON on two worker threads as in-process', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`pkg${i % 2}/train${i}.py`] = i % 2 === 0 ? HIGH_LR : HIGH_LR + LSTM_LOOP;
    const root = makeProject(files);
    const workers = nanlint(['check', '--format', 'json', '--jobs', '2'], root);
    const inProcess = await runCli(['check', '--format', 'json'], root);
    expect(workers.code).toBe(1);
    expect(JSON.parse(workers.stdout)).toEqual(JSON.parse(inProcess.stdout));
    expect((JSON.parse(workers.stdout) as unknown[]).length).toBeGreaterThanOrEqual(9);
  });

  it('fixes files on worker threads', () => {
    const root = makeProject({ 'a.py': HIGH_LR, 'b.py': HIGH_LR });
    const run = nanlint(['check', '--fix', '--jobs', '2'], root);
    expect(run.stdout).toBe('Found 2 problems (2 fixed, 0 remaining).\n');
    expect(readFileSync(join(root, 'a.py'), 'utf8')).toBe(CLEAN);
    expect(readFileSync(join(root, 'b.py'), 'utf8')).toBe(CLEAN);
  });

  it('reports a file that runs over the time budget, still checks the others, and exits 2', () => {
    const root = makeProject({ 'slow.py': slowScript(), 'quick.py': HIGH_LR });
    const run = nanlint(['check', '--file-time-budget', '1000', '--jobs', '2', '--format', 'json'], root);
    expect(run.stderr).toBe('nanlint: slow.py: checking took longer than the 1000 ms budget (file-time-budget-ms); skipped\n');
    expect((JSON.parse(run.stdout) as { filename: string }[]).map((d) => d.filename)).toEqual(['quick.py']);
    expect(run.code).toBe(2);
  });

  it('serves LSP over stdio: initialize answers with capabilities, shutdown and exit end it with 0', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const frame = (message: object): string => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    let received = '';
    const initialized = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (received.includes('"capabilities"')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    await initialized;
    expect(received).toContain('"id":1');
    child.stdin.write(frame({ id: 2, method: 'shutdown' }));
    child.stdin.write(frame({ method: 'exit' }));
    expect(await exited).toBe(0);
  });

  it('checks a notebook end to end and writes the fix back', () => {
    const fixture = readFileSync(join(__dirname, '../fixtures/notebooks/lstm-across-cells.ipynb'), 'utf8');
    const root = makeProject({ 'nb.ipynb': fixture });
    const run = nanlint(['check', '--select', 'NAN201,NAN301', '--fix', 'nb.ipynb'], root);
    expect(run.stdout).toBe('Found 2 problems (2 fixed, 0 remaining).\n');
    const fixed = readFileSync(join(root, 'nb.ipynb'), 'utf8');
    expect(fixed.length).toBeGreaterThan(fixture.length);
    writeFileSync(join(root, 'again.ipynb'), fixed);
    expect(nanlint(['check', '--select', 'NAN201,NAN301', 'again.ipynb'], root).code).toBe(0);
  });
});
