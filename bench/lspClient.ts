// A minimal LSP client for the benchmarks: the bundled server in a child process (`node dist/server.js
// --stdio`), JSON-RPC over its stdio, pull or push diagnostics, and the child's resident memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

export class BenchLspClient {
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Map<string, { version: number; resolve: (params: PublishedDiagnostics) => void }>();

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
    readonly pull: boolean,
  ) {}

  /** Starts the bundled server; `pull` declares pull-diagnostics support, otherwise the server pushes. */
  static async start(options: { pull: boolean; serverScript?: string }): Promise<BenchLspClient> {
    const script = options.serverScript ?? resolve('dist', 'server.js');
    const child = spawn(process.execPath, [script, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    if (!child.stdout || !child.stdin) throw new Error('server stdio is not piped');
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new BenchLspClient(child, connection, options.pull);
    // An editor answers whatever the server asks (configuration, capability registration, refresh) politely.
    connection.onRequest((method: string, params: unknown) => {
      if (method === 'workspace/configuration') {
        const items = (params as { items?: unknown[] } | undefined)?.items ?? [];
        return items.map(() => null);
      }
      return null;
    });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      const waiter = client.waiters.get(params.uri);
      if (waiter && (params.version === undefined || params.version >= waiter.version)) {
        client.waiters.delete(params.uri);
        waiter.resolve(params);
      }
    });
    connection.onNotification(() => undefined);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: options.pull ? { textDocument: { diagnostic: { dynamicRegistration: false } } } : { textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  }

  /** Sends one incremental change and returns its version. */
  async change(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  /** Diagnostics for the document's current version: a pull request, or the next push at least this recent. */
  diagnostics(uri: string): Promise<unknown> {
    if (this.pull) return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const version = this.versions.get(uri) ?? 0;
    return new Promise((resolve) => this.waiters.set(uri, { version, resolve }));
  }

  /** Resident set size in bytes of the server and its child processes (the engine child), from Linux /proc. */
  rssBytes(): number {
    return processTree(this.child.pid ?? 0).reduce((sum, pid) => sum + residentBytes(pid), 0);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
    }
    await exited;
  }
}

/** A process and all its descendants, from /proc/<pid>/task/<tid>/children. */
function processTree(root: number): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length; i++) {
    const pid = pids[i]!;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    }
  }
  return pids;
}

function residentBytes(pid: number): number {
  const kib = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kib === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kib) * 1024;
}
