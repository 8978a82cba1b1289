import { appendKeywordArgument, enclosingStatement, insertLineAfter, insertLineBefore, mergeInsertions, replaceNode } from '../edits';
import { recurrentLayerFor } from '../facts/recurrence';
import { callsAfterBackward, insertsAfterBackward } from '../facts/trainingSteps';
import { indentationBefore } from '../positions';
import { defineRule, type Edit, type RuleContext } from '../rule';

const KERAS_CLASS_FOR_STRING: Record<string, string> = {
  adam: 'Adam', adamw: 'AdamW', adamax: 'Adamax', nadam: 'Nadam', rmsprop: 'RMSprop', lion: 'Lion', adagrad: 'Adagrad', sgd: 'SGD', adadelta: 'Adadelta', ftrl: 'Ftrl',
};

export default defineRule({
  meta: {
    code: 'NAN201',
    name: 'missing-gradient-clipping',
    frameworks: ['pytorch', 'keras'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A recurrent or attention model is trained without gradient clipping.',
      whatItDoes:
        'Finds the training steps of models with recurrent or attention layers (`nn.LSTM`, `nn.GRU`, `nn.RNN`, cells, `nn.Transformer*`, `nn.MultiheadAttention`, Keras `LSTM`, `GRU`, `SimpleRNN`, `Bidirectional`, `MultiHeadAttention`) that update the weights with no clipping in between: a PyTorch `backward()` followed by `optimizer.step()` with no `clip_grad_norm_`/`clip_grad_value_`; a Keras optimizer compiled without `clipnorm`/`clipvalue`/`global_clipnorm` (or a string optimizer such as `"adam"`); a `tf.GradientTape` loop whose gradients reach `apply_gradients` without `tf.clip_by_global_norm`. The model is decided per optimizer (the model whose `.parameters()` it takes, the model that compiles it); only when that link cannot be made does the file decide. Setting `clipping = "always"` applies the rule to every training step. A Lightning `Trainer(gradient_clip_val=...)` or a Hugging Face `Trainer` (which clips by default) silences it.',
      whyNaN:
        'Backpropagation through time multiplies the recurrent Jacobian once per time step, so gradient norms can grow exponentially with sequence length. One exploding batch produces an update large enough to push weights to where activations overflow: the loss becomes `inf`, then `NaN`, and every later step stays `NaN`. Clipping the global gradient norm bounds each update whatever the batch.',
      example:
        'import torch\nimport torch.nn as nn\n\nmodel = nn.LSTM(32, 64)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nfor x, y in loader:\n    optimizer.zero_grad()\n    out, _ = model(x)\n    loss = ((out - y) ** 2).mean()\n    loss.backward()\n    optimizer.step()\n',
      useInstead:
        'import torch\nimport torch.nn as nn\n\nmodel = nn.LSTM(32, 64)\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\nfor x, y in loader:\n    optimizer.zero_grad()\n    out, _ = model(x)\n    loss = ((out - y) ** 2).mean()\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    optimizer.step()\n',
      fixSafety:
        'The fix inserts `torch.nn.utils.clip_grad_norm_(<params>, max_norm=1.0)` before the step (after `scaler.unscale_(optimizer)` with a GradScaler, inside the closure for LBFGS-style steps), adds `clipnorm=1.0` to a Keras optimizer, or inserts `grads, _ = tf.clip_by_global_norm(grads, 5.0)` after `tape.gradient`. Clipping only bounds unusually large updates, so it is marked safe; tune `max_norm` to your model.',
      whenToIgnore: 'Short sequences with gradient norms you have measured to stay small, or clipping done in a helper this rule cannot see.',
      references: [
        'Pascanu, Mikolov, Bengio, "On the difficulty of training recurrent neural networks" (2013)',
        'https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html',
        'https://keras.io/api/optimizers/#base-optimizer-class',
      ],
    },
  },
  check(context) {
    if (context.facts.trainerClips) return;
    checkPyTorchSteps(context);
    checkKerasCompiles(context);
    checkTapeSteps(context);
  },
});

function checkPyTorchSteps({ model, facts, settings, text, report }: RuleContext): void {
  for (const step of facts.trainingSteps) {
    // With an LBFGS-style closure the clip may also sit after `backward()` inside the closure.
    const clipsBefore = step.closure ? Math.max(step.step.start, step.closure.end) : step.step.start;
    if (callsAfterBackward(step, 'clip', clipsBefore).length > 0) continue;
    const parameters = step.optimizer?.parameters ?? null;
    const layer = recurrentLayerFor(facts, parameters ? facts.modelsOf(parameters) : [], 'pytorch');
    if (!layer && settings.clipping !== 'always') continue;
    const what = layer ? `a model with \`${layer}\` layers` : 'the model';
    report({
      node: step.step.node,
      message: `\`${step.step.node.text}\` updates ${what} without gradient clipping: one exploding batch makes the update overflow to inf, then NaN`,
      fix: () => {
        const parametersText = parameters && /\.parameters\(\)$/.test(parameters.text) ? parameters.text : 'model.parameters()';
        const insertedAt = step.closure ? step.backward.start : step.step.start;
        const clipFunction = model.localNameFor('torch.nn.utils.clip_grad_norm_', insertedAt) ?? (model.lookup('torch', insertedAt) ? null : 'torch.nn.utils.clip_grad_norm_');
        // `torch` bound to something else there: the clip would not be recognised, and the fix would repeat.
        if (!clipFunction) return undefined;
        const lines = [`${clipFunction}(${parametersText}, max_norm=1.0)`];
        if (step.scaler && step.optimizerExpression && callsAfterBackward(step, 'unscale').length === 0) lines.unshift(`${step.scaler.text}.unscale_(${step.optimizerExpression.text})`);
        let edits: (Edit | null)[];
        if (step.closure) {
          const backwardStatement = enclosingStatement(step.backward.node);
          edits = [insertLineAfter(text, backwardStatement.startIndex, backwardStatement.endIndex, lines.join(`\n${indentationBefore(text, backwardStatement.startIndex)}`))];
        } else {
          const stepStatement = enclosingStatement(step.step.node);
          if (!insertsAfterBackward(step, stepStatement.startIndex)) return undefined;
          edits = lines.map((line) => insertLineBefore(text, stepStatement.startIndex, line));
        }
        if (edits.some((edit) => edit === null)) return undefined;
        return { title: 'Clip gradients with `clip_grad_norm_(..., max_norm=1.0)` before the step', applicability: 'safe', edits: mergeInsertions(edits as Edit[]) };
      },
    });
  }
}

function checkKerasCompiles({ model, facts, settings, report }: RuleContext): void {
  const reported = new Set<number>();
  for (const compile of facts.compiles) {
    const optimizer = compile.optimizer;
    if (!optimizer || optimizer.clips || reported.has(optimizer.node.startIndex)) continue;
    const layer = recurrentLayerFor(facts, compile.models, 'keras');
    if (!layer && settings.clipping !== 'always') continue;
    reported.add(optimizer.node.startIndex);
    const what = layer ? `a model with \`${layer}\` layers` : 'the model';
    report({
      node: optimizer.node,
      message: `Optimizer \`${optimizer.isString ? optimizer.displayName : optimizer.displayName + '(...)'}\` trains ${what} without \`clipnorm\`: one exploding batch makes the update overflow to inf, then NaN`,
      fix: () => {
        if (optimizer.call) {
          const argumentList = optimizer.call.argumentsNode;
          if (!argumentList) return undefined;
          return { title: 'Add `clipnorm=1.0` to the optimizer', applicability: 'safe', edits: [appendKeywordArgument(argumentList, 'clipnorm=1.0')] };
        }
        const className = KERAS_CLASS_FOR_STRING[optimizer.displayName.slice(1, -1).toLowerCase()];
        const optimizersModule = model.localNameFor('keras.optimizers', optimizer.node.startIndex);
        if (!className || !optimizersModule) return undefined;
        return {
          title: `Use \`${className}(clipnorm=1.0)\``,
          applicability: 'safe',
          edits: [replaceNode(optimizer.node, `${optimizersModule}.${className}(clipnorm=1.0)`)],
        };
      },
    });
  }
}

function checkTapeSteps({ model, facts, settings, text, report }: RuleContext): void {
  for (const tapeStep of facts.tapeSteps) {
    if (tapeStep.clips.length > 0 || tapeStep.optimizer?.clips) continue;
    const variables = tapeStep.gradient.positional[1];
    const owner = variables?.type === 'attribute' ? variables.childForFieldName('object') : null;
    const layer = recurrentLayerFor(facts, owner ? facts.modelsOf(owner) : [], 'keras');
    if (!layer && settings.clipping !== 'always') continue;
    const what = layer ? `a model with \`${layer}\` layers` : 'the model';
    report({
      node: tapeStep.apply.node,
      message: `\`apply_gradients\` updates ${what} with unclipped gradients: one exploding batch makes the update overflow to inf, then NaN`,
      fix: () => {
        const assignment = tapeStep.gradient.node.parent;
        const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
        const tf = model.localNameFor('tensorflow', tapeStep.gradient.start);
        if (target?.type !== 'identifier' || !tf || !assignment) return undefined;
        const statement = enclosingStatement(assignment);
        const edit = insertLineAfter(text, statement.startIndex, statement.endIndex, `${target.text}, _ = ${tf}.clip_by_global_norm(${target.text}, 5.0)`);
        return edit ? { title: 'Clip the gradients with `tf.clip_by_global_norm(..., 5.0)`', applicability: 'safe', edits: [edit] } : undefined;
      },
    });
  }
}
