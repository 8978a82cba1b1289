// Edit → diagnostics latency through the real server process, the typing soak of issue 7 (RSS and latency
// drift over 20,000 edits with 50 open files), and CLI `check` throughput on 1 and 2 workers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { IncrementalDocument } from '../server/src/engine';
import { analyse, lintAnalysis } from '../server/src/engine/linter';
import { parse } from '../server/src/engine/parse/tree';
import { countLines, generateCorpus, Random, type CorpusFile } from './corpus';
import { callSpans, floorReads } from './floor';
import { BenchLspClient, type Range } from './lspClient';
import { headline, mib, ms, percentile, table, thousands } from './stats';

const EDITS = 400;
const SOAK_EDITS = 20_000;
const SOAK_OPEN_FILES = 50;
/** In the soak, diagnostics are pulled after every Nth edit, as an editor does after a typing pause. */
const SOAK_PULL_EVERY = 10;
const SOAK_WINDOW = 100;
const SOAK_RSS_EVERY = 250;
const TARGET_P95_MS = 15;
const MAX_DRIFT_BYTES = 64 * 2 ** 20;

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${mib(bytes)} MiB`;
}

/**
 * A file of exactly `lines` lines of the generated corpus that parses without a syntax error: the first
 * window of that many lines that starts and ends between top-level statements. (Cutting at a fixed line
 * can end the file inside a statement, and a file with a syntax error is measured separately.)
 */
function validFileOfLines(seed: number, lines: number): string {
  const all = generateCorpus({ seed, totalLines: lines * 2 }).map((file) => file.text).join('\n').split('\n');
  const topLevel = (line: string | undefined): boolean => line === undefined || /^[A-Za-z_@#]/.test(line);
  for (let start = 0; start + lines <= all.length; start++) {
    if (!topLevel(all[start]) || !topLevel(all[start + lines])) continue;
    const text = all.slice(start, start + lines).join('\n') + '\n';
    if (!parse(text).rootNode.hasError) return text;
  }
  throw new Error(`no ${lines}-line window of corpus seed ${seed} parses cleanly`);
}

/** The same file with a syntax error at its end: an unclosed call, as when typing one. */
function withUnclosedCallAtEnd(text: string): string {
  const lines = text.split('\n');
  lines.splice(lines.length - 2, 1, 'model = nn.Sequential(');
  return lines.join('\n');
}

/**
 * A typist: picks a code line, then types a short word at its end and deletes it again, one character per
 * change, so the document keeps returning to a state close to the original (as real editing does).
 */
class Typist {
  private lines: string[];
  private pending: Array<{ range: Range; text: string }> = [];
  constructor(
    text: string,
    private readonly rng: Random,
  ) {
    this.lines = text.split('\n');
  }

  next(): { range: Range; text: string } {
    if (this.pending.length === 0) this.plan();
    const edit = this.pending.shift();
    if (!edit) throw new Error('no edit planned');
    const { start, end } = edit.range;
    const line = this.lines[start.line] ?? '';
    this.lines[start.line] = line.slice(0, start.character) + edit.text + line.slice(end.character);
    return edit;
  }

  private plan(): void {
    let row = this.rng.int(0, this.lines.length - 1);
    while ((this.lines[row] ?? '').trim() === '') row = (row + 1) % this.lines.length;
    const column = (this.lines[row] ?? '').length;
    const word = this.rng.pick(['  # tune', '  # x', ' * 1', '  # lr', '  # TODO check']);
    for (let i = 0; i < word.length; i++) {
      const at = { line: row, character: column + i };
      this.pending.push({ range: { start: at, end: at }, text: word[i] as string });
    }
    for (let i = word.length; i > 0; i--) {
      this.pending.push({ range: { start: { line: row, character: column + i - 1 }, end: { line: row, character: column + i } }, text: '' });
    }
  }
}

async function timedEdit(client: BenchLspClient, uri: string, typist: Typist): Promise<number> {
  const { range, text } = typist.next();
  const started = performance.now();
  await client.change(uri, range, text);
  await client.diagnostics(uri);
  return performance.now() - started;
}

async function latency(pull: boolean, text: string): Promise<number[]> {
  const client = await BenchLspClient.start({ pull });
  const uri = 'file:///bench/train_2000.py';
  await client.open(uri, text);
  await client.diagnostics(uri);
  const typist = new Typist(text, new Random(5));
  for (let i = 0; i < 30; i++) await timedEdit(client, uri, typist);
  const samples: number[] = [];
  for (let i = 0; i < EDITS; i++) samples.push(await timedEdit(client, uri, typist));
  await client.stop();
  return samples;
}

interface EditPhases {
  reparse: number[];
  analysis: number[];
  rules: number[];
  floor: number[];
  freshParseMs: number;
}

/**
 * The latency run's typing again, in this process and without the server: where an edit's time goes in
 * the engine. What the end-to-end figures add on top is the protocol, the server and the engine process hop.
 */
function editPhases(text: string): EditPhases {
  const document = new IncrementalDocument(text);
  const typist = new Typist(text, new Random(5));
  const phases: EditPhases = { reparse: [], analysis: [], rules: [], floor: [], freshParseMs: 0 };
  for (let i = 0; i < 30 + EDITS; i++) {
    const { range, text: inserted } = typist.next();
    document.applyChange({ range, text: inserted });
    const started = performance.now();
    const tree = document.tree();
    const parsed = performance.now();
    const analysis = analyse(document.text, { document });
    const analysed = performance.now();
    lintAnalysis(analysis);
    const linted = performance.now();
    const calls = callSpans(tree, document.text);
    const floorStarted = performance.now();
    floorReads(tree, calls);
    const floorEnded = performance.now();
    if (i < 30) continue;
    phases.reparse.push(parsed - started);
    phases.analysis.push(analysed - parsed);
    phases.rules.push(linted - analysed);
    phases.floor.push(floorEnded - floorStarted);
  }
  const fresh: number[] = [];
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    parse(text);
    fresh.push(performance.now() - started);
  }
  phases.freshParseMs = percentile(fresh, 50);
  return phases;
}

interface SoakResult {
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
  /** RSS after every `SOAK_RSS_EVERY` pulls: a leak climbs steadily, a warm-up plateaus. */
  rssTimeline: number[];
  first: number[];
  last: number[];
  seconds: number;
}

async function soak(text: string): Promise<SoakResult> {
  const client = await BenchLspClient.start({ pull: true });
  const others = generateCorpus({ seed: 99, totalLines: (SOAK_OPEN_FILES - 1) * 200, linesPerFile: 200 }).slice(0, SOAK_OPEN_FILES - 1);
  for (const [i, file] of others.entries()) {
    const uri = `file:///bench/open_${i}.py`;
    await client.open(uri, file.text);
    await client.diagnostics(uri);
  }
  const uri = 'file:///bench/soak_2000.py';
  await client.open(uri, text);
  await client.diagnostics(uri);
  const typist = new Typist(text, new Random(17));
  for (let i = 0; i < 30; i++) await timedEdit(client, uri, typist);
  const rssStart = client.rssBytes();
  const rssTimeline = [rssStart];
  const pulls: number[] = [];
  const started = performance.now();
  for (let i = 1; i <= SOAK_EDITS; i++) {
    if (i % SOAK_PULL_EVERY === 0) {
      pulls.push(await timedEdit(client, uri, typist));
      if (pulls.length % SOAK_RSS_EVERY === 0) rssTimeline.push(client.rssBytes());
    } else {
      const { range, text: inserted } = typist.next();
      await client.change(uri, range, inserted);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // Let the server settle (pending GC) before the final reading, as a user pausing would.
  await client.diagnostics(uri);
  const rssEnd = client.rssBytes();
  await client.stop();
  return { rssStart, rssEnd, rssPeak: Math.max(...rssTimeline, rssEnd), rssTimeline, first: pulls.slice(0, SOAK_WINDOW), last: pulls.slice(-SOAK_WINDOW), seconds };
}

function writeTree(root: string, files: readonly CorpusFile[]): void {
  for (const [i, file] of files.entries()) {
    const path = join(root, `project_${i % 20}`, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
}

function cliThroughput(jobs: number, root: string, lines: number): { seconds: number; linesPerSecond: number; exit: number | null } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [resolve('dist', 'cli.js'), 'check', root, '--jobs', String(jobs), '--statistics', '--exit-zero'], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) process.stderr.write(`check --jobs ${jobs} exited ${run.status}: ${run.stderr.slice(0, 2000)}\n`);
  return { seconds, linesPerSecond: lines / seconds, exit: run.status };
}

async function main(): Promise<void> {
  const text = validFileOfLines(2_026, 2_000);
  const broken = withUnclosedCallAtEnd(text);
  const out: string[] = [];

  const pull = await latency(true, text);
  const push = await latency(false, text);
  const pullBroken = await latency(true, broken);
  const p95 = percentile(pull, 95);
  out.push(
    '## Edit → diagnostics latency (real server, 2,000-line file)',
    '',
    `${EDITS} single-character incremental edits (typing and deleting short words at line ends), each followed by`,
    'waiting for that version\'s diagnostics: a `textDocument/diagnostic` pull, or the next `publishDiagnostics` push.',
    'The last row is the same file with an unclosed call on its second-to-last line: a file with a syntax error',
    'is analysed from a fresh parse (tree-sitter recovers from errors differently when it parses incrementally,',
    'and the editor must show what `nanlint check` reports), so every edit pays a full parse there.',
    '',
    table(
      ['mode', 'p50 ms', 'p95 ms', 'max ms'],
      [
        ['pull', ms(percentile(pull, 50)), ms(p95), ms(Math.max(...pull))],
        ['push', ms(percentile(push, 50)), ms(percentile(push, 95)), ms(Math.max(...push))],
        ['pull, syntax error in the file', ms(percentile(pullBroken, 50)), ms(percentile(pullBroken, 95)), ms(Math.max(...pullBroken))],
      ],
    ),
    '',
    headline(`edit→diagnostics p50 ${ms(percentile(pull, 50))} ms, p95 ${ms(p95)} ms (pull; target p95 < ${TARGET_P95_MS} ms)`, p95 < TARGET_P95_MS),
    '',
  );
  const phases = editPhases(text);
  const total = phases.reparse.map((reparse, i) => reparse + phases.analysis[i]! + phases.rules[i]!);
  const row = (label: string, samples: number[]) => [label, ms(percentile(samples, 50)), ms(percentile(samples, 95))];
  out.push(
    '### Where an edit\'s time goes',
    '',
    'The same edits of the same file applied in this process, without the server. *Reparse* is the incremental',
    'reparse (a fresh one while the text has a syntax error, which typing ` * 1` briefly makes); *floor* is',
    'the tree reads no analysis of the rules can skip (see the lint benchmark), timed on their own.',
    `A fresh parse of the whole file takes ${ms(phases.freshParseMs)} ms.`,
    '',
    table(
      ['phase', 'p50 ms', 'p95 ms'],
      [
        row('reparse', phases.reparse),
        row('model and facts', phases.analysis),
        row('rules and suppressions', phases.rules),
        row('engine total', total),
        row('floor reads', phases.floor),
      ],
    ),
    '',
  );
  console.log(out.splice(0).join('\n'));

  const result = await soak(text);
  const growth = result.rssEnd - result.rssStart;
  // The first reading after warm-up: V8 grows its heap and malloc keeps the arenas tree-sitter used to a
  // steady size during the first pulls. Drift is growth after that, which a leak would keep adding to.
  const warmedUp = result.rssTimeline[1] ?? result.rssStart;
  const drift = result.rssEnd - warmedUp;
  out.push(
    `## Soak: ${thousands(SOAK_EDITS)} single-character edits, ${SOAK_OPEN_FILES} open files`,
    '',
    `Diagnostics pulled after every ${SOAK_PULL_EVERY}th edit (${thousands(SOAK_EDITS / SOAK_PULL_EVERY)} pulls); latency of the first and last`,
    `${SOAK_WINDOW} pulls; RSS of the server process and its engine child from /proc/<pid>/status. Soak took ${result.seconds.toFixed(0)} s.`,
    '',
    table(
      ['', 'RSS MiB', 'p50 ms', 'p95 ms'],
      [
        ['start', mib(result.rssStart), ms(percentile(result.first, 50)), ms(percentile(result.first, 95))],
        ['end', mib(result.rssEnd), ms(percentile(result.last, 50)), ms(percentile(result.last, 95))],
      ],
    ),
    '',
    `RSS every ${SOAK_RSS_EVERY} pulls (MiB): ${result.rssTimeline.map(mib).join(' → ')}; peak ${mib(result.rssPeak)}.`,
    `The bound: after the first ${SOAK_RSS_EVERY} pulls (warm-up), RSS grows by less than ${mib(MAX_DRIFT_BYTES)} MiB, and the p95 latency`,
    'of the last pulls stays under twice that of the first plus 5 ms.',
    '',
    headline(
      `soak RSS ${mib(result.rssStart)} → ${mib(result.rssEnd)} MiB (${signed(growth)}; ${signed(drift)} after warm-up, peak ${mib(result.rssPeak)}); p95 ${ms(percentile(result.first, 95))} → ${ms(percentile(result.last, 95))} ms`,
      drift < MAX_DRIFT_BYTES && percentile(result.last, 95) < 2 * percentile(result.first, 95) + 5,
    ),
    '',
  );
  console.log(out.splice(0).join('\n'));

  const root = mkdtempSync(join(tmpdir(), 'nanlint-bench-tree-'));
  try {
    const files = generateCorpus({ seed: 404, totalLines: 200_000 });
    writeTree(root, files);
    const lines = files.reduce((sum, file) => sum + countLines(file.text), 0);
    cliThroughput(2, root, lines);
    const one = cliThroughput(1, root, lines);
    const two = cliThroughput(2, root, lines);
    out.push(
      '## CLI `check` over a large tree',
      '',
      `${thousands(files.length)} files, ${thousands(lines)} lines in 20 project folders; \`nanlint check DIR --jobs N --statistics --exit-zero\`,`,
      'wall time including process start, after one warm-up run (file cache).',
      '',
      table(
        ['workers', 'seconds', 'lines/s', 'exit'],
        [
          ['1', one.seconds.toFixed(2), thousands(one.linesPerSecond), String(one.exit)],
          ['2', two.seconds.toFixed(2), thousands(two.linesPerSecond), String(two.exit)],
        ],
      ),
      '',
      headline(`CLI check: ${thousands(one.linesPerSecond)} lines/s on 1 worker, ${thousands(two.linesPerSecond)} lines/s on 2 (×${(two.linesPerSecond / one.linesPerSecond).toFixed(2)})`, one.exit === 0 && two.exit === 0),
    );
    console.log(out.join('\n'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
