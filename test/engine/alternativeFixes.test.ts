import { describe, expect, it } from 'vitest';
import { applyFixes, lint } from '../../server/src/engine';

// NAN204 is the rule with a second way to fix it: bfloat16 (the fix) or a GradScaler (the alternative).
const FP16_LOOP = 'import torch\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda"):\n        loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n';

describe('alternative fixes', () => {
  it('carries the alternatives on the violation next to its fix', () => {
    const [violation] = lint(FP16_LOOP, 'train.py', { select: ['NAN204'] }).violations;
    expect(violation?.fix?.applicability).toBe('safe');
    expect(violation?.alternativeFixes?.map((fix) => fix.applicability)).toEqual(['unsafe']);
  });

  it('never applies an alternative in fix-all, even with unsafe fixes', () => {
    const fixed = applyFixes(FP16_LOOP, 'train.py', { select: ['NAN204'] }, { unsafe: true });
    expect(fixed.text).toContain('dtype=torch.bfloat16');
    expect(fixed.text).not.toContain('GradScaler');
  });

  it('leaves the field out when a rule offers no alternative', () => {
    const [violation] = lint('import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.1)\n', 'train.py').violations;
    expect(violation).toBeDefined();
    expect(violation).not.toHaveProperty('alternativeFixes');
  });
});
