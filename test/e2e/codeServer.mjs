// Runs code-server (VS Code 1.139 for the browser) on a free loopback port with a throwaway profile,
// and the tools it needs, all installed by scripts/e2e-setup.sh into a cache folder outside the repository.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './waitFor.mjs';

/** Installs (idempotently) and locates Node 24, code-server, Chromium and Neovim. */
export function setUpTools(root) {
  const output = execFileSync('bash', [join(root, 'scripts/e2e-setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tools = Object.fromEntries(
    output
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  for (const key of ['NODE24', 'CODE_SERVER', 'CHROMIUM', 'NVIM']) {
    if (!tools[key]) throw new Error(`e2e-setup.sh did not report ${key}`);
  }
  return tools;
}

export function installExtension(tools, vsix, extensionsDir) {
  execFileSync(tools.NODE24, [tools.CODE_SERVER, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isRunning(processGroup) {
  try {
    process.kill(-processGroup, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server on `workspace` with a fresh profile in `profileDir` whose User/settings.json is `settings`.
 * The server runs in its own process group so that stopping it also ends the extension host and the language
 * server it started.
 */
export async function startCodeServer({ tools, profileDir, extensionsDir, workspace, settings }) {
  const userDataDir = join(profileDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  const logFile = join(profileDir, 'code-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    tools.NODE24,
    [
      tools.CODE_SERVER,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--config', join(profileDir, 'config.yaml'),
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`code-server listening on port ${port} (log: ${logFile})`, async () => {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    const response = await fetch(`${base}/healthz`).catch(() => null);
    return response?.ok ?? false;
  }, { timeout: 60_000 });
  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    userDataDir,
    logFile,
    async stop() {
      if (!isRunning(child.pid)) return;
      process.kill(-child.pid, 'SIGTERM');
      const ended = await waitFor('code-server to stop', () => !isRunning(child.pid), { timeout: 15_000 }).then(
        () => true,
        () => false,
      );
      if (!ended && isRunning(child.pid)) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
