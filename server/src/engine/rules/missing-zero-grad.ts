import { insertLineBefore, lineEnding, ownLineIndentation } from '../edits';
import { stepResetsGradients } from '../facts/gradientResets';
import type { TrainingStep } from '../facts/facts';
import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Fix } from '../rule';

export default defineRule({
  meta: {
    code: 'NAN203',
    name: 'missing-zero-grad',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A PyTorch training loop calls `backward()` and `optimizer.step()` but never zeroes the gradients.',
      whatItDoes:
        'Finds training steps (`loss.backward()` followed by `optimizer.step()` or `scaler.step(optimizer)`) whose loop never resets the gradients: no `optimizer.zero_grad()`, `model.zero_grad()` (with or without `set_to_none`), `p.grad = None` or `p.grad.zero_()` anywhere in the loop, including inside an `if` (gradient accumulation), a nested `for p in model.parameters()` loop, an LBFGS closure, or a helper function defined in the file and called in the loop. A step written as a function counts as zeroed when the function, or the loop around one of its call sites in the file, zeroes; a step function the file never calls is given the benefit of any reset in the file. A step at module level, outside any loop or function, runs once and is not flagged.',
      whyNaN:
        '`backward()` adds into `.grad` rather than overwriting it. Without a reset, the gradient after `n` steps is the sum of all `n` batch gradients, so the update grows linearly (and, with momentum, faster) with the step count. Within a few hundred steps the updates are large enough to throw the weights to where activations overflow: the loss becomes `inf`, then `NaN`.',
      example:
        'import torch\n\nmodel = torch.nn.Linear(10, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\nfor x, y in loader:\n    loss = ((model(x) - y) ** 2).mean()\n    loss.backward()\n    optimizer.step()\n',
      useInstead:
        'import torch\n\nmodel = torch.nn.Linear(10, 1)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.01)\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = ((model(x) - y) ** 2).mean()\n    loss.backward()\n    optimizer.step()\n',
      fixSafety:
        'The fix inserts `<optimizer>.zero_grad()` (one per optimizer stepped in the loop) as the first statement of the loop body, or of the step function. Zeroing at the top of each iteration is the standard PyTorch loop, so the fix is safe. No fix is offered when the loop body starts on the header line.',
      whenToIgnore:
        'Deliberate gradient accumulation whose reset this rule cannot see (done in a helper defined in another module). Suppress with `# noqa: NAN203` on the `backward()` line.',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html',
        'https://pytorch.org/tutorials/recipes/recipes/zeroing_out_gradients.html',
      ],
    },
  },
  check({ model, facts, text, report }) {
    const unzeroed = facts.trainingSteps.filter((step) => !stepResetsGradients(model, facts.gradientResets, facts.calls, step));
    for (const step of unzeroed) {
      const backward = step.backward;
      report({
        node: backward.node,
        message: `\`${backward.node.text}\` adds to gradients that are never zeroed in this loop: they grow every step until the update overflows to inf, then NaN`,
        fix: () => zeroGradFix(model, text, step, unzeroed),
      });
    }
  },
});

/** `<optimizer>.zero_grad()` for every optimizer stepped in the region, at the top of its body. */
function zeroGradFix(model: SemanticModel, text: string, step: TrainingStep, unzeroed: TrainingStep[]): Fix | undefined {
  const first = firstBodyStatement(step.region.node);
  if (!first) return undefined;
  const expressions = unzeroed.filter((other) => other.region === step.region).map((other) => other.optimizerExpression);
  // The optimizer must already exist at the top of the body: not a name first assigned further down.
  const definedLater = (name: string): boolean => {
    const binding = model.lookup(name, first.startIndex);
    return binding !== undefined && binding.start >= first.startIndex && model.scopeAt(binding.start) === model.scopeAt(first.startIndex);
  };
  const usable = expressions.every((expression) => expression && (expression.type !== 'identifier' || !definedLater(expression.text)));
  if (!usable) return undefined;
  const optimizers = [...new Set(expressions.map((expression) => expression!.text))];
  const indentation = ownLineIndentation(text, first.startIndex);
  const edit = indentation === null ? null : insertLineBefore(text, first.startIndex, optimizers.map((optimizer) => `${optimizer}.zero_grad()`).join(`${lineEnding(text)}${indentation}`));
  if (!edit) return undefined;
  return {
    title: `Call ${optimizers.map((optimizer) => `\`${optimizer}.zero_grad()\``).join(' and ')} at the start of the ${step.region.kind === 'loop' ? 'loop body' : 'step function'}`,
    applicability: 'safe',
    edits: [edit],
  };
}

/** The first statement of a loop's or function's body, after a function's docstring. */
function firstBodyStatement(node: SyntaxNode): SyntaxNode | undefined {
  const statements = (node.childForFieldName('body')?.namedChildren ?? []).filter((child) => child.type !== 'comment');
  const first = statements[0];
  const isDocstring = node.type === 'function_definition' && first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string';
  return isDocstring ? statements[1] : first;
}
