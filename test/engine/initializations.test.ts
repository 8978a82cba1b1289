import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

/** Whether each recurrent layer built in the file is initialized, in document order. */
function initialized(body: string): boolean[] {
  const text = `import torch\nimport torch.nn as nn\nfrom torch.nn import init\n${body}`;
  const model = new SemanticModel(parse(text), text);
  const facts = buildFacts(model);
  return facts.layers.filter((layer) => layer.kind === 'recurrent').map((layer) => facts.initializations.initializes(layer));
}

const NET = (init: string): string =>
  `class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(8, 16)\n        self.fc = nn.Linear(16, 2)\n${init}`;

describe('initializations', () => {
  it('collects nn.init calls and in-place parameter inits, not other calls', () => {
    const text = 'import torch.nn as nn\nnn.init.orthogonal_(w)\np.data.uniform_(-0.1, 0.1)\nx.normal_()\nnn.Linear(2, 2)\nrandom.uniform(0, 1)\n';
    const model = new SemanticModel(parse(text), text);
    expect(buildFacts(model).initializations.initCalls.map((call) => call.node.text)).toEqual(['nn.init.orthogonal_(w)', 'p.data.uniform_(-0.1, 0.1)', 'x.normal_()']);
  });

  it('reports an uninitialized layer', () => {
    expect(initialized(NET(''))).toEqual([false]);
  });

  it('sees a direct init of one of the layer weights', () => {
    expect(initialized(NET('        nn.init.orthogonal_(self.lstm.weight_hh_l0)\n'))).toEqual([true]);
  });

  it('sees a loop over the layer named_parameters', () => {
    expect(initialized(NET('        for name, param in self.lstm.named_parameters():\n            if "weight_hh" in name:\n                init.orthogonal_(param)\n'))).toEqual([true]);
  });

  it('sees a loop over the whole model parameters', () => {
    expect(initialized(`${NET('')}\nmodel = Net()\nfor p in model.parameters():\n    nn.init.normal_(p, std=0.02)\n`)).toEqual([true]);
  });

  it('sees model.apply(fn) where fn calls nn.init', () => {
    const apply = 'def init_weights(m):\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n\n';
    expect(initialized(`${apply}${NET('')}\nmodel = Net().to("cuda")\nmodel.apply(init_weights)\n`)).toEqual([true]);
    expect(initialized(`${NET('        self.apply(self._init)\n    def _init(self, m):\n        nn.init.zeros_(m.bias)\n')}`)).toEqual([true]);
  });

  it('does not count model.apply(fn) where fn initializes nothing', () => {
    expect(initialized(`def show(m):\n    print(m)\n\n${NET('')}\nmodel = Net()\nmodel.apply(show)\n`)).toEqual([false]);
  });

  it('sees a comprehension over the layer parameters and in-place inits', () => {
    expect(initialized('rnn = nn.GRU(4, 4)\n_ = [init.orthogonal_(w) for w in rnn.parameters()]\n')).toEqual([true]);
    expect(initialized('rnn = nn.RNN(4, 4)\nfor w in rnn.parameters():\n    w.data.uniform_(-0.1, 0.1)\n')).toEqual([true]);
  });

  it('sees a helper called with the layer', () => {
    expect(initialized('def init_rnn(module):\n    for n, p in module.named_parameters():\n        nn.init.orthogonal_(p)\n\nrnn = nn.LSTM(4, 4)\ninit_rnn(rnn)\n')).toEqual([true]);
  });

  it('sees layers inside a ModuleList or Sequential reached through the container', () => {
    expect(initialized('layers = nn.ModuleList([nn.LSTM(4, 4) for _ in range(2)])\nfor layer in layers:\n    for p in layer.parameters():\n        nn.init.uniform_(p)\n')).toEqual([true]);
  });

  it('keeps layers apart: initializing one does not initialize another', () => {
    expect(initialized('enc = nn.LSTM(4, 4)\ndec = nn.GRU(4, 4)\nfor p in enc.parameters():\n    nn.init.uniform_(p)\n')).toEqual([true, false]);
  });
});
