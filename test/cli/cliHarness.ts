import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../server/src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as the bundled entry would, with output captured. */
export async function runCli(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd,
  });
  return { code, stdout, stderr };
}

/** A fresh folder holding the given files (paths relative to it; folders are created). */
export function makeProject(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'nanlint-cli-'));
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

/** The example from the brief: NAN301 on `lr=0.01`, with a safe fix to `1e-3`. */
export const HIGH_LR = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)\n';
export const CLEAN = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\n';

/** An LSTM trained without clipping: NAN201 on `opt.step()` (row 8). */
export const LSTM_LOOP = [
  'import torch',
  'import torch.nn as nn',
  'model = nn.LSTM(32, 64)',
  'opt = torch.optim.Adam(model.parameters(), lr=1e-3)',
  'for x, y in loader:',
  '    opt.zero_grad()',
  '    loss_fn(model(x)[0], y).backward()',
  '    opt.step()',
  '',
].join('\n');
