/**
 * The training configuration extracted from a file (engine → reproduction runner) and the measured
 * report (runner → CLI / LSP / webview). Shared by every face; validated with zod where it crosses a
 * process boundary.
 */

/** A value found in the file (with its 1-based source line) or an assumed default. */
export interface Sourced<T> {
  value: T;
  /** 1-based line in the file the value came from; null when assumed. */
  line: number | null;
  assumed: boolean;
}

export type ModelFamily = 'lstm' | 'gru' | 'rnn' | 'attention' | 'mlp-classifier' | 'tabular-regression';
export type LossKind =
  | 'cross_entropy' // logits into a fused softmax cross-entropy (stable)
  | 'keras_categorical_crossentropy' // probabilities, clipped to [1e-7, 1-1e-7] as Keras does
  | 'handwritten_log_softmax' // -(y * log(softmax(z))) written out by hand
  | 'handwritten_bce' // y*log(p) + (1-y)*log(1-p) with p = sigmoid(z)
  | 'handwritten_bce_clamped' // the same with log(p.clamp_min(1e-7)): NAN103's fix
  | 'bce' // nn.BCELoss on sigmoid outputs
  | 'bce_with_logits'
  | 'mse';
export type ClipPlacement = 'after-backward' | 'before-backward' | 'after-step' | 'none';

export interface TrainingConfig {
  framework: 'pytorch' | 'keras' | 'tensorflow';
  model: Sourced<ModelFamily>;
  hidden: Sourced<number>;
  sequenceLength: Sourced<number>;
  batchSize: Sourced<number>;
  inputFeatures: Sourced<number>;
  outputUnits: Sourced<number>;
  outputActivation: Sourced<'sigmoid' | 'softmax' | 'linear'>;
  loss: Sourced<LossKind>;
  optimizer: Sourced<string>;
  learningRate: Sourced<number>;
  clip: Sourced<{ kind: 'norm' | 'value' | null; maxValue: number | null; placement: ClipPlacement }>;
  zeroGrad: Sourced<boolean>;
  /** Division by a statistic that can be 0 without epsilon (NAN401). */
  divisionWithoutEpsilon: Sourced<boolean>;
  /** Tabular data loaded with no missing-value handling (NAN402). */
  missingValuesUnchecked: Sourced<boolean>;
  /** Diagnostics that apply to this training configuration (codes), whose fixes make the fixed variant. */
  findings: string[];
}

// ---------------------------------------------------------------------------------------------
// The measured report (runner → CLI `--json`, LSP command result, webview). Field names follow
// interfaces.md's `reproduce --json`; everything beyond those fields is extra, measured detail.
// Non-finite measurements are `null` in number arrays (JSON has no NaN); the flags say which.
// ---------------------------------------------------------------------------------------------

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | 'node' | 'wasm' | 'cpu';
export type VariantKind = 'as-written' | 'fixed';

/** The flat view of the extracted configuration that `reproduce --json` prints. */
export interface ExtractedSummary {
  framework: TrainingConfig['framework'];
  model: ModelFamily;
  hidden: number;
  sequenceLength: number;
  batchSize: number;
  inputFeatures: number;
  outputUnits: number;
  outputActivation: 'sigmoid' | 'softmax' | 'linear';
  loss: LossKind;
  optimizer: string;
  learningRate: number;
  clipNorm: number | null;
  clipValue: number | null;
  clipPlacement: ClipPlacement;
  zeroGrad: boolean;
  divisionWithoutEpsilon: boolean;
  missingValuesUnchecked: boolean;
  findings: string[];
  /** 1-based source line of each value found in the file. */
  sources: Record<string, number>;
  /** Fields that were not found in the file and use the default shown. */
  assumed: string[];
}

/** The training setup one run used (what the variant changed is visible by comparing two of these). */
export interface VariantConfig {
  optimizer: string;
  learningRate: number;
  loss: LossKind;
  outputActivation: 'sigmoid' | 'softmax' | 'linear';
  clip: { kind: 'norm' | 'value' | null; maxValue: number | null; placement: ClipPlacement };
  zeroGrad: boolean;
  epsilon: number | null;
  dropMissing: boolean;
}

export interface FirstNonFinite {
  /** 0-based training step. */
  step: number;
  /** 'loss', 'gradient of <param>', 'weight <param>' or 'input data'. */
  tensor: string;
  /** The first kernel whose output was non-finite in that step (tf.profile + CHECK_COMPUTATION_FOR_ERRORS). */
  op: string | null;
  /** Backend the kernel was named on. */
  opBackend: BackendName | null;
  /**
   * Whether a replay on `cpu` from the same pre-step state also goes non-finite within a few steps
   * (null when the run was on cpu or the failure was not replayed).
   */
  cpuConfirmed: boolean | null;
  /** The step at which the cpu replay went non-finite. */
  cpuStep: number | null;
}

export interface RunReport {
  label: string;
  variant: VariantKind;
  seed: number;
  config: VariantConfig;
  /** Per step; null where non-finite. */
  loss: (number | null)[];
  /** Global gradient norm of this step's gradients before clipping (float64 accumulation). */
  gradNorm: (number | null)[];
  /** Global norm of the gradient the optimizer actually applied. */
  gradNormApplied: (number | null)[];
  /** Max |output pre-activation| (logit) per step. */
  maxAbsActivation: (number | null)[];
  /** Smallest predicted probability per step (classifiers only). */
  minProbability: (number | null)[] | null;
  /** Share of output sigmoid pre-activations with |z| >= 17, where float32 sigmoid is exactly 0 or 1. */
  saturatedShare: (number | null)[] | null;
  /** What the clip call returned each step (its total norm), when the file clips. */
  clipReturned: (number | null)[] | null;
  nonFinite: { loss: number | null; gradients: number | null; weights: number | null };
  firstNonFinite: FirstNonFinite | null;
  /** First step whose loss exceeded 10x the step-0 loss, if any. */
  divergedAt: number | null;
  stepsRun: number;
  finalLoss: number | null;
  wallMs: number;
}

export interface MarginCell {
  multiplier: number;
  learningRate: number;
  outcome: 'finite' | 'non-finite' | 'diverged';
  /** Step of the first non-finite value or of the divergence. */
  step: number | null;
  finalLoss: number | null;
  maxGradNorm: number | null;
}

export interface MarginRow {
  label: string;
  variant: VariantKind;
  seed: number;
  cells: MarginCell[];
  /** Smallest multiplier that went non-finite or diverged; null when finite up to the largest. */
  failsFrom: number | null;
}

export interface ClipPlacementSummary {
  placement: ClipPlacement;
  maxNorm: number | null;
  /** Share of steps (all seeds of the as-written variant) in which the clip returned exactly 0. */
  returnedZeroShare: number;
  /** Share of steps in which the applied gradient norm exceeded max_norm. */
  appliedOverMaxShare: number | null;
  /** Largest applied-norm / max_norm ratio seen. */
  maxOverRatio: number | null;
}

export interface ScenarioDescription {
  id: string;
  title: string;
  sample: string;
  data: string;
  /** Sizes taken from the file but reduced to keep the run short, e.g. "hidden 256 -> 32". */
  reductions: string[];
  /** Fixes among the findings that the sample cannot emulate. */
  notEmulated: string[];
}

export interface ReproReport {
  file: string;
  backend: BackendName;
  seed: number;
  seeds: number[];
  steps: number;
  /** Steps of the margin sweep's runs above x1 (x1 is the full-length main run). */
  marginSteps: number;
  scenario: ScenarioDescription;
  extracted: ExtractedSummary;
  runs: RunReport[];
  margin: MarginRow[];
  clipPlacement: ClipPlacementSummary | null;
  verdict: string;
  /** Live tensors after the run minus before it: 0 when nothing leaked. */
  tensorsLeaked: number;
  wallMs: number;
}

export interface ReproProgress {
  message: string;
  /** 0..1 */
  fraction: number;
}
