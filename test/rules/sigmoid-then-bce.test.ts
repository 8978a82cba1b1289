import rule from '../../server/src/engine/rules/sigmoid-then-bce';
import { ruleTester } from '../helpers/ruleTester';

const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

ruleTester(rule, {
  valid: [
    { name: 'logits fed to BCEWithLogitsLoss', code: TORCH + 'criterion = nn.BCEWithLogitsLoss()\nloss = criterion(model(x).squeeze(1), y)\n' },
    { name: 'BCELoss on values that are not a sigmoid output', code: TORCH + 'criterion = nn.BCELoss()\nloss = criterion(probs, y)\n' },
    { name: 'a sigmoid used for metrics while the loss gets logits', code: TORCH + 'logits = model(x)\npreds = torch.sigmoid(logits) > 0.5\nloss = F.binary_cross_entropy_with_logits(logits, y)\n' },
    { name: 'a local function named sigmoid is not the activation', code: TORCH + 'def sigmoid(v):\n    return v.clamp(0, 1)\n\nloss = F.binary_cross_entropy(sigmoid(out), y)\n' },
    { name: 'a softmax fed to BCELoss is not a sigmoid', code: TORCH + 'loss = nn.BCELoss()(F.softmax(out, dim=1), y)\n' },
    {
      name: 'forward applies the sigmoid only outside training',
      code: TORCH + 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 1)\n\n    def forward(self, x):\n        logits = self.fc(x)\n        return logits if self.training else torch.sigmoid(logits)\n\nmodel = Net()\nloss = nn.BCELoss()(model(x), y)\n',
    },
    { name: 'a Keras sigmoid with binary cross-entropy is not PyTorch BCELoss', code: 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])\nmodel.compile(loss="binary_crossentropy")\n' },
    { name: 'a sigmoid hidden layer before the output layer', code: TORCH + 'model = nn.Sequential(nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 1))\ncriterion = nn.BCELoss()\nloss = criterion(model(x), y)\n' },
  ],
  invalid: [
    {
      name: 'flags torch.sigmoid written in the BCELoss call and fuses the loss',
      code: TORCH + 'criterion = nn.BCELoss()\nloss = criterion(torch.sigmoid(model(x)), y)\n',
      errors: [{ line: 5, column: 18, anchor: 'torch.sigmoid(model(x))', message: '`sigmoid` output feeds `BCELoss`' }],
      output: TORCH + 'criterion = nn.BCEWithLogitsLoss()\nloss = criterion(model(x), y)\n',
    },
    {
      name: 'flags F.binary_cross_entropy on a .sigmoid() held by a single-use name',
      code: TORCH + 'probs = logits.sigmoid()\nloss = F.binary_cross_entropy(probs, targets, reduction="sum")\n',
      errors: [{ line: 4, anchor: 'logits.sigmoid()', message: 'feeds `binary_cross_entropy`' }],
      output: TORCH + 'probs = logits\nloss = F.binary_cross_entropy_with_logits(probs, targets, reduction="sum")\n',
    },
    {
      name: 'flags nn.Sigmoid ending an nn.Sequential, with the loss as related information',
      code: TORCH + 'model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())\ncriterion = nn.BCELoss()\nfor x, y in loader:\n    loss = criterion(model(x).squeeze(1), y.float())\n',
      errors: [{ line: 4, anchor: 'nn.Sigmoid()' }],
      output: null,
    },
    {
      name: 'fuses the Sequential sigmoid when unsafe fixes are allowed',
      code: TORCH + 'model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())\ncriterion = nn.BCELoss()\nfor x, y in loader:\n    loss = criterion(model(x).squeeze(1), y.float())\n',
      errors: [{ line: 4 }],
      unsafe: true,
      output: TORCH + 'model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 1))\ncriterion = nn.BCEWithLogitsLoss()\nfor x, y in loader:\n    loss = criterion(model(x).squeeze(1), y.float())\n',
    },
    {
      name: 'removes a commented nn.Sigmoid from a multi-line Sequential',
      code: TORCH + 'head = nn.Sequential(\n    nn.Linear(16, 1),\n    # probabilities for the report\n    nn.Sigmoid(),\n)\nloss = nn.BCELoss()(head(x), y)\n',
      errors: [{ line: 7, anchor: 'nn.Sigmoid()' }],
      unsafe: true,
      output: TORCH + 'head = nn.Sequential(\n    nn.Linear(16, 1),\n)\nloss = nn.BCEWithLogitsLoss()(head(x), y)\n',
    },
    {
      name: 'flags a sigmoid returned by forward and the self.criterion of the class',
      code:
        'import torch\nfrom torch import nn\n\nclass Classifier(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(64, 1)\n        self.criterion = nn.BCELoss()\n\n    def forward(self, x):\n        out = self.fc(x)\n        return torch.sigmoid(out)\n\n    def loss(self, x, y):\n        return self.criterion(self.forward(x), y)\n',
      errors: [{ line: 12, anchor: 'torch.sigmoid(out)' }],
      unsafe: true,
      output:
        'import torch\nfrom torch import nn\n\nclass Classifier(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(64, 1)\n        self.criterion = nn.BCEWithLogitsLoss()\n\n    def forward(self, x):\n        out = self.fc(x)\n        return out\n\n    def loss(self, x, y):\n        return self.criterion(self.forward(x), y)\n',
    },
    {
      name: 'flags a sigmoid reaching a loss helper parameter',
      code: TORCH + 'def bce_loss(pred, target):\n    return F.binary_cross_entropy(pred, target)\n\nfor x, y in loader:\n    loss = bce_loss(torch.sigmoid(net(x)), y)\n',
      errors: [{ line: 8, anchor: 'torch.sigmoid(net(x))' }],
      unsafe: true,
      output: TORCH + 'def bce_loss(pred, target):\n    return F.binary_cross_entropy_with_logits(pred, target)\n\nfor x, y in loader:\n    loss = bce_loss(net(x), y)\n',
    },
    {
      name: 'keeps the diagnostic but offers no fix when the BCELoss object also scores other values',
      code: TORCH + 'criterion = nn.BCELoss()\nloss = criterion(torch.sigmoid(a), y) + criterion(calibrated, y)\n',
      errors: [{ line: 5, anchor: 'torch.sigmoid(a)' }],
      unsafe: true,
      output: null,
    },
    {
      name: 'spells the fused loss through the file\'s imports when BCELoss is imported by name',
      code: 'import torch\nfrom torch.nn import BCELoss\nloss_fn = BCELoss()\nloss = loss_fn(torch.sigmoid(z), t)\n',
      errors: [{ line: 4, anchor: 'torch.sigmoid(z)' }],
      output: 'import torch\nfrom torch.nn import BCELoss\nloss_fn = torch.nn.BCEWithLogitsLoss()\nloss = loss_fn(z, t)\n',
    },
  ],
});
