import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LspTestClient } from '../helpers/lspHarness';
import { FOCUS, LSTM_TRAINING } from './samples';

const URI = 'file:///workspace/train.py';

describe.each([
  { entry: 'node dist/server.js --stdio', spawnArgs: ['dist/server.js', '--stdio'] },
  { entry: 'nanlint server --stdio', spawnArgs: ['bin/nanlint.js', 'server', '--stdio'] },
])('the bundled server over stdio ($entry)', ({ spawnArgs }) => {
  it('is built (npm run build) before the LSP tests run', () => {
    expect(existsSync(resolve(__dirname, '../..', spawnArgs[0]!.replace('bin/nanlint.js', 'dist/cli.js')))).toBe(true);
  });

  it('serves diagnostics and status, and exits cleanly on shutdown + exit', async () => {
    const client = await LspTestClient.start({ spawn: true, spawnArgs, pull: false, settings: FOCUS });
    const child = client.child!;
    expect(client.initializeResult?.serverInfo).toMatchObject({ name: 'nanlint' });
    await client.open(URI, LSTM_TRAINING);
    expect((await client.diagnostics(URI)).map((d) => d.code).sort()).toEqual(['NAN201', 'NAN301']);
    await client.waitFor(() => client.statuses.find((status) => status.state === 'ok' && status.version !== 'unknown'), 'an ok status with the version');
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    await client.connection.sendRequest('shutdown');
    await client.connection.sendNotification('exit');
    expect(await exited).toBe(0);
    client.connection.dispose();
  });
});
