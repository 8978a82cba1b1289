import { describe, expect, it } from 'vitest';
import { applyEdits, lint, noqaEdit } from '../../server/src/engine';

const FLAGGED = 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)';

describe('suppressions', () => {
  it.each([
    ['# noqa: NAN301', 0],
    ['# noqa', 0],
    ['# noqa:NAN301,NAN201', 0],
    ['# nanlint: disable=NAN301', 0],
    ['# noqa: NAN201', 1],
    ['# noqa: E501', 1],
  ])('a directive %j on the anchor line leaves %i findings', (directive, count) => {
    expect(lint(`${FLAGGED}  ${directive}\n`, 't.py').violations).toHaveLength(count);
  });

  it('disable-file anywhere suppresses the code for the whole file', () => {
    const text = `# nanlint: disable-file=NAN301\n${FLAGGED}\nopt2 = torch.optim.SGD(p, lr=5.0)\n`;
    expect(lint(text, 't.py').violations).toEqual([]);
  });

  it('a noqa inside a string literal is text, not a directive', () => {
    expect(lint(`${FLAGGED}; s = "# noqa"\n`, 't.py').violations).toHaveLength(1);
  });

  it('reports directives that suppress nothing, naming the idle codes', () => {
    const result = lint(`import torch\nx = 1  # noqa: NAN301\ny = 2  # noqa\n${FLAGGED}  # noqa: NAN301, NAN201\n`, 't.py');
    expect(result.unusedSuppressions.map((unused) => unused.codes)).toEqual([['NAN301'], null, ['NAN201']]);
  });

  it('"disable for this line" appends a noqa comment, or extends an existing one, and silences the finding', () => {
    const text = `${FLAGGED}\n`;
    const violation = lint(text, 't.py').violations[0]!;
    const disabled = applyEdits(text, [noqaEdit(text, violation)]);
    expect(disabled).toBe(`${FLAGGED}  # noqa: NAN301\n`);
    expect(lint(disabled, 't.py').violations).toEqual([]);
    const withOther = `${FLAGGED}  # noqa: E501\n`;
    expect(applyEdits(withOther, [noqaEdit(withOther, lint(withOther, 't.py').violations[0]!)])).toBe(`${FLAGGED}  # noqa: E501, NAN301\n`);
  });
});

describe('error tolerance', () => {
  it('a syntax error in the middle of a file does not hide findings before or after it', () => {
    const text = [
      'import torch',
      'a = torch.optim.Adam(m.parameters(), lr=0.01)',
      'def broken(:',
      '    x = = 3',
      'b = torch.optim.SGD(m.parameters(), lr=2.0)',
      '',
    ].join('\n');
    const result = lint(text, 't.py');
    expect(result.syntaxErrors.length).toBeGreaterThan(0);
    expect(result.violations.map((violation) => [violation.code, text.slice(violation.start, violation.end)])).toEqual([
      ['NAN301', 'lr=0.01'],
      ['NAN301', 'lr=2.0'],
    ]);
  });

  it('a half-typed line inside a training loop keeps the loop analysed', () => {
    const text = 'import torch\nrnn = torch.nn.LSTM(4, 4)\nopt = torch.optim.Adam(rnn.parameters(), lr=1e-3)\nfor x in data:\n    loss = rnn(x)[0].sum()\n    loss.backward()\n    print(loss.\n    opt.step()\n';
    expect(lint(text, 't.py').violations.map((violation) => violation.code)).toContain('NAN201');
  });
});
