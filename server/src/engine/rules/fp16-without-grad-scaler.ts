import { appendKeywordArgument, insertLineAfter, insertLineBefore, replaceNode } from '../edits';
import type { AutocastFact } from '../facts/mixedPrecision';
import type { TrainingStep } from '../facts/facts';
import { callsAfterBackward, insertsAfterBackward } from '../facts/trainingSteps';
import { snippet } from '../messages';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Edit, type Fix } from '../rule';

export default defineRule({
  meta: {
    code: 'NAN204',
    name: 'fp16-without-grad-scaler',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A PyTorch training step runs under float16 autocast with no `GradScaler` in the file.',
      whatItDoes:
        'Flags `torch.autocast("cuda")`, `torch.amp.autocast("cuda")` and `torch.cuda.amp.autocast()` (float16 by default), and any autocast with `dtype=torch.float16` / `torch.half`, used in a training step (a function or loop that also calls `backward()`, a training function it decorates, or a model\'s `forward`), when the file never builds a `GradScaler` nor scales a loss (`scaler.scale(loss)`, apex `amp.scale_loss`). Silent for `dtype=torch.bfloat16`, for CPU autocast (bfloat16 by default), for `enabled=False`, for autocast used only for inference (no `backward()` in its function), and when the dtype or device type cannot be resolved (a variable). An `enabled=` flag that cannot be resolved still counts: the float16 path exists.',
      whyNaN:
        'float16 has a largest finite value of 65504 and no values below about 6e-8. Without loss scaling, small gradients underflow to 0 (training silently stalls) and large ones overflow to `inf`; one `inf` gradient makes the optimizer write `inf`/`NaN` into the weights and every later loss is `NaN`. A `GradScaler` multiplies the loss before `backward()`, unscales before the step, and skips steps whose gradients overflowed. bfloat16 has float32\'s exponent range, so it needs no scaler.',
      example:
        'import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda"):\n        loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      useInstead:
        'import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda", dtype=torch.bfloat16):\n        loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      fixSafety:
        'The preferred fix sets `dtype=torch.bfloat16` on the autocast (safe: bfloat16 keeps float32\'s range, so nothing overflows; it needs a GPU with bfloat16 support, Ampere or newer). An alternative fix, marked unsafe and never applied by fix-all, keeps float16 and adds loss scaling: it creates `scaler = torch.amp.GradScaler("cuda")` (or `torch.cuda.amp.GradScaler()`) before the training loop, rewrites `loss.backward()` to `scaler.scale(loss).backward()`, `optimizer.step()` to `scaler.step(optimizer)` followed by `scaler.update()`, and inserts `scaler.unscale_(optimizer)` before a gradient clip; it is offered only for a single step in a loop.',
      whenToIgnore: 'A framework that scales the loss for you (Lightning `precision="16-mixed"`, Accelerate `mixed_precision="fp16"`) around code this rule cannot see.',
      references: [
        'https://pytorch.org/docs/stable/amp.html#gradient-scaling',
        'https://pytorch.org/docs/stable/notes/amp_examples.html',
        'Micikevicius et al., "Mixed Precision Training" (2018)',
      ],
    },
  },
  check({ model, facts, text, report }) {
    if (facts.mixedPrecision.lossScaling.length > 0) return;
    for (const autocast of facts.mixedPrecision.autocasts) {
      if (autocast.precision !== 'float16' || !autocast.enabled || !autocast.backward) continue;
      const backward = autocast.backward;
      const step = facts.trainingSteps.find((candidate) => candidate.backward === backward);
      report({
        node: autocast.call.node,
        message: `\`${snippet(autocast.call.node.text)}\` computes \`${backward.node.text}\` in float16 with no \`GradScaler\`: gradients above 65504 overflow to inf and the weights become NaN`,
        fix: () => bfloat16Fix(model, autocast),
        alternativeFixes: () => {
          const fix = step ? gradScalerFix(model, text, autocast, step, facts.trainingSteps) : undefined;
          return fix ? [fix] : [];
        },
      });
    }
  },
});

function bfloat16Fix(model: SemanticModel, autocast: AutocastFact): Fix | undefined {
  const bfloat16 = model.localNameFor('torch.bfloat16', autocast.call.start);
  const argumentList = autocast.call.argumentsNode;
  if (!bfloat16 || !argumentList) return undefined;
  const edit = autocast.dtypeArgument ? replaceNode(autocast.dtypeArgument, bfloat16) : appendKeywordArgument(argumentList, `dtype=${bfloat16}`);
  return { title: `Autocast to \`${bfloat16}\``, applicability: 'safe', edits: [edit] };
}

/** Keeps float16 and adds a GradScaler around the one step that follows the backward in its loop. */
function gradScalerFix(model: SemanticModel, text: string, autocast: AutocastFact, step: TrainingStep, steps: TrainingStep[]): Fix | undefined {
  const loss = step.backward.receiver;
  const optimizer = step.optimizerExpression;
  const stepsOfBackward = steps.filter((other) => other.backward === step.backward);
  const plainBackward = step.backward.method === 'backward' && step.backward.qualifiedName === null && step.backward.positional.length === 0;
  if (step.region.kind !== 'loop' || step.closure || step.scaler || !plainBackward || !loss || !optimizer || stepsOfBackward.length !== 1 || step.step.positional.length > 0) return undefined;
  const legacy = autocast.api.startsWith('torch.cuda.amp');
  let outermost = step.region;
  while (outermost.parent && outermost.parent.kind === 'loop') outermost = outermost.parent;
  const scalerClass = model.localNameFor(legacy ? 'torch.cuda.amp.GradScaler' : 'torch.amp.GradScaler', outermost.start);
  if (!scalerClass) return undefined;
  const scaler = model.lookup('scaler', step.region.start) ? 'grad_scaler' : 'scaler';
  const stepStatement = step.step.statement.node;
  const edits: (Edit | null)[] = [
    insertLineBefore(text, outermost.start, `${scaler} = ${scalerClass}(${legacy ? '' : '"cuda"'})`),
    replaceNode(loss, `${scaler}.scale(${loss.text})`),
    replaceNode(step.step.node, `${scaler}.step(${optimizer.text})`),
    insertLineAfter(text, stepStatement.startIndex, stepStatement.endIndex, `${scaler}.update()`),
  ];
  const [clip] = callsAfterBackward(step, 'clip');
  if (clip && !insertsAfterBackward(step, clip.statement.start)) return undefined;
  if (clip) edits.push(insertLineBefore(text, clip.statement.start, `${scaler}.unscale_(${optimizer.text})`));
  if (edits.some((edit) => edit === null) || stepStatement.text !== step.step.node.text) return undefined;
  return { title: `Keep float16 and scale the loss with \`${scalerClass}\``, applicability: 'unsafe', edits: edits as Edit[] };
}
