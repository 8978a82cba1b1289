// A deterministic generator of realistic Python training code for benchmarks and fuzzing.
// Files are assembled from many independent fragments (imports, configs, data loading, models, losses,
// training loops, evaluation, helpers) chosen and parameterised by a seeded PRNG, so the corpus exercises
// the whole engine — imports and aliases, constant propagation, argparse, classes, loops, comments and
// docstrings — with the shape of real scripts, not copies of one file.

import { SeededRandom } from '../server/src/reproduce/random';

export interface CorpusFile {
  path: string;
  text: string;
}

/** The reproduction runner's seeded generator (mulberry32), with the choices a corpus needs. */
export class Random extends SeededRandom {
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

const NOUNS = [
  'text', 'sentiment', 'price', 'sensor', 'speech', 'tabular', 'click', 'stock', 'weather', 'traffic', 'energy',
  'review', 'image', 'token', 'sequence', 'signal', 'churn', 'fraud', 'demand', 'patient', 'ecg', 'audio', 'query',
];
const MODEL_WORDS = ['Classifier', 'Encoder', 'Forecaster', 'Tagger', 'Net', 'Model', 'Regressor', 'Predictor'];
const VERBS = ['load', 'prepare', 'build', 'compute', 'make', 'get', 'create', 'collect', 'split', 'normalize'];
const ADAPTIVE = ['Adam', 'AdamW', 'RMSprop', 'Adamax', 'NAdam', 'RAdam'];
const KERAS_OPTIMIZERS = ['Adam', 'RMSprop', 'Adamax', 'Nadam', 'SGD', 'Adagrad', 'AdamW'];
const LEARNING_RATES = ['1e-3', '3e-4', '0.001', '5e-4', '1e-4', '0.01', '2e-3', '0.1', '0.05', '3e-3', '1e-2'];
const SGD_RATES = ['0.1', '0.01', '0.05', '1.0', '0.5', '2.0'];
const ACTIVATIONS = ['relu', 'tanh', 'gelu', 'elu', 'selu', 'swish'];
const COMMENTS = [
  'keep the batch small so it fits on a single GPU',
  'these values come from the sweep in the appendix',
  'the reference implementation uses the same schedule',
  'warm start from the previous checkpoint if there is one',
  'the validation split is fixed so runs stay comparable',
  'normalise per feature, the columns have very different scales',
  'log every few steps; printing every step slows training down',
  'this mirrors the baseline from the paper',
  'labels are integers in [0, num_classes)',
  'padding index is zero, see the tokenizer',
];

interface Names {
  model: string;
  modelClass: string;
  optimizer: string;
  loss: string;
  loader: string;
  noun: string;
}

function names(rng: Random): Names {
  const noun = rng.pick(NOUNS);
  const cap = noun[0]?.toUpperCase() + noun.slice(1);
  return {
    model: rng.pick(['model', 'net', `${noun}_model`, 'network', 'clf']),
    modelClass: `${cap}${rng.pick(MODEL_WORDS)}`,
    optimizer: rng.pick(['optimizer', 'opt', 'optim_', `${noun}_opt`]),
    loss: rng.pick(['loss', 'batch_loss', 'train_loss', 'objective']),
    loader: rng.pick(['train_loader', 'loader', 'train_dl', `${noun}_loader`]),
    noun,
  };
}

function docstring(rng: Random, indent: string, subject: string): string[] {
  if (!rng.chance(0.6)) return [];
  if (rng.chance(0.5)) return [`${indent}"""${subject}."""`];
  return [
    `${indent}"""${subject}.`,
    '',
    `${indent}Args:`,
    `${indent}    ${rng.pick(['data', 'batch', 'inputs', 'cfg'])}: ${rng.pick(['the raw inputs', 'one mini-batch', 'the run configuration'])}.`,
    `${indent}Returns:`,
    `${indent}    ${rng.pick(['the processed tensor', 'a dict of metrics', 'nothing; updates in place'])}.`,
    `${indent}"""`,
  ];
}

function comment(rng: Random, indent: string): string[] {
  return rng.chance(0.35) ? [`${indent}# ${rng.pick(COMMENTS)}`] : [];
}

// ---------------------------------------------------------------- PyTorch

// Every script imports what it uses (argparse, pandas, F, optim), in one of the usual spellings.
function torchImports(rng: Random): string[] {
  return [
    'import os',
    'import math',
    'import argparse',
    'import numpy as np',
    'import pandas as pd',
    'import torch',
    rng.pick(['import torch.nn as nn', 'from torch import nn']),
    'import torch.nn.functional as F',
    rng.pick(['from torch import optim', 'import torch.optim as optim']),
    'from torch.utils.data import DataLoader, TensorDataset',
  ];
}

function torchConfig(rng: Random, n: Names): { lines: string[]; lrExpr: string; epochsExpr: string } {
  const lr = rng.pick(LEARNING_RATES);
  const epochs = rng.int(3, 50);
  const style = rng.int(0, 3);
  if (style === 0) {
    return {
      lines: [
        '',
        'def parse_args():',
        '    parser = argparse.ArgumentParser(description="train a ' + n.noun + ' model")',
        `    parser.add_argument("--lr", type=float, default=${lr})`,
        `    parser.add_argument("--epochs", type=int, default=${epochs})`,
        `    parser.add_argument("--batch-size", type=int, default=${rng.pick([16, 32, 64, 128])})`,
        `    parser.add_argument("--hidden", type=int, default=${rng.pick([64, 128, 256, 512])})`,
        '    parser.add_argument("--data", type=str, default="data/train.csv")',
        '    return parser.parse_args()',
        '',
        '',
        'args = parse_args()',
      ],
      lrExpr: 'args.lr',
      epochsExpr: 'args.epochs',
    };
  }
  if (style === 1) {
    return {
      lines: [
        '',
        'CONFIG = {',
        `    "lr": ${lr},`,
        `    "epochs": ${epochs},`,
        `    "hidden_size": ${rng.pick([64, 128, 256])},`,
        `    "dropout": ${rng.pick(['0.1', '0.2', '0.3', '0.5'])},`,
        `    "weight_decay": ${rng.pick(['0.0', '1e-5', '1e-4', '0.01'])},`,
        '}',
      ],
      lrExpr: 'CONFIG["lr"]',
      epochsExpr: 'CONFIG["epochs"]',
    };
  }
  if (style === 2) {
    const name = rng.pick(['LR', 'LEARNING_RATE', 'BASE_LR']);
    return {
      lines: ['', `${name} = ${lr}`, `EPOCHS = ${epochs}`, `BATCH_SIZE = ${rng.pick([16, 32, 64])}`, 'SEED = 42'],
      lrExpr: name,
      epochsExpr: 'EPOCHS',
    };
  }
  return { lines: [], lrExpr: lr, epochsExpr: String(epochs) };
}

function torchData(rng: Random, n: Names): { lines: string[]; fn: string } {
  const fn = `${rng.pick(VERBS)}_${n.noun}_data`;
  const lines = ['', '', `def ${fn}(path, batch_size=32):`, ...docstring(rng, '    ', `Read the ${n.noun} table and wrap it in a DataLoader`)];
  if (rng.chance(0.5)) {
    lines.push(`    frame = pd.read_${rng.pick(['csv', 'parquet'])}(path)`);
    if (rng.chance(0.6)) lines.push(`    frame = frame.${rng.pick(['dropna()', 'fillna(0)', 'fillna(frame.mean())'])}`);
    lines.push('    features = frame.drop(columns=["label"]).values.astype(np.float32)');
    lines.push('    labels = frame["label"].values');
  } else {
    lines.push(`    features = np.random.randn(${rng.int(500, 5000)}, ${rng.int(8, 64)}).astype(np.float32)`);
    lines.push(`    labels = np.random.randint(0, ${rng.int(2, 20)}, size=len(features))`);
  }
  if (rng.chance(0.5)) {
    lines.push('    mean = features.mean(axis=0)');
    lines.push('    std = features.std(axis=0)');
    lines.push(rng.chance(0.5) ? '    features = (features - mean) / std' : '    features = (features - mean) / (std + 1e-8)');
  }
  lines.push(...comment(rng, '    '));
  lines.push('    dataset = TensorDataset(torch.from_numpy(features), torch.from_numpy(labels).long())');
  lines.push(`    return DataLoader(dataset, batch_size=batch_size, shuffle=${rng.pick(['True', 'False'])})`);
  return { lines, fn };
}

type TorchKind = 'lstm' | 'gru' | 'transformer' | 'mlp' | 'cnn';

function torchModel(rng: Random, n: Names, kind: TorchKind): string[] {
  const hidden = rng.pick([64, 128, 256, 512]);
  const classes = rng.int(2, 30);
  const inputs = rng.int(8, 300);
  const lines = ['', '', `class ${n.modelClass}(nn.Module):`, ...docstring(rng, '    ', `A ${kind} model for ${n.noun} data`)];
  lines.push(`    def __init__(self, input_size=${inputs}, hidden_size=${hidden}, num_classes=${classes}):`);
  lines.push('        super().__init__()');
  switch (kind) {
    case 'lstm':
    case 'gru': {
      const layer = kind === 'lstm' ? 'LSTM' : 'GRU';
      const bidirectional = rng.chance(0.4);
      lines.push(`        self.embedding = nn.Embedding(${rng.int(1000, 50000)}, input_size)`);
      lines.push(`        self.rnn = nn.${layer}(input_size, hidden_size, num_layers=${rng.int(1, 3)}, batch_first=True${bidirectional ? ', bidirectional=True' : ''})`);
      lines.push(`        self.dropout = nn.Dropout(${rng.pick(['0.1', '0.2', '0.3'])})`);
      lines.push(`        self.head = nn.Linear(hidden_size${bidirectional ? ' * 2' : ''}, num_classes)`);
      if (rng.chance(0.4)) {
        lines.push('        for name, param in self.rnn.named_parameters():');
        lines.push('            if "weight" in name:');
        lines.push('                nn.init.orthogonal_(param)');
      }
      lines.push('', '    def forward(self, x):');
      lines.push('        x = self.embedding(x)');
      lines.push('        out, _ = self.rnn(x)');
      lines.push('        out = self.dropout(out[:, -1, :])');
      lines.push(rng.chance(0.2) ? '        return torch.sigmoid(self.head(out))' : '        return self.head(out)');
      break;
    }
    case 'transformer': {
      const heads = rng.pick([2, 4, 8]);
      lines.push(`        self.proj = nn.Linear(input_size, hidden_size)`);
      lines.push(`        layer = nn.TransformerEncoderLayer(d_model=hidden_size, nhead=${heads}, batch_first=True)`);
      lines.push(`        self.encoder = nn.TransformerEncoder(layer, num_layers=${rng.int(1, 6)})`);
      lines.push('        self.norm = nn.LayerNorm(hidden_size)');
      lines.push('        self.head = nn.Linear(hidden_size, num_classes)');
      lines.push('', '    def forward(self, x, mask=None):');
      lines.push('        h = self.proj(x)');
      lines.push('        h = self.encoder(h, src_key_padding_mask=mask)');
      lines.push(`        h = self.norm(h.${rng.pick(['mean(dim=1)', 'max(dim=1).values', 'sum(dim=1)'])})`);
      lines.push('        return self.head(h)');
      break;
    }
    case 'mlp': {
      const act = rng.pick(['ReLU', 'GELU', 'Tanh', 'LeakyReLU']);
      lines.push('        self.layers = nn.Sequential(');
      lines.push('            nn.Linear(input_size, hidden_size),');
      lines.push(`            nn.${act}(),`);
      lines.push(`            nn.Dropout(${rng.pick(['0.1', '0.25', '0.5'])}),`);
      lines.push('            nn.Linear(hidden_size, hidden_size // 2),');
      lines.push(`            nn.${act}(),`);
      lines.push('            nn.Linear(hidden_size // 2, num_classes),');
      if (rng.chance(0.2)) lines.push(`            nn.${rng.pick(['Sigmoid()', 'Softmax(dim=1)'])},`);
      lines.push('        )');
      lines.push('', '    def forward(self, x):');
      lines.push('        return self.layers(x)');
      break;
    }
    case 'cnn': {
      lines.push(`        self.conv1 = nn.Conv2d(${rng.pick([1, 3])}, 32, kernel_size=3, padding=1)`);
      lines.push('        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, padding=1)');
      lines.push('        self.pool = nn.MaxPool2d(2)');
      lines.push('        self.bn = nn.BatchNorm2d(64)');
      lines.push('        self.fc = nn.Linear(64 * 8 * 8, num_classes)');
      lines.push('', '    def forward(self, x):');
      lines.push('        x = self.pool(F.relu(self.conv1(x)))');
      lines.push('        x = self.pool(F.relu(self.bn(self.conv2(x))))');
      lines.push('        x = torch.flatten(x, 1)');
      lines.push('        return self.fc(x)');
      break;
    }
  }
  return lines;
}

function torchOptimizer(rng: Random, n: Names, lrExpr: string): { lines: string[]; scheduler: boolean } {
  const sgd = rng.chance(0.25);
  const family = sgd ? 'SGD' : rng.pick(ADAPTIVE);
  const lr = sgd && rng.chance(0.5) ? rng.pick(SGD_RATES) : lrExpr;
  const ns = rng.pick(['torch.optim', 'optim']);
  const extra = sgd ? `, momentum=${rng.pick(['0.9', '0.95', '0.0'])}` : rng.chance(0.4) ? `, weight_decay=${rng.pick(['1e-5', '0.01'])}` : '';
  const positional = rng.chance(0.15);
  const scheduler = rng.chance(0.4);
  const lines = [
    '',
    `${n.model} = ${n.modelClass}().to(device)`,
    positional
      ? `${n.optimizer} = ${ns}.${family}(${n.model}.parameters(), ${lr}${extra})`
      : `${n.optimizer} = ${ns}.${family}(${n.model}.parameters(), lr=${lr}${extra})`,
  ];
  if (scheduler) {
    const schedule = rng.pick(['StepLR(OPT, step_size=10)', 'CosineAnnealingLR(OPT, T_max=100)', 'ExponentialLR(OPT, gamma=0.95)']);
    lines.push(`scheduler = torch.optim.lr_scheduler.${schedule.replace('OPT', n.optimizer)}`);
  }
  return { lines, scheduler };
}

function torchLoss(rng: Random): { lines: string[]; call: (out: string, y: string) => string } {
  const style = rng.int(0, 4);
  if (style === 0) return { lines: ['criterion = nn.CrossEntropyLoss()'], call: (o, y) => `criterion(${o}, ${y})` };
  if (style === 1) return { lines: [`criterion = nn.CrossEntropyLoss(label_smoothing=${rng.pick(['0.1', '0.05'])})`], call: (o, y) => `criterion(${o}, ${y})` };
  if (style === 2) return { lines: [], call: (o, y) => `F.cross_entropy(${o}, ${y})` };
  if (style === 3) return { lines: ['loss_fn = nn.NLLLoss()'], call: (o, y) => `loss_fn(torch.log_softmax(${o}, dim=1), ${y})` };
  return { lines: ['loss_fn = nn.MSELoss()'], call: (o, y) => `loss_fn(${o}.squeeze(-1), ${y}.float())` };
}

function torchTrainLoop(rng: Random, n: Names, epochsExpr: string, scheduler: boolean, call: (o: string, y: string) => string): string[] {
  const clip = rng.pick(['none', 'norm', 'value', 'before', 'none']);
  const amp = rng.chance(0.2);
  const fn = rng.chance(0.6);
  const lines: string[] = [''];
  if (fn) {
    lines.push('', `def train_epoch(${n.model}, ${n.loader}, ${n.optimizer}, epoch):`);
    lines.push(...docstring(rng, '    ', 'Run one epoch of training'));
    lines.push(`    ${n.model}.train()`, '    running = 0.0');
    lines.push(`    for step, (inputs, targets) in enumerate(${n.loader}):`);
  } else {
    if (amp) lines.push('scaler = torch.cuda.amp.GradScaler()');
    lines.push(`for epoch in range(${epochsExpr}):`, `    ${n.model}.train()`, '    running = 0.0');
    lines.push(`    for step, (inputs, targets) in enumerate(${n.loader}):`);
  }
  // The step body sits two levels deep either way: inside the function's loop, or the epoch and batch loops.
  const b = '        ';
  lines.push(`${b}inputs, targets = inputs.to(device), targets.to(device)`);
  if (rng.chance(0.9)) lines.push(`${b}${n.optimizer}.zero_grad(${rng.chance(0.3) ? 'set_to_none=True' : ''})`);
  if (amp && !fn) {
    lines.push(`${b}with torch.autocast("cuda", dtype=torch.${rng.pick(['float16', 'bfloat16'])}):`);
    lines.push(`${b}    outputs = ${n.model}(inputs)`);
    lines.push(`${b}    ${n.loss} = ${call('outputs', 'targets')}`);
    lines.push(`${b}scaler.scale(${n.loss}).backward()`);
    if (clip !== 'none') {
      if (rng.chance(0.6)) lines.push(`${b}scaler.unscale_(${n.optimizer})`);
      lines.push(`${b}torch.nn.utils.clip_grad_norm_(${n.model}.parameters(), max_norm=${rng.pick(['1.0', '0.5', '5.0'])})`);
    }
    lines.push(`${b}scaler.step(${n.optimizer})`, `${b}scaler.update()`);
  } else {
    if (clip === 'before') lines.push(`${b}nn.utils.clip_grad_norm_(${n.model}.parameters(), 1.0)`);
    lines.push(`${b}outputs = ${n.model}(inputs)`);
    lines.push(`${b}${n.loss} = ${call('outputs', 'targets')}`);
    lines.push(...comment(rng, b));
    lines.push(`${b}${n.loss}.backward()`);
    if (clip === 'norm') lines.push(`${b}torch.nn.utils.clip_grad_norm_(${n.model}.parameters(), max_norm=${rng.pick(['1.0', '0.5', '5.0', '2.0'])})`);
    if (clip === 'value') lines.push(`${b}nn.utils.clip_grad_value_(${n.model}.parameters(), clip_value=${rng.pick(['0.5', '1.0'])})`);
    lines.push(`${b}${n.optimizer}.step()`);
  }
  lines.push(`${b}running += ${n.loss}.item()`);
  lines.push(`${b}if step % ${rng.pick([10, 50, 100, 200])} == 0:`);
  lines.push(`${b}    print(f"epoch {epoch} step {step} loss {running / (step + 1):.4f}")`);
  if (fn) {
    lines.push(`    return running / max(len(${n.loader}), 1)`);
    lines.push('', '');
    lines.push(`for epoch in range(${epochsExpr}):`);
    lines.push(`    avg = train_epoch(${n.model}, ${n.loader}, ${n.optimizer}, epoch)`);
    lines.push('    print("epoch", epoch, "average loss", avg)');
  }
  if (scheduler) lines.push('    scheduler.step()');
  if (rng.chance(0.5)) lines.push(`    torch.save(${n.model}.state_dict(), os.path.join("checkpoints", f"epoch_{epoch}.pt"))`);
  return lines;
}

function torchEvaluate(rng: Random, n: Names): string[] {
  return [
    '',
    '',
    `@torch.no_grad()`,
    `def evaluate(${n.model}, loader):`,
    ...docstring(rng, '    ', 'Accuracy on a held-out loader'),
    `    ${n.model}.eval()`,
    '    correct, total = 0, 0',
    '    for inputs, targets in loader:',
    `        logits = ${n.model}(inputs.to(device))`,
    `        probs = ${rng.pick(['F.softmax(logits, dim=-1)', 'torch.softmax(logits, dim=1)', 'logits.softmax(-1)'])}`,
    ...(rng.chance(0.25) ? ['        entropy = -(probs * torch.log(probs)).sum(dim=-1).mean()'] : []),
    '        correct += (probs.argmax(dim=-1).cpu() == targets).sum().item()',
    '        total += targets.numel()',
    '    return correct / max(total, 1)',
  ];
}

function torchScript(rng: Random): string[] {
  const n = names(rng);
  const kind = rng.pick<TorchKind>(['lstm', 'gru', 'transformer', 'mlp', 'cnn', 'lstm', 'mlp']);
  const config = torchConfig(rng, n);
  const loss = torchLoss(rng);
  const optimizer = torchOptimizer(rng, n, config.lrExpr);
  const samples = rng.int(256, 4096);
  const data = torchData(rng, n);
  const lines = [
    ...(rng.chance(0.5) ? [`"""Train a ${kind} ${n.modelClass} on the ${n.noun} dataset."""`, ''] : []),
    ...torchImports(rng),
    ...config.lines,
    '',
    'device = torch.device("cuda" if torch.cuda.is_available() else "cpu")',
    `torch.manual_seed(${rng.int(0, 9999)})`,
    ...data.lines,
    ...torchModel(rng, n, kind),
    ...(rng.chance(0.5) ? helperFunctions(rng, 'torch') : []),
    '',
    '',
    rng.chance(0.5)
      ? `${n.loader} = DataLoader(TensorDataset(torch.randn(${samples}, ${rng.int(8, 64)}), torch.randint(0, 4, (${samples},))), batch_size=32)`
      : `${n.loader} = ${data.fn}(os.environ.get("DATA", "data/train.csv"))`,
    ...optimizer.lines,
    ...loss.lines,
    ...torchTrainLoop(rng, n, config.epochsExpr, optimizer.scheduler, loss.call),
    ...torchEvaluate(rng, n),
  ];
  if (rng.chance(0.5)) lines.push('', '', 'if __name__ == "__main__":', `    print("validation accuracy", evaluate(${n.model}, ${n.loader}))`);
  return lines;
}

// ---------------------------------------------------------------- Keras / TensorFlow

function kerasImports(rng: Random): string[] {
  const style = rng.int(0, 2);
  const lines = ['import math', 'import numpy as np'];
  if (rng.chance(0.5)) lines.push('import pandas as pd');
  if (style === 0) lines.push('import tensorflow as tf', 'from tensorflow import keras', 'from tensorflow.keras import layers');
  else if (style === 1) lines.push('import tensorflow as tf', 'from tensorflow.keras.layers import Dense, LSTM, GRU, Dropout, Embedding, Input');
  else lines.push('import keras', 'from keras import layers', 'import tensorflow as tf');
  return lines;
}

function denseCall(imports: string[]): string {
  return imports.some((l) => l.includes('import Dense')) ? 'Dense' : 'layers.Dense';
}

function kerasModel(rng: Random, imports: string[], n: Names): { lines: string[]; classes: number } {
  const dense = denseCall(imports);
  const direct = dense === 'Dense';
  const layer = (name: string) => (direct ? name : `layers.${name}`);
  const classes = rng.pick([1, 2, 5, 10, 20, 100]);
  const kind = rng.pick(['lstm', 'gru', 'mlp', 'mlp', 'attention']);
  const outAct = classes === 1 ? 'sigmoid' : rng.chance(0.2) ? 'sigmoid' : rng.chance(0.5) ? 'softmax' : null;
  const out = `${dense}(${classes}${outAct === null ? '' : `, activation="${outAct}"`})`;
  const lines: string[] = [];
  if (kind === 'attention') {
    const mha = direct ? 'tf.keras.layers.MultiHeadAttention' : 'layers.MultiHeadAttention';
    lines.push(
      '',
      `inputs = ${direct ? 'Input' : 'keras.Input'}(shape=(${rng.int(16, 256)}, ${rng.int(8, 128)}))`,
      `attn = ${mha}(num_heads=${rng.pick([2, 4, 8])}, key_dim=${rng.pick([16, 32, 64])})(inputs, inputs)`,
      `x = ${direct ? 'tf.keras.layers.GlobalAveragePooling1D' : 'layers.GlobalAveragePooling1D'}()(attn)`,
      `x = ${dense}(${rng.pick([64, 128])}, activation="${rng.pick(ACTIVATIONS)}")(x)`,
      `outputs = ${out}(x)`,
      `${n.model} = ${direct ? 'tf.keras.Model' : 'keras.Model'}(inputs, outputs)`,
    );
    return { lines, classes };
  }
  lines.push('', `${n.model} = ${direct || rng.chance(0.5) ? 'tf.keras.Sequential' : 'keras.Sequential'}([`);
  if (kind !== 'mlp') {
    lines.push(`    ${layer('Embedding')}(${rng.int(1000, 30000)}, ${rng.pick([32, 64, 128])}),`);
    const rnn = kind === 'lstm' ? 'LSTM' : 'GRU';
    if (rng.chance(0.4)) lines.push(`    ${layer(rnn)}(${rng.pick([32, 64, 128])}, return_sequences=True),`);
    lines.push(`    ${layer(rnn)}(${rng.pick([32, 64, 128])}),`);
  } else {
    lines.push(`    ${dense}(${rng.pick([64, 128, 256])}, activation="${rng.pick(ACTIVATIONS)}", input_shape=(${rng.int(4, 200)},)),`);
    if (rng.chance(0.6)) lines.push(`    ${layer('Dropout')}(${rng.pick(['0.2', '0.3', '0.5'])}),`);
    lines.push(`    ${dense}(${rng.pick([32, 64])}, activation="${rng.pick(ACTIVATIONS)}"),`);
  }
  lines.push(`    ${out},`, '])');
  return { lines, classes };
}

function kerasCompileFit(rng: Random, n: Names, classes: number): string[] {
  const family = rng.pick(KERAS_OPTIMIZERS);
  const lr = family === 'SGD' ? rng.pick(SGD_RATES) : rng.pick(LEARNING_RATES);
  const clip = rng.chance(0.35) ? `, ${rng.pick(['clipnorm', 'clipvalue', 'global_clipnorm'])}=${rng.pick(['1.0', '0.5'])}` : '';
  const ns = rng.pick(['tf.keras.optimizers', 'keras.optimizers']);
  const lrName = rng.chance(0.15) ? 'lr' : 'learning_rate';
  const loss =
    classes === 1
      ? rng.pick(['"binary_crossentropy"', 'tf.keras.losses.BinaryCrossentropy()'])
      : rng.pick(['"sparse_categorical_crossentropy"', '"categorical_crossentropy"', 'tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)', '"mse"']);
  const stringOpt = rng.chance(0.2);
  const lines = [''];
  if (!stringOpt) lines.push(`${n.optimizer} = ${ns}.${family}(${lrName}=${lr}${clip})`);
  lines.push(`${n.model}.compile(optimizer=${stringOpt ? '"adam"' : n.optimizer}, loss=${loss}, metrics=["accuracy"])`);
  lines.push(...comment(rng, ''));
  if (rng.chance(0.4)) {
    lines.push('callbacks = [', `    tf.keras.callbacks.EarlyStopping(patience=${rng.int(2, 10)}, restore_best_weights=True),`, '    tf.keras.callbacks.ReduceLROnPlateau(factor=0.5),', ']');
  }
  lines.push(`history = ${n.model}.fit(x_train, y_train, epochs=${rng.int(3, 100)}, batch_size=${rng.pick([32, 64, 128, 256])}, validation_split=${rng.pick(['0.1', '0.2'])}${lines.some((l) => l.startsWith('callbacks')) ? ', callbacks=callbacks' : ''})`);
  lines.push(`print("final val loss", history.history["val_loss"][-1])`);
  return lines;
}

function kerasData(rng: Random, n: Names, imports: string[]): string[] {
  const pandas = imports.includes('import pandas as pd');
  const lines = [''];
  if (pandas && rng.chance(0.7)) {
    lines.push(`frame = pd.read_${rng.pick(['csv', 'csv', 'parquet'])}("data/${n.noun}.${rng.pick(['csv', 'parquet'])}")`);
    if (rng.chance(0.6)) lines.push(rng.pick(['frame = frame.dropna()', 'frame = frame.fillna(0)', 'frame["age"] = frame["age"].fillna(frame["age"].median())']));
    lines.push('x_train = frame.drop(columns=["target"]).to_numpy(dtype="float32")', 'y_train = frame["target"].to_numpy()');
  } else {
    lines.push(`x_train = np.random.rand(${rng.int(500, 10000)}, ${rng.int(4, 200)}).astype("float32")`, `y_train = np.random.randint(0, ${rng.int(2, 10)}, size=(len(x_train),))`);
  }
  if (rng.chance(0.4)) lines.push(rng.chance(0.5) ? 'x_train = (x_train - x_train.mean(axis=0)) / x_train.std(axis=0)' : 'x_train = (x_train - x_train.mean(axis=0)) / (x_train.std(axis=0) + 1e-7)');
  return lines;
}

function gradientTapeLoop(rng: Random, n: Names): string[] {
  const clip = rng.chance(0.5);
  const lossName = rng.pick(['loss_fn', 'loss_object', 'criterion']);
  return [
    '',
    `${lossName} = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=${rng.pick(['True', 'False'])})`,
    `${n.optimizer} = tf.keras.optimizers.${rng.pick(['Adam', 'RMSprop', 'SGD'])}(learning_rate=${rng.pick(LEARNING_RATES)})`,
    `dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1024).batch(${rng.pick([32, 64])})`,
    '',
    '',
    '@tf.function',
    'def train_step(x, y):',
    ...docstring(rng, '    ', 'One optimisation step under a gradient tape'),
    '    with tf.GradientTape() as tape:',
    `        logits = ${n.model}(x, training=True)`,
    `        loss_value = ${lossName}(y, logits)`,
    `    grads = tape.gradient(loss_value, ${n.model}.trainable_variables)`,
    ...(clip ? [`    grads, _ = tf.clip_by_global_norm(grads, ${rng.pick(['1.0', '5.0'])})`] : []),
    `    ${n.optimizer}.apply_gradients(zip(grads, ${n.model}.trainable_variables))`,
    '    return loss_value',
    '',
    '',
    `for epoch in range(${rng.int(2, 30)}):`,
    '    for step, (xb, yb) in enumerate(dataset):',
    '        value = train_step(xb, yb)',
    `        if step % ${rng.pick([50, 100])} == 0:`,
    '            tf.print("epoch", epoch, "step", step, "loss", value)',
  ];
}

function kerasScript(rng: Random): string[] {
  const n = names(rng);
  const imports = kerasImports(rng);
  const model = kerasModel(rng, imports, n);
  const lines = [
    ...(rng.chance(0.5) ? [`"""Keras training script for ${n.noun} ${model.classes === 1 ? 'binary' : 'multi-class'} prediction."""`, ''] : []),
    ...imports,
    '',
    `tf.random.set_seed(${rng.int(0, 9999)})`,
    ...kerasData(rng, n, imports),
    ...model.lines,
  ];
  if (rng.chance(0.3)) lines.push(...gradientTapeLoop(rng, n));
  else lines.push(...kerasCompileFit(rng, n, model.classes));
  if (rng.chance(0.4)) lines.push(...helperFunctions(rng, 'tf'));
  return lines;
}

// ---------------------------------------------------------------- notebooks, helpers, utilities

function notebookScript(rng: Random): string[] {
  const n = names(rng);
  const torchFlavour = rng.chance(0.5);
  const lines = ['# In[1]:', '', 'import pandas as pd', 'import numpy as np'];
  lines.push(...(torchFlavour ? ['import torch', 'import torch.nn as nn'] : ['import tensorflow as tf']));
  lines.push('', '# In[2]:', '', `df = pd.read_csv("${n.noun}_export.csv")`, 'df.head()', '', '# In[3]:', '');
  if (rng.chance(0.5)) lines.push('df.isna().sum()', 'df = df.dropna()');
  lines.push(`features = [c for c in df.columns if c not in ("id", "target")]`, 'X = df[features].values.astype("float32")', 'y = df["target"].values');
  lines.push(rng.chance(0.5) ? 'X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))' : 'X = (X - X.mean(0)) / (X.std(0) + 1e-6)');
  lines.push('', '# In[4]:', '');
  if (torchFlavour) {
    const rnn = rng.chance(0.5);
    const width = rng.pick([32, 64, 128]);
    lines.push(
      `${n.model} = nn.Sequential(nn.Linear(X.shape[1], ${width}), nn.ReLU(), nn.Linear(${width}, ${rng.int(2, 10)}))`,
      ...(rnn ? [`encoder = nn.${rng.pick(['LSTM', 'GRU'])}(X.shape[1], 64, batch_first=True)`] : []),
      `${n.optimizer} = torch.optim.${rng.pick(ADAPTIVE)}(${n.model}.parameters(), lr=${rng.pick(LEARNING_RATES)})`,
      'loss_fn = nn.CrossEntropyLoss()',
      'xt, yt = torch.tensor(X), torch.tensor(y).long()',
      '',
      '# In[5]:',
      '',
      `for epoch in range(${rng.int(5, 200)}):`,
      `    ${n.optimizer}.zero_grad()`,
      `    loss = loss_fn(${n.model}(xt), yt)`,
      '    loss.backward()',
      ...(rng.chance(0.4) ? [`    torch.nn.utils.clip_grad_norm_(${n.model}.parameters(), 1.0)`] : []),
      `    ${n.optimizer}.step()`,
      `    if epoch % ${rng.pick([5, 10, 20])} == 0:`,
      '        print(epoch, loss.item())',
    );
  } else {
    lines.push(
      `${n.model} = tf.keras.Sequential([tf.keras.layers.Dense(${rng.pick([32, 64])}, activation="relu"), tf.keras.layers.Dense(${rng.int(2, 10)}, activation="${rng.pick(['softmax', 'sigmoid'])}")])`,
      `${n.model}.compile(optimizer=tf.keras.optimizers.Adam(${rng.pick(LEARNING_RATES)}), loss="sparse_categorical_crossentropy")`,
      '',
      '# In[5]:',
      '',
      `${n.model}.fit(X, y, epochs=${rng.int(5, 50)}, verbose=0)`,
      `${n.model}.evaluate(X, y)`,
    );
  }
  return lines;
}

function helperFunctions(rng: Random, flavour: 'torch' | 'tf'): string[] {
  const lines: string[] = [];
  const count = rng.int(1, 3);
  for (const pick of rng.shuffle([0, 1, 2, 3, 4, 5]).slice(0, count)) {
    lines.push('', '');
    if (pick === 0) {
      lines.push('def set_seed(seed):', ...docstring(rng, '    ', 'Make runs repeatable'), '    np.random.seed(seed)');
      lines.push(flavour === 'torch' ? '    torch.manual_seed(seed)' : '    tf.random.set_seed(seed)');
    } else if (pick === 1) {
      lines.push('def count_parameters(module):', '    return sum(p.numel() for p in module.parameters() if p.requires_grad)');
    } else if (pick === 2) {
      lines.push(
        'class AverageMeter:',
        ...docstring(rng, '    ', 'Keeps a running average of a scalar'),
        '    def __init__(self):',
        '        self.total = 0.0',
        '        self.count = 0',
        '',
        '    def update(self, value, n=1):',
        '        self.total += value * n',
        '        self.count += n',
        '',
        '    @property',
        '    def avg(self):',
        '        return self.total / self.count if self.count else 0.0',
      );
    } else if (pick === 3) {
      lines.push(
        `def ${rng.pick(VERBS)}_standardized(values, eps=${rng.pick(['1e-8', '1e-6', '1e-5'])}):`,
        '    values = np.asarray(values, dtype=np.float64)',
        '    centered = values - values.mean()',
        rng.chance(0.5) ? '    return centered / values.std()' : '    return centered / (values.std() + eps)',
      );
    } else if (pick === 4) {
      lines.push(
        'def cosine_warmup(step, warmup=1000, total=100000):',
        '    if step < warmup:',
        '        return step / warmup',
        '    progress = (step - warmup) / max(1, total - warmup)',
        '    return 0.5 * (1.0 + math.cos(math.pi * progress))',
      );
    } else {
      lines.push(
        'def save_metrics(path, **metrics):',
        '    import json',
        '    with open(path, "w") as handle:',
        '        json.dump({k: float(v) for k, v in metrics.items()}, handle, indent=2)',
      );
    }
  }
  return lines;
}

function utilityModule(rng: Random): string[] {
  const n = names(rng);
  const flavour = rng.chance(0.5) ? 'torch' : 'tf';
  return [
    `"""Shared utilities for the ${n.noun} experiments."""`,
    '',
    'import math',
    'import numpy as np',
    flavour === 'torch' ? 'import torch' : 'import tensorflow as tf',
    '',
    `DEFAULTS = {"seed": ${rng.int(0, 999)}, "eps": ${rng.pick(['1e-8', '1e-6'])}, "max_len": ${rng.pick([128, 256, 512])}}`,
    ...helperFunctions(rng, flavour),
    '',
    '',
    `class ${n.modelClass}Config:`,
    ...docstring(rng, '    ', 'Hyper-parameters in one place'),
    `    learning_rate = ${rng.pick(LEARNING_RATES)}`,
    `    batch_size = ${rng.pick([16, 32, 64])}`,
    `    hidden = ${rng.pick([128, 256])}`,
    '',
    '    def as_dict(self):',
    '        return {k: getattr(self, k) for k in dir(self) if not k.startswith("_") and k != "as_dict"}',
  ];
}

const BUILDERS: ReadonlyArray<{ weight: number; dir: string; build: (rng: Random) => string[] }> = [
  { weight: 5, dir: 'torch', build: torchScript },
  { weight: 4, dir: 'keras', build: kerasScript },
  { weight: 2, dir: 'notebooks', build: notebookScript },
  { weight: 1, dir: 'utils', build: utilityModule },
];

function pickBuilder(rng: Random): { dir: string; build: (rng: Random) => string[] } {
  const total = BUILDERS.reduce((s, b) => s + b.weight, 0);
  let roll = rng.next() * total;
  for (const b of BUILDERS) {
    roll -= b.weight;
    if (roll < 0) return b;
  }
  return BUILDERS[0] as (typeof BUILDERS)[number];
}

/**
 * About `targetLinesPerFile` lines per file: one generated script is usually 50–110 lines, so scripts are
 * concatenated (as a module of several experiments) until the file reaches the target.
 */
export function generateFile(rng: Random, index: number, targetLinesPerFile = 100): CorpusFile {
  const builder = pickBuilder(rng);
  const lines = builder.build(rng);
  while (lines.length < targetLinesPerFile * 0.8) {
    lines.push('', '', `# ---- experiment ${rng.int(2, 99)} ----`, '');
    lines.push(...pickBuilder(rng).build(rng));
  }
  return { path: `${builder.dir}/${builder.dir === 'utils' ? 'helpers' : 'train'}_${String(index).padStart(4, '0')}.py`, text: lines.join('\n') + '\n' };
}

/** Files of ~`linesPerFile` lines until the corpus holds at least `totalLines` lines. Same seed, same corpus. */
export function generateCorpus(options: { seed: number; totalLines: number; linesPerFile?: number }): CorpusFile[] {
  const rng = new Random(options.seed);
  const files: CorpusFile[] = [];
  let lines = 0;
  while (lines < options.totalLines) {
    const file = generateFile(rng, files.length, options.linesPerFile ?? 100);
    files.push(file);
    lines += countLines(file.text);
  }
  return files;
}

export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') || text.length === 0 ? n : n + 1;
}
