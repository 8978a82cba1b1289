import { replaceNode } from '../edits';
import { kerasLossKind } from '../facts/api';
import { outputLayers, type OutputActivation } from '../facts/outputs';
import { defineRule, type Fix } from '../rule';
import { formatNumber } from '../messages';

export default defineRule({
  meta: {
    code: 'NAN101',
    name: 'sigmoid-multiclass-output',
    frameworks: ['keras', 'pytorch'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A multi-unit output layer uses a sigmoid where the task is single-label multi-class.',
      whatItDoes:
        'Flags a sigmoid on the output layer of a model with more than one output unit when the model is trained with a categorical loss: Keras `Dense(n, activation="sigmoid")` (also `tf.nn.sigmoid`, `keras.activations.sigmoid`, or a following `Activation("sigmoid")`) as the last layer of a `Sequential`, the output of a functional `Model`, or the layer a subclass\'s `call` returns, compiled with `categorical_crossentropy`/`sparse_categorical_crossentropy` (or with no loss visible in the file); PyTorch `nn.Sigmoid()`/`torch.sigmoid` on the output of a multi-unit final `nn.Linear` whose result feeds `nn.CrossEntropyLoss`/`nn.NLLLoss`/`F.cross_entropy`/`F.nll_loss` (traced from the prediction of the loss call back to the sigmoid; when no loss call can be traced to it, the classification loss of the file decides, unless the file also has a binary cross-entropy loss the sigmoid may be feeding). A binary cross-entropy loss is silent: several independent sigmoids are right for multi-label tasks.',
      whyNaN:
        'Independent sigmoids do not sum to one, so a categorical loss sees a distribution that is not one. In PyTorch, `CrossEntropyLoss` applies its own log-softmax to the sigmoid outputs, squashing every logit into (0, 1): the loss cannot fall below about `log(n) - 1`, gradients vanish as the sigmoids saturate (float32 sigmoid is exactly 1.0 beyond about 17), and hand-written logs of these probabilities reach `log(0) = -inf`, then `NaN`. In Keras, `CategoricalCrossentropy` clips probabilities to [1e-7, 1 - 1e-7], which prevents `log(0)` but leaves a model that learns badly.',
      example:
        'from tensorflow import keras\n\nmodel = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="sigmoid"),\n])\nmodel.compile(optimizer="adam", loss="categorical_crossentropy")\n',
      useInstead:
        'from tensorflow import keras\n\nmodel = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="softmax"),\n])\nmodel.compile(optimizer="adam", loss="categorical_crossentropy")\n',
      fixSafety:
        'Keras: the fix replaces `sigmoid` with `softmax`, what the categorical loss assumes. PyTorch: the fix removes the sigmoid, because `CrossEntropyLoss` expects raw logits. Both are safe for single-label classification; for a multi-label task, switch the loss to binary cross-entropy instead of applying the fix.',
      whenToIgnore: 'Multi-label classification trained with a loss this rule does not recognise as binary.',
      references: [
        'https://keras.io/api/losses/probabilistic_losses/#categoricalcrossentropy-class',
        'https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html',
      ],
    },
  },
  check({ facts, model, report }) {
    for (const output of outputLayers(model, facts)) {
      if (output.activation?.name !== 'sigmoid') continue;
      if (output.units !== null && output.units <= 1) continue;
      if (output.framework === 'keras') {
        const loss = output.loss;
        if (loss !== null && kerasLossKind(loss) !== 'categorical') continue;
      } else if (!output.loss) {
        continue;
      }
      const units = output.units === null ? `\`${output.unitsText}\`` : formatNumber(output.units).replace(/\.0$/, '');
      report({
        node: output.activation.node,
        message:
          output.framework === 'keras'
            ? `Sigmoid on an output layer with ${units} units trained with ${output.loss ? `\`${output.loss.replace(/^keras\.losses\./, '')}\`` : 'a multi-class loss'}: independent sigmoids are not a class distribution, so the model saturates and learns badly`
            : `Sigmoid on an output layer with ${units} units that feeds \`${output.loss!.replace(/^torch\.nn\.(functional\.)?/, '')}\`: the loss applies its own softmax to saturated (0, 1) values, gradients vanish and logs of them reach -inf, then NaN`,
        fix: () => sigmoidFix(output.activation!),
      });
    }
  },
});

function sigmoidFix(activation: OutputActivation): Fix | undefined {
  if (activation.replaceWith === 'softmax') {
    return { title: 'Use `softmax`', applicability: 'safe', edits: [replaceNode(activation.node, activation.node.text.replace('sigmoid', 'softmax'))] };
  }
  if (!activation.removal) return undefined;
  return { title: 'Remove the sigmoid: the loss takes logits', applicability: 'safe', edits: [activation.removal] };
}
