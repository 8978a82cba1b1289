import { replaceNode } from '../edits';
import type { StatisticKind } from '../facts/divisions';
import type { SyntaxNode } from '../parse/tree';
import { snippet } from '../messages';
import { defineRule, type Fix } from '../rule';

const DESCRIPTIONS: Record<StatisticKind, string> = {
  std: 'a standard deviation is 0 for a constant feature',
  var: 'a variance is 0 for a constant feature',
  norm: 'a norm is 0 for an all-zero vector',
  range: 'a max - min range is 0 for a constant feature',
};

export default defineRule({
  meta: {
    code: 'NAN401',
    name: 'division-without-epsilon',
    frameworks: ['pytorch', 'keras'],
    severity: 'warning',
    fix: 'safe',
    docs: {
      summary: 'A division by a statistic that can be zero (a standard deviation, variance, norm or range) has no epsilon.',
      whatItDoes:
        'Flags `/` and `/=` whose denominator is a standard deviation, variance, norm or max - min range: `x / x.std()`, `/ np.std(...)`, `/ torch.std(...)`, `/ tf.math.reduce_std(...)`, `/ x.var()`, `/ np.linalg.norm(...)`, `/ torch.norm(...)`, `/ (x.max() - x.min())`, the square root of a variance, or a name assigned from one of these (`std = data.std(axis=0)` then `x / std`, also through `self.std`). Silent when the denominator adds anything (`std + 1e-8`, `std + eps`), is clamped (`clamp`, `clip`, `maximum`, `np.where(std == 0, 1, std)`), when zero entries are replaced before the division (`std[std == 0] = 1`, `std += eps`), and when the division sits under a condition that mentions the denominator (`if std > 0:`, `x / std if std else x`). A function parameter named `std` is not resolved: its value is unknown, so it is not flagged. Floor division (`//`) is not checked.',
      whyNaN:
        'A feature that is constant in the data (or in one batch) has standard deviation, variance and range exactly 0, and an all-zero vector has norm 0. Dividing by it gives `inf` (or `NaN` for `0 / 0`), and one `inf` input makes the first layer\'s output, the loss and every gradient `NaN`. Adding a small epsilon keeps the result finite and changes nothing measurable when the statistic is not small.',
      example:
        'import numpy as np\n\nfeatures = np.load("features.npy")\nstd = features.std(axis=0)\nfeatures = (features - features.mean(axis=0)) / std\n',
      useInstead:
        'import numpy as np\n\nfeatures = np.load("features.npy")\nstd = features.std(axis=0)\nfeatures = (features - features.mean(axis=0)) / (std + 1e-8)\n',
      fixSafety:
        'The fix adds `+ 1e-8` to the denominator: `/ std` becomes `/ (std + 1e-8)` and `/ (max - min)` becomes `/ (max - min + 1e-8)`. Results differ only where the statistic is near zero, which is where the division was wrong, so the fix is safe.',
      whenToIgnore: 'The data is known never to be constant (a check this rule cannot see, in another module), or the division must be exact for non-zero values in float64 arithmetic.',
      references: [
        'https://scikit-learn.org/stable/modules/generated/sklearn.preprocessing.StandardScaler.html (replaces zero scales with 1)',
        'https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html (the `eps` term)',
      ],
    },
  },
  check({ facts, report }) {
    for (const division of facts.divisions) {
      const statistic = division.statistic;
      if (!statistic) continue;
      const denominator = division.denominator;
      const through = statistic.definition ? ` (\`${snippet(statistic.node.text)}\`)` : '';
      report({
        node: denominator,
        message: `Division by \`${snippet(denominator.text)}\`${through} has no epsilon: ${DESCRIPTIONS[statistic.kind]}, which makes the result inf or NaN`,
        related: statistic.definition
          ? [{ start: statistic.definition.startIndex, end: statistic.definition.endIndex, message: `\`${snippet(denominator.text)}\` computed here` }]
          : [],
        fix: () => epsilonFix(denominator),
      });
    }
  },
});

function epsilonFix(denominator: SyntaxNode): Fix {
  const content = denominator.type === 'parenthesized_expression' ? `${denominator.text.slice(0, -1)} + 1e-8)` : `(${denominator.text} + 1e-8)`;
  return { title: 'Add `1e-8` to the denominator', applicability: 'safe', edits: [replaceNode(denominator, content)] };
}
