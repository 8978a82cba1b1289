import { afterEach, describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { docsUrl, ruleByCode } from '../../server/src/engine';
import { LspTestClient, rangeOf } from '../helpers/lspHarness';
import { FOCUS, HIGH_LR, LSTM_NOTEBOOK_CELLS } from './samples';

const URI = 'file:///workspace/train.py';

describe('hover', () => {
  let client: LspTestClient;
  afterEach(async () => client.shutdown());

  it('explains the rule when hovering a finding: summary, why it makes NaN, and the link', async () => {
    client = await LspTestClient.start();
    await client.open(URI, HIGH_LR);
    const at = rangeOf(HIGH_LR, '0.01').start;
    const hover = await client.hover(URI, at);
    const value = (hover?.contents as MarkupContent).value;
    const rule = ruleByCode('NAN301')!;
    expect(value).toContain(rule.meta.docs.summary);
    expect(value).toContain(rule.meta.docs.whyNaN);
    expect(value).toContain(docsUrl('NAN301'));
    expect(hover?.range).toEqual(rangeOf(HIGH_LR, 'lr=0.01'));
  });

  it('explains the rule named in a noqa comment under the cursor', async () => {
    const text = 'x = 1  # noqa: E501, NAN201\n';
    client = await LspTestClient.start();
    await client.open(URI, text);
    const range = rangeOf(text, 'NAN201');
    const hover = await client.hover(URI, { line: 0, character: range.start.character + 2 });
    expect((hover?.contents as MarkupContent).value).toContain(ruleByCode('NAN201')!.meta.docs.summary);
    expect(hover?.range).toEqual(range);
  });

  it('shows nothing away from findings and directives', async () => {
    client = await LspTestClient.start();
    await client.open(URI, HIGH_LR);
    expect(await client.hover(URI, { line: 0, character: 2 })).toBeNull();
  });

  it('explains a finding in a notebook cell', async () => {
    client = await LspTestClient.start({ settings: FOCUS });
    const cells = await client.openNotebook('file:///workspace/forecast.ipynb', LSTM_NOTEBOOK_CELLS.map((text) => ({ text })));
    const hover = await client.hover(cells[4]!, { line: 4, character: 10 });
    expect((hover?.contents as MarkupContent).value).toContain(ruleByCode('NAN201')!.meta.docs.summary);
    expect(hover?.range).toEqual({ start: { line: 4, character: 4 }, end: { line: 4, character: 20 } });
  });
});
