import { describe, expect, it } from 'vitest';
import { applyEdits, lint } from '../../server/src/engine';
import rule from '../../server/src/engine/rules/fp16-without-grad-scaler';
import { ruleTester, syntaxErrorCount } from '../helpers/ruleTester';

const loop = (header: string, imports = 'import torch\n'): string =>
  `${imports}for x, y in loader:\n    optimizer.zero_grad()\n    with ${header}:\n        loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n`;

ruleTester(rule, {
  valid: [
    { name: 'bfloat16 autocast needs no scaler', code: loop('torch.autocast("cuda", dtype=torch.bfloat16)') },
    { name: 'CPU autocast defaults to bfloat16', code: loop('torch.autocast("cpu")') },
    { name: 'torch.cpu.amp.autocast defaults to bfloat16', code: loop('torch.cpu.amp.autocast()') },
    { name: 'an autocast to float32 is not float16', code: loop('torch.autocast("cuda", dtype=torch.float32)') },
    { name: 'a GradScaler in the file', code: `${loop('torch.cuda.amp.autocast()')}scaler = torch.cuda.amp.GradScaler()\n` },
    { name: 'the torch.amp GradScaler', code: loop('torch.autocast("cuda")').replace('for x', 'scaler = torch.amp.GradScaler("cuda")\nfor x') },
    { name: 'a scaler passed in from elsewhere that scales the loss', code: 'import torch\ndef step(x, y, scaler):\n    with torch.autocast("cuda"):\n        loss = loss_fn(model(x), y)\n    scaler.scale(loss).backward()\n    scaler.step(optimizer)\n    scaler.update()\n' },
    { name: 'a dtype that cannot be resolved', code: 'import torch\ndef train(dtype):\n    for x in loader:\n        with torch.autocast("cuda", dtype=dtype):\n            loss = model(x).sum()\n        loss.backward()\n        optimizer.step()\n' },
    { name: 'a device type that cannot be resolved', code: loop('torch.autocast(device_type=device.type)') },
    { name: 'a conditional dtype', code: loop('torch.autocast("cuda", dtype=torch.bfloat16 if bf16 else torch.float16)') },
    { name: 'autocast turned off', code: loop('torch.autocast("cuda", enabled=False)') },
    { name: 'an autocast used only for inference', code: 'import torch\n@torch.no_grad()\ndef evaluate(model, x):\n    with torch.autocast("cuda"):\n        return model(x)\n' },
    { name: 'a local function named autocast', code: 'import torch\ndef autocast():\n    return contextlib.nullcontext()\nfor x in loader:\n    with autocast():\n        loss = model(x).sum()\n    loss.backward()\n    optimizer.step()\n' },
  ],
  invalid: [
    {
      name: 'flags torch.autocast("cuda") and switches it to bfloat16',
      code: loop('torch.autocast("cuda")'),
      errors: [{ line: 4, column: 10, anchor: 'torch.autocast("cuda")', message: 'computes `loss.backward()` in float16 with no `GradScaler`' }],
      output: loop('torch.autocast("cuda", dtype=torch.bfloat16)'),
    },
    {
      name: 'flags torch.cuda.amp.autocast() imported by name',
      code: loop('autocast()', 'import torch\nfrom torch.cuda.amp import autocast\n'),
      errors: [{ line: 5, anchor: 'autocast()' }],
      output: loop('autocast(dtype=torch.bfloat16)', 'import torch\nfrom torch.cuda.amp import autocast\n'),
    },
    {
      name: 'flags dtype=torch.float16 and replaces the dtype',
      code: loop('torch.autocast(device_type="cuda", dtype=torch.float16)'),
      errors: [{ line: 4, message: 'float16' }],
      output: loop('torch.autocast(device_type="cuda", dtype=torch.bfloat16)'),
    },
    {
      name: 'flags torch.half given positionally to torch.amp.autocast',
      code: loop('amp.autocast("cuda", torch.half)', 'import torch\nfrom torch import amp\n'),
      errors: [{ line: 5, anchor: 'amp.autocast("cuda", torch.half)' }],
      output: loop('amp.autocast("cuda", torch.bfloat16)', 'import torch\nfrom torch import amp\n'),
    },
    {
      name: 'flags a dtype constant defined in the file',
      code: loop('torch.autocast("cuda", dtype=AMP_DTYPE)', 'import torch\nAMP_DTYPE = torch.float16\n'),
      errors: [{ line: 5 }],
      output: loop('torch.autocast("cuda", dtype=torch.bfloat16)', 'import torch\nAMP_DTYPE = torch.float16\n'),
    },
    {
      name: 'flags an enabled flag that cannot be resolved (the float16 path exists)',
      code: loop('torch.autocast("cuda", enabled=args.amp)'),
      errors: [{ line: 4 }],
      output: loop('torch.autocast("cuda", enabled=args.amp, dtype=torch.bfloat16)'),
    },
    {
      name: 'flags an autocast inside a model forward trained in the file',
      code: 'import torch\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        with torch.autocast("cuda"):\n            return self.body(x)\n\nfor x in loader:\n    optimizer.zero_grad()\n    model(x).sum().backward()\n    optimizer.step()\n',
      errors: [{ line: 4, anchor: 'torch.autocast("cuda")' }],
      output: 'import torch\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        with torch.autocast("cuda", dtype=torch.bfloat16):\n            return self.body(x)\n\nfor x in loader:\n    optimizer.zero_grad()\n    model(x).sum().backward()\n    optimizer.step()\n',
    },
    {
      name: 'flags an autocast decorating the training step function',
      code: 'import torch\n@torch.autocast("cuda")\ndef train_step(x, y):\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
      errors: [{ line: 2, anchor: 'torch.autocast("cuda")' }],
      output: 'import torch\n@torch.autocast("cuda", dtype=torch.bfloat16)\ndef train_step(x, y):\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()\n',
    },
    {
      name: 'flags but cannot spell torch.bfloat16 without a torch import',
      code: loop('autocast()', 'from torch.cuda.amp import autocast\n'),
      errors: [{ line: 4, anchor: 'autocast()' }],
      output: null,
    },
  ],
});

describe('NAN204 GradScaler alternative fix', () => {
  const alternative = (code: string) => lint(code, 'test.py', { select: ['NAN204'] }).violations[0]?.alternativeFixes?.[0];

  it('keeps float16 and adds a GradScaler around the step, as an unsafe fix', () => {
    const code = 'import torch\nfor epoch in range(3):\n    for x, y in loader:\n        optimizer.zero_grad()\n        with torch.autocast("cuda"):\n            loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n';
    const fix = alternative(code);
    expect(fix?.applicability).toBe('unsafe');
    const fixed = applyEdits(code, fix!.edits);
    expect(fixed).toBe(
      'import torch\nscaler = torch.amp.GradScaler("cuda")\nfor epoch in range(3):\n    for x, y in loader:\n        optimizer.zero_grad()\n        with torch.autocast("cuda"):\n            loss = loss_fn(model(x), y)\n        scaler.scale(loss).backward()\n        scaler.step(optimizer)\n        scaler.update()\n',
    );
    expect(syntaxErrorCount(fixed)).toBe(0);
    expect(lint(fixed, 'test.py').violations).toEqual([]);
  });

  it('uses the legacy torch.cuda.amp scaler with torch.cuda.amp.autocast and unscales before a clip', () => {
    const code = 'import torch\nscaler = None\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.cuda.amp.autocast():\n        loss = loss_fn(model(x), y)\n    loss.backward()\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    optimizer.step()\n';
    const fixed = applyEdits(code, alternative(code)!.edits);
    expect(fixed).toBe(
      'import torch\nscaler = None\ngrad_scaler = torch.cuda.amp.GradScaler()\nfor x, y in loader:\n    optimizer.zero_grad()\n    with torch.cuda.amp.autocast():\n        loss = loss_fn(model(x), y)\n    grad_scaler.scale(loss).backward()\n    grad_scaler.unscale_(optimizer)\n    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n    grad_scaler.step(optimizer)\n    grad_scaler.update()\n',
    );
    expect(lint(fixed, 'test.py').violations).toEqual([]);
  });

  it('is not offered for a step outside a loop or through accelerator.backward', () => {
    expect(alternative('import torch\ndef step(x):\n    with torch.autocast("cuda"):\n        loss = model(x).sum()\n    loss.backward()\n    optimizer.step()\n')).toBeUndefined();
    expect(alternative('import torch\nfor x in loader:\n    with torch.autocast("cuda"):\n        loss = model(x).sum()\n    accelerator.backward(loss)\n    optimizer.step()\n    optimizer.zero_grad()\n')).toBeUndefined();
  });
});
