// Neovim (Debian's 0.7) as a second, independent LSP client: test/e2e/neovim/lspClient.lua runs inside a
// headless nvim against `nanlint server --stdio`; this side starts it and checks what it recorded.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCliFix, cliFindings } from './expectations.mjs';

const NVIM_TIMEOUT_MS = 120_000;

function runNeovim(nvim, script, env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(nvim, ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${script}`], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nvim did not finish within ${NVIM_TIMEOUT_MS} ms; output: ${output}`));
    }, NVIM_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Opens `file` (relative to `workspace`) in headless Neovim with nanlint as its language server, applies the
 * quick fix for the first `code` finding, and checks the diagnostics and the resulting buffer against the CLI.
 * Returns the measured server start-to-first-diagnostics time.
 */
export async function checkNeovimClient({ root, nvim, workspace, file, code }) {
  const expected = cliFindings(root, workspace, file);
  const target = expected.find((finding) => finding.code === code && finding.fix);
  assert(target, `the CLI reports no fixable ${code} in ${file}: ${JSON.stringify(expected)}`);
  const scratch = mkdtempSync(join(tmpdir(), 'nanlint-e2e-nvim-'));
  const resultPath = join(scratch, 'result.json');
  try {
    const { code: exitCode, output } = await runNeovim(
      nvim,
      join(root, 'test/e2e/neovim/lspClient.lua'),
      {
        NANLINT_SERVER_CMD: JSON.stringify([process.execPath, join(root, 'bin/nanlint.js'), 'server', '--stdio']),
        NANLINT_FILE: join(workspace, file),
        NANLINT_CODE: code,
        NANLINT_ACTION: target.fix.message,
        NANLINT_RESULT: resultPath,
      },
      workspace,
    );
    assert(existsSync(resultPath), `nvim exited with ${exitCode} without writing a result; output: ${output}`);
    const result = JSON.parse(readFileSync(resultPath, 'utf8'));
    assert(!result.error, `the Neovim client failed: ${result.error}\nlog: ${JSON.stringify(result.log)}`);

    const shown = (result.before ?? []).map((d) => `${d.code}@${d.line}`).sort();
    const reported = expected.map((f) => `${f.code}@${f.location.row}`).sort();
    assert(
      JSON.stringify(shown) === JSON.stringify(reported),
      `Neovim got diagnostics ${JSON.stringify(shown)}, the CLI reports ${JSON.stringify(reported)}`,
    );
    assert(
      result.before.every((d) => d.source === 'nanlint'),
      `diagnostics without source "nanlint": ${JSON.stringify(result.before)}`,
    );

    const original = readFileSync(join(workspace, file), 'utf8');
    const withoutFinalNewline = (text) => text.replace(/\n$/, '');
    assert(result.textBefore === withoutFinalNewline(original), 'the buffer Neovim opened differs from the file');
    const wanted = withoutFinalNewline(applyCliFix(original, target.fix));
    assert(
      result.textAfter === wanted,
      `after "${result.applied}" the buffer is\n${result.textAfter}\n--- but the CLI's fix gives ---\n${wanted}`,
    );
    assert(
      !result.after.some((d) => d.code === code && d.line === target.location.row),
      `${code} still reported on line ${target.location.row} after the fix: ${JSON.stringify(result.after)}`,
    );
    return {
      firstDiagnosticsMs: Math.round(result.firstDiagnosticsMs),
      diagnostics: shown,
      applied: result.applied,
      actionsOffered: result.actions,
      remaining: result.after.map((d) => `${d.code}@${d.line}`),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
