import { replaceNode } from '../edits';
import { feedsOnlyTracedUse, type ActivationFact, type ActivationKind } from '../facts/activations';
import type { LossCall, LossConstruction } from '../facts/losses';
import { defineRule, type Fix, type Related } from '../rule';
import type { SemanticModel } from '../semantic/model';

// What each logits-taking PyTorch loss must not be given: it applies that function itself.
const APPLIED_BY_LOSS: Partial<Record<LossCall['kind'], ActivationKind[]>> = {
  'cross-entropy': ['softmax', 'log_softmax'],
  'binary-cross-entropy-with-logits': ['sigmoid'],
};

// What a Keras loss with `from_logits=True` applies itself.
const KERAS_APPLIED: ActivationKind[] = ['softmax', 'sigmoid'];

export default defineRule({
  meta: {
    code: 'NAN102',
    name: 'activation-before-logits-loss',
    frameworks: ['pytorch', 'keras'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'Probabilities are fed to a loss that applies its own softmax or sigmoid.',
      whatItDoes:
        'Flags a `softmax`/`log_softmax` (`torch.softmax`, `F.softmax`, `x.softmax(dim)`, `nn.Softmax`, `nn.LogSoftmax`) whose output reaches `nn.CrossEntropyLoss`/`F.cross_entropy`, and a `sigmoid` (`torch.sigmoid`, `F.sigmoid`, `x.sigmoid()`, `nn.Sigmoid`) whose output reaches `nn.BCEWithLogitsLoss`/`F.binary_cross_entropy_with_logits`. The activation is traced from the loss call back through names, shape changes (`squeeze`, `view`, ...), a model call to every value its `forward` returns, an `nn.Sequential`\'s last element, and a loss helper\'s parameter to the arguments its callers pass. In Keras, flags a `softmax`/`sigmoid` output layer (`activation="softmax"`, `Activation("softmax")`, `Softmax()`, `tf.nn.softmax` in `call`) of a model trained with a loss constructed with `from_logits=True`: the model `compile`d with that loss, the model whose output a call of the loss receives as `y_pred`, or, when the loss is neither compiled nor called, the file\'s only Keras model. A model whose `forward` returns logits on some path (`return logits if self.training else probs`) is silent, as is an activation assigned only inside an `if`. The diagnostic sits on the activation: the `softmax(...)` call, the `nn.Softmax()` element of a Sequential, the `self.act(h)` call of an activation module, or the Keras `activation=` argument, with related information at the loss. A sigmoid before `CrossEntropyLoss` is left to NAN101, a sigmoid before `BCELoss` to NAN104, and a Keras `log_softmax` output is not flagged (only softmax and sigmoid are applied again by `from_logits=True`).',
      whyNaN:
        '`CrossEntropyLoss` computes `log_softmax` of its input. Given probabilities in [0, 1], it treats them as logits: the loss for the right class cannot fall below `log(1 + (n - 1)/e)` (1.46 for 10 classes), the gradient passes through two softmaxes and shrinks as the model grows confident, and training stalls; raising the learning rate to compensate is what then diverges. A sigmoid before `BCEWithLogitsLoss` squeezes predictions into (0.5, 0.73), so the loss never falls below 0.31 for positives and 0.69 for negatives. `log_softmax` before `CrossEntropyLoss` computes the same value twice (log-softmax is shift-invariant) and usually means `NLLLoss` was intended.',
      example:
        'import torch.nn as nn\nimport torch.nn.functional as F\n\ncriterion = nn.CrossEntropyLoss()\nfor x, y in loader:\n    probs = F.softmax(model(x), dim=1)\n    loss = criterion(probs, y)\n',
      useInstead:
        'import torch.nn as nn\nimport torch.nn.functional as F\n\ncriterion = nn.CrossEntropyLoss()\nfor x, y in loader:\n    logits = model(x)\n    loss = criterion(logits, y)\n',
      fixSafety:
        'PyTorch: the fix removes the activation and keeps its input. It is safe when the activation is written at the loss call or held by a local name used only there; it is unsafe when the activation is part of a model (`forward`, an `nn.Sequential`) or passed to a helper, because every other caller then receives logits instead of probabilities (thresholds at 0.5, reported confidences). Keras: the fix sets `from_logits=False`, which makes the loss read the softmax output as probabilities; it is safe.',
      whenToIgnore: 'Never for training; a softmax kept only to report probabilities should be applied outside the loss computation.',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html',
        'https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html',
        'https://keras.io/api/losses/probabilistic_losses/',
      ],
    },
  },
  check({ facts, model, report }) {
    const { losses } = facts;
    for (const lossCall of losses.calls) {
      const applied = APPLIED_BY_LOSS[lossCall.kind];
      if (lossCall.framework !== 'pytorch' || !applied || !lossCall.input) continue;
      const lossName = lossCall.qualifiedName.replace(/^.*\./, '');
      for (const activation of losses.activationsOf(lossCall.input, { kinds: applied })) {
        report({
          node: activation.node,
          message: torchMessage(activation.kind, lossName),
          related: [{ start: lossCall.call.start, end: lossCall.call.end, message: `\`${lossName}\` applies its own ${activation.kind === 'sigmoid' ? 'sigmoid' : 'log-softmax'} here` }],
          fix: () => removalFix(model, activation, lossName),
        });
      }
    }
    for (const construction of losses.constructions) {
      if (construction.framework !== 'keras' || construction.fromLogits?.value !== true) continue;
      const activations = [
        ...losses.kerasModelsTrainedWith(construction).flatMap((fact) => losses.outputActivations(fact)),
        ...losses.calls.filter((lossCall) => lossCall.construction === construction && lossCall.input).flatMap((lossCall) => losses.activationsOf(lossCall.input!, { kinds: KERAS_APPLIED })),
      ];
      for (const activation of activations) {
        if (!KERAS_APPLIED.includes(activation.kind)) continue;
        report({
          node: activation.node,
          message: `\`${activation.kind}\` output trained with \`${construction.qualifiedName.replace(/^.*\./, '')}(from_logits=True)\`, which applies its own ${activation.kind}: probabilities are read as logits, so gradients shrink and the loss stalls far above 0`,
          related: [fromLogitsRelated(construction)],
          fix: () => ({ title: 'Set `from_logits=False`', applicability: 'safe', edits: [replaceNode(construction.fromLogits!.node, 'False')] }),
        });
      }
    }
  },
});

function torchMessage(kind: ActivationKind, lossName: string): string {
  if (kind === 'sigmoid') return `\`sigmoid\` output feeds \`${lossName}\`, which applies its own sigmoid: predictions are squeezed into (0.5, 0.73), so the loss cannot fall below 0.31 and gradients vanish`;
  if (kind === 'log_softmax') return `\`log_softmax\` output feeds \`${lossName}\`, which applies log-softmax again: the second pass is redundant and \`NLLLoss\` was likely meant`;
  return `\`softmax\` output feeds \`${lossName}\`, which applies its own log-softmax: probabilities in [0, 1] are read as logits, so the loss cannot fall below \`log(1 + (n - 1)/e)\` and gradients vanish`;
}

function removalFix(model: SemanticModel, activation: ActivationFact, lossName: string): Fix | undefined {
  if (!activation.removal) return undefined;
  return {
    title: `Remove the \`${activation.kind}\`: \`${lossName}\` takes logits`,
    applicability: feedsOnlyTracedUse(model, activation) ? 'safe' : 'unsafe',
    edits: [activation.removal],
  };
}

function fromLogitsRelated(construction: LossConstruction): Related {
  const argument = construction.fromLogits!.node.parent ?? construction.fromLogits!.node;
  return { start: argument.startIndex, end: argument.endIndex, message: '`from_logits=True` makes the loss apply softmax/sigmoid itself' };
}
