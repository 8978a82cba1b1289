import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../server/src/engine/facts/facts';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function mixedPrecisionOf(text: string) {
  const model = new SemanticModel(parse(text), text);
  return buildFacts(model).mixedPrecision;
}

const step = (header: string): string => `import torch\nfor x in data:\n    with ${header}:\n        loss = f(x)\n    loss.backward()\n    opt.step()\n`;

describe('autocast regions', () => {
  it.each([
    ['torch.autocast("cuda")', 'float16'],
    ['torch.autocast(device_type="cuda")', 'float16'],
    ['torch.autocast("cuda:0")', 'float16'],
    ['torch.amp.autocast("cuda")', 'float16'],
    ['torch.cuda.amp.autocast()', 'float16'],
    ['torch.autocast("cpu")', 'bfloat16'],
    ['torch.cpu.amp.autocast()', 'bfloat16'],
    ['torch.autocast("cuda", dtype=torch.bfloat16)', 'bfloat16'],
    ['torch.autocast("cpu", dtype=torch.float16)', 'float16'],
    ['torch.autocast("cuda", torch.half)', 'float16'],
    ['torch.cuda.amp.autocast(True, torch.bfloat16)', 'bfloat16'],
    ['torch.autocast("cuda", dtype=torch.float32)', 'other'],
    ['torch.autocast(device.type)', null],
    ['torch.autocast("cuda", dtype=amp_dtype)', null],
  ])('resolves the precision of %s', (header, precision) => {
    const [autocast] = mixedPrecisionOf(step(header)).autocasts;
    expect(autocast?.precision).toBe(precision);
  });

  it('follows a dtype constant to its value', () => {
    const [autocast] = mixedPrecisionOf(step('torch.autocast("cuda", dtype=DTYPE)').replace('import torch\n', 'import torch\nDTYPE = torch.float16\n')).autocasts;
    expect(autocast?.precision).toBe('float16');
  });

  it('resolves an aliased import of autocast', () => {
    const text = step('autocast()').replace('import torch\n', 'from torch.cuda.amp import autocast\n');
    expect(mixedPrecisionOf(text).autocasts.map((autocast) => autocast.api)).toEqual(['torch.cuda.amp.autocast']);
  });

  it('is enabled unless enabled= resolves to False', () => {
    expect(mixedPrecisionOf(step('torch.autocast("cuda", enabled=False)')).autocasts[0]?.enabled).toBe(false);
    expect(mixedPrecisionOf(step('torch.cuda.amp.autocast(False)')).autocasts[0]?.enabled).toBe(false);
    expect(mixedPrecisionOf(step('torch.autocast("cuda", enabled=args.amp)')).autocasts[0]?.enabled).toBe(true);
  });

  it('links the autocast to the backward of the same loop', () => {
    const [autocast] = mixedPrecisionOf(step('torch.autocast("cuda")')).autocasts;
    expect(autocast?.backward?.node.text).toBe('loss.backward()');
  });

  it('leaves an inference-only autocast without a backward', () => {
    const text = 'import torch\ndef evaluate(x):\n    with torch.autocast("cuda"):\n        return model(x)\n\nfor x in data:\n    loss = f(x)\n    loss.backward()\n    opt.step()\n';
    expect(mixedPrecisionOf(text).autocasts[0]?.backward).toBeNull();
  });

  it('links an autocast in a model forward (or decorating it) to the training step of the file', () => {
    const inside = 'import torch\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        with torch.autocast("cuda"):\n            return self.fc(x)\n\ndef train(x):\n    loss = Net()(x).sum()\n    loss.backward()\n';
    const decorated = 'import torch\nclass Net(torch.nn.Module):\n    @torch.autocast("cuda")\n    def forward(self, x):\n        return self.fc(x)\n\ndef train(x):\n    loss = Net()(x).sum()\n    loss.backward()\n';
    expect(mixedPrecisionOf(inside).autocasts[0]?.backward?.node.text).toBe('loss.backward()');
    expect(mixedPrecisionOf(decorated).autocasts[0]?.backward?.node.text).toBe('loss.backward()');
  });

  it('links an autocast decorating a training function to the backward inside it', () => {
    const text = 'import torch\n@torch.autocast("cuda")\ndef train_step(x):\n    loss = model(x).sum()\n    loss.backward()\n    opt.step()\n';
    expect(mixedPrecisionOf(text).autocasts[0]?.backward?.node.text).toBe('loss.backward()');
    expect(mixedPrecisionOf(text.replace('train_step', 'predict').replace('    loss.backward()\n    opt.step()\n', '')).autocasts[0]?.backward).toBeNull();
  });

  it('does not take a local function named autocast for the API', () => {
    expect(mixedPrecisionOf('def autocast():\n    pass\nwith autocast():\n    pass\n').autocasts).toEqual([]);
  });
});

describe('loss scaling', () => {
  it.each([
    ['scaler = torch.cuda.amp.GradScaler()'],
    ['scaler = torch.amp.GradScaler("cuda")'],
    ['scaler.scale(loss).backward()'],
    ['with amp.scale_loss(loss, opt) as scaled:\n    scaled.backward()'],
  ])('recognises %s', (line) => {
    expect(mixedPrecisionOf(`import torch\nfrom apex import amp\nwith torch.autocast("cuda"):\n    pass\n${line}\n`).lossScaling).toHaveLength(1);
  });

  it('ignores a scale() whose result is not differentiated and a local GradScaler class', () => {
    const text = 'import torch\nclass GradScaler:\n    pass\ns = GradScaler()\nimage = transform.scale(img)\nwith torch.autocast("cuda"):\n    pass\n';
    expect(mixedPrecisionOf(text).lossScaling).toEqual([]);
  });
});
