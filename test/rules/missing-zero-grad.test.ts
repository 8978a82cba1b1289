import rule from '../../server/src/engine/rules/missing-zero-grad';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'zero_grad at the top of the loop', code: 'import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor x, y in loader:\n    opt.zero_grad()\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.step()\n' },
    { name: 'model.zero_grad() at the end of the loop', code: 'import torch\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n    model.zero_grad()\n' },
    { name: 'zero_grad(set_to_none=True)', code: 'import torch\nfor x, y in loader:\n    optimizer.zero_grad(set_to_none=True)\n    loss_fn(model(x), y).backward()\n    optimizer.step()\n' },
    { name: 'p.grad = None over the parameters', code: 'import torch\nfor x, y in loader:\n    for p in model.parameters():\n        p.grad = None\n    loss_fn(model(x), y).backward()\n    optimizer.step()\n' },
    { name: 'gradient accumulation that zeroes inside an if', code: 'import torch\nfor i, (x, y) in enumerate(loader):\n    loss = loss_fn(model(x), y) / 4\n    loss.backward()\n    if (i + 1) % 4 == 0:\n        optimizer.step()\n        optimizer.zero_grad()\n' },
    { name: 'an LBFGS closure that zeroes', code: 'import torch\nopt = torch.optim.LBFGS(model.parameters())\nfor x, y in loader:\n    def closure():\n        opt.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n        return loss\n    opt.step(closure)\n' },
    { name: 'a step function called from a loop that zeroes', code: 'import torch\ndef train_step(x, y):\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n\nfor x, y in loader:\n    optimizer.zero_grad()\n    train_step(x, y)\n' },
    { name: 'a single step at module level runs once', code: 'import torch\nloss = loss_fn(model(x), y)\nloss.backward()\noptimizer.step()\n' },
    { name: 'a scheduler step is not an optimizer step', code: 'import torch\nfor x in loader:\n    loss = model(x).sum()\n    loss.backward()\n    scheduler.step()\n' },
    { name: 'backward without a step (gradient inspection)', code: 'import torch\nfor x in loader:\n    model(x).sum().backward()\n    grads.append(x.grad)\n' },
    { name: 'Keras training has no zero_grad to forget', code: 'import tensorflow as tf\nmodel.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")\nfor epoch in range(3):\n    model.fit(x, y)\n' },
  ],
  invalid: [
    {
      name: 'flags a loop that never zeroes and inserts optimizer.zero_grad() at the top',
      code: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.step()\n',
      errors: [{ line: 5, column: 5, anchor: 'loss.backward()', message: '`loss.backward()` adds to gradients that are never zeroed in this loop' }],
      output: 'import torch\nopt = torch.optim.Adam(model.parameters(), lr=1e-3)\nfor x, y in loader:\n    opt.zero_grad()\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    opt.step()\n',
    },
    {
      name: 'flags a while loop with from torch import optim',
      code: 'from torch import optim\noptimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)\nwhile step < total:\n    out = net(batch)\n    criterion(out, target).backward()\n    optimizer.step()\n    step += 1\n',
      errors: [{ line: 5, anchor: 'criterion(out, target).backward()' }],
      output: 'from torch import optim\noptimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)\nwhile step < total:\n    optimizer.zero_grad()\n    out = net(batch)\n    criterion(out, target).backward()\n    optimizer.step()\n    step += 1\n',
    },
    {
      name: 'flags a GradScaler step and zeroes the optimizer, not the scaler',
      code: 'import torch\nscaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    with torch.autocast("cuda"):\n        loss = loss_fn(model(x), y)\n    scaler.scale(loss).backward()\n    scaler.step(optimizer)\n    scaler.update()\n',
      errors: [{ line: 6, anchor: 'scaler.scale(loss).backward()' }],
      output: 'import torch\nscaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.autocast("cuda"):\n        loss = loss_fn(model(x), y)\n    scaler.scale(loss).backward()\n    scaler.step(optimizer)\n    scaler.update()\n',
    },
    {
      name: 'flags one backward feeding two optimizers once and zeroes both',
      code: 'import torch.optim as optim\nenc_opt = optim.Adam(encoder.parameters())\ndec_opt = optim.Adam(decoder.parameters())\nfor src, tgt in pairs:\n    loss = criterion(decoder(encoder(src)), tgt)\n    loss.backward()\n    enc_opt.step()\n    dec_opt.step()\n',
      errors: [{ line: 6, anchor: 'loss.backward()' }],
      output: 'import torch.optim as optim\nenc_opt = optim.Adam(encoder.parameters())\ndec_opt = optim.Adam(decoder.parameters())\nfor src, tgt in pairs:\n    enc_opt.zero_grad()\n    dec_opt.zero_grad()\n    loss = criterion(decoder(encoder(src)), tgt)\n    loss.backward()\n    enc_opt.step()\n    dec_opt.step()\n',
    },
    {
      name: 'flags zeroing only once per epoch (gradients accumulate over the epoch)',
      code: 'import torch\nfor epoch in range(10):\n    optimizer.zero_grad()\n    for x, y in loader:\n        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n',
      errors: [{ line: 6, anchor: 'loss.backward()' }],
      output: 'import torch\nfor epoch in range(10):\n    optimizer.zero_grad()\n    for x, y in loader:\n        optimizer.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n',
    },
    {
      name: 'flags a method loop on self.optimizer',
      code: 'import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n            loss = self.model(batch).mean()\n            loss.backward()\n            self.optimizer.step()\n',
      errors: [{ line: 6, anchor: 'loss.backward()' }],
      output: 'import torch\nclass Trainer:\n    def fit(self, loader):\n        for batch in loader:\n            self.optimizer.zero_grad()\n            loss = self.model(batch).mean()\n            loss.backward()\n            self.optimizer.step()\n',
    },
    {
      name: 'flags a step function whose calling loop never zeroes, fixing after the docstring',
      code: 'import torch\ndef train_step(x, y):\n    """One update."""\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n\nfor x, y in loader:\n    train_step(x, y)\n',
      errors: [{ line: 5, anchor: 'loss.backward()' }],
      output: 'import torch\ndef train_step(x, y):\n    """One update."""\n    optimizer.zero_grad()\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n\nfor x, y in loader:\n    train_step(x, y)\n',
    },
    {
      name: 'flags a Lightning manual step but gives no fix when the optimizer is fetched inside the step',
      code: 'import lightning as L\nclass Model(L.LightningModule):\n    def training_step(self, batch, batch_idx):\n        opt = self.optimizers()\n        loss = self.compute_loss(batch)\n        self.manual_backward(loss)\n        opt.step()\n',
      errors: [{ line: 6, anchor: 'self.manual_backward(loss)' }],
      output: null,
    },
    {
      name: 'flags a loop written on one line but gives no fix',
      code: 'import torch\nfor x in loader: model(x).sum().backward(); optimizer.step()\n',
      errors: [{ line: 2, anchor: 'model(x).sum().backward()' }],
      output: null,
    },
  ],
});
