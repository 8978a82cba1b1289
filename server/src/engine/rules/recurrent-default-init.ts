import { insertLineAfter, lineEnding, ownLineIndentation } from '../edits';
import type { LayerFact } from '../facts/facts';
import type { SemanticModel } from '../semantic/model';
import { defineRule, type Fix } from '../rule';

// The modules whose recurrent weights `weight_hh_l*` PyTorch initializes uniformly by default.
const RECURRENT_MODULES = new Set(['LSTM', 'GRU', 'RNN']);

export default defineRule({
  meta: {
    code: 'NAN501',
    name: 'recurrent-default-init',
    frameworks: ['pytorch'],
    severity: 'information',
    fix: 'safe',
    docs: {
      summary: 'A PyTorch `nn.LSTM`/`nn.GRU`/`nn.RNN` keeps the default initialization of its recurrent weights.',
      whatItDoes:
        'Flags the construction of `nn.LSTM`, `nn.GRU` and `nn.RNN` when no initialization in the file reaches the layer\'s parameters. Any `nn.init.*` call counts (a deliberate `uniform_`/`normal_` scheme is a choice, not an oversight), as do in-place `p.data.uniform_(...)` / `normal_(...)`, when it reaches the layer: directly (`nn.init.orthogonal_(self.lstm.weight_hh_l0)`), through a loop over `named_parameters()` / `parameters()` / `modules()` of the layer or of a model that contains it, through a local helper called with the layer, or through `model.apply(fn)` where `fn` calls `nn.init.*`. Keras recurrent layers already default to an orthogonal recurrent kernel and are not flagged; the `*Cell` modules are not flagged either. A reference that is not a construction (`torch.nn.modules.rnn.LSTM` in a list, `isinstance(m, nn.LSTM)`) is not a layer, and a local class named `LSTM` is not PyTorch\'s.',
      whyNaN:
        'PyTorch initializes every recurrent weight uniformly in `[-1/sqrt(hidden), 1/sqrt(hidden)]`. The recurrent matrix is applied once per time step, so its largest singular value is raised to the power of the sequence length in the backward pass: above 1, gradients explode (and the loss turns `inf`, then `NaN`); below 1, they vanish. An orthogonal `weight_hh` has all singular values equal to 1, which keeps long sequences trainable.',
      example: 'import torch.nn as nn\n\nencoder = nn.LSTM(input_size=32, hidden_size=128, num_layers=2)\n',
      useInstead:
        'import torch.nn as nn\n\nencoder = nn.LSTM(input_size=32, hidden_size=128, num_layers=2)\nfor name, param in encoder.named_parameters():\n    if "weight_hh" in name:\n        nn.init.orthogonal_(param)\n',
      fixSafety:
        'The fix inserts, after the statement that assigns the layer, a loop that applies `nn.init.orthogonal_` to every parameter whose name contains `weight_hh`. It only changes the starting point of training, towards the one recommended for recurrent networks, so it is marked safe. No fix is offered when the layer is not assigned to a name or `self` attribute (built inline in an `nn.Sequential`, a list, or a call).',
      whenToIgnore: 'Short sequences, or an initialization done somewhere this rule cannot see (another module, a checkpoint loaded right after construction).',
      references: [
        'Saxe, McClelland, Ganguli, "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks" (2014)',
        'https://pytorch.org/docs/stable/nn.init.html#torch.nn.init.orthogonal_',
        'https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html',
      ],
    },
  },
  check({ model, facts, text, report }) {
    for (const layer of facts.layers) {
      if (layer.framework !== 'pytorch' || layer.kind !== 'recurrent' || !RECURRENT_MODULES.has(layer.className)) continue;
      if (facts.initializations.initializes(layer)) continue;
      report({
        node: layer.call.node,
        message: `\`nn.${layer.className}\` keeps PyTorch's default uniform init for its recurrent weights: over long sequences its gradients can explode to inf, then NaN`,
        fix: () => orthogonalInitFix(model, text, layer),
      });
    }
  },
});

function orthogonalInitFix(model: SemanticModel, text: string, layer: LayerFact): Fix | undefined {
  // Only `name = nn.LSTM(...)` / `self.name = nn.LSTM(...)` as a statement of its own.
  const statement = layer.call.statement.node;
  const assignment = statement.type === 'expression_statement' ? statement.firstNamedChild : null;
  const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.startIndex === layer.call.start ? assignment.childForFieldName('left') : null;
  const init = model.localNameFor('torch.nn.init.orthogonal_', statement.startIndex);
  if (!init || (target?.type !== 'identifier' && target?.type !== 'attribute')) return undefined;
  // The inserted loop only counts if its target resolves back to this layer (not `self.rnn` outside a class).
  if (model.assignedValue(target)?.startIndex !== layer.call.start) return undefined;
  const indentation = ownLineIndentation(text, statement.startIndex);
  if (indentation === null) return undefined;
  // The loop's names must not overwrite names the surrounding code uses (`name` is a common parameter).
  const taken = (name: string): boolean => model.lookup(name, statement.startIndex) !== undefined;
  const [nameVariable, parameterVariable] = taken('name') || taken('param') ? ['param_name', 'rnn_param'] : ['name', 'param'];
  const eol = lineEnding(text);
  const loop = [
    `for ${nameVariable}, ${parameterVariable} in ${target.text}.named_parameters():`,
    `${indentation}    if "weight_hh" in ${nameVariable}:`,
    `${indentation}        ${init}(${parameterVariable})`,
  ].join(eol);
  const edit = insertLineAfter(text, statement.startIndex, statement.endIndex, loop);
  return edit ? { title: `Initialize \`${target.text}\`'s \`weight_hh\` with \`${init}\``, applicability: 'safe', edits: [edit] } : undefined;
}
