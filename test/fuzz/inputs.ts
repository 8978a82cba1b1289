// Inputs for the fuzz suite: random bytes and Unicode, realistic seeds (rule fixtures, examples and the
// bench corpus) run through a Python-aware mutator, and generated pathological files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { generateCorpus } from '../../bench/corpus';

const root = join(__dirname, '..', '..');

function pythonFilesIn(dir: string): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((file) => file.endsWith('.py'))
    .sort()
    .map((file) => readFileSync(join(full, file), 'utf8'));
}

/**
 * Rule fixtures, examples and regression inputs as they are on disk, plus a few generated training scripts.
 * Only ordinary sizes: the large regression files are replayed whole by regressions.test.ts, and as
 * mutation seeds they would make every input slow.
 */
export const SEEDS: readonly string[] = [
  ...pythonFilesIn('test/fixtures/rules'),
  ...pythonFilesIn('examples'),
  ...pythonFilesIn('test/fuzz/regressions'),
  ...generateCorpus({ seed: 7, totalLines: 2_000, linesPerFile: 60 }).map((file) => file.text),
].filter((text) => text.length < 20_000);

// ------------------------------------------------------------------ raw text

/** Bytes decoded the way the CLI and editors do: invalid sequences become U+FFFD. */
export const randomBytesText = fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes).toString('utf8'));

/** Any UTF-16 code units, lone surrogates included (an editor buffer can hold them). */
export const randomUtf16Text = fc.string({ unit: 'binary', maxLength: 1_000 });

const PYTHON_PIECES = [
  'import torch', 'import torch.nn as nn', 'from torch import optim', 'import tensorflow as tf', 'from tensorflow import keras',
  'optimizer = torch.optim.Adam(model.parameters(), lr=0.1)', 'opt = optim.SGD(net.parameters(), 2.0)',
  'loss.backward()', 'optimizer.step()', 'optimizer.zero_grad()', 'torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)',
  'self.rnn = nn.LSTM(10, 20)', 'layers.Dense(10, activation="sigmoid")', 'model.compile(optimizer="adam", loss="categorical_crossentropy")',
  'model.fit(x, y)', 'with tf.GradientTape() as tape:', 'grads = tape.gradient(loss, model.trainable_variables)',
  'opt.apply_gradients(zip(grads, model.trainable_variables))', 'for x, y in loader:', 'def train(model, loader):',
  'class Net(nn.Module):', 'LR = 0.05', 'cfg = {"lr": 1e-1}', 'parser.add_argument("--lr", type=float, default=0.3)',
  'args = parser.parse_args()', '# noqa: NAN301', '# nanlint: disable=NAN201', '# nanlint: disable-file=NAN101', '"""doc"""',
  'if x:', 'else:', 'return', 'pass', '(', ')', '[', ']', '{', '}', ':', ',', '=', '\\', "'''", '"', '#', '@', 'lambda x:',
];

/** Lines of Python-ish fragments in random order and indentation: near-valid code that reaches the rules. */
export const fragmentText = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.array(fc.constantFrom(...PYTHON_PIECES), { minLength: 1, maxLength: 3 })), { maxLength: 40 })
  .map((lines) => lines.map(([indent, pieces]) => ' '.repeat(indent) + pieces.join(' ')).join('\n'));

// ------------------------------------------------------------------ mutator

const TOKEN = /[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|\r?\n|[ \t]+|[^\s]/g;

/** Python lexical tokens, with whitespace and newlines kept so joining them gives back the text. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

const IDENTIFIERS = ['λ_rate', '学习率', 'ñ', 'café', '𝒙', 'x\u0301', 'Ω', 'données', 'ｆｕｌｌ', 'a\u200bb', '😀'];
const NUMBERS = ['0', '1e309', '-0.0', '1e-400', '0x10', '1_000', '.5', '5.', '1j', 'float("nan")', '10**-2', '0.5 * 0.02', '999999999999999999999'];
const OPENERS: ReadonlyArray<[string, string]> = [['(', ')'], ['[', ']'], ['{', '}']];

export type Mutation =
  | { kind: 'delete-token' | 'duplicate-token' | 'delete-line' | 'duplicate-line' | 'cut'; at: number }
  | { kind: 'swap-tokens' | 'swap-lines'; at: number; other: number }
  | { kind: 'nest'; at: number; depth: number; bracket: number; closed: boolean }
  | { kind: 'identifier' | 'number'; at: number; choice: number }
  | { kind: 'crlf' | 'tabs' | 'mixed-indent' | 'lone-cr' | 'bom' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-token', 'duplicate-token', 'delete-line', 'duplicate-line', 'cut'), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('swap-tokens', 'swap-lines'), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('nest'), at: fc.nat(), depth: fc.integer({ min: 1, max: 60 }), bracket: fc.nat(), closed: fc.boolean() }),
  fc.record({ kind: fc.constantFrom('identifier', 'number'), at: fc.nat(), choice: fc.nat() }),
  fc.record({ kind: fc.constantFrom('crlf', 'tabs', 'mixed-indent', 'lone-cr', 'bom') }),
) as fc.Arbitrary<Mutation>;

function pickIndex(length: number, at: number): number {
  return length === 0 ? 0 : at % length;
}

function mutateTokens(text: string, edit: (tokens: string[]) => void): string {
  const tokens = tokenize(text);
  edit(tokens);
  return tokens.join('');
}

function mutateLines(text: string, edit: (lines: string[]) => void): string {
  const lines = text.split('\n');
  edit(lines);
  return lines.join('\n');
}

/** Indices of tokens that are code (not whitespace): the ones worth deleting, swapping or replacing. */
function codeTokenIndices(tokens: readonly string[]): number[] {
  const out: number[] = [];
  tokens.forEach((token, i) => {
    if (!/^\s+$/.test(token)) out.push(i);
  });
  return out;
}

export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'delete-token':
    case 'duplicate-token':
      return mutateTokens(text, (tokens) => {
        const code = codeTokenIndices(tokens);
        const i = code[pickIndex(code.length, m.at)];
        if (i === undefined) return;
        if (m.kind === 'delete-token') tokens.splice(i, 1);
        else tokens.splice(i, 0, tokens[i] as string);
      });
    case 'swap-tokens':
      return mutateTokens(text, (tokens) => {
        const code = codeTokenIndices(tokens);
        const i = code[pickIndex(code.length, m.at)];
        const j = code[pickIndex(code.length, m.other)];
        if (i === undefined || j === undefined) return;
        [tokens[i], tokens[j]] = [tokens[j] as string, tokens[i] as string];
      });
    case 'identifier':
    case 'number':
      return mutateTokens(text, (tokens) => {
        const pattern = m.kind === 'identifier' ? /^[A-Za-z_]/ : /^\d/;
        const candidates = tokens.flatMap((token, i) => (pattern.test(token) ? [i] : []));
        const i = candidates[pickIndex(candidates.length, m.at)];
        const pool = m.kind === 'identifier' ? IDENTIFIERS : NUMBERS;
        if (i !== undefined) tokens[i] = pool[m.choice % pool.length] as string;
      });
    case 'delete-line':
    case 'duplicate-line':
      return mutateLines(text, (lines) => {
        const i = pickIndex(lines.length, m.at);
        if (m.kind === 'delete-line') lines.splice(i, 1);
        else lines.splice(i, 0, lines[i] ?? '');
      });
    case 'swap-lines':
      return mutateLines(text, (lines) => {
        const i = pickIndex(lines.length, m.at);
        const j = pickIndex(lines.length, m.other);
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      });
    case 'cut':
      return text.slice(0, pickIndex(text.length + 1, m.at));
    case 'nest': {
      const [open, close] = OPENERS[m.bracket % OPENERS.length] as [string, string];
      const at = pickIndex(text.length + 1, m.at);
      return text.slice(0, at) + open.repeat(m.depth) + (m.closed ? close.repeat(m.depth) : '') + text.slice(at);
    }
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'tabs':
      return text.replace(/^( {4})+/gm, (spaces) => '\t'.repeat(spaces.length / 4));
    case 'mixed-indent':
      return text.replace(/^ {4}/gm, (_, offset: number) => (offset % 3 === 0 ? '\t' : '    '));
    case 'lone-cr':
      return text.replace(/\n/, '\r');
    case 'bom':
      return '\ufeff' + text;
  }
}

/** A seed file with up to `max` mutations applied in order. */
export function mutatedSeed(max = 6): fc.Arbitrary<string> {
  return fc
    .record({ seed: fc.nat({ max: SEEDS.length - 1 }), mutations: fc.array(mutation, { maxLength: max }) })
    .map(({ seed, mutations }) => mutations.reduce(applyMutation, SEEDS[seed] as string));
}

// ------------------------------------------------------------------ pathological files

export interface Pathological {
  name: string;
  text: () => string;
}

/**
 * Large or degenerate files at the issue 7 sizes. Only the realistic training code is scaled down for the
 * quick run (`scale` < 1): fixing it re-lints the whole text per pass, while the degenerate files are cheap
 * at full size and lose their point when smaller (a stack overflow needs the full depth).
 */
export function pathologicalFiles(scale: number): Pathological[] {
  const depth = 10_000;
  const corpusLines = Math.round(100_000 * scale);
  const corpus = () => generateCorpus({ seed: 11, totalLines: corpusLines }).map((file) => file.text).join('\n');
  return [
    { name: `${depth}-deep nested parentheses`, text: () => `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n` },
    { name: `${depth}-deep unclosed brackets`, text: () => `y = ${'[{('.repeat(depth / 3)}\n` },
    { name: `${depth}-deep nested calls`, text: () => `z = ${'f('.repeat(depth)}0${')'.repeat(depth)}\n` },
    {
      name: `learning rate inside ${depth}-deep parentheses`,
      text: () => `import torch\nopt = torch.optim.Adam(model.parameters(), lr=${'('.repeat(depth)}0.1${')'.repeat(depth)})\n`,
    },
    {
      name: `learning rate as a sum of ${depth} terms`,
      text: () => `import torch\nLR = ${Array.from({ length: depth }, () => '1e-6').join(' + ')}\nopt = torch.optim.Adam(model.parameters(), lr=LR)\n`,
    },
    {
      name: `learning rate through ${depth / 2} chained assignments`,
      text: () =>
        `import torch\nlr0 = 0.1\n${Array.from({ length: depth / 2 }, (_, i) => `lr${i + 1} = lr${i}`).join('\n')}\n` +
        `opt = torch.optim.Adam(model.parameters(), lr=lr${depth / 2})\n`,
    },
    { name: '100,000-line file', text: () => 'x = 1\n'.repeat(100_000) },
    { name: `training code, about ${corpusLines} lines`, text: corpus },
    { name: `${(10 * scale).toFixed(1)} MB of training code`, text: () => repeatTo(corpus(), 10 * 2 ** 20 * scale) },
    { name: 'one 1 MB line of code', text: () => `data = [${'1, '.repeat(Math.round(2 ** 20 / 3))}]\n` },
    { name: 'one 1 MB string', text: () => `s = "${'a'.repeat(2 ** 20)}"\n` },
    { name: 'NUL bytes in code', text: () => 'import torch\x00\nopt = torch.optim.Adam(m.parameters(), lr=0.1)\x00\n\x00\x00' },
    { name: 'invalid UTF-8 decoded with replacement characters', text: () => Buffer.from([0x69, 0x6d, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0xe2, 0x82]).toString('utf8') },
    { name: 'lone surrogates around code', text: () => '\ud800x = 1\nimport torch\nopt = torch.optim.Adam(m.parameters(), lr=0.1)  # \udfff\n' },
    { name: 'only CR line breaks', text: () => 'import torch\ropt = torch.optim.Adam(m.parameters(), lr=0.1)\rloss.backward()\r' },
    { name: '2,000 tab-indented levels', text: () => Array.from({ length: 2_000 }, (_, i) => `${'\t'.repeat(i)}if x:`).join('\n') },
  ];
}

function repeatTo(text: string, size: number): string {
  const copies = Math.max(1, Math.ceil(size / Math.max(1, text.length)));
  return Array.from({ length: copies }, () => text).join('\n');
}

/** Notebook files whose JSON is broken or lacks the fields nbformat 4 requires. */
export const BROKEN_NOTEBOOKS: ReadonlyArray<[string, string]> = [
  ['truncated JSON', '{"cells": [{"cell_type": "code", "source": ["import torch\\n"'],
  ['not JSON at all', 'import torch\nprint("I am not a notebook")\n'],
  ['empty file', ''],
  ['JSON array', '[1, 2, 3]'],
  ['no cells', '{"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'],
  ['cells is an object', '{"cells": {"a": 1}, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  ['cell without source', '{"cells": [{"cell_type": "code", "metadata": {}}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  ['source is a number', '{"cells": [{"cell_type": "code", "source": 42, "metadata": {}, "outputs": []}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  ['source list with non-strings', '{"cells": [{"cell_type": "code", "source": ["x = 1\\n", null, 3], "metadata": {}, "outputs": []}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  ['cell is null', '{"cells": [null, {"cell_type": "code", "source": "import torch"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  ['nbformat 3', '{"worksheets": [{"cells": []}], "nbformat": 3, "nbformat_minor": 0, "metadata": {}}'],
  ['unknown cell type', '{"cells": [{"cell_type": "sql", "source": "SELECT 1"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}'],
  [
    'valid notebook with a finding',
    JSON.stringify({
      cells: [
        { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['import torch\n', 'opt = torch.optim.Adam(model.parameters(), lr=0.5)\n'] },
        { cell_type: 'markdown', metadata: {}, source: ['# notes'] },
        { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: '%matplotlib inline\n!pip install torch\nx = 1' },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    }),
  ],
];
