import type { LintConfig } from './config';
import type { TrainingFacts } from './facts/facts';
import type { OptimizerFact } from './facts/optimizers';
import { outputLayers } from './facts/outputs';
import { recurrentLayerFor } from './facts/recurrence';
import type { TrainingStep } from './facts/trainingSteps';
import { analyse, lintAnalysis } from './linter';
import type { SyntaxNode } from './parse/tree';
import type { SemanticModel } from './semantic/model';
import type { LineIndex } from './positions';
import type { ClipPlacement, LossKind, ModelFamily, Sourced, TrainingConfig } from '../protocol/reproduce';
import { NAME } from './semantic/identifiers';

export interface ExtractOptions {
  /** 1-based line: pick the training step or optimizer nearest to it. */
  line?: number;
}

/** Findings whose mechanism a sample scenario demonstrates and whose fixes it applies (reproduce.md's table). */
export const REPRODUCIBLE_CODES: ReadonlySet<string> = new Set(['NAN101', 'NAN102', 'NAN103', 'NAN104', 'NAN201', 'NAN202', 'NAN203', 'NAN301', 'NAN401', 'NAN402']);

const FAMILY_OF_LAYER: Record<string, ModelFamily> = {
  LSTM: 'lstm', LSTMCell: 'lstm', CuDNNLSTM: 'lstm', ConvLSTM2D: 'lstm', Bidirectional: 'lstm',
  GRU: 'gru', GRUCell: 'gru', CuDNNGRU: 'gru',
  RNN: 'rnn', RNNCell: 'rnn', SimpleRNN: 'rnn', SimpleRNNCell: 'rnn',
};

/** What the training code of a file amounts to: the sample model the reproduction runner trains. */
interface Anchor {
  framework: TrainingConfig['framework'];
  optimizer: OptimizerFact | undefined;
  step: TrainingStep | undefined;
  node: SyntaxNode | null;
}

/**
 * Reads the numbers a reproduction needs from the file's training facts: each value carries the line
 * it came from, or is marked assumed with the default used. Null when the file trains nothing and has
 * no finding the runner can reproduce.
 */
export function extractTrainingConfig(text: string, _path: string, config?: Partial<LintConfig>, options: ExtractOptions = {}): TrainingConfig | null {
  const analysis = analyse(text);
  const { model, facts, lines } = analysis;
  const lineOf = (node: SyntaxNode | null | undefined): number | null => (node ? lines.rowColumn(node.startIndex).row : null);
  const found = <T>(value: T, node: SyntaxNode | null | undefined): Sourced<T> => ({ value, line: lineOf(node), assumed: false });
  const assumed = <T>(value: T): Sourced<T> => ({ value, line: null, assumed: true });
  const numberAt = (node: SyntaxNode | null | undefined): Sourced<number> | null => {
    const value = node ? model.constantValue(node) : null;
    return value && typeof value.value === 'number' ? found(value.value, node) : null;
  };

  const violations = lintAnalysis(analysis, config).violations;
  const findings = [...new Set(violations.map((violation) => violation.code).filter((code) => REPRODUCIBLE_CODES.has(code)))];
  const anchor = chooseAnchor(facts, lines, options.line);
  if (!anchor.node && findings.length === 0) return null;

  const models = anchor.optimizer?.parameters ? facts.modelsOf(anchor.optimizer.parameters) : facts.compiles.find((compile) => compile.optimizer === anchor.optimizer)?.models ?? [];
  const layerFramework = anchor.framework === 'pytorch' ? 'pytorch' : 'keras';
  const recurrentClass = recurrentLayerFor(facts, models, layerFramework);
  const recurrentLayer = recurrentClass ? facts.layers.find((layer) => layer.className === recurrentClass && layer.framework === layerFramework) : undefined;
  const outputs = outputLayers(model, facts);
  const output = outputs.find((candidate) => models.length === 0 || models.includes(candidate.model)) ?? outputs[0];
  const classifierFinding = findings.some((code) => ['NAN101', 'NAN102', 'NAN103', 'NAN104'].includes(code));

  const violationAnchors = violations.map((violation) => ({ code: violation.code, anchor: text.slice(violation.start, violation.end) }));
  const provisionalLoss = lossOf(facts, violationAnchors, true, 'linear', found, assumed);
  const classificationLoss = !provisionalLoss.assumed && provisionalLoss.value !== 'mse';
  let family: Sourced<ModelFamily>;
  if (recurrentClass && recurrentLayer) {
    family = found(FAMILY_OF_LAYER[recurrentClass] ?? 'attention', recurrentLayer.call.node);
  } else if (classifierFinding || classificationLoss || (output?.activation && output.activation.name !== 'linear')) {
    family = found<ModelFamily>('mlp-classifier', output?.layer.call.node ?? anchor.node);
  } else {
    family = anchor.node ? found<ModelFamily>('tabular-regression', anchor.node) : assumed<ModelFamily>('tabular-regression');
  }

  const recurrentHidden = recurrentLayer
    ? numberAt(recurrentLayer.framework === 'pytorch' ? (recurrentLayer.call.keyword('hidden_size') ?? recurrentLayer.call.positional[1]) : (recurrentLayer.call.keyword('units') ?? recurrentLayer.call.positional[0]))
    : null;
  const outputInput = output?.framework === 'pytorch' ? numberAt(output.layer.call.keyword('in_features') ?? output.layer.call.positional[0]) : null;
  const isClassifier = family.value === 'mlp-classifier';
  const outputUnits = output?.units !== null && output?.units !== undefined ? found(output.units, output.layer.call.node) : assumed(isClassifier ? 10 : 1);
  const activationName = output?.activation?.name;
  const outputActivation =
    activationName === 'sigmoid' || activationName === 'softmax' ? found<'sigmoid' | 'softmax' | 'linear'>(activationName, output?.activation?.node) : assumed<'sigmoid' | 'softmax' | 'linear'>('linear');

  const learningRate = anchor.optimizer?.learningRate ? numberAt(anchor.optimizer.learningRate) : null;
  const optimizerName = anchor.optimizer ? found(anchor.optimizer.family, anchor.optimizer.node) : assumed('adam');

  return {
    framework: anchor.framework,
    model: family,
    hidden: recurrentHidden ?? outputInput ?? assumed(32),
    sequenceLength: namedConstant(model, lines, /^(?:seq(?:uence)?_?len(?:gth)?|max_?len|bptt|window|time_?steps)$/i) ?? assumed(20),
    batchSize: batchSizeOf(model, facts, numberAt) ?? assumed(32),
    inputFeatures: namedConstant(model, lines, /^(?:input_?(?:size|dim|features)|n_?features|num_?features|in_?features)$/i) ?? assumed(8),
    outputUnits,
    outputActivation,
    loss: lossOf(facts, violationAnchors, isClassifier, outputActivation.value, found, assumed),
    optimizer: optimizerName,
    learningRate: learningRate ?? assumed(defaultLearningRate(anchor.optimizer)),
    clip: clipOf(model, anchor, found, assumed),
    zeroGrad: anchor.step
      ? anchor.step.calls.some((call) => call.kind === 'zero_grad') || facts.gradientResets.some((reset) => reset.start >= anchor.step!.region.start && reset.start < anchor.step!.region.end)
        ? found(true, anchor.step.calls.find((call) => call.kind === 'zero_grad')?.call.node ?? anchor.step.step.node)
        : found(false, anchor.step.backward.node)
      : assumed(true),
    divisionWithoutEpsilon: findingFlag(violations, 'NAN401', lines),
    missingValuesUnchecked: findingFlag(violations, 'NAN402', lines),
    findings,
  };
}

function chooseAnchor(facts: TrainingFacts, lines: LineIndex, line: number | undefined): Anchor {
  const candidates: Anchor[] = [
    ...facts.trainingSteps.map((step) => ({ framework: 'pytorch' as const, optimizer: step.optimizer, step, node: step.step.node })),
    ...facts.tapeSteps.map((tape) => ({ framework: 'tensorflow' as const, optimizer: tape.optimizer, step: undefined, node: tape.apply.node })),
    ...facts.compiles.map((compile) => ({ framework: 'keras' as const, optimizer: compile.optimizer, step: undefined, node: compile.call.node })),
    ...facts.optimizers.map((optimizer) => ({ framework: optimizer.framework, optimizer, step: undefined, node: optimizer.node })),
  ];
  if (candidates.length === 0) return { framework: 'pytorch', optimizer: undefined, step: undefined, node: null };
  if (line === undefined) return candidates[0]!;
  const distance = (anchor: Anchor): number => {
    const nodes = [anchor.node, anchor.optimizer?.node, anchor.step?.backward.node].filter((node): node is SyntaxNode => Boolean(node));
    return Math.min(...nodes.map((node) => Math.abs(lines.rowColumn(node.startIndex).row - line)));
  };
  return candidates.reduce((best, candidate) => (distance(candidate) < distance(best) ? candidate : best));
}

const INTEGER_CONSTANT = new RegExp(String.raw`^[ \t]*(${NAME})[ \t]*=[ \t]*([0-9][0-9_]*)[ \t]*(?:#.*)?$`, 'gmu');

/** A module- or function-level constant whose name says what it is (`SEQ_LEN = 35`). */
function namedConstant(model: SemanticModel, lines: LineIndex, name: RegExp): Sourced<number> | null {
  for (const match of model.text.matchAll(INTEGER_CONSTANT)) {
    if (!name.test(match[1]!)) continue;
    const value = Number.parseInt(match[2]!.replace(/_/g, ''), 10);
    if (Number.isFinite(value) && value > 0) return { value, line: lines.rowColumn(match.index).row, assumed: false };
  }
  return null;
}

function batchSizeOf(model: SemanticModel, facts: TrainingFacts, numberAt: (node: SyntaxNode | null | undefined) => Sourced<number> | null): Sourced<number> | null {
  for (const call of facts.calls) {
    const argument = call.keyword('batch_size');
    if ((call.method === 'DataLoader' || call.method === 'fit' || call.method === 'batch') && argument) {
      const value = numberAt(argument);
      if (value) return value;
    }
    if (call.method === 'batch' && call.positional[0]) return numberAt(call.positional[0]);
  }
  const defaultValue = model.argparseDefault('batch_size');
  return defaultValue ? numberAt(defaultValue) : null;
}

function lossOf(
  facts: TrainingFacts,
  violations: { code: string; anchor: string }[],
  isClassifier: boolean,
  activation: 'sigmoid' | 'softmax' | 'linear',
  found: <T>(value: T, node: SyntaxNode | null | undefined) => Sourced<T>,
  assumed: <T>(value: T) => Sourced<T>,
): Sourced<LossKind> {
  const handWritten = facts.logCalls.find((log) => log.crossEntropy && !log.guarded);
  if (handWritten) {
    const text = handWritten.argument.text;
    const kind: LossKind = /sigmoid|1\s*-/.test(text) || violations.some((violation) => violation.code === 'NAN103' && /sigmoid/.test(violation.anchor)) ? 'handwritten_bce' : 'handwritten_log_softmax';
    return found(kind, handWritten.call.node);
  }
  const lossCall = facts.losses.calls[0] ?? null;
  const construction = facts.losses.constructions[0] ?? null;
  const lossNode = lossCall?.call.node ?? construction?.call.node ?? null;
  const kind = lossCall?.kind ?? construction?.kind;
  switch (kind) {
    case 'cross-entropy':
    case 'nll':
      return found('cross_entropy', lossNode);
    case 'binary-cross-entropy':
      return found('bce', lossNode);
    case 'binary-cross-entropy-with-logits':
      return found('bce_with_logits', lossNode);
    case 'keras-cross-entropy':
      return found(activation === 'sigmoid' && !isClassifier ? 'bce' : 'keras_categorical_crossentropy', lossNode);
    default:
      break;
  }
  const compiled = facts.compiles.find((compile) => compile.lossName);
  if (compiled?.lossName && /categorical/i.test(compiled.lossName)) return found('keras_categorical_crossentropy', compiled.loss);
  if (compiled?.lossName && /mse|mean_squared/i.test(compiled.lossName)) return found('mse', compiled.loss);
  return assumed(isClassifier ? 'cross_entropy' : 'mse');
}

function clipOf(
  model: SemanticModel,
  anchor: Anchor,
  found: <T>(value: T, node: SyntaxNode | null | undefined) => Sourced<T>,
  assumed: <T>(value: T) => Sourced<T>,
): TrainingConfig['clip'] {
  const none = { kind: null, maxValue: null, placement: 'none' as ClipPlacement };
  const step = anchor.step;
  if (step) {
    const clip = step.calls.find((call) => call.kind === 'clip');
    if (!clip) return found(none, step.step.node);
    const kind = clip.call.method?.includes('value') ? 'value' : 'norm';
    const limit = clip.call.keyword(kind === 'value' ? 'clip_value' : 'max_norm') ?? clip.call.positional[1];
    const limitValue = limit ? model.constantValue(limit) : null;
    const placement: ClipPlacement =
      clip.call.start < step.backward.start ? 'before-backward' : clip.call.start > step.step.start ? 'after-step' : 'after-backward';
    return found({ kind, maxValue: typeof limitValue?.value === 'number' ? limitValue.value : null, placement }, clip.call.node);
  }
  const optimizer = anchor.optimizer;
  for (const option of ['clipnorm', 'global_clipnorm', 'clipvalue'] as const) {
    const argument = optimizer?.call?.keyword(option);
    if (!argument) continue;
    const value = model.constantValue(argument);
    return found({ kind: option === 'clipvalue' ? 'value' : 'norm', maxValue: typeof value?.value === 'number' ? value.value : null, placement: 'after-backward' }, argument);
  }
  return anchor.node ? found(none, anchor.node) : assumed(none);
}

function findingFlag(violations: { code: string; start: number }[], code: string, lines: LineIndex): Sourced<boolean> {
  const violation = violations.find((candidate) => candidate.code === code);
  return violation ? { value: true, line: lines.rowColumn(violation.start).row, assumed: false } : { value: false, line: null, assumed: true };
}

/** The framework's own default when the file passes no learning rate. */
function defaultLearningRate(optimizer: OptimizerFact | undefined): number {
  if (!optimizer) return 1e-3;
  if (optimizer.family === 'sgd') return optimizer.framework === 'keras' ? 0.01 : 0.1;
  if (optimizer.family === 'adagrad' || optimizer.family === 'rmsprop') return optimizer.framework === 'keras' ? 1e-3 : 0.01;
  return 1e-3;
}
