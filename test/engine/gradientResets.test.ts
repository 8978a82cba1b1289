import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import { stepResetsGradients } from '../../server/src/engine/facts/gradientResets';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function analyse(text: string) {
  const model = new SemanticModel(parse(text), text);
  return { model, facts: buildFacts(model) };
}

/** Whether each training step of the file resets its gradients, in step order. */
function resetsPerStep(text: string): boolean[] {
  const { model, facts } = analyse(text);
  return facts.trainingSteps.map((step) => stepResetsGradients(model, facts.gradientResets, facts.calls, step));
}

describe('gradient resets', () => {
  it('collects zero_grad calls, grad = None assignments and grad.zero_() calls in document order', () => {
    const { facts } = analyse(
      'optimizer.zero_grad(set_to_none=True)\nmodel.zero_grad()\nfor p in model.parameters():\n    p.grad = None\n    p.grad.data.zero_()\nq.grad == None\nq.grad = torch.ones(3)\n',
    );
    expect(facts.gradientResets.map((reset) => reset.node.text)).toEqual([
      'optimizer.zero_grad(set_to_none=True)',
      'model.zero_grad()',
      'p.grad = None',
      'p.grad.data.zero_()',
    ]);
  });

  it('sees a reset at the top of the loop body', () => {
    expect(resetsPerStep('for x in data:\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\n')).toEqual([true]);
  });

  it('sees a reset inside an if (gradient accumulation)', () => {
    expect(resetsPerStep('for i, x in enumerate(data):\n    loss.backward()\n    if (i + 1) % 4 == 0:\n        opt.step()\n        opt.zero_grad()\n')).toEqual([true]);
  });

  it('sees p.grad = None in a nested loop over the parameters', () => {
    expect(resetsPerStep('for x in data:\n    for p in model.parameters():\n        p.grad = None\n    loss.backward()\n    opt.step()\n')).toEqual([true]);
  });

  it('does not count a reset in an outer epoch loop for a step in the batch loop', () => {
    expect(resetsPerStep('for epoch in range(3):\n    opt.zero_grad()\n    for x in data:\n        loss.backward()\n        opt.step()\n')).toEqual([false]);
  });

  it('reports a loop with no reset', () => {
    expect(resetsPerStep('for x in data:\n    loss.backward()\n    opt.step()\n')).toEqual([false]);
  });

  it('sees a reset in the loop around the call of a step function', () => {
    const text = 'def train_step(x):\n    loss.backward()\n    opt.step()\n\nfor x in data:\n    opt.zero_grad()\n    train_step(x)\n';
    expect(resetsPerStep(text)).toEqual([true]);
    expect(resetsPerStep(text.replace('    opt.zero_grad()\n', ''))).toEqual([false]);
  });

  it('sees a reset in the loop around self.step_fn() for a method', () => {
    expect(resetsPerStep('class T:\n    def step_fn(self):\n        self.loss.backward()\n        self.opt.step()\n    def fit(self):\n        for x in data:\n            self.opt.zero_grad()\n            self.step_fn()\n')).toEqual([true]);
  });

  it('gives an uncalled step function the benefit of a reset elsewhere in the file', () => {
    expect(resetsPerStep('def training_step(batch):\n    loss.backward()\n    opt.step()\n\ndef reset():\n    opt.zero_grad()\n')).toEqual([true]);
    expect(resetsPerStep('def training_step(batch):\n    loss.backward()\n    opt.step()\n')).toEqual([false]);
  });

  it('sees a reset done by a local helper called in the loop', () => {
    const text = 'def reset_gradients():\n    for p in model.parameters():\n        p.grad = None\n\nfor x in data:\n    reset_gradients()\n    loss.backward()\n    opt.step()\n';
    expect(resetsPerStep(text)).toEqual([true]);
    expect(resetsPerStep(text.replace('        p.grad = None\n', '        print(p)\n'))).toEqual([false]);
  });

  it('treats a step outside any loop or function as run once', () => {
    expect(resetsPerStep('loss.backward()\nopt.step()\n')).toEqual([true]);
  });

  it('sees a reset inside an LBFGS closure', () => {
    expect(resetsPerStep('for x in data:\n    def closure():\n        opt.zero_grad()\n        loss = f(x)\n        loss.backward()\n        return loss\n    opt.step(closure)\n')).toEqual([true]);
  });
});
