// A fix that inserts a line before a later call of the training step (the clip before the step, the unscale
// before the clip) must not be offered when that call shares its statement with the backward: the line
// would run before the backward, and the finding would stay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine';

const LOOP_HEAD = 'import torch\nmodel = torch.nn.LSTM(4, 4)\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\nfor x, y in data:\n    opt.zero_grad()\n    loss = model(x)[0].sum()\n';

function fixTitles(text: string, code: string): (string | null)[] {
  return lint(text, 'train.py', { select: [code] }).violations.map((violation) => violation.fix?.title ?? null);
}

describe('fixes that insert a line before a call after the backward', () => {
  it('NAN201 offers its clip when backward and step are separate statements', () => {
    expect(fixTitles(`${LOOP_HEAD}    loss.backward()\n    opt.step()\n`, 'NAN201')).toEqual(['Clip gradients with `clip_grad_norm_(..., max_norm=1.0)` before the step']);
  });

  it('NAN201 reports without a fix when one statement holds both calls', () => {
    expect(fixTitles(`${LOOP_HEAD}    (loss.backward(), opt.step())\n`, 'NAN201')).toEqual([null]);
  });

  const FP16_HEAD = 'import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda"):\n        loss = criterion(model(x), y)\n';
  const CLIP = 'torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)';

  /** The edits of NAN204's GradScaler fix (offered besides its bfloat16 fix), or null when it is not offered. */
  const scalerEdits = (text: string): string[] | null => {
    const [violation] = lint(text, 'train.py', { select: ['NAN204'] }).violations;
    const scaler = violation?.alternativeFixes?.find((fix) => fix.title.includes('GradScaler'));
    return scaler ? scaler.edits.map((edit) => edit.content.trim()) : null;
  };

  it('NAN204 puts an unscale before the clip when backward and clip are separate statements', () => {
    expect(scalerEdits(`${FP16_HEAD}    loss.backward()\n    ${CLIP}\n    optimizer.step()\n`)).toContain('scaler.unscale_(optimizer)');
  });

  it('NAN204 offers no GradScaler fix when one statement holds the backward and the clip', () => {
    expect(scalerEdits(`${FP16_HEAD}    loss.backward()\n    optimizer.step()\n`)).not.toBeNull();
    expect(scalerEdits(`${FP16_HEAD}    (loss.backward(), ${CLIP})\n    optimizer.step()\n`)).toBeNull();
  });

  it('NAN202 offers no unscale when an unclosed call makes the clip part of the backward statement', () => {
    const file = 'nan202-fix-inserts-the-unscale-before-the-backward-inside-an-unclosed-call.py';
    const text = readFileSync(join(__dirname, '..', 'fuzz', 'regressions', file), 'utf8');
    expect(fixTitles(text, 'NAN202')).toEqual([null]);
  });
});
