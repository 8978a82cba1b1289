/**
 * The scenario registry: one sample per kind of evidence (reproduce.md's table). A scenario turns the
 * extracted configuration into a small model and seeded synthetic data; every variant of a report
 * trains the same model from the same initial weights on the same data.
 */
import type { LossKind, ScenarioDescription, TrainingConfig, VariantConfig } from '../protocol/reproduce';
import { SeededRandom } from './random';
import { attentionModel, mlpModel, recurrentModel, type SampleModel } from './sampleModels';
import type { Batch } from './training';

export interface ScenarioInstance {
  model: SampleModel;
  batches(variant: VariantConfig): Batch[];
  standardise(variant: VariantConfig): { epsilon: number | null } | null;
  description: Omit<ScenarioDescription, 'notEmulated'>;
  defaultSteps: number;
}

export interface Scenario {
  id: string;
  title: string;
  matches(config: TrainingConfig): boolean;
  build(config: TrainingConfig, seed: number): ScenarioInstance;
}

/** Takes a size from the file, reduced to `cap` to keep a full report within its time budget. */
function sized(label: string, value: number, cap: number, reductions: string[]): number {
  const usable = Math.max(1, Math.round(value));
  if (usable <= cap) return usable;
  reductions.push(`${label} ${usable} -> ${cap}`);
  return cap;
}

const POOL_BATCHES = 8;

const SOFTMAX_LOSSES: ReadonlySet<LossKind> = new Set(['cross_entropy', 'keras_categorical_crossentropy', 'handwritten_log_softmax']);

/** Regression targets for MSE; class labels (one-hot, or 0/1 for a single unit) for every other loss. */
type Task = { kind: 'regression'; width: number } | { kind: 'classification'; width: number; classes: number };

function taskFor(loss: LossKind, outputs: number, reductions: string[]): Task {
  if (loss === 'mse') return { kind: 'regression', width: outputs };
  if (SOFTMAX_LOSSES.has(loss) && outputs < 2) {
    reductions.push(`output units ${outputs} -> 2 (a softmax over one unit is constant)`);
    return { kind: 'classification', width: 2, classes: 2 };
  }
  return { kind: 'classification', width: outputs, classes: Math.max(2, outputs) };
}

function writeLabel(y: Float32Array, row: number, width: number, label: number): void {
  if (width === 1) y[row] = label;
  else y[row * width + label] = 1;
}

function describeTask(task: Task, regression: string, classes: string): string {
  return task.kind === 'regression' ? regression : `${task.classes} classes by ${classes}, labels ${task.width === 1 ? '0/1' : 'one-hot'}`;
}

function sequenceBatches(rng: SeededRandom, batch: number, time: number, features: number, task: Task): Batch[] {
  const width = task.width;
  const batches: Batch[] = [];
  for (let k = 0; k < POOL_BATCHES; k++) {
    const x = new Float32Array(batch * time * features);
    const y = new Float32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const next: number[] = [];
      let firstFrequency = 0;
      for (let f = 0; f < features; f++) {
        const frequency = rng.uniform(0.1, 0.6);
        if (f === 0) firstFrequency = frequency;
        const phase = rng.uniform(0, 2 * Math.PI);
        const amplitude = rng.uniform(0.5, 1);
        for (let t = 0; t < time; t++) {
          x[(b * time + t) * features + f] = amplitude * Math.sin(frequency * t + phase) + 0.05 * rng.normal();
        }
        next.push(amplitude * Math.sin(frequency * time + phase));
      }
      if (task.kind === 'classification') {
        // The class is the frequency band of the first feature: learnable from the sequence alone.
        writeLabel(y, b, width, Math.min(task.classes - 1, Math.floor(((firstFrequency - 0.1) / 0.5) * task.classes)));
      } else {
        const mean = next.reduce((a, v) => a + v, 0) / features;
        for (let o = 0; o < width; o++) y[b * width + o] = width === 1 ? mean : (next[o % features] as number);
      }
    }
    batches.push({ x, xShape: [batch, time, features], y, yShape: [batch, width], hasNonFinite: false });
  }
  return batches;
}

function classificationBatches(rng: SeededRandom, batch: number, features: number, task: Task): Batch[] {
  const classes = task.kind === 'classification' ? task.classes : 2;
  const width = task.width;
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => 1.5 * rng.normal()));
  const batches: Batch[] = [];
  for (let k = 0; k < POOL_BATCHES; k++) {
    const x = new Float32Array(batch * features);
    const y = new Float32Array(batch * width);
    for (let b = 0; b < batch; b++) {
      const label = rng.integer(classes);
      const centre = centres[label] as number[];
      for (let f = 0; f < features; f++) x[b * features + f] = (centre[f] as number) + rng.normal();
      // An MSE "classifier" regresses the class index.
      if (task.kind === 'classification') writeLabel(y, b, width, label);
      else for (let o = 0; o < width; o++) y[b * width + o] = label;
    }
    batches.push({ x, xShape: [batch, features], y, yShape: [batch, width], hasNonFinite: false });
  }
  return batches;
}

interface TabularOptions {
  constantColumn: boolean;
  missingCells: boolean;
  /** Feature scales 1, 10, 100, 1000 and targets in the thousands, as raw house-price-like data. */
  unnormalised: boolean;
  /** Standardise the features inside the step as `(x - mean) / std`, the division NAN401 is about. */
  standardised: boolean;
}

function tabularRows(rng: SeededRandom, rows: number, features: number, options: TabularOptions): { x: number[][]; y: number[] } {
  const weights = Array.from({ length: features }, () => rng.normal());
  // Standardised scenarios get varied scales and offsets (the step standardises them); the plain one
  // gets features already on unit scale, so only the file's own numbers can make it diverge.
  const scales = Array.from({ length: features }, (_, j) => (options.unnormalised ? 10 ** (j % 4) : options.standardised ? rng.uniform(0.5, 3) : 1));
  const offsets = Array.from({ length: features }, () => (options.standardised ? rng.uniform(-2, 2) : 0));
  const x: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: features }, (_, j) => offsets[j] as number + (scales[j] as number) * rng.normal());
    // A flag column that is 1 in every row: its standard deviation is exactly 0 in any float format.
    if (options.constantColumn) row[0] = 1;
    y.push(row.reduce((sum, v, j) => sum + v * (weights[j] as number), 0) + 0.1 * rng.normal());
    x.push(row);
  }
  if (options.missingCells) {
    const cells = Math.max(1, Math.round(rows * features * 0.03));
    for (let c = 0; c < cells; c++) {
      const row = x[rng.integer(rows)] as number[];
      row[rng.integer(features)] = Number.NaN;
    }
  }
  return { x, y };
}

function tabularBatch(x: number[][], y: number[], dropMissing: boolean, task: Task): Batch {
  const keep = x.map((row, i) => ({ row, target: y[i] as number })).filter(({ row }) => !dropMissing || row.every(Number.isFinite));
  const features = x[0]?.length ?? 0;
  const data = new Float32Array(keep.length * features);
  keep.forEach(({ row }, r) => data.set(row, r * features));
  const width = task.width;
  const targets = new Float32Array(keep.length * width);
  if (task.kind === 'classification') {
    // Classes are quantile bands of the (clean) linear target, so they are balanced and learnable.
    const sorted = [...y].sort((a, b) => a - b);
    const edges = Array.from({ length: task.classes - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / task.classes)] as number);
    keep.forEach(({ target }, r) => writeLabel(targets, r, width, edges.filter((edge) => target >= edge).length));
  } else {
    keep.forEach(({ target }, r) => {
      for (let o = 0; o < width; o++) targets[r * width + o] = target;
    });
  }
  return {
    x: data,
    xShape: [keep.length, features],
    y: targets,
    yShape: [keep.length, width],
    hasNonFinite: keep.some(({ row }) => !row.every(Number.isFinite)),
  };
}

function tabularScenario(id: string, title: string, options: TabularOptions, matches: (c: TrainingConfig) => boolean): Scenario {
  return {
    id,
    title,
    matches,
    build(config, seed) {
      const reductions: string[] = [];
      const features = sized('input features', config.inputFeatures.value, 16, reductions);
      const hidden = sized('hidden', config.hidden.value, 32, reductions);
      const rows = sized('rows per batch', config.batchSize.value, 64, reductions);
      const task = taskFor(config.loss.value, sized('output units', config.outputUnits.value, 16, reductions), reductions);
      const data = tabularRows(new SeededRandom(seed * 2 + 2), Math.max(rows, 8), features, options);
      const model = mlpModel(features, hidden, task.width);
      const byDrop = new Map<boolean, Batch[]>();
      const parts = [
        options.unnormalised
          ? 'raw features on scales 1, 10, 100, 1000 with targets in the thousands'
          : options.standardised
            ? 'Gaussian features with random scales and offsets'
            : 'Gaussian features with mean 0 and sd 1',
        options.constantColumn ? 'column 0 constant (1.0 in every row)' : null,
        options.missingCells ? '3% of cells NaN (missing values)' : null,
      ].filter((p): p is string => p !== null);
      return {
        model,
        batches(variant) {
          let batches = byDrop.get(variant.dropMissing);
          if (batches === undefined) {
            batches = [tabularBatch(data.x, data.y, variant.dropMissing, task)];
            byDrop.set(variant.dropMissing, batches);
          }
          return batches;
        },
        standardise: (variant) => (options.standardised ? { epsilon: variant.epsilon } : null),
        description: {
          id,
          title,
          sample: `${model.description}, full batch of ${Math.max(rows, 8)} rows`,
          data: `${parts.join('; ')}; ${describeTask(task, 'targets a noisy linear function of the features', 'quantile bands of a noisy linear function of the features')}${options.standardised ? '; features standardised inside the step as (x - mean) / std' : ''}`,
          reductions,
        },
        defaultSteps: 100,
      };
    },
  };
}

function sequenceScenario(id: string, title: string, matches: (c: TrainingConfig) => boolean): Scenario {
  return {
    id,
    title,
    matches,
    build(config, seed) {
      const reductions: string[] = [];
      const hidden = sized('hidden', config.hidden.value, 32, reductions);
      const time = sized('sequence length', config.sequenceLength.value, 20, reductions);
      const batch = sized('batch size', config.batchSize.value, 32, reductions);
      const features = sized('input features', config.inputFeatures.value, 8, reductions);
      const task = taskFor(config.loss.value, sized('output units', config.outputUnits.value, 8, reductions), reductions);
      const family = config.model.value;
      const model =
        family === 'attention'
          ? attentionModel(features, hidden, task.width)
          : recurrentModel(family === 'gru' ? 'gru' : family === 'rnn' ? 'rnn' : 'lstm', features, hidden, task.width);
      const batches = sequenceBatches(new SeededRandom(seed * 2 + 2), batch, time, features, task);
      return {
        model,
        batches: () => batches,
        standardise: () => null,
        description: {
          id,
          title,
          sample: `${model.description}, batch ${batch}, sequence length ${time}`,
          data: `noisy sine waves with random frequency, phase and amplitude per feature; ${describeTask(task, `target: the next value${task.width === 1 ? ' averaged over features' : ''}`, 'the frequency band of the first feature')}; ${POOL_BATCHES} batches cycled`,
          reductions,
        },
        defaultSteps: 100,
      };
    },
  };
}

const classifierScenario: Scenario = {
  id: 'mlp-classifier',
  title: 'MLP classifier with the loss as written',
  matches: (c) => c.model.value === 'mlp-classifier',
  build(config, seed) {
    const reductions: string[] = [];
    const features = sized('input features', config.inputFeatures.value, 32, reductions);
    const hidden = sized('hidden', config.hidden.value, 64, reductions);
    const task = taskFor(config.loss.value, sized('output units', config.outputUnits.value, 16, reductions), reductions);
    const batch = sized('batch size', config.batchSize.value, 64, reductions);
    const model = mlpModel(features, hidden, task.width);
    const batches = classificationBatches(new SeededRandom(seed * 2 + 2), batch, features, task);
    return {
      model,
      batches: () => batches,
      standardise: () => null,
      description: {
        id: 'mlp-classifier',
        title: 'MLP classifier with the loss as written',
        sample: `${model.description}, batch ${batch}`,
        data: `Gaussian clusters in ${features} dimensions (centres 1.5 sd apart on average); ${describeTask(task, 'target: the cluster index', 'cluster')}; ${POOL_BATCHES} batches cycled`,
        reductions,
      },
      defaultSteps: 200,
    };
  },
};

function misplacedClip(config: TrainingConfig): boolean {
  const clip = config.clip.value;
  return clip.kind !== null && (clip.placement === 'before-backward' || clip.placement === 'after-step');
}

/** In priority order: the first scenario that matches the configuration is used. */
export const SCENARIOS: Scenario[] = [
  tabularScenario(
    'tabular-missing-values',
    'Tabular regression with NaN cells',
    { constantColumn: false, missingCells: true, unnormalised: false, standardised: true },
    (c) => c.missingValuesUnchecked.value || c.findings.includes('NAN402'),
  ),
  tabularScenario(
    'tabular-constant-column',
    'Tabular regression with a constant column',
    { constantColumn: true, missingCells: false, unnormalised: false, standardised: true },
    (c) => c.divisionWithoutEpsilon.value || c.findings.includes('NAN401'),
  ),
  // Raw, unscaled data blows up plain SGD: the sample that shows a misplaced clip failing to prevent it.
  tabularScenario(
    'unnormalised-regression',
    'Unnormalised tabular regression',
    { constantColumn: false, missingCells: false, unnormalised: true, standardised: false },
    (c) => c.model.value === 'tabular-regression' && (misplacedClip(c) || c.findings.includes('NAN202')),
  ),
  tabularScenario(
    'tabular-regression',
    'Tabular regression',
    { constantColumn: false, missingCells: false, unnormalised: false, standardised: false },
    (c) => c.model.value === 'tabular-regression',
  ),
  classifierScenario,
  sequenceScenario('attention-regression', 'Self-attention sequence regression', (c) => c.model.value === 'attention'),
  sequenceScenario('recurrent-regression', 'Recurrent sequence regression', () => true),
];

export function scenarioFor(config: TrainingConfig): Scenario {
  const scenario = SCENARIOS.find((s) => s.matches(config));
  if (scenario === undefined) throw new Error('no scenario matches the configuration');
  return scenario;
}
