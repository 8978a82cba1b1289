// The real server process (`node dist/server.js --stdio`) under random sessions that mix ordinary typing
// with misuse (issue 7): out-of-order versions, edits outside the document, requests for closed
// documents, malformed params, cancellation mid-request and floods of didChange sent without waiting.
// Every request gets a result or a proper JSON-RPC error, the process stays alive, and at the end the
// diagnostics of every open document equal the engine's findings on the text the client holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, LSPErrorCodes } from 'vscode-languageserver-protocol';
import { lint, LineIndex } from '../../server/src/engine';
import { LspTestClient } from '../helpers/lspHarness';
import { checkAsync, LONG, runs } from './budget';
import { SEEDS } from './inputs';

const DOCS = ['file:///fuzz/a.py', 'file:///fuzz/b.py', 'file:///fuzz/c.py'];
const PROPER_ERRORS = new Set<number>([
  ErrorCodes.InvalidParams,
  ErrorCodes.InvalidRequest,
  ErrorCodes.MethodNotFound,
  LSPErrorCodes.RequestCancelled,
  LSPErrorCodes.ServerCancelled,
  LSPErrorCodes.RequestFailed,
  LSPErrorCodes.ContentModified,
]);

type Action =
  | { kind: 'type'; doc: number; at: number; text: string }
  | { kind: 'flood'; doc: number; at: number; count: number }
  | { kind: 'stale-version'; doc: number; back: number }
  | { kind: 'outside'; doc: number; lines: number }
  | { kind: 'request-closed'; method: number }
  | { kind: 'malformed'; method: number; params: unknown }
  | { kind: 'cancel'; doc: number; method: number }
  | { kind: 'close-reopen'; doc: number; seed: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('type' as const), doc: fc.nat(2), at: fc.nat(), text: fc.constantFrom('', 'x', '(', ')', ':', '\n', ' ', '0', '#', '"', '𝒙') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flood' as const), doc: fc.nat(2), at: fc.nat(), count: fc.integer({ min: 10, max: 80 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale-version' as const), doc: fc.nat(2), back: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outside' as const), doc: fc.nat(2), lines: fc.integer({ min: 1, max: 1_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('request-closed' as const), method: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('malformed' as const), method: fc.nat(5), params: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), doc: fc.nat(2), method: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close-reopen' as const), doc: fc.nat(2), seed: fc.nat() }) },
);

const REQUESTS = ['textDocument/hover', 'textDocument/codeAction', 'textDocument/diagnostic', 'textDocument/codeLens'];
const MALFORMED_TARGETS = [...REQUESTS, 'workspace/executeCommand', 'codeAction/resolve'];

function requestParams(method: string, uri: string): unknown {
  const position = { line: 0, character: 0 };
  if (method === 'textDocument/hover') return { textDocument: { uri }, position };
  if (method === 'textDocument/codeAction') return { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } };
  return { textDocument: { uri } };
}

/** A request must end in a result or a JSON-RPC error with a meaningful code; anything else fails. */
async function answered(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    if (!PROPER_ERRORS.has(error.code)) throw new Error(`improper error ${error.code}: ${error.message}`);
  }
}

function positionIn(text: string, at: number): { line: number; character: number } {
  return new LineIndex(text).positionAt(at % (text.length + 1));
}

async function perform(client: LspTestClient, a: Action, open: Set<string>): Promise<void> {
  const uriOf = (doc: number) => DOCS[doc] as string;
  switch (a.kind) {
    case 'type': {
      const uri = uriOf(a.doc);
      if (!open.has(uri)) return;
      const text = client.text(uri);
      const start = positionIn(text, a.at);
      const end = a.text === '' ? positionIn(text, a.at + 1) : start;
      await client.edit(uri, { start, end }, a.text);
      return;
    }
    case 'flood': {
      const uri = uriOf(a.doc);
      if (!open.has(uri)) return;
      const sends: Promise<number>[] = [];
      for (let i = 0; i < a.count; i++) {
        const at = positionIn(client.text(uri), a.at + i);
        sends.push(client.edit(uri, { start: at, end: at }, i % 2 === 0 ? 'z' : ' '));
      }
      await Promise.all(sends);
      return;
    }
    case 'stale-version': {
      const uri = uriOf(a.doc);
      const doc = client.docs.get(uri);
      if (!doc) return;
      // An old version must be ignored: the client's copy stays as it is.
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: doc.version - a.back },
        contentChanges: [{ text: 'stale = "must be ignored"\n' }],
      });
      return;
    }
    case 'outside': {
      const uri = uriOf(a.doc);
      const doc = client.docs.get(uri);
      if (!doc) return;
      const far = { line: new LineIndex(doc.text).lineCount + a.lines, character: a.lines };
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++doc.version },
        contentChanges: [{ range: { start: far, end: { line: far.line + 1, character: 0 } }, text: 'far = 1\n' }],
      });
      // What a server makes of a range past the end is its choice (clamp or ignore); a full resync makes
      // the final comparison independent of that choice, while the server still had to survive the edit.
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++doc.version },
        contentChanges: [{ text: doc.text }],
      });
      return;
    }
    case 'request-closed': {
      const method = REQUESTS[a.method % REQUESTS.length] as string;
      await answered(client.connection.sendRequest(method, requestParams(method, 'file:///fuzz/never-opened.py')));
      return;
    }
    case 'malformed': {
      const method = MALFORMED_TARGETS[a.method % MALFORMED_TARGETS.length] as string;
      await answered(client.connection.sendRequest(method, a.params));
      await client.connection.sendNotification('textDocument/didChange', a.params);
      await client.connection.sendNotification('textDocument/didOpen', a.params);
      return;
    }
    case 'cancel': {
      const uri = uriOf(a.doc);
      const method = REQUESTS[a.method % REQUESTS.length] as string;
      const source = new CancellationTokenSource();
      const pending = client.connection.sendRequest(method, requestParams(method, uri), source.token);
      source.cancel();
      await answered(pending);
      return;
    }
    case 'close-reopen': {
      const uri = uriOf(a.doc);
      if (open.has(uri)) {
        await client.close(uri);
        open.delete(uri);
        await answered(client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }));
      }
      await client.open(uri, SEEDS[a.seed % SEEDS.length] as string);
      open.add(uri);
      return;
    }
  }
}

function expectedFindings(text: string): string[] {
  const lines = new LineIndex(text);
  return lint(text, 'fuzz.py').violations.map((v) => {
    const { line, character } = lines.positionAt(v.start);
    return `${v.code}@${line}:${character}`;
  });
}

describe('language server misuse', () => {
  // Found by the property below: the code lens handler read `params.textDocument.uri` unchecked (and again
  // in its catch block), so `{}` came back as InternalError instead of InvalidParams.
  it('answers malformed code lens requests with InvalidParams', async () => {
    const client = await LspTestClient.start({ spawn: true, pull: true });
    try {
      for (const params of [{}, { textDocument: 5 }, { textDocument: { uri: 42 } }]) {
        const error = await client.connection.sendRequest('textDocument/codeLens', params).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ResponseError);
        expect((error as ResponseError<unknown>).code).toBe(ErrorCodes.InvalidParams);
      }
      expect(client.child?.exitCode).toBeNull();
    } finally {
      await client.shutdown();
    }
  });

  it('answers every request and converges to the final text under random misuse', async () => {
    await checkAsync(
      'lsp misuse',
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), fc.array(action, { minLength: 5, maxLength: 40 }), async (seeds, actions) => {
        const client = await LspTestClient.start({ spawn: true, pull: true });
        try {
          const open = new Set<string>();
          for (const [i, uri] of DOCS.entries()) {
            await client.open(uri, SEEDS[(seeds[i] as number) % SEEDS.length] as string);
            open.add(uri);
          }
          for (const a of actions) await perform(client, a, open);
          expect(client.child?.exitCode).toBeNull();
          for (const uri of open) {
            const diagnostics = await client.diagnostics(uri);
            const actual = diagnostics
              .filter((d) => typeof d.code === 'string' && /^NAN[1-9]/.test(d.code))
              .map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);
            expect(actual.sort()).toEqual(expectedFindings(client.text(uri)).sort());
          }
        } finally {
          await client.shutdown();
        }
      }),
      runs(4, 200),
    );
  }, LONG ? 3_600_000 : 120_000);
});
