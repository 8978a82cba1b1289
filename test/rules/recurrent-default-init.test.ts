import rule from '../../server/src/engine/rules/recurrent-default-init';
import { ruleTester } from '../helpers/ruleTester';

const NET = (init: string, imports = 'import torch.nn as nn\n'): string =>
  `${imports}class Encoder(nn.Module):\n    def __init__(self, vocab, hidden):\n        super().__init__()\n        self.embed = nn.Embedding(vocab, hidden)\n        self.rnn = nn.LSTM(hidden, hidden, batch_first=True)\n${init}`;

ruleTester(rule, {
  valid: [
    { name: 'an orthogonal init of weight_hh through named_parameters', code: NET('        for name, param in self.rnn.named_parameters():\n            if "weight_hh" in name:\n                nn.init.orthogonal_(param)\n') },
    { name: 'a direct init of one weight', code: NET('        nn.init.orthogonal_(self.rnn.weight_hh_l0)\n') },
    { name: 'a deliberate uniform scheme over all parameters', code: `${NET('')}\nmodel = Encoder(100, 32)\nfor p in model.parameters():\n    nn.init.uniform_(p, -0.08, 0.08)\n` },
    { name: 'model.apply with an init function', code: `import torch.nn as nn\ndef init_weights(m):\n    for name, p in m.named_parameters():\n        nn.init.normal_(p, std=0.02)\n\n${NET('').replace('import torch.nn as nn\n', '')}\nmodel = Encoder(100, 32)\nmodel.apply(init_weights)\n` },
    { name: 'self.apply in the constructor', code: NET('        self.apply(self._init_weights)\n\n    def _init_weights(self, module):\n        if isinstance(module, nn.Linear):\n            nn.init.xavier_uniform_(module.weight)\n') },
    { name: 'in-place p.data.uniform_', code: 'import torch\nrnn = torch.nn.GRU(16, 16)\nfor p in rnn.parameters():\n    p.data.uniform_(-0.1, 0.1)\n' },
    { name: 'a helper called with the layer', code: 'from torch import nn\ndef init_recurrent(module):\n    for name, p in module.named_parameters():\n        if "weight" in name:\n            nn.init.orthogonal_(p)\n\nrnn = nn.RNN(8, 8)\ninit_recurrent(rnn)\n' },
    { name: 'Keras LSTM defaults to an orthogonal recurrent kernel', code: 'from tensorflow.keras.layers import LSTM\nlayer = LSTM(64, return_sequences=True)\n' },
    { name: 'tf.keras GRU', code: 'import tensorflow as tf\nlayer = tf.keras.layers.GRU(32)\n' },
    { name: 'a local class named LSTM', code: 'import torch.nn as nn\nclass LSTM(nn.Module):\n    pass\nlayer = LSTM()\n' },
    { name: 'a reference that is not a construction', code: 'import torch\nRECURRENT = [torch.nn.modules.rnn.LSTM, torch.nn.GRU]\nif isinstance(m, torch.nn.LSTM):\n    pass\n' },
    { name: 'a recurrent cell is not flagged', code: 'import torch.nn as nn\ncell = nn.LSTMCell(8, 8)\n' },
  ],
  invalid: [
    {
      name: 'flags an LSTM attribute and inserts an orthogonal init loop after it',
      code: NET('        self.fc = nn.Linear(hidden, vocab)\n'),
      errors: [{ line: 6, column: 20, anchor: 'nn.LSTM(hidden, hidden, batch_first=True)', message: "`nn.LSTM` keeps PyTorch's default uniform init" }],
      output: NET('        for name, param in self.rnn.named_parameters():\n            if "weight_hh" in name:\n                nn.init.orthogonal_(param)\n        self.fc = nn.Linear(hidden, vocab)\n'),
    },
    {
      name: 'flags a module-level GRU with import torch',
      code: 'import torch\ngru = torch.nn.GRU(32, 64, num_layers=2)\n',
      errors: [{ line: 2, anchor: 'torch.nn.GRU(32, 64, num_layers=2)', message: '`nn.GRU`' }],
      output: 'import torch\ngru = torch.nn.GRU(32, 64, num_layers=2)\nfor name, param in gru.named_parameters():\n    if "weight_hh" in name:\n        torch.nn.init.orthogonal_(param)\n',
    },
    {
      name: 'flags RNN imported by name and spells the init through the imports',
      code: 'from torch.nn import RNN, init\nrnn = RNN(8, 8)\n',
      errors: [{ line: 2, anchor: 'RNN(8, 8)' }],
      output: 'from torch.nn import RNN, init\nrnn = RNN(8, 8)\nfor name, param in rnn.named_parameters():\n    if "weight_hh" in name:\n        init.orthogonal_(param)\n',
    },
    {
      name: 'flags the full module path torch.nn.modules.rnn.LSTM when constructed',
      code: 'import torch\nlstm = torch.nn.modules.rnn.LSTM(4, 4)\n',
      errors: [{ line: 2, anchor: 'torch.nn.modules.rnn.LSTM(4, 4)' }],
      output: 'import torch\nlstm = torch.nn.modules.rnn.LSTM(4, 4)\nfor name, param in lstm.named_parameters():\n    if "weight_hh" in name:\n        torch.nn.init.orthogonal_(param)\n',
    },
    {
      name: 'uses other loop names when name is already taken',
      code: 'import torch.nn as nn\ndef build(name, hidden):\n    rnn = nn.GRU(hidden, hidden)\n    return rnn\n',
      errors: [{ line: 3, anchor: 'nn.GRU(hidden, hidden)' }],
      output: 'import torch.nn as nn\ndef build(name, hidden):\n    rnn = nn.GRU(hidden, hidden)\n    for param_name, rnn_param in rnn.named_parameters():\n        if "weight_hh" in param_name:\n            nn.init.orthogonal_(rnn_param)\n    return rnn\n',
    },
    {
      name: 'flags a layer inside nn.Sequential but offers no fix',
      code: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Embedding(100, 16), nn.LSTM(16, 16))\n',
      errors: [{ line: 2, anchor: 'nn.LSTM(16, 16)' }],
      output: null,
    },
    {
      name: 'offers no fix when the target does not resolve back to the layer (self outside a class)',
      code: 'import torch.nn as nn\nself.rnn = nn.LSTM(10, 20)\n',
      errors: [{ line: 2, anchor: 'nn.LSTM(10, 20)' }],
      output: null,
    },
    {
      name: 'flags when model.apply runs a function that initializes nothing',
      code: 'import torch.nn as nn\ndef show(m):\n    print(m)\n\nrnn = nn.LSTM(4, 4)\nrnn.apply(show)\n',
      errors: [{ line: 5, anchor: 'nn.LSTM(4, 4)' }],
      output: 'import torch.nn as nn\ndef show(m):\n    print(m)\n\nrnn = nn.LSTM(4, 4)\nfor name, param in rnn.named_parameters():\n    if "weight_hh" in name:\n        nn.init.orthogonal_(param)\nrnn.apply(show)\n',
    },
    {
      name: 'flags the layer an init does not reach',
      code: 'import torch.nn as nn\nencoder = nn.LSTM(4, 4)\ndecoder = nn.LSTM(4, 4)\nnn.init.orthogonal_(encoder.weight_hh_l0)\n',
      errors: [{ line: 3, anchor: 'nn.LSTM(4, 4)' }],
      output: 'import torch.nn as nn\nencoder = nn.LSTM(4, 4)\ndecoder = nn.LSTM(4, 4)\nfor name, param in decoder.named_parameters():\n    if "weight_hh" in name:\n        nn.init.orthogonal_(param)\nnn.init.orthogonal_(encoder.weight_hh_l0)\n',
    },
  ],
});
