import { deleteStatementLines, enclosingStatement, insertLineAfter, insertLineBefore } from '../edits';
import type { CallFact, TrainingStep } from '../facts/facts';
import { callsAfterBackward, insertsAfterBackward } from '../facts/trainingSteps';
import { defineRule, type Fix } from '../rule';

export default defineRule({
  meta: {
    code: 'NAN202',
    name: 'clip-before-backward',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'safe',
    docs: {
      summary: 'Gradient clipping runs where it cannot act on this step\'s gradients.',
      whatItDoes:
        'Flags a `clip_grad_norm_`/`clip_grad_value_` call that runs before the step\'s `backward()` in the same loop body or function, or after `optimizer.step()`. With a `GradScaler`, it also flags a clip after `scaler.scale(loss).backward()` that is not preceded by `scaler.unscale_(optimizer)`.',
      whyNaN:
        'Before `backward()` the gradients are the previous step\'s (or `None` after `zero_grad(set_to_none=True)`), so the clip returns 0 or clips stale values and this step\'s update goes through unclipped: training is exactly as unstable as with no clipping at all, while the code reads as if it were protected. After `optimizer.step()` the update has already happened. With a GradScaler, the gradients are still multiplied by the loss scale (65536 by default), so `max_norm` compares against scaled values and the clip means nothing.',
      example:
        'import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      useInstead:
        'import torch\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n',
      fixSafety:
        'The fix moves the clip statement to directly after the `backward()` statement (or inserts `scaler.unscale_(optimizer)` before the clip). The clip was clearly meant to act on the gradients, so the fix is safe.',
      whenToIgnore: 'Never for a clip meant to bound this step\'s update. A clip used only to measure the previous step\'s norm can be suppressed with `# noqa: NAN202`.',
      references: [
        'https://pytorch.org/docs/stable/notes/amp_examples.html#gradient-clipping',
        'https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html',
      ],
    },
  },
  check({ facts, text, report }) {
    const reported = new Set<number>();
    for (const step of facts.trainingSteps) {
      if (step.closure) continue;
      const regionCalls = step.calls;
      const firstBackward = regionCalls.find((call) => call.kind === 'backward')!.call;
      const lastStep = [...regionCalls].reverse().find((call) => call.kind === 'step')!.call;
      for (const { kind, call } of regionCalls) {
        if (kind !== 'clip' || reported.has(call.start)) continue;
        const backwardAfter = regionCalls.some((other) => other.kind === 'backward' && other.call.start > call.start);
        let placement: 'before-backward' | 'after-step' | 'scaled' | null = null;
        if (call.start < firstBackward.start) placement = 'before-backward';
        else if (call.start > lastStep.start && !backwardAfter) placement = 'after-step';
        else if (isScaledBackward(step.backward) && call.start > step.backward.start && call.start < step.step.start && !unscaledBetween(step, call)) placement = 'scaled';
        if (!placement) continue;
        reported.add(call.start);
        const clipName = call.method ?? 'clip_grad_norm_';
        const backwardText = step.backward.node.text;
        const messages = {
          'before-backward': `\`${clipName}\` runs before \`${backwardText}\`: it clips the previous step's gradients (or none), so this update is unclipped and can overflow to NaN`,
          'after-step': `\`${clipName}\` runs after \`${step.step.node.text}\`: the update already used the unclipped gradients, which can overflow to NaN`,
          scaled: `\`${clipName}\` clips gradients still multiplied by the GradScaler's loss scale: \`max_norm\` means nothing until \`unscale_\` runs`,
        };
        report({
          node: call.node,
          message: messages[placement],
          fix: () => (placement === 'scaled' ? unscaleFix(text, step, call) : moveAfterBackwardFix(text, step, call)),
        });
      }
    }
  },
});

function isScaledBackward(backward: CallFact): boolean {
  const receiver = backward.receiver;
  return receiver?.type === 'call' && receiver.childForFieldName('function')?.childForFieldName('attribute')?.text === 'scale';
}

function unscaledBetween(step: TrainingStep, clip: CallFact): boolean {
  return callsAfterBackward(step, 'unscale', clip.start).length > 0;
}

function unscaleFix(text: string, step: TrainingStep, clip: CallFact): Fix | undefined {
  const scaler = step.backward.receiver?.childForFieldName('function')?.childForFieldName('object');
  const clipStatement = enclosingStatement(clip.node);
  if (!scaler || !step.optimizerExpression || !insertsAfterBackward(step, clipStatement.startIndex)) return undefined;
  const edit = insertLineBefore(text, clipStatement.startIndex, `${scaler.text}.unscale_(${step.optimizerExpression.text})`);
  return edit ? { title: `Insert \`${scaler.text}.unscale_(${step.optimizerExpression.text})\` before the clip`, applicability: 'safe', edits: [edit] } : undefined;
}

function moveAfterBackwardFix(text: string, step: TrainingStep, clip: CallFact): Fix | undefined {
  const clipStatement = enclosingStatement(clip.node);
  const backwardStatement = enclosingStatement(step.backward.node);
  const removal = deleteStatementLines(text, clipStatement);
  const insertion = insertLineAfter(text, backwardStatement.startIndex, backwardStatement.endIndex, clipStatement.text.replace(/\r?\n\s*/g, ' '));
  if (!removal || !insertion) return undefined;
  return { title: `Move \`${clip.method ?? 'the clip'}\` to directly after \`${step.backward.node.text}\``, applicability: 'safe', edits: [removal, insertion] };
}
