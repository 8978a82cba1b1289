import { replaceNode } from '../edits';
import { feedsOnlyTracedUse, type ActivationFact } from '../facts/activations';
import type { LossCall } from '../facts/losses';
import type { SyntaxNode } from '../parse/tree';
import { defineRule, type Edit, type Fix } from '../rule';
import type { SemanticModel } from '../semantic/model';

const FUSED: Record<string, string> = {
  'torch.nn.BCELoss': 'torch.nn.BCEWithLogitsLoss',
  'torch.nn.functional.binary_cross_entropy': 'torch.nn.functional.binary_cross_entropy_with_logits',
};

export default defineRule({
  meta: {
    code: 'NAN104',
    name: 'sigmoid-then-bce',
    frameworks: ['pytorch'],
    severity: 'information',
    fix: 'safe',
    docs: {
      summary: 'A sigmoid output is fed to `BCELoss`; the fused `BCEWithLogitsLoss` is the numerically stable form.',
      whatItDoes:
        'Flags a PyTorch sigmoid (`torch.sigmoid`, `F.sigmoid`, `x.sigmoid()`, `nn.Sigmoid()`) whose output reaches `nn.BCELoss` or `F.binary_cross_entropy`. The sigmoid is traced from the loss call back through names, shape changes (`squeeze`, `view`, ...), a model call to every value its `forward` returns, an `nn.Sequential`\'s last element, and a loss helper\'s parameter to the arguments its callers pass. The diagnostic sits on the sigmoid (the `nn.Sigmoid()` element of a Sequential, the sigmoid call, or the `self.act(h)` call of an `nn.Sigmoid` module attribute), once per sigmoid, with related information at every BCE call it reaches. A `forward` that returns logits on some path (`return logits if self.training else torch.sigmoid(logits)`) is silent.',
      whyNaN:
        'In float32, `sigmoid(x)` rounds to exactly `1.0` for logits above about 17 and to `0` below about -88. `BCELoss` then takes `log(1 - p) = log(0) = -inf` for a confident wrong prediction: PyTorch clamps the log at -100, so the loss jumps to 100 while the gradient through the saturated sigmoid is 0 and the example stops teaching anything. In half precision the saturation starts near 8 and the clamp does not save the backward pass from `inf * 0 = NaN`. `BCEWithLogitsLoss` computes `max(x, 0) - x*y + log(1 + exp(-|x|))`, which stays finite with an exact gradient for every logit.',
      example:
        'import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(20, 1), nn.Sigmoid())\ncriterion = nn.BCELoss()\nfor x, y in loader:\n    loss = criterion(model(x).squeeze(1), y)\n',
      useInstead:
        'import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(20, 1))\ncriterion = nn.BCEWithLogitsLoss()\nfor x, y in loader:\n    loss = criterion(model(x).squeeze(1), y)\n',
      fixSafety:
        'The fix removes the sigmoid and switches the loss to `nn.BCEWithLogitsLoss` / `F.binary_cross_entropy_with_logits` (same arguments). It is safe when the sigmoid is written at the loss call or held by a local name used only there. It is unsafe when the sigmoid is part of the model (`forward`, an `nn.Sequential`) or passed to a helper: other callers then receive logits, so a `> 0.5` threshold must become `> 0`. No fix is offered when the same `BCELoss` object is also applied to values that are not sigmoid outputs.',
      whenToIgnore: 'When the probabilities come from a model you cannot change and are never saturated (for example they are already clipped away from 0 and 1).',
      references: [
        'https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html',
        'https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html',
      ],
    },
  },
  check({ facts, model, report }) {
    const { losses } = facts;
    const bceCalls = losses.calls.filter((lossCall) => lossCall.kind === 'binary-cross-entropy' && lossCall.framework === 'pytorch' && lossCall.input);
    const fed = new Map<LossCall, ActivationFact[]>(bceCalls.map((lossCall) => [lossCall, losses.activationsOf(lossCall.input!, { kinds: ['sigmoid'] })]));
    // One diagnostic per sigmoid, with every BCE call it reaches.
    const bySigmoid = new Map<number, { activation: ActivationFact; lossCalls: LossCall[] }>();
    for (const [lossCall, activations] of fed) {
      for (const activation of activations) {
        const entry = bySigmoid.get(activation.node.startIndex) ?? { activation, lossCalls: [] };
        entry.lossCalls.push(lossCall);
        bySigmoid.set(activation.node.startIndex, entry);
      }
    }
    for (const { activation, lossCalls } of bySigmoid.values()) {
      const first = lossCalls[0]!;
      const lossName = first.qualifiedName.replace(/^.*\./, '');
      report({
        node: activation.node,
        message: `\`sigmoid\` output feeds \`${lossName}\`: in float32 the sigmoid rounds to exactly \`1.0\` above a logit of about 17, so \`log(1 - p)\` is \`log(0)\` (clamped to -100) and the gradient is 0; \`BCEWithLogitsLoss\` stays exact`,
        related: lossCalls.map((lossCall) => ({ start: lossCall.call.start, end: lossCall.call.end, message: `\`${lossName}\` takes the log of the sigmoid output here` })),
        fix: () => fusedLossFix(model, activation, lossCalls, fed),
      });
    }
  },
});

function fusedLossFix(model: SemanticModel, activation: ActivationFact, lossCalls: LossCall[], fed: Map<LossCall, ActivationFact[]>): Fix | undefined {
  if (!activation.removal) return undefined;
  const edits: Edit[] = [activation.removal];
  for (const lossCall of lossCalls) {
    const callee = lossCall.construction ? lossCall.construction.call.callee : lossCall.call.callee;
    if (!callee) return undefined;
    // The shared loss object also computes losses on values that are not sigmoid outputs.
    if (lossCall.construction && [...fed].some(([other, activations]) => other.construction === lossCall.construction && activations.length === 0)) return undefined;
    const edit = renamed(model, callee, FUSED[lossCall.qualifiedName.replace(/^torch\.nn\.modules\.loss\./, 'torch.nn.')]);
    if (!edit) return undefined;
    if (!edits.some((existing) => existing.start === edit.start)) edits.push(edit);
  }
  return {
    title: `Remove the sigmoid and use \`${lossCalls[0]!.construction ? 'BCEWithLogitsLoss' : 'binary_cross_entropy_with_logits'}\``,
    applicability: feedsOnlyTracedUse(model, activation) ? 'safe' : 'unsafe',
    edits,
  };
}

/** `nn.BCELoss` → `nn.BCEWithLogitsLoss` keeping the file's spelling of the module. */
function renamed(model: SemanticModel, callee: SyntaxNode, fused: string | undefined): Edit | null {
  if (!fused) return null;
  const leaf = fused.replace(/^.*\./, '');
  if (callee.type === 'attribute') {
    const attribute = callee.childForFieldName('attribute');
    return attribute ? replaceNode(attribute, leaf) : null;
  }
  const spelled = model.localNameFor(fused, callee.startIndex);
  return spelled ? replaceNode(callee, spelled) : null;
}
