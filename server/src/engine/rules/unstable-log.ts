import { replaceNode } from '../edits';
import { reachingBinding } from '../facts/flow';
import type { ActivationFact } from '../facts/activations';
import type { LogCall } from '../facts/logs';
import type { SyntaxNode } from '../parse/tree';
import { defineRule, type Fix } from '../rule';
import type { SemanticModel } from '../semantic/model';

const EPSILON = '1e-7';

export default defineRule({
  meta: {
    code: 'NAN103',
    name: 'unstable-log',
    frameworks: ['pytorch', 'keras'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A log of a probability that can underflow to 0 gives -inf, then NaN.',
      whatItDoes:
        'Flags `torch.log`/`tf.math.log`/`np.log`/`p.log()` applied to a softmax (`torch.log(F.softmax(x, 1))`, `tf.math.log(tf.nn.softmax(z))`) or a sigmoid (`torch.log(torch.sigmoid(x))`), directly or through a name assigned from it in the same function. Also flags the log in a hand-written cross-entropy, a log that is a factor of a product with labels (`-(y * torch.log(p))`, `y * log(p) + (1 - y) * log(1 - p)`), when its argument adds no epsilon (`+ eps`, `+ 1e-8`) and is not clamped (`clamp`, `clamp_min`, `clip`, `clip_by_value`, `maximum`), directly or through a name assigned in the same function. A log multiplied by a plain number (`0.5 * torch.log(var)`) is not a cross-entropy. Values that come from another function (a model\'s `forward`, a parameter) are out of scope: silent, not guessed. A softmax with an epsilon added (`torch.log(F.softmax(x, 1) + 1e-8)`) is guarded and silent. An epsilon is a positive constant below 0.1 (a literal or a named constant) or a name that says it is one (`eps`, `epsilon`, `self.eps`, `torch.finfo(p.dtype).eps`). `p.log()` counts only without arguments (so `self.log("loss", v)` in Lightning does not), and `math.log` of a Python number is never flagged. The diagnostic sits on the whole log call.',
      whyNaN:
        'In float32, `exp` underflows to exactly 0 below about -104, so a softmax gives probability 0 to any class whose logit is about 104 below the largest, and `sigmoid(x)` is 0 for `x` below about -104 (and `1 - sigmoid(x)` is 0 above about 17). `log(0)` is `-inf`; multiplied by a label of 0 it is `0 * -inf = NaN`, and the gradient `1/p` is `inf`. One such example poisons the whole batch\'s loss and every weight after the next step. `log_softmax` and `logsigmoid` compute the same values as `x - logsumexp(x)` and `-softplus(-x)`, which never underflow; a clamp or epsilon bounds a hand-written log at `log(1e-7) = -16.1`.',
      example: 'import torch\nimport torch.nn.functional as F\n\nprobs = F.softmax(logits, dim=1)\nloss = -(targets * torch.log(probs)).sum(dim=1).mean()\n',
      useInstead: 'import torch\nimport torch.nn.functional as F\n\nlog_probs = F.log_softmax(logits, dim=1)\nloss = -(targets * log_probs).sum(dim=1).mean()\n',
      fixSafety:
        'A log of a softmax becomes `log_softmax` with the same arguments (`torch.log_softmax`, `F.log_softmax`, `x.log_softmax(dim)`, `tf.nn.log_softmax`); a log of a sigmoid becomes `F.logsigmoid(x)` / `tf.math.log_sigmoid(x)`. These compute the same values, so the fix is safe; it is offered only when the log takes the whole activation output (not `probs[i, y]` or a reshaped view), and through a name only when the softmax\'s arguments are plain names that still hold the same values at the log. A hand-written cross-entropy gets `p.clamp_min(1e-7)` (PyTorch), `tf.clip_by_value(p, 1e-7, 1.0)` (TensorFlow) or `p + 1e-7` (NumPy) inside the log, which changes the loss only where it was about to be infinite: safe.',
      whenToIgnore: 'When the argument is provably bounded away from 0 in a way the rule cannot see (for example it was clipped in another function).',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.nn.functional.log_softmax.html',
        'https://pytorch.org/docs/stable/generated/torch.nn.functional.logsigmoid.html',
        'https://www.tensorflow.org/api_docs/python/tf/nn/log_softmax',
      ],
    },
  },
  check({ facts, model, report }) {
    for (const logCall of facts.logCalls) {
      const logName = logCall.method ? '.log()' : (logCall.call.callee?.text ?? 'log');
      const activation = facts.losses.activationsOf(logCall.argument, { sameFunction: true, kinds: ['softmax', 'sigmoid'] })[0];
      if (activation) {
        report({
          node: logCall.call.node,
          message:
            activation.kind === 'softmax'
              ? `\`${logName}\` of a \`softmax\` output: a class whose logit is about 104 below the largest gets probability exactly 0 in float32, so the log is \`-inf\`, then NaN`
              : `\`${logName}\` of a \`sigmoid\` output: \`sigmoid(x)\` is exactly 0 in float32 below x of about -104, so the log is \`-inf\`, then NaN`,
          fix: () => (activation.kind === 'softmax' ? logSoftmaxFix(model, logCall, activation) : logSigmoidFix(model, logCall, activation)),
        });
      } else if (logCall.crossEntropy && !logCall.guarded) {
        report({
          node: logCall.call.node,
          message: `\`${logName}\` in a hand-written cross-entropy has no epsilon or clamp: a predicted probability of 0 gives \`log(0) = -inf\`, and \`0 * -inf\` is NaN`,
          fix: () => clampFix(model, logCall),
        });
      }
    }
  },
});

function logSoftmaxFix(model: SemanticModel, logCall: LogCall, activation: ActivationFact): Fix | undefined {
  if (!activation.whole || !activation.argumentList || !activation.input || !sameValuesAt(model, activation, logCall.call.node)) return undefined;
  let replacement: string | null = null;
  if (activation.form === 'method') {
    replacement = `${activation.input.text}.log_softmax${activation.argumentList.text}`;
  } else if (activation.form === 'function') {
    const callee = activation.node.childForFieldName('function');
    if (callee?.type === 'attribute') replacement = `${callee.childForFieldName('object')!.text}.log_softmax${activation.argumentList.text}`;
    else if (callee) {
      const qualified = model.qualifiedName(callee);
      const spelled = qualified ? model.localNameFor(qualified.replace(/softmax$/, 'log_softmax'), logCall.call.start) : null;
      replacement = spelled ? `${spelled}${activation.argumentList.text}` : null;
    }
  }
  if (!replacement) return undefined;
  return { title: 'Use `log_softmax`', applicability: 'safe', edits: [replaceNode(logCall.call.node, replacement)] };
}

function logSigmoidFix(model: SemanticModel, logCall: LogCall, activation: ActivationFact): Fix | undefined {
  if (!activation.whole || !activation.input || (activation.form !== 'function' && activation.form !== 'method') || !sameValuesAt(model, activation, logCall.call.node)) return undefined;
  const at = logCall.call.start;
  const logSigmoid = logCall.framework === 'pytorch' ? model.localNameFor('torch.nn.functional.logsigmoid', at) : logCall.framework === 'tensorflow' ? model.localNameFor('tensorflow.math.log_sigmoid', at) : null;
  if (!logSigmoid) return undefined;
  return { title: `Use \`${logSigmoid}\``, applicability: 'safe', edits: [replaceNode(logCall.call.node, `${logSigmoid}(${activation.input.text})`)] };
}

/**
 * Rewriting the log in place of a softmax reached through a name re-evaluates the softmax's arguments
 * at the log: allowed only when they are names that hold the same values there (no calls re-run).
 */
function sameValuesAt(model: SemanticModel, activation: ActivationFact, at: SyntaxNode): boolean {
  if (activation.names.length === 0) return true;
  const parts = [activation.input, activation.argumentList].filter((node): node is SyntaxNode => node !== null);
  for (const part of parts) {
    if (part.type === 'call' || part.descendantsOfType('call').length > 0) return false;
    const identifiers = part.type === 'identifier' ? [part] : part.descendantsOfType('identifier');
    for (const identifier of identifiers) {
      if (identifier.parent?.type === 'keyword_argument' && identifier.parent.childForFieldName('name')?.startIndex === identifier.startIndex) continue;
      if (identifier.parent?.type === 'attribute' && identifier.parent.childForFieldName('attribute')?.startIndex === identifier.startIndex) continue;
      const there = reachingBinding(model, identifier);
      const here = model.lookup(identifier.text, at.startIndex);
      if (there !== here) return false;
    }
  }
  return true;
}

// Expressions `.clamp_min(...)` can follow directly, and that `+ 1e-7` can follow without changing their meaning.
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression']);
const ADDITIVE = /^[^<>&|^]*$/;

function clampFix(model: SemanticModel, logCall: LogCall): Fix | undefined {
  const argument = logCall.argument;
  const primary = PRIMARY.has(argument.type) ? argument.text : `(${argument.text})`;
  let replacement: string | null;
  if (logCall.framework === 'pytorch') replacement = `${primary}.clamp_min(${EPSILON})`;
  else if (logCall.framework === 'tensorflow') {
    const clip = model.localNameFor('tensorflow.clip_by_value', logCall.call.start);
    replacement = clip ? `${clip}(${argument.text}, ${EPSILON}, 1.0)` : null;
  } else {
    const additive = PRIMARY.has(argument.type) || argument.type === 'unary_operator' || (argument.type === 'binary_operator' && ADDITIVE.test(argument.childForFieldName('operator')?.type ?? '|'));
    replacement = `${additive ? argument.text : `(${argument.text})`} + ${EPSILON}`;
  }
  if (!replacement) return undefined;
  return { title: logCall.framework === 'pytorch' ? `Clamp the argument with \`clamp_min(${EPSILON})\`` : logCall.framework === 'tensorflow' ? `Clip the argument to [${EPSILON}, 1]` : `Add \`${EPSILON}\` to the argument`, applicability: 'safe', edits: [replaceNode(argument, replacement)] };
}
