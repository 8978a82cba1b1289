import rule from '../../server/src/engine/rules/high-learning-rate';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'Adam below the threshold', code: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\n' },
    { name: 'SGD at 0.1 is below the SGD threshold', code: 'from torch import optim\nopt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\n' },
    { name: 'Adadelta is exempt', code: 'import torch\nopt = torch.optim.Adadelta(model.parameters(), lr=1.0)\n' },
    { name: 'LBFGS is exempt', code: 'import torch\nopt = torch.optim.LBFGS(model.parameters(), lr=1)\n' },
    { name: 'a learning-rate schedule is not a float', code: 'from tensorflow import keras\nschedule = keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.9)\nopt = keras.optimizers.Adam(learning_rate=schedule)\n' },
    { name: 'a local class named Adam is not an optimizer', code: 'class Adam:\n    def __init__(self, params, lr):\n        self.lr = lr\n\nopt = Adam(params, lr=0.5)\n' },
    { name: 'an unresolvable learning rate stays silent', code: 'import torch\ndef make(lr):\n    return torch.optim.Adam(model.parameters(), lr=lr)\n' },
    { name: 'a value read from the environment stays silent', code: 'import os, torch\nopt = torch.optim.Adam(model.parameters(), lr=float(os.environ["LR"]))\n' },
    { name: 'the default learning rate is not flagged', code: 'import torch\nopt = torch.optim.Adam(model.parameters())\n' },
    { name: 'a raised threshold silences the rule', code: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)\n', config: { learningRateThresholds: { adam: 0.05 } } },
  ],
  invalid: [
    {
      name: 'flags Adam lr=0.01 as a keyword literal',
      code: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=0.01)\n',
      errors: [{ line: 2, column: 44, anchor: 'lr=0.01', message: '`Adam` learning rate `0.01` is at or above `0.01`' }],
      output: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\n',
    },
    {
      name: 'flags an aliased import and a positional SGD rate',
      code: 'from torch import optim as O\nopt = O.SGD(net.parameters(), 1.0)\n',
      errors: [{ line: 2, anchor: '1.0', message: '`SGD` learning rate `1.0`' }],
      output: 'from torch import optim as O\nopt = O.SGD(net.parameters(), 1e-1)\n',
    },
    {
      name: 'flags Adam lr defined as a module constant and edits the constant when it is the only use',
      code: 'import torch\nLR = 1e-2\nopt = torch.optim.Adam(model.parameters(), lr=LR)\n',
      errors: [{ line: 3, anchor: 'lr=LR', message: '`0.01`' }],
      output: 'import torch\nLR = 1e-3\nopt = torch.optim.Adam(model.parameters(), lr=LR)\n',
    },
    {
      name: 'flags literal arithmetic',
      code: 'import torch\nopt = torch.optim.RMSprop(model.parameters(), lr=0.5 * 0.02)\n',
      errors: [{ line: 2, message: '`RMSprop` learning rate `0.01`' }],
      output: 'import torch\nopt = torch.optim.RMSprop(model.parameters(), lr=1e-3)\n',
    },
    {
      name: 'flags a power of ten',
      code: 'import torch\nopt = torch.optim.AdamW(model.parameters(), lr=10**-1)\n',
      errors: [{ line: 2, message: '`AdamW` learning rate `0.1`' }],
      output: 'import torch\nopt = torch.optim.AdamW(model.parameters(), lr=1e-3)\n',
    },
    {
      name: 'flags a dict literal entry',
      code: 'import torch\ncfg = {"lr": 0.05, "epochs": 3}\nopt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])\n',
      errors: [{ line: 3, anchor: 'lr=cfg["lr"]', message: '`0.05`' }],
      output: 'import torch\ncfg = {"lr": 0.05, "epochs": 3}\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\n',
    },
    {
      name: 'flags an argparse default and edits the default when this optimizer is its only use',
      code: 'import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=0.01)\nargs = p.parse_args()\nopt = torch.optim.Adam(model.parameters(), lr=args.lr)\n',
      errors: [{ line: 6, anchor: 'lr=args.lr' }],
      output: 'import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=1e-3)\nargs = p.parse_args()\nopt = torch.optim.Adam(model.parameters(), lr=args.lr)\n',
    },
    {
      name: 'replaces the argument at the call when an argparse default is shared with a manual SGD path',
      code:
        'import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=0.01)\nargs = p.parse_args()\nif args.adaptive:\n    opt = torch.optim.Adam(model.parameters(), lr=args.lr)\nelse:\n    opt = torch.optim.SGD(model.parameters(), lr=args.lr)\n',
      errors: [{ line: 7, anchor: 'lr=args.lr' }],
      output:
        'import argparse\nimport torch\np = argparse.ArgumentParser()\np.add_argument("--lr", type=float, default=0.01)\nargs = p.parse_args()\nif args.adaptive:\n    opt = torch.optim.Adam(model.parameters(), lr=1e-3)\nelse:\n    opt = torch.optim.SGD(model.parameters(), lr=args.lr)\n',
    },
    {
      name: 'flags Keras learning_rate through tf.keras',
      code: 'import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=0.02)\n',
      errors: [{ line: 2, anchor: 'learning_rate=0.02' }],
      output: 'import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=1e-3)\n',
    },
    {
      name: 'flags the legacy Keras lr keyword',
      code: 'from keras.optimizers import RMSprop\nopt = RMSprop(lr=0.1)\n',
      errors: [{ line: 2, anchor: 'lr=0.1' }],
      output: 'from keras.optimizers import RMSprop\nopt = RMSprop(lr=1e-3)\n',
    },
    {
      name: 'flags Hugging Face TrainingArguments as AdamW',
      code: 'from transformers import TrainingArguments\nargs = TrainingArguments(output_dir="out", learning_rate=5e-2)\n',
      errors: [{ line: 2, anchor: 'learning_rate=5e-2', message: 'AdamW' }],
      output: 'from transformers import TrainingArguments\nargs = TrainingArguments(output_dir="out", learning_rate=1e-3)\n',
    },
    {
      name: 'flags Adagrad at its own threshold',
      code: 'import torch\nopt = torch.optim.Adagrad(model.parameters(), lr=0.1)\n',
      errors: [{ line: 2, message: '`Adagrad` learning rate `0.1` is at or above `0.1`' }],
      output: 'import torch\nopt = torch.optim.Adagrad(model.parameters(), lr=1e-3)\n',
    },
  ],
});
