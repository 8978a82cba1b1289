import rule from '../../server/src/engine/rules/unstable-log';
import { ruleTester } from '../helpers/ruleTester';

const TORCH = 'import torch\nimport torch.nn.functional as F\n';
const TF = 'import tensorflow as tf\n';

ruleTester(rule, {
  valid: [
    { name: 'log_softmax instead of log of softmax', code: TORCH + 'log_probs = F.log_softmax(logits, dim=1)\nloss = -(targets * log_probs).sum(dim=1).mean()\n' },
    { name: 'a hand-written cross-entropy with an epsilon literal', code: TORCH + 'loss = -(y * torch.log(p + 1e-8)).sum()\n' },
    { name: 'a hand-written cross-entropy with a named epsilon', code: TORCH + 'EPS = 1e-7\nloss = -(y * torch.log(p + EPS) + (1 - y) * torch.log(1 - p + EPS)).mean()\n' },
    { name: 'a hand-written cross-entropy with self.eps', code: TORCH + 'class Loss:\n    def __call__(self, p, y):\n        return -(y * torch.log(p + self.eps)).mean()\n' },
    { name: 'a clamped argument', code: TORCH + 'loss = -(y * torch.log(torch.clamp(p, min=1e-7, max=1.0))).sum()\n' },
    { name: 'a clamp_min method on the argument', code: TORCH + 'loss = -(y * p.clamp_min(1e-6).log()).sum()\n' },
    { name: 'a name clamped earlier in the same function', code: TORCH + 'def bce(p, y):\n    p = p.clamp(1e-7, 1 - 1e-7)\n    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()\n' },
    { name: 'np.maximum guards a NumPy log', code: 'import numpy as np\nloss = -np.sum(y * np.log(np.maximum(p, 1e-12)))\n' },
    { name: 'tf.clip_by_value guards a TensorFlow log', code: TF + 'loss = -tf.reduce_sum(y * tf.math.log(tf.clip_by_value(p, 1e-7, 1.0)))\n' },
    { name: 'a log scaled by a plain number is not a cross-entropy', code: TORCH + 'nll = 0.5 * torch.log(var) + (x - mu) ** 2 / (2 * var)\n' },
    { name: 'a log that is not multiplied by labels', code: TORCH + 'log_scale = torch.log(scale)\n' },
    { name: 'a softmax with an epsilon added before the log', code: TORCH + 'loss = -(y * torch.log(F.softmax(z, dim=1) + 1e-8)).sum()\n' },
    { name: 'a softmax from another function is out of scope', code: TORCH + 'def predict(x):\n    return F.softmax(net(x), dim=1)\n\nlogp = torch.log(predict(x))\n' },
    { name: 'a softmax produced by a model forward is out of scope', code: TORCH + 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\nlogp = torch.log(model(x))\n' },
    { name: 'a local function named log is not a logarithm', code: TORCH + 'def log(v):\n    return v\n\nloss = -(y * log(p)).sum()\n' },
    { name: 'math.log of a scalar', code: 'import math\nbound = y * math.log(n_classes)\n' },
    { name: 'Lightning self.log is logging', code: TORCH + 'class M:\n    def training_step(self, batch, i):\n        self.log("train_loss", loss)\n' },
  ],
  invalid: [
    {
      name: 'flags torch.log of torch.softmax and uses torch.log_softmax',
      code: TORCH + 'log_probs = torch.log(torch.softmax(logits, 1))\n',
      errors: [{ line: 3, column: 13, anchor: 'torch.log(torch.softmax(logits, 1))', message: 'of a `softmax` output' }],
      output: TORCH + 'log_probs = torch.log_softmax(logits, 1)\n',
    },
    {
      name: 'flags torch.log of F.softmax through a name and uses F.log_softmax',
      code: TORCH + 'probs = F.softmax(logits, dim=1)\nloss = -(targets * torch.log(probs)).sum(dim=1).mean()\n',
      errors: [{ line: 4, anchor: 'torch.log(probs)', message: '`torch.log` of a `softmax` output' }],
      output: TORCH + 'probs = F.softmax(logits, dim=1)\nloss = -(targets * F.log_softmax(logits, dim=1)).sum(dim=1).mean()\n',
    },
    {
      name: 'flags a softmax through a name but offers no fix when its argument is a call',
      code: TORCH + 'probs = F.softmax(model(x), dim=1)\nloss = -(y * torch.log(probs)).sum()\n',
      errors: [{ line: 4, anchor: 'torch.log(probs)' }],
      output: null,
    },
    {
      name: 'flags an indexed softmax under a log but offers no rewrite that would drop the index',
      code: TORCH + 'probs = torch.softmax(scores, dim=1)\nnll = -torch.log(probs[torch.arange(n), y]).mean()\n',
      errors: [{ line: 4, anchor: 'torch.log(probs[torch.arange(n), y])' }],
      output: null,
    },
    {
      name: 'flags tf.math.log of tf.nn.softmax',
      code: TF + 'log_p = tf.math.log(tf.nn.softmax(z, axis=-1))\n',
      errors: [{ line: 2, anchor: 'tf.math.log(tf.nn.softmax(z, axis=-1))' }],
      output: TF + 'log_p = tf.nn.log_softmax(z, axis=-1)\n',
    },
    {
      name: 'flags .log() of a .softmax() method',
      code: TORCH + 'logp = scores.softmax(-1).log()\n',
      errors: [{ line: 3, anchor: 'scores.softmax(-1).log()', message: '`.log()` of a `softmax` output' }],
      output: TORCH + 'logp = scores.log_softmax(-1)\n',
    },
    {
      name: 'flags torch.log of torch.sigmoid and uses F.logsigmoid',
      code: TORCH + 'log_p = torch.log(torch.sigmoid(x))\n',
      errors: [{ line: 3, anchor: 'torch.log(torch.sigmoid(x))', message: 'of a `sigmoid` output' }],
      output: TORCH + 'log_p = F.logsigmoid(x)\n',
    },
    {
      name: 'spells logsigmoid through import torch alone',
      code: 'import torch\nlog_p = torch.log(torch.sigmoid(a + b))\n',
      errors: [{ line: 2 }],
      output: 'import torch\nlog_p = torch.nn.functional.logsigmoid(a + b)\n',
    },
    {
      name: 'flags tf.math.log of tf.sigmoid and uses tf.math.log_sigmoid',
      code: TF + 'log_p = tf.math.log(tf.sigmoid(logits))\n',
      errors: [{ line: 2 }],
      output: TF + 'log_p = tf.math.log_sigmoid(logits)\n',
    },
    {
      name: 'flags both logs of a hand-written binary cross-entropy and clamps them',
      code: TORCH + 'def bce(p, y):\n    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()\n',
      errors: [
        { line: 4, anchor: 'torch.log(p)', message: 'hand-written cross-entropy has no epsilon or clamp' },
        { line: 4, anchor: 'torch.log(1 - p)' },
      ],
      output: TORCH + 'def bce(p, y):\n    return -(y * torch.log(p.clamp_min(1e-7)) + (1 - y) * torch.log((1 - p).clamp_min(1e-7))).mean()\n',
    },
    {
      name: 'flags a log written before the labels',
      code: TORCH + 'loss = -(torch.log(pred) * target).sum(1).mean()\n',
      errors: [{ line: 3, anchor: 'torch.log(pred)' }],
      output: TORCH + 'loss = -(torch.log(pred.clamp_min(1e-7)) * target).sum(1).mean()\n',
    },
    {
      name: 'flags the p.log() method in a cross-entropy',
      code: TORCH + 'loss = -(onehot * probs.log()).sum(-1)\n',
      errors: [{ line: 3, anchor: 'probs.log()' }],
      output: TORCH + 'loss = -(onehot * probs.clamp_min(1e-7).log()).sum(-1)\n',
    },
    {
      name: 'flags a TensorFlow cross-entropy and clips the argument',
      code: TF + 'loss = -tf.reduce_mean(y_true * tf.math.log(y_pred))\n',
      errors: [{ line: 2, anchor: 'tf.math.log(y_pred)' }],
      output: TF + 'loss = -tf.reduce_mean(y_true * tf.math.log(tf.clip_by_value(y_pred, 1e-7, 1.0)))\n',
    },
    {
      name: 'flags a NumPy cross-entropy and adds an epsilon',
      code: 'import numpy as np\nce = -np.sum(labels * np.log(1 - preds))\n',
      errors: [{ line: 2, anchor: 'np.log(1 - preds)' }],
      output: 'import numpy as np\nce = -np.sum(labels * np.log(1 - preds + 1e-7))\n',
    },
  ],
});
