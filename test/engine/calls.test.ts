import { describe, expect, it } from 'vitest';
import { collectCalls } from '../../server/src/engine/facts/calls';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function callsOf(text: string): { method: string | null; qualifiedName: string | null; text: string }[] {
  const model = new SemanticModel(parse(text), text);
  return collectCalls(model).map((call) => ({ method: call.method, qualifiedName: call.qualifiedName, text: call.node.text }));
}

describe('calls the facts can ask about', () => {
  it('are found through non-ASCII names, as Python allows them', () => {
    const text = 'import tensorflow as Ω\nimport torch\n学习率 = torch.cuda.amp.GradScaler()\n学习率.unscale_(opt)\ngrads, _ = Ω.clip_by_global_norm(grads, 5.0)\n';
    expect(callsOf(text)).toEqual([
      { method: 'GradScaler', qualifiedName: 'torch.cuda.amp.GradScaler', text: 'torch.cuda.amp.GradScaler()' },
      { method: 'unscale_', qualifiedName: null, text: '学习率.unscale_(opt)' },
      { method: 'clip_by_global_norm', qualifiedName: 'tensorflow.clip_by_global_norm', text: 'Ω.clip_by_global_norm(grads, 5.0)' },
    ]);
  });

  it('start at the whole dotted name, not at a part after a non-ASCII letter', () => {
    expect(callsOf('import torch\nλtorch.optim.Adam(p, lr=0.1)\n').map((call) => call.qualifiedName)).toEqual([]);
  });

  it('are not found in strings, comments or definitions', () => {
    const text = 'import torch\ns = "torch.optim.Adam(p)"  # torch.optim.SGD(p)\ndef step(x):\n    return x\nstep(1)\n';
    expect(callsOf(text).map((call) => call.text)).toEqual(['step(1)']);
  });
});
