/** Training configurations as the engine would extract them from the example files of each scenario. */
import type { Sourced, TrainingConfig } from '../../server/src/protocol/reproduce';

function found<T>(value: T, line: number): Sourced<T> {
  return { value, line, assumed: false };
}

function assumed<T>(value: T): Sourced<T> {
  return { value, line: null, assumed: true };
}

function base(): TrainingConfig {
  return {
    framework: 'pytorch',
    model: assumed('lstm'),
    hidden: assumed(32),
    sequenceLength: assumed(20),
    batchSize: assumed(32),
    inputFeatures: assumed(1),
    outputUnits: assumed(1),
    outputActivation: assumed('linear'),
    loss: assumed('mse'),
    optimizer: assumed('Adam'),
    learningRate: assumed(1e-3),
    clip: assumed({ kind: null, maxValue: null, placement: 'none' }),
    zeroGrad: assumed(true),
    divisionWithoutEpsilon: assumed(false),
    missingValuesUnchecked: assumed(false),
    findings: [],
  };
}

/** `loss = -(y * torch.log(torch.softmax(logits, 1))).sum(1).mean()` with Adam(lr=1.0). */
export function handwrittenLogSoftmax(learningRate = 1.0): TrainingConfig {
  return {
    ...base(),
    model: found('mlp-classifier', 8),
    hidden: found(64, 8),
    inputFeatures: found(20, 8),
    outputUnits: found(10, 9),
    batchSize: found(64, 20),
    loss: found('handwritten_log_softmax', 27),
    optimizer: found('Adam', 22),
    learningRate: found(learningRate, 22),
    findings: ['NAN103'],
  };
}

/** `X = (X - X.mean(0)) / X.std(0)` on a frame whose first column is constant. */
export function constantColumnStd(): TrainingConfig {
  return {
    ...base(),
    model: found('tabular-regression', 12),
    hidden: found(32, 12),
    inputFeatures: found(8, 12),
    batchSize: found(64, 18),
    optimizer: found('SGD', 15),
    learningRate: found(0.01, 15),
    divisionWithoutEpsilon: found(true, 9),
    findings: ['NAN401'],
  };
}

/** Unnormalised regression where `clip_grad_norm_(..., 1.0)` is called before `loss.backward()`. */
export function clipBeforeBackward(): TrainingConfig {
  return {
    ...base(),
    model: found('tabular-regression', 10),
    hidden: found(32, 10),
    inputFeatures: found(8, 10),
    batchSize: found(64, 16),
    optimizer: found('SGD', 14),
    learningRate: found(0.01, 14),
    clip: found({ kind: 'norm', maxValue: 1.0, placement: 'before-backward' }, 21),
    zeroGrad: found(true, 19),
    findings: ['NAN202'],
  };
}

/** A small LSTM seq2seq trained with Adam(lr=0.01) and no clipping. */
export function adamLstm(): TrainingConfig {
  return {
    ...base(),
    model: found('lstm', 7),
    hidden: found(32, 7),
    sequenceLength: found(20, 30),
    batchSize: found(32, 31),
    optimizer: found('Adam', 40),
    learningRate: found(0.01, 40),
    findings: ['NAN201', 'NAN301'],
  };
}

/** An LSTM trained with SGD(lr=1.0) and no clipping. */
export function sgdLstm(): TrainingConfig {
  return { ...adamLstm(), optimizer: found('SGD', 40), learningRate: found(1.0, 40), findings: ['NAN201'] };
}

/** Sigmoid outputs with a hand-written `y*log(p) + (1-y)*log(1-p)` and Adam(lr=0.1). */
export function sigmoidHandwrittenBce(): TrainingConfig {
  return {
    ...handwrittenLogSoftmax(0.1),
    outputUnits: found(1, 9),
    outputActivation: found('sigmoid', 9),
    loss: found('handwritten_bce', 27),
  };
}

/** A tabular frame loaded with `pd.read_csv` and no missing-value handling. */
export function missingValues(): TrainingConfig {
  return { ...constantColumnStd(), divisionWithoutEpsilon: assumed(false), missingValuesUnchecked: found(true, 5), findings: ['NAN402'] };
}
