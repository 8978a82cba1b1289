/**
 * The `nanlint/status` notification that drives the client's LanguageStatusItem (vscode-eslint does the
 * same): one state per document, plus the server-wide one; only changes are sent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { StatusNotification, type ServerState, type StatusParams } from '../protocol/messages';

export interface StatusUpdate {
  state: ServerState;
  message: string;
  uri?: string;
}

export class StatusReporter {
  private readonly last = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    readonly version: string = serverVersion(),
  ) {}

  report(update: StatusUpdate): void {
    const params: StatusParams = {
      state: update.state,
      message: update.message || `nanlint ${this.version}`,
      version: this.version,
      ...(update.uri !== undefined ? { uri: update.uri } : {}),
    };
    const key = update.uri ?? '';
    const serialized = JSON.stringify(params);
    if (this.last.get(key) === serialized) return;
    this.last.set(key, serialized);
    void this.connection.sendNotification(StatusNotification, params).catch(() => undefined);
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

/**
 * The version in the package's package.json. The server runs bundled (dist/server.js) and from source
 * in tests, so the manifest is found by walking up from this module.
 */
export function serverVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (parsed.name === 'nanlint' && typeof parsed.version === 'string') return parsed.version;
      } catch {
        // An unreadable manifest on the way up is not ours; keep looking.
      }
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
