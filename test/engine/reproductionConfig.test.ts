import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTrainingConfig } from '../../server/src/engine';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function extract(text: string, line?: number) {
  const config = extractTrainingConfig(text, 'train.py', undefined, line === undefined ? {} : { line });
  if (!config) throw new Error('no configuration extracted');
  return config;
}

describe('extractTrainingConfig', () => {
  it('reads an LSTM step with Adam at lr 0.01 from argparse, with the lines the values came from', () => {
    const config = extract(readFileSync(join(EXAMPLES, 'lstm_seq2seq.py'), 'utf8'));
    expect(config.framework).toBe('pytorch');
    expect(config.model).toEqual({ value: 'lstm', line: 20, assumed: false });
    expect(config.optimizer.value).toBe('adam');
    expect(config.learningRate).toEqual({ value: 0.01, line: 32, assumed: false });
    expect(config.batchSize.value).toBe(16);
    expect(config.clip.value.placement).toBe('none');
    expect(config.findings.sort()).toEqual(['NAN201', 'NAN301']);
  });

  it('marks values it could not find as assumed, with the default used', () => {
    const config = extract('import torch\nrnn = torch.nn.GRU(4, 64)\nopt = torch.optim.SGD(rnn.parameters(), lr=1.0)\nfor x in data:\n    opt.zero_grad()\n    rnn(x)[0].sum().backward()\n    opt.step()\n');
    expect(config.model.value).toBe('gru');
    expect(config.hidden).toEqual({ value: 64, line: 2, assumed: false });
    expect(config.sequenceLength).toEqual({ value: 20, line: null, assumed: true });
    expect(config.zeroGrad).toEqual({ value: true, line: 5, assumed: false });
  });

  it('sees a clip placed before backward and its max_norm', () => {
    const config = extract(readFileSync(join(EXAMPLES, 'transformer_clip_before_backward.py'), 'utf8'));
    expect(config.model.value).toBe('attention');
    expect(config.clip.value).toEqual({ kind: 'norm', maxValue: 1, placement: 'before-backward' });
  });

  it('reads a Keras classifier with a sigmoid output and categorical loss', () => {
    const config = extract(readFileSync(join(EXAMPLES, 'keras_multiclass_sigmoid.py'), 'utf8'));
    expect(config.framework).toBe('keras');
    expect(config.outputActivation.value).toBe('sigmoid');
    expect(config.outputUnits.value).toBe(10);
    expect(config.loss.value).toBe('keras_categorical_crossentropy');
    expect(config.batchSize.value).toBe(128);
  });

  it('picks the training step nearest the requested line', () => {
    const text = 'import torch\nm = torch.nn.Linear(4, 1)\na = torch.optim.Adam(m.parameters(), lr=1e-3)\nb = torch.optim.SGD(m.parameters(), lr=2.0)\n';
    expect(extract(text, 4).optimizer.value).toBe('sgd');
    expect(extract(text, 3).optimizer.value).toBe('adam');
  });

  it('returns null for a file that trains nothing', () => {
    expect(extractTrainingConfig('print("hello")\n', 'x.py')).toBeNull();
  });
});
