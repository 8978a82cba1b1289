import { replaceNode } from '../edits';
import type { OptimizerFact } from '../facts/facts';
import type { SyntaxNode } from '../parse/tree';
import type { Constant } from '../semantic/constants';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Edit } from '../rule';
import { formatNumber } from '../messages';
import { isName, NAME_END, nameUsePattern, NOT_AFTER_NAME } from '../semantic/identifiers';

const REASONS: Record<string, string> = {
  sgd: 'plain SGD steps overshoot and the loss overflows to inf, then NaN',
  adagrad: 'Adagrad takes its largest steps early and can jump to where the loss overflows',
};
const ADAPTIVE_REASON = 'adaptive optimizers take steps of about lr per weight and diverge at high rates';

export default defineRule({
  meta: {
    code: 'NAN301',
    name: 'high-learning-rate',
    frameworks: ['pytorch', 'keras'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'An optimizer\'s learning rate is at or above the divergence-prone threshold for its family.',
      whatItDoes:
        'Flags PyTorch, Keras and Hugging Face optimizers whose learning rate resolves (through constants, dict keys and argparse defaults in the file) to a value at or above the threshold for the optimizer family: `1e-2` for Adam, AdamW, Adamax, NAdam, RAdam, RMSprop and Lion; `1e-1` for Adagrad; `1.0` for SGD. Adadelta and LBFGS are exempt, and a learning-rate schedule object is not a number, so it is not flagged. The thresholds are configurable with `learning-rate-thresholds`.',
      whyNaN:
        'Each update moves a weight by roughly the learning rate (adaptive optimizers) or the learning rate times the gradient (SGD). Too large a step overshoots the minimum, the loss grows, gradients grow with it, and within a few steps activations overflow float32: the loss becomes `inf` and then `NaN`. For adaptive optimizers the usual symptom is divergence (the loss stops improving and climbs) rather than an immediate NaN.',
      example: 'import torch\n\nmodel = torch.nn.Linear(10, 1)\noptimizer = torch.optim.Adam(model.parameters(), lr=0.01)\n',
      useInstead: 'import torch\n\nmodel = torch.nn.Linear(10, 1)\noptimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\n',
      fixSafety:
        'The fix sets the rate to `1e-3` (adaptive optimizers) or `1e-1` (SGD). When the value comes from a constant used only by this optimizer, the constant\'s definition is edited; when the constant is shared (an argparse default also used by another path), the argument at the call is replaced instead, so other users of the constant keep their value. It is marked safe: the new value is a conservative default for the family.',
      whenToIgnore:
        'Large-batch training with warm-up, a schedule that ramps the rate down before the first steps, or a model you have measured to be stable at this rate. Suppress with `# noqa: NAN301` on the line.',
      references: [
        'https://pytorch.org/docs/stable/optim.html',
        'https://keras.io/api/optimizers/',
        'Smith, "Cyclical Learning Rates for Training Neural Networks" (learning-rate range test)',
      ],
    },
  },
  check({ model, facts, settings, report }) {
    for (const optimizer of facts.optimizers) {
      const argument = optimizer.learningRate;
      if (!argument) continue;
      const threshold = settings.learningRateThresholds[optimizer.family];
      if (threshold === undefined) continue;
      const rate = model.constantValue(argument);
      if (!rate || typeof rate.value !== 'number' || rate.value < threshold) continue;
      const reason = REASONS[optimizer.family] ?? ADAPTIVE_REASON;
      const replacement = optimizer.family === 'sgd' ? '1e-1' : '1e-3';
      const keyword = argument.parent?.type === 'keyword_argument' ? argument.parent : null;
      const keywordName = keyword?.childForFieldName('name')?.text ?? (optimizer.framework === 'pytorch' ? 'lr' : 'learning_rate');
      report({
        node: keyword ?? argument,
        message: `\`${optimizer.displayName}\` learning rate \`${formatNumber(rate.value)}\` is at or above \`${formatNumber(threshold)}\`: ${reason}`,
        related: rate.definitions.map((definition) => ({
          start: definition.startIndex,
          end: definition.endIndex,
          message: `learning rate \`${formatNumber(rate.value as number)}\` defined here`,
        })),
        fix: () => ({
          title: `Set \`${keywordName}=${replacement}\``,
          applicability: 'safe',
          edits: [learningRateEdit(model, optimizer, argument, rate, replacement)],
        }),
      });
    }
  },
});

/** Edit the definition only when this optimizer is its only user; otherwise the argument at the call. */
function learningRateEdit(model: SemanticModel, optimizer: OptimizerFact, argument: SyntaxNode, rate: Constant, replacement: string): Edit {
  if (rate.definitions.length === 1 && isOnlyUse(model, argument, optimizer)) return replaceNode(rate.node, replacement);
  return replaceNode(argument, replacement);
}

function isOnlyUse(model: SemanticModel, argument: SyntaxNode, optimizer: OptimizerFact): boolean {
  // `LR` or `args.lr`: the name the value travels under must appear exactly once besides its definition.
  const name = argument.type === 'identifier' ? argument.text : argument.type === 'attribute' ? argument.childForFieldName('attribute')?.text : undefined;
  if (!name || !optimizer.call) return false;
  if (!isName(name)) return false;
  const pattern =
    argument.type === 'identifier'
      ? nameUsePattern(name)
      : new RegExp(String.raw`\.${name}${NAME_END}|["']--?${name.replace(/_/g, '[-_]')}["']|${NOT_AFTER_NAME}dest\s*=\s*["']${name}["']`, 'u');
  const uses = model.occurrences(pattern);
  // Identifier: the definition and this use. Attribute: the argparse option string and this use.
  return uses === 2;
}
