import rule from '../../server/src/engine/rules/activation-before-logits-loss';
import { ruleTester } from '../helpers/ruleTester';

const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
const KERAS = 'from tensorflow import keras\n';

const NET_HEAD = 'class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 10)\n\n    def forward(self, x):\n';

ruleTester(rule, {
  valid: [
    { name: 'logits fed to CrossEntropyLoss', code: TORCH + 'criterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n' },
    { name: 'log_softmax fed to NLLLoss', code: TORCH + 'criterion = nn.NLLLoss()\nloss = criterion(F.log_softmax(model(x), dim=1), y)\n' },
    { name: 'sigmoid fed to BCELoss is NAN104, not this rule', code: TORCH + 'loss = F.binary_cross_entropy(torch.sigmoid(out), y)\n' },
    { name: 'softmax kept for accuracy while the loss gets logits', code: TORCH + 'criterion = nn.CrossEntropyLoss()\nlogits = model(x)\nprobs = F.softmax(logits, dim=1)\nacc = (probs.argmax(1) == y).float().mean()\nloss = criterion(logits, y)\n' },
    { name: 'a local function named softmax is not an activation', code: TORCH + 'def softmax(x, dim):\n    return x\n\nloss = F.cross_entropy(softmax(out, 1), y)\n' },
    { name: 'a sigmoid fed to CrossEntropyLoss is NAN101 territory', code: TORCH + 'loss = F.cross_entropy(torch.sigmoid(out), y)\n' },
    {
      name: 'forward returns logits while training and probabilities otherwise',
      code: TORCH + NET_HEAD + '        logits = self.fc(x)\n        if self.training:\n            return logits\n        return F.softmax(logits, dim=1)\n\nmodel = Net()\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n',
    },
    { name: 'softmax assigned only inside an if', code: TORCH + 'out = model(x)\nif calibrate:\n    out = F.softmax(out, dim=1)\nloss = F.cross_entropy(out, y)\n' },
    { name: 'a Sequential without a final activation', code: TORCH + 'model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 10))\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n' },
    { name: 'Keras softmax with from_logits left at its default', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy())\n' },
    { name: 'Keras logits output with from_logits=True', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])\nmodel.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n' },
    { name: 'Keras from_logits=False with a softmax output', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])\nmodel.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=False))\n' },
    {
      name: 'a from_logits loss compiled with the logits model, not the softmax one',
      code: KERAS + 'clf = keras.Sequential([keras.layers.Dense(10)])\nclf.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\nprobs = keras.Sequential([keras.layers.Dense(10, activation="softmax")])\nprobs.compile(loss="sparse_categorical_crossentropy")\n',
    },
    {
      name: 'an uncompiled from_logits loss in a file with two Keras models is not guessed',
      code: KERAS + 'loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\na = keras.Sequential([keras.layers.Dense(10, activation="softmax")])\nb = keras.Sequential([keras.layers.Dense(10)])\n',
    },
  ],
  invalid: [
    {
      name: 'flags F.softmax written in the CrossEntropyLoss call and removes it',
      code: TORCH + 'criterion = nn.CrossEntropyLoss()\nloss = criterion(F.softmax(model(x), dim=1), y)\n',
      errors: [{ line: 5, column: 18, anchor: 'F.softmax(model(x), dim=1)', message: '`softmax` output feeds `CrossEntropyLoss`' }],
      output: TORCH + 'criterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n',
    },
    {
      name: 'flags torch.softmax held by a name used only by F.cross_entropy',
      code: TORCH + 'probs = torch.softmax(logits, 1)\nloss = F.cross_entropy(probs, y)\n',
      errors: [{ line: 4, anchor: 'torch.softmax(logits, 1)', message: 'feeds `cross_entropy`' }],
      output: TORCH + 'probs = logits\nloss = F.cross_entropy(probs, y)\n',
    },
    {
      name: 'flags the .softmax() method with the torch.nn.functional import style',
      code: 'from torch.nn.functional import cross_entropy\nloss = cross_entropy(out.softmax(dim=-1), target)\n',
      errors: [{ line: 2, anchor: 'out.softmax(dim=-1)' }],
      output: 'from torch.nn.functional import cross_entropy\nloss = cross_entropy(out, target)\n',
    },
    {
      name: 'flags log_softmax before CrossEntropyLoss',
      code: TORCH + 'loss = nn.CrossEntropyLoss()(F.log_softmax(z, dim=1), y)\n',
      errors: [{ line: 4, anchor: 'F.log_softmax(z, dim=1)', message: 'applies log-softmax again' }],
      output: TORCH + 'loss = nn.CrossEntropyLoss()(z, y)\n',
    },
    {
      name: 'flags torch.sigmoid before BCEWithLogitsLoss through squeeze',
      code: TORCH + 'criterion = nn.BCEWithLogitsLoss(pos_weight=w)\nloss = criterion(torch.sigmoid(head(h)).squeeze(1), y)\n',
      errors: [{ line: 5, anchor: 'torch.sigmoid(head(h))', message: 'cannot fall below 0.31' }],
      output: TORCH + 'criterion = nn.BCEWithLogitsLoss(pos_weight=w)\nloss = criterion(head(h).squeeze(1), y)\n',
    },
    {
      name: 'flags a softmax returned by forward and removes it only as an unsafe fix',
      code: TORCH + NET_HEAD + '        return F.softmax(self.fc(x), dim=1)\n\nmodel = Net()\ncriterion = nn.CrossEntropyLoss()\nfor x, y in loader:\n    loss = criterion(model(x), y)\n',
      errors: [{ line: 10, anchor: 'F.softmax(self.fc(x), dim=1)' }],
      output: null,
    },
    {
      name: 'applies the forward removal when unsafe fixes are allowed',
      code: TORCH + NET_HEAD + '        return F.softmax(self.fc(x), dim=1)\n\nmodel = Net()\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n',
      errors: [{ line: 10 }],
      unsafe: true,
      output: TORCH + NET_HEAD + '        return self.fc(x)\n\nmodel = Net()\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x), y)\n',
    },
    {
      name: 'flags nn.Softmax ending an nn.Sequential trained with CrossEntropyLoss',
      code: TORCH + 'model = nn.Sequential(\n    nn.Linear(20, 64),\n    nn.ReLU(),\n    nn.Linear(64, 10),\n    nn.Softmax(dim=1),\n)\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x).float(), y)\n',
      errors: [{ line: 8, column: 5, anchor: 'nn.Softmax(dim=1)', message: 'feeds `CrossEntropyLoss`' }],
      unsafe: true,
      output: TORCH + 'model = nn.Sequential(\n    nn.Linear(20, 64),\n    nn.ReLU(),\n    nn.Linear(64, 10),\n)\ncriterion = nn.CrossEntropyLoss()\nloss = criterion(model(x).float(), y)\n',
    },
    {
      name: 'flags an nn.Sigmoid module attribute applied in forward, through a Lightning self call',
      code:
        'import torch.nn as nn\nimport pytorch_lightning as pl\n\nclass Tagger(pl.LightningModule):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 5)\n        self.act = nn.Sigmoid()\n        self.loss_fn = nn.BCEWithLogitsLoss()\n\n    def forward(self, x):\n        return self.act(self.fc(x))\n\n    def training_step(self, batch, batch_idx):\n        x, y = batch\n        return self.loss_fn(self(x), y)\n',
      errors: [{ line: 12, anchor: 'self.act(self.fc(x))', message: '`sigmoid` output feeds `BCEWithLogitsLoss`' }],
      unsafe: true,
      output:
        'import torch.nn as nn\nimport pytorch_lightning as pl\n\nclass Tagger(pl.LightningModule):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 5)\n        self.act = nn.Sigmoid()\n        self.loss_fn = nn.BCEWithLogitsLoss()\n\n    def forward(self, x):\n        return self.fc(x)\n\n    def training_step(self, batch, batch_idx):\n        x, y = batch\n        return self.loss_fn(self(x), y)\n',
    },
    {
      name: 'flags a softmax passed to a loss helper parameter',
      code: TORCH + 'def compute_loss(pred, target):\n    return F.cross_entropy(pred, target)\n\nloss = compute_loss(F.softmax(out, dim=1), y)\n',
      errors: [{ line: 7, anchor: 'F.softmax(out, dim=1)' }],
      unsafe: true,
      output: TORCH + 'def compute_loss(pred, target):\n    return F.cross_entropy(pred, target)\n\nloss = compute_loss(out, y)\n',
    },
    {
      name: 'flags a softmax reaching a criterion passed to a training function',
      code: TORCH + 'def train(model, criterion):\n    for x, y in loader:\n        loss = criterion(model(x), y)\n\nnet = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=-1))\ntrain(net, nn.CrossEntropyLoss())\n',
      errors: [{ line: 8, anchor: 'nn.Softmax(dim=-1)' }],
      unsafe: true,
      output: TORCH + 'def train(model, criterion):\n    for x, y in loader:\n        loss = criterion(model(x), y)\n\nnet = nn.Sequential(nn.Linear(8, 3))\ntrain(net, nn.CrossEntropyLoss())\n',
    },
    {
      name: 'flags a Keras softmax output compiled with from_logits=True and sets it to False',
      code: KERAS + 'model = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="softmax"),\n])\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n',
      errors: [{ line: 4, column: 39, anchor: '"softmax"', message: '`SparseCategoricalCrossentropy(from_logits=True)`' }],
      output: KERAS + 'model = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="softmax"),\n])\nmodel.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))\n',
    },
    {
      name: 'flags a Keras functional sigmoid output with a named BinaryCrossentropy(from_logits=True)',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Dense\ninputs = tf.keras.Input(shape=(20,))\noutputs = Dense(1, activation=tf.nn.sigmoid)(Dense(16)(inputs))\nmodel = tf.keras.Model(inputs, outputs)\nbce = tf.keras.losses.BinaryCrossentropy(from_logits=True)\nmodel.compile(loss=bce)\n',
      errors: [{ line: 4, anchor: 'tf.nn.sigmoid', message: 'applies its own sigmoid' }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Dense\ninputs = tf.keras.Input(shape=(20,))\noutputs = Dense(1, activation=tf.nn.sigmoid)(Dense(16)(inputs))\nmodel = tf.keras.Model(inputs, outputs)\nbce = tf.keras.losses.BinaryCrossentropy(from_logits=False)\nmodel.compile(loss=bce)\n',
    },
    {
      name: 'flags a Keras Softmax layer reached by a from_logits loss called in a GradientTape loop',
      code: KERAS + 'import tensorflow as tf\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(10))\nmodel.add(keras.layers.Softmax())\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nwith tf.GradientTape() as tape:\n    loss = loss_fn(y, model(x, training=True))\n',
      errors: [{ line: 5, anchor: 'keras.layers.Softmax()' }],
      output: KERAS + 'import tensorflow as tf\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(10))\nmodel.add(keras.layers.Softmax())\nloss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=False)\nwith tf.GradientTape() as tape:\n    loss = loss_fn(y, model(x, training=True))\n',
    },
    {
      name: 'flags the file\'s only Keras model when the from_logits loss is never compiled or called',
      code: KERAS + 'FROM_LOGITS = True\nmodel = keras.Sequential([keras.layers.Dense(3), keras.layers.Activation("softmax")])\nloss_fn = keras.losses.CategoricalCrossentropy(from_logits=FROM_LOGITS)\n',
      errors: [{ line: 3, anchor: '"softmax"' }],
      output: KERAS + 'FROM_LOGITS = True\nmodel = keras.Sequential([keras.layers.Dense(3), keras.layers.Activation("softmax")])\nloss_fn = keras.losses.CategoricalCrossentropy(from_logits=False)\n',
    },
  ],
});
