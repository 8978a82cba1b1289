import rule from '../../server/src/engine/rules/missing-gradient-clipping';
import { ruleTester } from '../helpers/ruleTester';

const LSTM_MODEL = `import torch
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(32, 64, batch_first=True)
        self.head = nn.Linear(64, 5)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out)

model = Tagger()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
`;

const MLP_MODEL = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
`;

const LOOP = `for x, y in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
`;

const CLIPPED_LOOP = `for x, y in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
`;

ruleTester(rule, {
  valid: [
    { name: 'an LSTM step clipped between backward and step', code: LSTM_MODEL + CLIPPED_LOOP },
    { name: 'the deprecated clip_grad_norm counts as clipping', code: LSTM_MODEL + CLIPPED_LOOP.replace('clip_grad_norm_', 'clip_grad_norm') },
    { name: 'a Dense-only model needs no clipping by default', code: MLP_MODEL + LOOP },
    {
      name: 'a local class named LSTM is not a framework layer',
      code: 'import torch\nimport torch.nn as nn\n\nclass LSTM(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 4)\n\nmodel = LSTM()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n' + LOOP,
    },
    {
      name: 'a scheduler step is not an optimizer step',
      code: MLP_MODEL + 'scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)\nfor epoch in range(3):\n    loss.backward()\n    scheduler.step()\n',
    },
    {
      name: 'Accelerate clipping counts',
      code: LSTM_MODEL + 'for x, y in loader:\n    loss = loss_fn(model(x), y)\n    accelerator.backward(loss)\n    accelerator.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n',
    },
    {
      name: 'dist_autograd.backward is not tensor.backward',
      code: LSTM_MODEL + 'import torch.distributed.autograd as dist_autograd\nwith dist_autograd.context() as ctx:\n    dist_autograd.backward(ctx, [loss])\n    dist_optim.step(ctx)\n',
    },
    {
      name: 'a Lightning Trainer with gradient_clip_val clips',
      code: LSTM_MODEL + 'import pytorch_lightning as pl\ntrainer = pl.Trainer(gradient_clip_val=0.5)\n' + LOOP,
    },
    {
      name: 'a Keras LSTM optimizer with clipnorm',
      code: 'from tensorflow import keras\nmodel = keras.Sequential([keras.layers.LSTM(32), keras.layers.Dense(1)])\nmodel.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=1.0), loss="mse")\nmodel.fit(x, y)\n',
    },
    {
      name: 'a Dense-only Keras baseline compiled next to a clipped LSTM is silent',
      code:
        'from tensorflow import keras\nbaseline = keras.Sequential([keras.layers.Dense(16), keras.layers.Dense(1)])\nbaseline.compile(optimizer="adam", loss="mse")\nrnn = keras.Sequential([keras.layers.LSTM(32), keras.layers.Dense(1)])\nrnn.compile(optimizer=keras.optimizers.Adam(clipnorm=1.0), loss="mse")\n',
    },
    {
      name: 'a GradientTape step clipped with clip_by_global_norm',
      code:
        'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.GRU(16), tf.keras.layers.Dense(1)])\nopt = tf.keras.optimizers.Adam(1e-3)\n\ndef train_step(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean((model(x) - y) ** 2)\n    grads = tape.gradient(loss, model.trainable_variables)\n    grads, _ = tf.clip_by_global_norm(grads, 5.0)\n    opt.apply_gradients(zip(grads, model.trainable_variables))\n',
    },
  ],
  invalid: [
    {
      name: 'flags an LSTM class trained without clipping and inserts clip_grad_norm_ before the step',
      code: LSTM_MODEL + LOOP,
      errors: [{ line: 20, column: 5, anchor: 'optimizer.step()', message: 'a model with `LSTM` layers without gradient clipping' }],
      output: LSTM_MODEL + LOOP.replace('    optimizer.step()', '    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    optimizer.step()'),
    },
    {
      name: 'flags a bare nn.GRU trained in a function with import torch only',
      code: 'import torch\n\nrnn = torch.nn.GRU(8, 8)\nopt = torch.optim.Adam(rnn.parameters(), lr=1e-3)\n\ndef train_step(x, y):\n    out, _ = rnn(x)\n    loss = ((out - y) ** 2).mean()\n    loss.backward()\n    opt.step()\n',
      errors: [{ line: 10, anchor: 'opt.step()', message: '`GRU`' }],
      output: 'import torch\n\nrnn = torch.nn.GRU(8, 8)\nopt = torch.optim.Adam(rnn.parameters(), lr=1e-3)\n\ndef train_step(x, y):\n    out, _ = rnn(x)\n    loss = ((out - y) ** 2).mean()\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(rnn.parameters(), max_norm=1.0)\n    opt.step()\n',
    },
    {
      name: 'gives one diagnostic per step when one backward feeds encoder and decoder optimizers',
      code:
        'import torch\nfrom torch import nn\n\nencoder = nn.LSTM(16, 32)\ndecoder = nn.LSTM(32, 16)\nenc_opt = torch.optim.Adam(encoder.parameters(), lr=1e-3)\ndec_opt = torch.optim.Adam(decoder.parameters(), lr=1e-3)\nfor batch in loader:\n    loss = compute(batch)\n    loss.backward()\n    enc_opt.step()\n    dec_opt.step()\n',
      errors: [{ line: 11, anchor: 'enc_opt.step()' }, { line: 12, anchor: 'dec_opt.step()' }],
      output:
        'import torch\nfrom torch import nn\n\nencoder = nn.LSTM(16, 32)\ndecoder = nn.LSTM(32, 16)\nenc_opt = torch.optim.Adam(encoder.parameters(), lr=1e-3)\ndec_opt = torch.optim.Adam(decoder.parameters(), lr=1e-3)\nfor batch in loader:\n    loss = compute(batch)\n    loss.backward()\n    nn.utils.clip_grad_norm_(encoder.parameters(), max_norm=1.0)\n    enc_opt.step()\n    nn.utils.clip_grad_norm_(decoder.parameters(), max_norm=1.0)\n    dec_opt.step()\n',
    },
    {
      name: 'unscales before clipping with a GradScaler',
      code: LSTM_MODEL + 'scaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    scaler.scale(loss_fn(model(x), y)).backward()\n    scaler.step(optimizer)\n    scaler.update()\n',
      errors: [{ line: 19, anchor: 'scaler.step(optimizer)' }],
      output:
        LSTM_MODEL +
        'scaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    scaler.scale(loss_fn(model(x), y)).backward()\n    scaler.unscale_(optimizer)\n    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    scaler.step(optimizer)\n    scaler.update()\n',
    },
    {
      name: 'inserts the clip inside an LBFGS closure',
      code:
        'import torch\n\nnet = torch.nn.RNN(4, 4)\nopt = torch.optim.LBFGS(net.parameters())\nfor x, y in loader:\n    def closure():\n        opt.zero_grad()\n        loss = ((net(x)[0] - y) ** 2).mean()\n        loss.backward()\n        return loss\n    opt.step(closure)\n',
      errors: [{ line: 11, anchor: 'opt.step(closure)' }],
      output:
        'import torch\n\nnet = torch.nn.RNN(4, 4)\nopt = torch.optim.LBFGS(net.parameters())\nfor x, y in loader:\n    def closure():\n        opt.zero_grad()\n        loss = ((net(x)[0] - y) ** 2).mean()\n        loss.backward()\n        torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)\n        return loss\n    opt.step(closure)\n',
    },
    {
      name: 'flags a Keras LSTM compiled with an optimizer object without clipnorm',
      code: 'from tensorflow import keras\nfrom tensorflow.keras.layers import LSTM, Dense\nmodel = keras.Sequential([LSTM(64), Dense(1)])\nopt = keras.optimizers.Adam(learning_rate=1e-3)\nmodel.compile(optimizer=opt, loss="mse")\nmodel.fit(x, y)\n',
      errors: [{ line: 4, anchor: 'keras.optimizers.Adam(learning_rate=1e-3)', message: 'without `clipnorm`' }],
      output: 'from tensorflow import keras\nfrom tensorflow.keras.layers import LSTM, Dense\nmodel = keras.Sequential([LSTM(64), Dense(1)])\nopt = keras.optimizers.Adam(learning_rate=1e-3, clipnorm=1.0)\nmodel.compile(optimizer=opt, loss="mse")\nmodel.fit(x, y)\n',
    },
    {
      name: 'replaces a string optimizer for a Keras model built with model.add',
      code: 'import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.add(tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32)))\nmodel.add(tf.keras.layers.Dense(1))\nmodel.compile(optimizer="adam", loss="mse")\n',
      errors: [{ line: 5, anchor: '"adam"' }],
      output: 'import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.add(tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(32)))\nmodel.add(tf.keras.layers.Dense(1))\nmodel.compile(optimizer=tf.keras.optimizers.Adam(clipnorm=1.0), loss="mse")\n',
    },
    {
      name: 'flags a GradientTape step on a GRU model and clips the gradients after tape.gradient',
      code:
        'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.GRU(16), tf.keras.layers.Dense(1)])\nopt = tf.keras.optimizers.Adam(1e-3)\n\ndef train_step(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean((model(x) - y) ** 2)\n    grads = tape.gradient(loss, model.trainable_variables)\n    opt.apply_gradients(zip(grads, model.trainable_variables))\n',
      errors: [{ line: 9, anchor: 'opt.apply_gradients(zip(grads, model.trainable_variables))' }],
      output:
        'import tensorflow as tf\nmodel = tf.keras.Sequential([tf.keras.layers.GRU(16), tf.keras.layers.Dense(1)])\nopt = tf.keras.optimizers.Adam(1e-3)\n\ndef train_step(x, y):\n    with tf.GradientTape() as tape:\n        loss = tf.reduce_mean((model(x) - y) ** 2)\n    grads = tape.gradient(loss, model.trainable_variables)\n    grads, _ = tf.clip_by_global_norm(grads, 5.0)\n    opt.apply_gradients(zip(grads, model.trainable_variables))\n',
    },
    {
      name: 'clipping = "always" flags every training step',
      code: MLP_MODEL + LOOP,
      config: { clipping: 'always' },
      errors: [{ line: 10, anchor: 'optimizer.step()' }],
      output: MLP_MODEL + LOOP.replace('    optimizer.step()', '    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n    optimizer.step()'),
    },
    {
      name: 'an optimizer passed as a parameter falls back to the file deciding',
      code: 'import torch\nlstm = torch.nn.LSTM(3, 3)\n\ndef fit(model, optimizer, data):\n    for x in data:\n        model(x).sum().backward()\n        optimizer.step()\n',
      errors: [{ line: 7, anchor: 'optimizer.step()' }],
      output: 'import torch\nlstm = torch.nn.LSTM(3, 3)\n\ndef fit(model, optimizer, data):\n    for x in data:\n        model(x).sum().backward()\n        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)\n        optimizer.step()\n',
    },
  ],
});
