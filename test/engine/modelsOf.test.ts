import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import type { SyntaxNode } from '../../server/src/engine/parse/tree';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

/** The names of the models `snippet` (its last occurrence) stands for. */
function modelNames(text: string, snippet: string): (string | null)[] {
  const model = new SemanticModel(parse(text), text);
  const offset = text.lastIndexOf(snippet);
  let node: SyntaxNode | null = model.tree.rootNode.descendantForIndex(offset, offset + snippet.length);
  while (node && node.text !== snippet) node = node.parent;
  return buildFacts(model).modelsOf(node!).map((fact) => fact.name);
}

const TORCH = 'import torch\nimport torch.nn as nn\n';

describe('modelsOf', () => {
  it('follows a plain name to the model it was assigned', () => {
    expect(modelNames(TORCH + 'class Net(nn.Module):\n    pass\n\nnet = Net()\nuse(net)\n', 'net')).toEqual(['Net']);
  });

  it('finds every model whose parameters an expression lists', () => {
    const text = TORCH + 'enc = nn.Sequential(nn.Linear(2, 2))\ndec = nn.Sequential(nn.Linear(2, 2))\nopt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)\n';
    expect(modelNames(text, 'list(enc.parameters()) + list(dec.parameters())')).toEqual(['enc', 'dec']);
  });

  it('finds the model of a named_parameters() call', () => {
    expect(modelNames(TORCH + 'net = nn.Sequential(nn.Linear(2, 2))\nfor name, p in net.named_parameters():\n    pass\n', 'net.named_parameters()')).toEqual(['net']);
  });
});
