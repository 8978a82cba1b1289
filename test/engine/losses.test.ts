import { describe, expect, it } from 'vitest';
import { buildFacts, type TrainingFacts } from '../../server/src/engine/facts/facts';
import { reachingBinding, isConditional } from '../../server/src/engine/facts/flow';
import type { SyntaxNode } from '../../server/src/engine/parse/tree';
import { parse } from '../../server/src/engine/parse/tree';
import { SemanticModel } from '../../server/src/engine/semantic/model';

function analyse(text: string): { model: SemanticModel; facts: TrainingFacts } {
  const model = new SemanticModel(parse(text), text);
  return { model, facts: buildFacts(model) };
}

/** The last occurrence of the identifier `name` that is followed by `after`. */
function lastIdentifier(model: SemanticModel, name: string, after: string): SyntaxNode {
  const offset = model.text.lastIndexOf(name + after);
  return model.tree.rootNode.descendantForIndex(offset, offset + name.length);
}

/** What each loss call's prediction traces back to: `kind@anchor`. */
function tracedInputs(text: string): string[] {
  const { facts } = analyse(text);
  return facts.losses.calls.flatMap((lossCall) => (lossCall.input ? facts.losses.activationsOf(lossCall.input).map((found) => `${found.kind}@${found.node.text}`) : []));
}

const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('loss constructions and calls', () => {
  it('finds a criterion object, its call and the prediction argument', () => {
    const { facts } = analyse(TORCH + 'criterion = nn.CrossEntropyLoss(label_smoothing=0.1)\nloss = criterion(model(x), y)\n');
    expect(facts.losses.constructions.map((construction) => [construction.qualifiedName, construction.kind])).toEqual([['torch.nn.CrossEntropyLoss', 'cross-entropy']]);
    expect(facts.losses.calls.map((lossCall) => [lossCall.call.node.text, lossCall.kind, lossCall.input?.text])).toEqual([['criterion(model(x), y)', 'cross-entropy', 'model(x)']]);
  });

  it('finds functional losses, including one held by reference', () => {
    const { facts } = analyse(TORCH + 'loss_fn = F.binary_cross_entropy_with_logits\na = F.nll_loss(input=logp, target=y)\nb = loss_fn(out, t)\n');
    expect(facts.losses.calls.map((lossCall) => [lossCall.kind, lossCall.input?.text])).toEqual([
      ['nll', 'logp'],
      ['binary-cross-entropy-with-logits', 'out'],
    ]);
  });

  it('finds a loss constructed and called at once, and one held by self', () => {
    const { facts } = analyse(TORCH + 'a = nn.BCELoss()(p, y)\nclass M(nn.Module):\n    def __init__(self):\n        self.loss_fn = nn.BCEWithLogitsLoss()\n\n    def step(self, x, y):\n        return self.loss_fn(self.head(x), y)\n');
    expect(facts.losses.calls.map((lossCall) => [lossCall.kind, lossCall.construction?.call.node.text, lossCall.input?.text])).toEqual([
      ['binary-cross-entropy', 'nn.BCELoss()', 'p'],
      ['binary-cross-entropy-with-logits', 'nn.BCEWithLogitsLoss()', 'self.head(x)'],
    ]);
  });

  it('follows a criterion passed to a training function', () => {
    const { facts } = analyse(TORCH + 'def train(model, criterion):\n    return criterion(model(x), y)\n\ntrain(net, nn.NLLLoss())\n');
    expect(facts.losses.calls.map((lossCall) => [lossCall.kind, lossCall.call.node.text])).toEqual([['nll', 'criterion(model(x), y)']]);
  });

  it('reads Keras from_logits, resolving a constant, and takes y_pred as the prediction', () => {
    const { facts } = analyse('from tensorflow import keras\nLOGITS = True\nloss_fn = keras.losses.CategoricalCrossentropy(from_logits=LOGITS)\nl = loss_fn(y, model(x))\nm = keras.losses.binary_crossentropy(y, p, from_logits=False)\n');
    expect(facts.losses.constructions.map((construction) => construction.fromLogits?.value)).toEqual([true, false]);
    expect(facts.losses.calls.map((lossCall) => [lossCall.framework, lossCall.input?.text])).toEqual([
      ['keras', 'model(x)'],
      ['keras', 'p'],
    ]);
  });

  it('links a Keras loss to the model compiled with it, else to the file\'s only Keras model', () => {
    const compiled = analyse('from tensorflow import keras\nloss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\na = keras.Sequential([keras.layers.Dense(3)])\nb = keras.Sequential([keras.layers.Dense(3)])\nb.compile(loss=loss)\n');
    expect(compiled.facts.losses.kerasModelsTrainedWith(compiled.facts.losses.constructions[0]!).map((fact) => fact.name)).toEqual(['b']);
    const alone = analyse('from tensorflow import keras\nloss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\nonly = keras.Sequential([keras.layers.Dense(3)])\n');
    expect(alone.facts.losses.kerasModelsTrainedWith(alone.facts.losses.constructions[0]!).map((fact) => fact.name)).toEqual(['only']);
    const two = analyse('from tensorflow import keras\nloss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\na = keras.Sequential([keras.layers.Dense(3)])\nb = keras.Sequential([keras.layers.Dense(3)])\n');
    expect(two.facts.losses.kerasModelsTrainedWith(two.facts.losses.constructions[0]!)).toEqual([]);
  });

  it('ignores a local class that is named like a loss', () => {
    const { facts } = analyse('class BCELoss:\n    pass\n\ncriterion = BCELoss()\nloss = criterion(p, y)\n');
    expect(facts.losses.constructions).toEqual([]);
    expect(facts.losses.calls).toEqual([]);
  });
});

describe('activation tracer', () => {
  it.each([
    ['an activation written in the call', 'loss = F.cross_entropy(F.softmax(z, dim=1), y)\n', ['softmax@F.softmax(z, dim=1)']],
    ['a method activation through a name and squeeze', 'p = z.sigmoid()\nloss = F.binary_cross_entropy(p.squeeze(1), y)\n', ['sigmoid@z.sigmoid()']],
    ['an activation module called inline', 'loss = F.cross_entropy(nn.LogSoftmax(dim=1)(z), y)\n', ['log_softmax@nn.LogSoftmax(dim=1)(z)']],
    ['the last element of an nn.Sequential', 'net = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\nloss = F.binary_cross_entropy(net(x), y)\n', ['sigmoid@nn.Sigmoid()']],
    ['an nn.Sequential nested as the last element', 'net = nn.Sequential(nn.Linear(4, 4), nn.Sequential(nn.Linear(4, 2), nn.Softmax(-1)))\nloss = F.cross_entropy(net(x).to(dev), y)\n', ['softmax@nn.Softmax(-1)']],
    ['a model call to its forward return', 'class Net(nn.Module):\n    def forward(self, x):\n        h = self.fc(x)\n        return torch.sigmoid(h)\n\nloss = F.binary_cross_entropy(Net()(x), y)\n', ['sigmoid@torch.sigmoid(h)']],
    ['model.forward(x)', 'class Net(nn.Module):\n    def forward(self, x):\n        return F.softmax(x, 1)\n\nm = Net()\nloss = F.cross_entropy(m.forward(x), y)\n', ['softmax@F.softmax(x, 1)']],
    ['a helper parameter to every caller\'s argument', 'def loss_of(p, y):\n    return F.binary_cross_entropy(p, y)\n\na = loss_of(torch.sigmoid(u), y)\nb = loss_of(v, y)\nc = loss_of(p=w.sigmoid(), y=y)\n', ['sigmoid@torch.sigmoid(u)', 'sigmoid@w.sigmoid()']],
    ['the previous value in `x = f(x)`', 'x = torch.sigmoid(x)\nx = x.view(-1)\nloss = F.binary_cross_entropy(x, y)\n', ['sigmoid@torch.sigmoid(x)']],
  ])('traces %s', (_name, body, expected) => {
    expect(tracedInputs(TORCH + body)).toEqual(expected);
  });

  it.each([
    ['a forward that returns logits on one path', 'class Net(nn.Module):\n    def forward(self, x):\n        if self.training:\n            return x\n        return F.softmax(x, 1)\n\nloss = F.cross_entropy(Net()(x), y)\n'],
    ['an activation assigned only in an if', 'p = z\nif flag:\n    p = torch.sigmoid(z)\nloss = F.binary_cross_entropy(p, y)\n'],
    ['a Sequential whose last element is not an activation', 'net = nn.Sequential(nn.Sigmoid(), nn.Linear(4, 1))\nloss = F.binary_cross_entropy(net(x), y)\n'],
    ['a local function named sigmoid', 'def sigmoid(v):\n    return v\n\nloss = F.binary_cross_entropy(sigmoid(z), y)\n'],
    ['an arithmetic expression around the activation', 'loss = F.binary_cross_entropy(torch.sigmoid(z) * 0.9 + 0.05, y)\n'],
  ])('finds nothing for %s', (_name, body) => {
    expect(tracedInputs(TORCH + body)).toEqual([]);
  });

  it('stays inside the function when asked to', () => {
    const { facts } = analyse(TORCH + 'net = nn.Sequential(nn.Linear(4, 2), nn.Softmax(1))\np = F.softmax(z, 1)\nuse(torch.log(net(x)), torch.log(p))\n');
    const [throughModel, throughName] = facts.logCalls.map((logCall) => logCall.argument);
    expect(facts.losses.activationsOf(throughModel!, { sameFunction: true })).toEqual([]);
    expect(facts.losses.activationsOf(throughModel!).map((found) => found.node.text)).toEqual(['nn.Softmax(1)']);
    expect(facts.losses.activationsOf(throughName!, { sameFunction: true }).map((found) => [found.node.text, found.local])).toEqual([['F.softmax(z, 1)', true]]);
  });

  it('marks activations reached through a model as not local and removes a Sequential element with its comma', () => {
    const { model, facts } = analyse(TORCH + 'net = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\nloss = F.binary_cross_entropy(net(x), y)\n');
    const [found] = facts.losses.activationsOf(facts.losses.calls[0]!.input!);
    expect(found?.local).toBe(false);
    const removal = found!.removal!;
    expect(model.text.slice(0, removal.start) + removal.content + model.text.slice(removal.end)).toContain('net = nn.Sequential(nn.Linear(4, 1))\n');
  });

  it('finds a Keras output activation of Sequential, functional and Activation-layer models', () => {
    const { facts } = analyse('from tensorflow import keras\nimport tensorflow as tf\na = keras.Sequential([keras.layers.Dense(4, activation="softmax")])\ni = keras.Input((3,))\nb = keras.Model(i, keras.layers.Dense(1, activation=tf.nn.sigmoid)(i))\nc = keras.Sequential()\nc.add(keras.layers.Dense(3))\nc.add(keras.layers.Activation("softmax"))\n');
    expect(facts.models.flatMap((fact) => facts.losses.outputActivations(fact)).map((found) => `${found.kind}@${found.node.text}`)).toEqual(['softmax@"softmax"', 'sigmoid@tf.nn.sigmoid', 'softmax@"softmax"']);
  });
});

describe('log calls', () => {
  it('collects torch, TensorFlow, NumPy and method logs but not math.log or self.log', () => {
    const { facts } = analyse('import torch, math\nimport numpy as np\nimport tensorflow as tf\na = torch.log(p)\nb = tf.math.log(q)\nc = np.log(r)\nd = s.log()\ne = math.log(t)\nself.log("loss", u)\n');
    expect(facts.logCalls.map((logCall) => [logCall.framework, logCall.argument.text, logCall.method])).toEqual([
      ['pytorch', 'p', false],
      ['tensorflow', 'q', false],
      ['numpy', 'r', false],
      ['pytorch', 's', true],
    ]);
  });

  it.each([
    ['y * torch.log(p)', true],
    ['torch.log(p) * (1 - y)', true],
    ['-(y * (torch.log(p)))', true],
    ['0.5 * torch.log(p)', false],
    ['torch.log(p).sum()', false],
  ])('%s is a cross-entropy factor: %s', (expression, expected) => {
    expect(analyse(`import torch\nv = ${expression}\n`).facts.logCalls[0]?.crossEntropy).toBe(expected);
  });

  it.each([
    ['torch.log(p + 1e-8)', true],
    ['torch.log(1e-6 + p)', true],
    ['torch.log(p + eps)', true],
    ['torch.log(p.clamp(min=1e-7))', true],
    ['torch.log(torch.clip(p, 1e-7, 1))', true],
    ['torch.log(p + 1)', false],
    ['torch.log(p)', false],
    ['torch.log(1 - p)', false],
  ])('%s is guarded: %s', (expression, expected) => {
    expect(analyse(`import torch\nv = ${expression}\n`).facts.logCalls[0]?.guarded).toBe(expected);
  });

  it('sees a guard through a name assigned in the same function only', () => {
    const local = analyse('import torch\ndef f(p):\n    q = p + 1e-7\n    return torch.log(q)\n');
    expect(local.facts.logCalls[0]?.guarded).toBe(true);
    const outer = analyse('import torch\nq = p + 1e-7\ndef f():\n    return torch.log(q)\n');
    expect(outer.facts.logCalls[0]?.guarded).toBe(false);
  });
});

describe('value flow', () => {
  it('gives the right-hand side of `x = f(x)` the previous binding', () => {
    const model = new SemanticModel(parse('x = a\nx = g(x)\n'), 'x = a\nx = g(x)\n');
    const use = lastIdentifier(model, 'x', ')');
    expect(use.type).toBe('identifier');
    expect(reachingBinding(model, use)?.value?.text).toBe('a');
  });

  it.each([
    ['inside an if', 'p = a\nif c:\n    p = b\nuse(p)\n', true],
    ['inside an else of a nested if', 'def f():\n    p = a\n    for i in r:\n        if c:\n            pass\n        else:\n\n            # comment\n            p = b\n    use(p)\n', true],
    ['inside an except', 'p = a\ntry:\n    pass\nexcept E:\n    p = b\nuse(p)\n', true],
    ['inside a try body', 'try:\n    p = b\nfinally:\n    pass\nuse(p)\n', false],
    ['inside a loop body', 'for i in r:\n    p = b\nuse(p)\n', false],
    ['in the same if block as the use', 'if c:\n    p = b\n    use(p)\n', false],
  ])('tells whether an assignment %s is conditional at a later use', (_name, text, expected) => {
    const model = new SemanticModel(parse(text), text);
    const identifier = lastIdentifier(model, 'p', ')');
    const binding = reachingBinding(model, identifier)!;
    expect(binding.value?.text).toBe('b');
    expect(isConditional(model, binding, identifier)).toBe(expected);
  });

  it('knows an assignment inside an if does not always reach a use after it', () => {
    const text = 'p = a\nif c:\n    p = b\nuse(p)\n';
    const model = new SemanticModel(parse(text), text);
    const identifier = lastIdentifier(model, 'p', ')');
    const binding = reachingBinding(model, identifier)!;
    expect(binding.value?.text).toBe('b');
    expect(isConditional(model, binding, identifier)).toBe(true);
  });
});

describe('activation tracer limits', () => {
  it('ends on a helper that calls itself', () => {
    const text = TORCH + 'def f(p, n):\n    if n:\n        return f(p, n - 1)\n    return F.binary_cross_entropy(p, y)\n\nf(torch.sigmoid(z), 3)\nf(w, 2)\n';
    expect(tracedInputs(text)).toEqual(['sigmoid@torch.sigmoid(z)']);
  });
});

describe('log calls on pathological input', () => {
  it('checks a log of a 20,000-term sum without walking up the tree from each term', () => {
    const terms = Array.from({ length: 20_000 }, (_, index) => `a${index}`).join(' + ');
    const { facts } = analyse(`import torch\nloss = -(y * torch.log(${terms}))\n`);
    expect(facts.logCalls.map((logCall) => [logCall.crossEntropy, logCall.guarded])).toEqual([[true, false]]);
  });
});
