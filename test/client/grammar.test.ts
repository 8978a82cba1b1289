// Tokenizes Python lines the way VS Code does: MagicPython (vendored from VS Code's python extension) as the
// base grammar, our injection wired in from package.json's `contributes.grammars` exactly as `injectTo` does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '..', '..');

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes?: { grammars?: GrammarContribution[] };
};
const contributed = manifest.contributes?.grammars ?? [];

const grammarFiles = new Map<string, string>([
  ['source.python', join(root, 'test/fixtures/grammar/MagicPython.tmLanguage.json')],
  ...contributed.map((g): [string, string] => [g.scopeName, join(root, g.path)]),
]);

interface Token {
  text: string;
  scopes: string[];
}

let python: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file = grammarFiles.get(scopeName);
      return file === undefined ? null : textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) =>
      contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  const grammar = await registry.loadGrammarWithConfiguration('source.python', 1, {});
  if (grammar === null) throw new Error('source.python grammar did not load');
  python = grammar;
});

function tokenize(line: string): Token[] {
  const { tokens } = python.tokenizeLine(line, textmate.INITIAL);
  return tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

/** Scopes of the last token with this text (directives sit at the end of the line). */
function scopesOf(line: string, text: string): string[] {
  const token = tokenize(line).reverse().find((t) => t.text === text);
  if (token === undefined) {
    throw new Error(`no token ${JSON.stringify(text)} in ${JSON.stringify(tokenize(line).map((t) => t.text))}`);
  }
  return token.scopes;
}

function nanlintScopes(line: string): string[] {
  return tokenize(line).flatMap((t) => t.scopes.filter((s) => s.endsWith('.nanlint')));
}

const RULE_CODE = 'constant.other.rule-code.nanlint';

describe('directive highlighting grammar', () => {
  it('is contributed in package.json as an injection into source.python', () => {
    expect(contributed).toContainEqual({
      scopeName: 'nanlint-directives.injection',
      path: './syntaxes/nanlint-directives.tmLanguage.json',
      injectTo: ['source.python'],
    });
  });

  it('gives each code in a noqa list its own rule-code token', () => {
    const line = 'opt = torch.optim.Adam(model.parameters(), lr=0.1)  # noqa: NAN301, NAN201';
    const codes = tokenize(line).filter((t) => t.scopes.includes(RULE_CODE));
    expect(codes.map((t) => t.text)).toEqual(['NAN301', 'NAN201']);
    for (const code of codes) expect(code.scopes).toContain('comment.line.number-sign.python');
    expect(scopesOf(line, 'noqa')).toContain('keyword.other.noqa.nanlint');
    expect(scopesOf(line, ',')).toContain('punctuation.separator.delimiter.nanlint');
  });

  it('highlights the noqa keyword of a bare noqa and of one written without spaces', () => {
    expect(scopesOf('loss.backward()  # noqa', 'noqa')).toContain('keyword.other.noqa.nanlint');
    const compact = 'x = 1  #noqa:NAN301';
    expect(scopesOf(compact, 'noqa')).toContain('keyword.other.noqa.nanlint');
    expect(scopesOf(compact, 'NAN301')).toContain(RULE_CODE);
  });

  it('highlights a noqa that follows another comment on the same line', () => {
    const line = 'x = f()  # type: ignore  # noqa: NAN101';
    expect(scopesOf(line, 'NAN101')).toContain(RULE_CODE);
  });

  it('highlights a disable directive with its action, codes and separators', () => {
    const line = 'optimizer.step()  # nanlint: disable=NAN202,NAN201';
    expect(scopesOf(line, 'nanlint')).toContain('keyword.other.nanlint.nanlint');
    expect(scopesOf(line, 'disable')).toContain('keyword.other.directive.nanlint');
    expect(scopesOf(line, '=')).toContain('keyword.operator.assignment.nanlint');
    expect(tokenize(line).filter((t) => t.scopes.includes(RULE_CODE)).map((t) => t.text)).toEqual([
      'NAN202',
      'NAN201',
    ]);
  });

  it('highlights a file-wide disable directive on a line of its own', () => {
    const line = '# nanlint: disable-file=NAN301';
    expect(scopesOf(line, 'disable-file')).toContain('keyword.other.directive.nanlint');
    expect(scopesOf(line, 'NAN301')).toContain(RULE_CODE);
    expect(scopesOf(line, 'NAN301')).toContain('meta.directive.nanlint.nanlint');
  });

  it('highlights a bare disable directive that covers every code', () => {
    const line = 'lr = 0.5  # nanlint: disable';
    expect(scopesOf(line, 'disable')).toContain('keyword.other.directive.nanlint');
    expect(tokenize(line).some((t) => t.scopes.includes(RULE_CODE))).toBe(false);
  });

  it('leaves ordinary comments alone, even ones that mention a code or the word noqa', () => {
    expect(nanlintScopes('# lower the learning rate, see NAN301 in the docs')).toEqual([]);
    expect(nanlintScopes('# we could add a noqa here but the rule is right')).toEqual([]);
    expect(nanlintScopes('# noqabc is a word, not a directive')).toEqual([]);
    expect(nanlintScopes('# nanlint: enable everything later')).toEqual([]);
    // The suppression parser reads `noqa` case-sensitively, so the highlight must not promise more.
    expect(nanlintScopes('x = 1  # NOQA: NAN301')).toEqual([]);
  });

  it('does not treat a noqa or nanlint directive inside a string as a directive', () => {
    expect(nanlintScopes('msg = "# noqa: NAN301"')).toEqual([]);
    expect(nanlintScopes("doc = '''# nanlint: disable=NAN201'''")).toEqual([]);
    expect(scopesOf('msg = "# noqa: NAN301"', '# noqa: NAN301').join(' ')).toMatch(/string\.quoted/);
  });
});
