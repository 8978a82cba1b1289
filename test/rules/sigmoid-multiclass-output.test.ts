import rule from '../../server/src/engine/rules/sigmoid-multiclass-output';
import { ruleTester } from '../helpers/ruleTester';

const KERAS = 'from tensorflow import keras\n';

ruleTester(rule, {
  valid: [
    { name: 'softmax output with a categorical loss', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")])\nmodel.compile(loss="categorical_crossentropy")\n' },
    { name: 'multi-label sigmoid with binary cross-entropy', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(10, activation="sigmoid")])\nmodel.compile(optimizer="adam", loss="binary_crossentropy")\n' },
    { name: 'a single sigmoid unit is binary classification', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])\nmodel.compile(loss="categorical_crossentropy")\n' },
    { name: 'a sigmoid on a hidden layer is not the output', code: KERAS + 'model = keras.Sequential([keras.layers.Dense(32, activation="sigmoid"), keras.layers.Dense(10, activation="softmax")])\n' },
    { name: 'the binary loss of the model itself wins over another model\'s categorical loss', code: KERAS + 'tagger = keras.Sequential([keras.layers.Dense(5, activation="sigmoid")])\ntagger.compile(loss=keras.losses.BinaryCrossentropy())\nclf = keras.Sequential([keras.layers.Dense(5, activation="softmax")])\nclf.compile(loss="categorical_crossentropy")\n' },
    { name: 'a local function named Dense is not a layer', code: 'def Dense(n, activation):\n    return n\n\nout = Dense(10, activation="sigmoid")\n' },
    { name: 'PyTorch multi-label sigmoid with BCELoss', code: 'import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 8), nn.Sigmoid())\ncriterion = nn.BCELoss()\n' },
    {
      name: 'a PyTorch multi-label sigmoid feeding BCELoss is silent even when another model uses CrossEntropyLoss',
      code: 'import torch\nimport torch.nn as nn\n\nclass Tagger(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 8)\n\n    def forward(self, x):\n        return torch.sigmoid(self.fc(x))\n\ntagger = Tagger()\ntag_loss = nn.BCELoss()(tagger(x), tags)\nclf_loss = nn.CrossEntropyLoss()(classifier(x), labels)\n',
    },
    { name: 'PyTorch sigmoid on one output unit', code: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 1), nn.Sigmoid())\ncriterion = nn.CrossEntropyLoss()\n' },
  ],
  invalid: [
    {
      name: 'flags a Sequential sigmoid output compiled with categorical_crossentropy',
      code: KERAS + 'model = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="sigmoid"),\n])\nmodel.compile(optimizer="adam", loss="categorical_crossentropy")\n',
      errors: [{ line: 4, column: 39, anchor: '"sigmoid"', message: 'with 10 units trained with `categorical_crossentropy`' }],
      output: KERAS + 'model = keras.Sequential([\n    keras.layers.Dense(64, activation="relu"),\n    keras.layers.Dense(10, activation="softmax"),\n])\nmodel.compile(optimizer="adam", loss="categorical_crossentropy")\n',
    },
    {
      name: 'flags tf.nn.sigmoid with a sparse categorical loss object',
      code: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Dense\nmodel = tf.keras.Sequential([Dense(32), Dense(4, activation=tf.nn.sigmoid)])\nmodel.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy())\n',
      errors: [{ line: 3, anchor: 'sigmoid' }],
      output: 'import tensorflow as tf\nfrom tensorflow.keras.layers import Dense\nmodel = tf.keras.Sequential([Dense(32), Dense(4, activation=tf.nn.softmax)])\nmodel.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy())\n',
    },
    {
      name: 'flags a following Activation("sigmoid") layer added with model.add and no visible loss',
      code: KERAS + 'N_CLASSES = 7\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(N_CLASSES))\nmodel.add(keras.layers.Activation("sigmoid"))\n',
      errors: [{ line: 5, anchor: '"sigmoid"', message: 'with 7 units' }],
      output: KERAS + 'N_CLASSES = 7\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(N_CLASSES))\nmodel.add(keras.layers.Activation("softmax"))\n',
    },
    {
      name: 'flags the output of a functional model',
      code: KERAS + 'inputs = keras.Input(shape=(20,))\nx = keras.layers.Dense(32, activation="relu")(inputs)\noutputs = keras.layers.Dense(3, activation="sigmoid")(x)\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.compile(loss="categorical_crossentropy")\n',
      errors: [{ line: 4, anchor: '"sigmoid"' }],
      output: KERAS + 'inputs = keras.Input(shape=(20,))\nx = keras.layers.Dense(32, activation="relu")(inputs)\noutputs = keras.layers.Dense(3, activation="softmax")(x)\nmodel = keras.Model(inputs=inputs, outputs=outputs)\nmodel.compile(loss="categorical_crossentropy")\n',
    },
    {
      name: 'flags nn.Sigmoid ending an nn.Sequential trained with CrossEntropyLoss and removes it',
      code: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.Sigmoid())\ncriterion = nn.CrossEntropyLoss()\n',
      errors: [{ line: 2, anchor: 'nn.Sigmoid()', message: 'feeds `CrossEntropyLoss`' }],
      output: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4))\ncriterion = nn.CrossEntropyLoss()\n',
    },
    {
      name: 'flags torch.sigmoid returned by forward with F.cross_entropy and unwraps it',
      code: 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 10)\n\n    def forward(self, x):\n        return torch.sigmoid(self.fc(x))\n\nloss = F.cross_entropy(Net()(x), y)\n',
      errors: [{ line: 11, anchor: 'torch.sigmoid(self.fc(x))' }],
      output: 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n\nloss = F.cross_entropy(Net()(x), y)\n',
    },
    {
      name: 'flags the sigmoid whose output reaches CrossEntropyLoss when the file also has a BCELoss',
      code: 'import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 10)\n\n    def forward(self, x):\n        return torch.sigmoid(self.fc(x))\n\nnet = Net()\ncriterion = nn.CrossEntropyLoss()\naux = nn.BCELoss()\nloss = criterion(net(x), y)\n',
      errors: [{ line: 10, anchor: 'torch.sigmoid(self.fc(x))', message: 'feeds `CrossEntropyLoss`' }],
      output: 'import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n\nnet = Net()\ncriterion = nn.CrossEntropyLoss()\naux = nn.BCELoss()\nloss = criterion(net(x), y)\n',
    },
    {
      name: 'flags a .sigmoid() method call assigned before the return',
      code: 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.head = nn.Linear(32, 6)\n\n    def forward(self, x):\n        probs = self.head(x).sigmoid()\n        return probs\n\ncriterion = nn.NLLLoss()\n',
      errors: [{ line: 9, anchor: 'self.head(x).sigmoid()' }],
      output: 'import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.head = nn.Linear(32, 6)\n\n    def forward(self, x):\n        probs = self.head(x)\n        return probs\n\ncriterion = nn.NLLLoss()\n',
    },
  ],
});
