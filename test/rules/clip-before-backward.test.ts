import rule from '../../server/src/engine/rules/clip-before-backward';
import { ruleTester } from '../helpers/ruleTester';

const HEADER = 'import torch\nfrom torch.nn.utils import clip_grad_norm_\n\n';

ruleTester(rule, {
  valid: [
    { name: 'a clip between backward and step', code: HEADER + 'for x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n    clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n' },
    { name: 'a clip after unscale_ with a GradScaler', code: HEADER + 'for x, y in loader:\n    scaler.scale(loss).backward()\n    scaler.unscale_(optimizer)\n    clip_grad_norm_(model.parameters(), 1.0)\n    scaler.step(optimizer)\n    scaler.update()\n' },
    { name: 'a clip in a different function than the step', code: HEADER + 'def log_norm(model):\n    return clip_grad_norm_(model.parameters(), float("inf"))\n\nfor x, y in loader:\n    loss.backward()\n    optimizer.step()\n' },
    { name: 'a clip under a condition between backward and step', code: HEADER + 'for i, (x, y) in enumerate(loader):\n    loss = criterion(model(x), y)\n    loss.backward()\n    if args.clip:\n        clip_grad_norm_(model.parameters(), args.clip)\n    optimizer.step()\n    optimizer.zero_grad()\n' },
    { name: 'Accelerate clipping after accelerator.backward', code: 'for batch in loader:\n    loss = model(batch).loss\n    accelerator.backward(loss)\n    accelerator.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n    optimizer.zero_grad()\n' },
    { name: 'clipping in an evaluation loop with no training step', code: HEADER + 'for x in val_loader:\n    clip_grad_norm_(model.parameters(), 1.0)\n    evaluate(model, x)\n' },
    { name: 'a local function named clip_grad_norm_ is not clipping', code: 'def clip_grad_norm_(p, n):\n    pass\n\nfor x in loader:\n    clip_grad_norm_(model.parameters(), 1.0)\n    loss.backward()\n    optimizer.step()\n' },
  ],
  invalid: [
    {
      name: 'flags a clip before backward and moves it after backward',
      code: HEADER + 'for x, y in loader:\n    optimizer.zero_grad()\n    clip_grad_norm_(model.parameters(), 1.0)\n    loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      errors: [{ line: 6, column: 5, anchor: 'clip_grad_norm_(model.parameters(), 1.0)', message: 'runs before `loss.backward()`' }],
      output: HEADER + 'for x, y in loader:\n    optimizer.zero_grad()\n    loss = criterion(model(x), y)\n    loss.backward()\n    clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n',
    },
    {
      name: 'flags a clip after the step with torch.nn.utils spelled out',
      code: 'import torch\n\ndef train_step(model, optimizer, batch):\n    loss = model(batch).mean()\n    loss.backward()\n    optimizer.step()\n    torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)\n',
      errors: [{ line: 7, message: 'runs after `optimizer.step()`' }],
      output: 'import torch\n\ndef train_step(model, optimizer, batch):\n    loss = model(batch).mean()\n    loss.backward()\n    torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)\n    optimizer.step()\n',
    },
    {
      name: 'flags a clip of scaled gradients and inserts unscale_ first',
      code: HEADER + 'for x, y in loader:\n    with torch.autocast("cuda"):\n        loss = criterion(model(x), y)\n    scaler.scale(loss).backward()\n    clip_grad_norm_(model.parameters(), 1.0)\n    scaler.step(optimizer)\n    scaler.update()\n',
      errors: [{ line: 8, message: "GradScaler's loss scale" }],
      output: HEADER + 'for x, y in loader:\n    with torch.autocast("cuda"):\n        loss = criterion(model(x), y)\n    scaler.scale(loss).backward()\n    scaler.unscale_(optimizer)\n    clip_grad_norm_(model.parameters(), 1.0)\n    scaler.step(optimizer)\n    scaler.update()\n',
    },
    {
      name: 'moves a clip whose result is assigned',
      code: 'import torch.nn as nn\nfor batch in loader:\n    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)\n    loss = model(batch)\n    loss.backward()\n    opt.step()\n',
      errors: [{ line: 3, anchor: 'nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)' }],
      output: 'import torch.nn as nn\nfor batch in loader:\n    loss = model(batch)\n    loss.backward()\n    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)\n    opt.step()\n',
    },
    {
      name: 'flags Accelerate clipping before accelerator.backward',
      code: 'for batch in loader:\n    accelerator.clip_grad_norm_(model.parameters(), 1.0)\n    loss = model(batch).loss\n    accelerator.backward(loss)\n    optimizer.step()\n',
      errors: [{ line: 2, anchor: 'accelerator.clip_grad_norm_(model.parameters(), 1.0)', message: 'runs before `accelerator.backward(loss)`' }],
      output: 'for batch in loader:\n    loss = model(batch).loss\n    accelerator.backward(loss)\n    accelerator.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n',
    },
    {
      name: 'flags a clip at the top of a training function, before its backward',
      code: 'import torch\n\ndef train_step(model, opt, batch):\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)\n    opt.zero_grad()\n    loss = model(batch).mean()\n    loss.backward()\n    opt.step()\n    return loss\n',
      errors: [{ line: 4, message: 'runs before `loss.backward()`' }],
      output: 'import torch\n\ndef train_step(model, opt, batch):\n    opt.zero_grad()\n    loss = model(batch).mean()\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)\n    opt.step()\n    return loss\n',
    },
    {
      name: 'keeps the diagnostic but offers no edit when the clip shares its line',
      code: HEADER + 'for x, y in loader:\n    clip_grad_norm_(model.parameters(), 1.0); loss = criterion(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      errors: [{ line: 5 }],
      output: null,
    },
  ],
});
