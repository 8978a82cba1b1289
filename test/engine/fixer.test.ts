import { describe, expect, it } from 'vitest';
import { applyEdits, applyFixes, lint, stillReported, type Edit, type LintResult, type Violation } from '../../server/src/engine';

describe('applyFixes', () => {
  it('resolves overlapping fixes by re-linting until nothing is left (clip before backward + missing clip)', () => {
    const text =
      'import torch\nrnn = torch.nn.LSTM(4, 4)\nopt = torch.optim.Adam(rnn.parameters(), lr=1e-3)\nfor x in data:\n    torch.nn.utils.clip_grad_norm_(rnn.parameters(), 1.0)\n    loss = rnn(x)[0].sum()\n    loss.backward()\n    opt.step()\n';
    const result = applyFixes(text, 't.py', { select: ['NAN201', 'NAN202'] });
    expect(result.remaining.violations).toEqual([]);
    expect(result.fixed.map((violation) => violation.code)).toEqual(['NAN202']);
    expect(result.text).toContain('    loss.backward()\n    torch.nn.utils.clip_grad_norm_(rnn.parameters(), 1.0)\n    opt.step()\n');
  });

  it('applies only the requested codes', () => {
    const text = 'import torch\nrnn = torch.nn.LSTM(4, 4)\nopt = torch.optim.Adam(rnn.parameters(), lr=0.1)\nfor x in data:\n    rnn(x)[0].sum().backward()\n    opt.step()\n';
    const result = applyFixes(text, 't.py', { select: ['NAN201', 'NAN301'] }, { codes: ['NAN301'] });
    expect(result.text).toContain('lr=1e-3');
    expect(result.remaining.violations.map((violation) => violation.code)).toEqual(['NAN201']);
  });

  it('applies edits from the end so earlier offsets stay valid', () => {
    expect(applyEdits('abcdef', [{ start: 1, end: 2, content: 'X' }, { start: 4, end: 4, content: 'Y' }])).toBe('aXcdYef');
  });

  it('changes nothing in a clean file', () => {
    const text = 'import torch\nopt = torch.optim.Adam(m.parameters(), lr=1e-3)\n';
    expect(applyFixes(text, 't.py').text).toBe(text);
    expect(lint(text, 't.py').violations).toEqual([]);
  });
});

describe('a fix that does not take effect', () => {
  const finding: Violation = { code: 'NAN201', name: 'missing-gradient-clipping', severity: 'warning', message: 'm', start: 40, end: 56, related: [] };
  const insertion: Edit = { start: 20, end: 20, content: 'clip()\n' };
  const resultWith = (...starts: number[]): LintResult => ({
    violations: starts.map((start) => ({ ...finding, start, end: start + 16 })),
    syntaxErrors: [],
    unusedSuppressions: [],
    ruleFailures: [],
  });

  it('is recognised when its finding is still reported where the edits moved it', () => {
    expect(stillReported(finding, [insertion], resultWith(47))).toBe(true);
  });

  it('is not confused with a finding that is gone or only seen where it was before the edits', () => {
    expect(stillReported(finding, [insertion], resultWith())).toBe(false);
    expect(stillReported(finding, [insertion], resultWith(40))).toBe(false);
  });
});
