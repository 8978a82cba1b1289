import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../server/src/engine';
import type { Diagnostic } from '../../server/src/cli/diagnostics';
import { FORMATTERS } from '../../server/src/cli/formatters';
import { escapeData, escapeProperty } from '../../server/src/cli/formatters/github';
import type { CheckReport } from '../../server/src/cli/formatters/report';
import { HIGH_LR, LSTM_LOOP, makeProject, runCli } from './cliHarness';

const location = { type: 'object', additionalProperties: false, required: ['row', 'column'], properties: { row: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } } };

/** interfaces.md's `--format json` shape: Ruff's field names, nothing missing, nothing extra. */
const JSON_DIAGNOSTIC_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'message', 'filename', 'location', 'end_location', 'fix', 'noqa_row', 'url', 'severity', 'name'],
    properties: {
      code: { type: 'string', pattern: '^NAN\\d{3}$' },
      message: { type: 'string', minLength: 1 },
      filename: { type: 'string' },
      cell: { type: 'integer', minimum: 1 },
      location,
      end_location: location,
      fix: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['applicability', 'message', 'edits'],
            properties: {
              applicability: { enum: ['safe', 'unsafe', 'display-only'] },
              message: { type: 'string' },
              edits: {
                type: 'array',
                items: { type: 'object', additionalProperties: false, required: ['content', 'location', 'end_location'], properties: { content: { type: 'string' }, location, end_location: location } },
              },
            },
          },
        ],
      },
      noqa_row: { type: 'integer', minimum: 1 },
      url: { type: 'string', format: 'uri' },
      severity: { enum: ['error', 'warning', 'information', 'hint'] },
      name: { type: 'string', pattern: '^[a-z0-9-]+$' },
    },
  },
};

function ajv(): Ajv {
  const instance = new Ajv({ allErrors: true, strict: false });
  addFormats(instance);
  return instance;
}

/**
 * The official schema is draft-04 (`id`, `$schema` draft-04); Ajv 8 reads the same keywords under
 * draft-07 once `id` is spelled `$id`. Nothing else in this schema differs between the drafts.
 */
function sarifValidator(): ReturnType<Ajv['compile']> {
  const schema = JSON.parse(readFileSync(join(__dirname, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as { id: string; $schema: string } & Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  return ajv().compile({ ...rest, $id: id });
}

describe('--format json', () => {
  it('matches the interfaces.md shape exactly', async () => {
    const root = makeProject({ 'train.py': HIGH_LR + LSTM_LOOP });
    const run = await runCli(['check', '--format', 'json'], root);
    const data: unknown = JSON.parse(run.stdout);
    expect((data as { code: string }[]).map((d) => d.code)).toEqual(expect.arrayContaining(['NAN301', 'NAN201']));
    const validate = ajv().compile(JSON_DIAGNOSTIC_SCHEMA);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reports the NAN301 example with 1-based rows, its fix edit and docs url', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const [diagnostic] = JSON.parse((await runCli(['check', '--format', 'json'], root)).stdout) as Record<string, unknown>[];
    expect(diagnostic).toEqual({
      code: 'NAN301',
      message: expect.stringContaining('`0.01`'),
      filename: 'train.py',
      location: { row: 2, column: 44 },
      end_location: { row: 2, column: 51 },
      fix: { applicability: 'safe', message: 'Set `lr=1e-3`', edits: [{ content: '1e-3', location: { row: 2, column: 47 }, end_location: { row: 2, column: 51 } }] },
      noqa_row: 2,
      url: expect.stringMatching(/\/rules\/NAN301\.md$/),
      severity: 'warning',
      name: 'high-learning-rate',
    });
  });

  it('counts columns in code points, not UTF-16 units', async () => {
    // `𝜂` is one code point and two UTF-16 units: `lr` starts at code point 51 (UTF-16 unit 52).
    const root = makeProject({ 'train.py': 'import torch\n𝜂 = 1; opt = torch.optim.Adam(model.parameters(), lr=0.01)\n' });
    const [diagnostic] = JSON.parse((await runCli(['check', '--format', 'json'], root)).stdout) as { location: { column: number } }[];
    expect(diagnostic?.location.column).toBe(51);
  });

  it('prints an empty array when nothing is found', async () => {
    const run = await runCli(['check', '--format', 'json'], makeProject({ 'a.py': 'x = 1\n' }));
    expect(run.stdout).toBe('[]\n');
  });
});

describe('--format sarif', () => {
  it('validates against the official SARIF 2.1.0 schema', async () => {
    const notebook = readFileSync(join(__dirname, '../fixtures/notebooks/lstm-across-cells.ipynb'), 'utf8');
    const root = makeProject({ 'train.py': HIGH_LR + LSTM_LOOP, 'nb.ipynb': notebook, 'blob.py': Buffer.from([0x69, 0x00, 0x01]) });
    const run = await runCli(['check', '--format', 'sarif'], root);
    const log: unknown = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is checked by a schema that rejects a malformed log', () => {
    const validate = sarifValidator();
    const region = { startLine: 0, startColumn: 1 };
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'nanlint' } }, results: [{ message: { text: 'x' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.py' }, region } }] }] }] };
    expect(validate(bad)).toBe(false);
    expect(validate({ ...bad, runs: [{ ...bad.runs[0], columnKind: 'bytes' }] })).toBe(false);
  });

  it('describes every rule with help text and helpUri, and columns as code points', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const log = JSON.parse((await runCli(['check', '--format', 'sarif'], root)).stdout) as {
      runs: { columnKind: string; tool: { driver: { rules: { id: string; helpUri: string; help: { text: string; markdown: string } }[] } }; results: { ruleId: string; ruleIndex: number; fixes: unknown[] }[] }[];
    };
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.columnKind).toBe('unicodeCodePoints');
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.meta.code));
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toMatch(new RegExp(`${rule.id}\\.md$`));
      expect(rule.help.text.length).toBeGreaterThan(20);
      expect(rule.help.markdown).toContain(`# ${rule.id}`);
    }
    const result = run.results[0]!;
    expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(result.fixes).toEqual([
      {
        description: { text: 'Set `lr=1e-3`' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'train.py', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 2, startColumn: 47, endLine: 2, endColumn: 51 }, insertedContent: { text: '1e-3' } }],
          },
        ],
        properties: { applicability: 'safe' },
      },
    ]);
  });

  it('lists skipped files as tool execution notifications', async () => {
    const root = makeProject({ 'blob.py': Buffer.from([0x00, 0x01]) });
    const log = JSON.parse((await runCli(['check', '--format', 'sarif'], root)).stdout) as {
      runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    const invocation = log.runs[0]!.invocations[0]!;
    expect(invocation.toolExecutionNotifications.map((n) => n.message.text)).toEqual(['blob.py: binary file (contains NUL bytes)']);
    expect(invocation.executionSuccessful).toBe(true);
  });
});

/** `::command prop=value,prop=value::message` with the runner's escaping (actions/toolkit command.ts). */
const WORKFLOW_COMMAND = /^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:\r\n]*)(?:,[a-zA-Z]+=[^,:\r\n]*)*)::([^\r\n]*)$/;

describe('--format github', () => {
  it('prints one workflow command per finding with file, position and title', async () => {
    const root = makeProject({ 'train.py': HIGH_LR });
    const run = await runCli(['check', '--format', 'github'], root);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const match = WORKFLOW_COMMAND.exec(lines[0]!);
    expect(match).not.toBeNull();
    expect(match?.[1]).toBe('warning');
    expect(match?.[2]).toBe('file=train.py,line=2,col=44,endLine=2,endColumn=51,title=NAN301 (high-learning-rate)');
    expect(match?.[3]).toContain('learning rate `0.01`');
  });

  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('keeps every command on one line when a path or message holds separators', () => {
    const diagnostic = syntheticDiagnostic({ filename: 'dir,with:odd/train.py', message: 'line one\nline two: 50%' });
    const output = FORMATTERS.github.format(syntheticReport([diagnostic]));
    const lines = output.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(WORKFLOW_COMMAND.test(lines[0]!)).toBe(true);
    expect(lines[0]).toContain('file=dir%2Cwith%3Aodd/train.py');
    expect(lines[0]).toMatch(/::line one%0Aline two: 50%25$/);
  });

  it('maps severities to error, warning and notice', () => {
    const report = syntheticReport([
      syntheticDiagnostic({ severity: 'error' }),
      syntheticDiagnostic({ severity: 'warning' }),
      syntheticDiagnostic({ severity: 'information' }),
      syntheticDiagnostic({ severity: 'hint' }),
    ]);
    const commands = FORMATTERS.github.format(report).trimEnd().split('\n').map((line) => line.split(' ')[0]);
    expect(commands).toEqual(['::error', '::warning', '::notice', '::notice']);
  });
});

describe('--format text summary', () => {
  it('mentions fixes that only --unsafe-fixes would apply', () => {
    const unsafe = syntheticDiagnostic({ fix: { applicability: 'unsafe', message: 'Do it', edits: [] } });
    const text = FORMATTERS.text.format(syntheticReport([unsafe]));
    expect(text).toContain('No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).');
    expect(text).not.toContain('[*]');
    const enabled = FORMATTERS.text.format({ ...syntheticReport([unsafe]), unsafeFixes: true });
    expect(enabled).toContain('NAN301 [*]');
    expect(enabled).toContain('[*] 1 fixable with the `--fix --unsafe-fixes` option.');
  });

  it('shows a notebook finding with its cell', () => {
    const text = FORMATTERS.text.format(syntheticReport([syntheticDiagnostic({ filename: 'nb.ipynb', cell: 3 })]));
    expect(text.split('\n')[0]).toMatch(/^nb\.ipynb:cell 3:2:44: NAN301 \[\*\] /);
  });
});

function syntheticDiagnostic(overrides: Partial<Diagnostic>): Diagnostic {
  return {
    code: 'NAN301',
    name: 'high-learning-rate',
    message: 'lr too high',
    severity: 'warning',
    filename: 'train.py',
    location: { row: 2, column: 44 },
    end_location: { row: 2, column: 51 },
    fix: { applicability: 'safe', message: 'Set `lr=1e-3`', edits: [] },
    noqa_row: 2,
    url: 'https://example.invalid/NAN301.md',
    related: [],
    ...overrides,
  };
}

function syntheticReport(diagnostics: Diagnostic[]): CheckReport {
  return { diagnostics, skipped: [], syntaxErrors: [], fixed: [], fixMode: 'none', unsafeFixes: false, rules: RULES, version: '0.0.0', cwd: '/' };
}
