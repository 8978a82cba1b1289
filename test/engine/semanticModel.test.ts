import { describe, expect, it } from 'vitest';
import type { SyntaxNode } from '../../server/src/engine/parse/tree';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function modelOf(text: string): SemanticModel {
  return new SemanticModel(parse(text), text);
}

/** The last node whose text is `snippet` (the use, after its definitions). */
function nodeFor(model: SemanticModel, snippet: string): SyntaxNode {
  const offset = model.text.lastIndexOf(snippet);
  return model.tree.rootNode.descendantForIndex(offset, offset + snippet.length);
}

describe('qualifiedName', () => {
  it.each([
    ['import torch.nn.functional as F\nF.softmax', 'F.softmax', 'torch.nn.functional.softmax'],
    ['from torch.nn import functional\nfunctional.softmax', 'functional.softmax', 'torch.nn.functional.softmax'],
    ['import torch\ntorch.nn.LSTM', 'torch.nn.LSTM', 'torch.nn.LSTM'],
    ['from torch.optim import Adam as A\nA', 'A', 'torch.optim.Adam'],
    ['import tensorflow as tf\ntf.keras.layers.Dense', 'tf.keras.layers.Dense', 'keras.layers.Dense'],
    ['from tensorflow.keras.layers import Dense\nDense', 'Dense', 'keras.layers.Dense'],
    ['from tensorflow import keras\nkeras.optimizers.Adam', 'keras.optimizers.Adam', 'keras.optimizers.Adam'],
    ['from torch.nn import *\nLSTM', 'LSTM', 'torch.nn.LSTM'],
  ])('resolves %j', (text, snippet, expected) => {
    const model = modelOf(text);
    expect(model.qualifiedName(nodeFor(model, snippet))).toBe(expected);
  });

  it('a local definition shadows an import', () => {
    const model = modelOf('from torch.optim import Adam\ndef f():\n    Adam = make()\n    return Adam\n');
    expect(model.qualifiedName(nodeFor(model, 'Adam'))).toBeNull();
  });

  it('a parameter shadows a module-level import', () => {
    const model = modelOf('import torch as nn\ndef f(nn):\n    return nn.Linear\n');
    expect(model.qualifiedName(nodeFor(model, 'nn.Linear'))).toBeNull();
  });

  it('spells an API the way the file imports it', () => {
    const end = (text: string): number => text.length;
    const torchAndNn = 'import torch\nimport torch.nn as nn\n';
    expect(modelOf(torchAndNn).localNameFor('torch.nn.utils.clip_grad_norm_', end(torchAndNn))).toBe('nn.utils.clip_grad_norm_');
    expect(modelOf('import tensorflow as tf\n').localNameFor('keras.optimizers', 24)).toBe('tf.keras.optimizers');
    expect(modelOf('import numpy as np\n').localNameFor('torch.nn', 19)).toBeNull();
  });

  it('spells an API as the names mean it where the code goes, when a name is imported twice', () => {
    const text = 'import torch\nimport other.nn as nn\nFIRST = 1\nfrom torch import nn\nSECOND = 2\n';
    const model = modelOf(text);
    expect(model.localNameFor('torch.nn.utils.clip_grad_norm_', text.indexOf('FIRST'))).toBe('torch.nn.utils.clip_grad_norm_');
    expect(model.localNameFor('torch.nn.utils.clip_grad_norm_', text.indexOf('SECOND'))).toBe('nn.utils.clip_grad_norm_');
  });
});

describe('constantValue', () => {
  it.each([
    ['LR = 1e-2\nuse(LR)', 'LR', 0.01],
    ['x = 10**-3\nuse(x)', 'x', 0.001],
    ['x = 0.5 * 0.02\nuse(x)', 'x', 0.01],
    ['x = -(2 - 3)\nuse(x)', 'x', 1],
    ['cfg = {"opt": {"lr": 0.3}}\nuse(cfg["opt"]["lr"])', 'cfg["opt"]["lr"]', 0.3],
    ['cfg = dict(lr=0.2)\nuse(cfg["lr"])', 'cfg["lr"]', 0.2],
    ['x = float("1e-2")\nuse(x)', 'x', 0.01],
    ['import argparse\np = argparse.ArgumentParser()\np.add_argument("--learning-rate", type=float, default=0.03)\nargs = p.parse_args()\nuse(args.learning_rate)', 'args.learning_rate', 0.03],
    ['import argparse\np = argparse.ArgumentParser()\np.add_argument("-l", dest="rate", default=5)\nargs, _ = p.parse_known_args()\nuse(args.rate)', 'args.rate', 5],
  ])('evaluates %j', (text, snippet, expected) => {
    const model = modelOf(text);
    expect(model.constantValue(nodeFor(model, snippet))?.value).toBe(expected);
  });

  it('gives every target of a chained assignment the value at its end', () => {
    const model = modelOf('a = b = 0.3\nuse(a, b)');
    expect(model.constantValue(nodeFor(model, 'a'))?.value).toBe(0.3);
    expect(model.constantValue(nodeFor(model, 'b'))?.value).toBe(0.3);
  });

  it('ends a chained assignment that ends in an annotation without a value (found by the long fuzz run)', () => {
    // tree-sitter parses `a = b = c: int` as a chain whose last link has no right-hand side.
    const model = modelOf('a = b = c: int\nuse(a)');
    expect(model.lookup('a', model.text.length)?.kind).toBe('target');
    expect(model.constantValue(nodeFor(model, 'a'))).toBeNull();
  });

  it('records the definition a value came from', () => {
    const model = modelOf('LR = 0.01\nuse(LR)');
    const value = model.constantValue(nodeFor(model, 'LR'));
    expect(value?.definitions.map((node) => node.text)).toEqual(['LR = 0.01']);
  });

  it('uses the assignment that reaches the use in the same scope', () => {
    const model = modelOf('lr = 0.1\nlr = 0.001\nuse(lr)');
    expect(model.constantValue(nodeFor(model, 'lr'))?.value).toBe(0.001);
  });

  it.each([['def f(lr):\n    use(lr)', 'lr'], ['x = os.environ["LR"]\nuse(x)', 'x'], ['x = x + 1\nuse(x)', 'x']])('is null for %j', (text, snippet) => {
    const model = modelOf(text);
    expect(model.constantValue(nodeFor(model, snippet))).toBeNull();
  });
});
