/**
 * Trains one variant of a sample model step by step, emulating the file's training loop in PyTorch's
 * order (zero_grad, clip where the file clips, backward, step) and measuring every step: loss, global
 * gradient norm before and after clipping (accumulated in float64), non-finite loss / gradients /
 * weights, logit magnitude, saturated sigmoids, and what a clip call returned. When a step turns
 * non-finite it is replayed from the saved pre-step state inside `tf.profile` with
 * CHECK_COMPUTATION_FOR_ERRORS to name the first kernel that produced a non-finite value, and again
 * on `cpu` to confirm that the failure is not a quirk of the fast backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, FirstNonFinite, RunReport, VariantConfig } from '../protocol/reproduce';
import { activate } from './backend';
import { computeLoss, isClassification, usesSigmoidOutput } from './losses';
import { optimizerSetup, type OptimizerSetup } from './optimizerFamilies';
import { applyUpdate, slotNames } from './optimizers';
import type { Params, SampleModel } from './sampleModels';

/** One minibatch as plain arrays, so it can be materialised on any backend. */
export interface Batch {
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
  /** The batch itself holds NaN/Inf cells (missing values that reached the tensor). */
  hasNonFinite: boolean;
}

export interface RunSetup {
  model: SampleModel;
  weights: Map<string, Float32Array>;
  batches: Batch[];
  /** Standardise features inside the step as `(x - mean) / std` (+ epsilon when set). */
  standardise: { epsilon: number | null } | null;
  variant: VariantConfig;
  framework: string;
  steps: number;
  backend: BackendName;
  /** Skip naming the failing kernel (the margin sweep needs only the outcome). */
  explainFailures: boolean;
  /** Awaited between steps: yields to the event loop (progress, cancellation). */
  checkpoint: (step: number) => Promise<void>;
}

/** Above this |z| a float32 sigmoid is exactly 0 or 1, so log(p) or log(1-p) is -inf. */
const SIGMOID_SATURATION = 17;
const DIVERGENCE_FACTOR = 10;

interface TrainState {
  params: Params;
  slots: Params;
  /** PyTorch's `.grad` buffers: zeroed by zero_grad, accumulated by backward. */
  grads: Params;
  step: number;
}

interface StepOutcome {
  next: TrainState;
  loss: number;
  gradNorm: number;
  appliedNorm: number;
  clipReturned: number | null;
  maxAbsLogit: number;
  minProbability: number | null;
  saturatedShare: number | null;
  nonFiniteGradient: string | null;
  nonFiniteWeight: string | null;
}

interface BatchTensors {
  x: tf.Tensor;
  y: tf.Tensor2D;
}

function disposeParams(params: Params): void {
  for (const t of Object.values(params)) t.dispose();
}

function disposeState(state: TrainState): void {
  disposeParams(state.params);
  disposeParams(state.slots);
  disposeParams(state.grads);
}

/** Global L2 norm accumulated in float64, plus the first tensor holding a non-finite value. */
function globalNorm(tensors: Params): { norm: number; firstNonFinite: string | null } {
  let sumOfSquares = 0;
  let firstNonFinite: string | null = null;
  for (const [name, t] of Object.entries(tensors)) {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v) && firstNonFinite === null) firstNonFinite = name;
      sumOfSquares += v * v;
    }
  }
  return { norm: Math.sqrt(sumOfSquares), firstNonFinite };
}

function firstNonFiniteTensor(tensors: Params): string | null {
  for (const [name, t] of Object.entries(tensors)) {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) return name;
    }
  }
  return null;
}

function mapParams(params: Params, f: (t: tf.Tensor, name: string) => tf.Tensor): Params {
  const out: Params = {};
  for (const [name, t] of Object.entries(params)) out[name] = f(t, name);
  return out;
}

/** Runs the file's clip on the gradient buffers; returns new buffers and what the clip call returns. */
function clip(variant: VariantConfig, grads: Params): { grads: Params; returned: number | null } {
  const { kind, maxValue } = variant.clip;
  if (kind === 'value' && maxValue !== null) {
    return { grads: mapParams(grads, (g) => tf.clipByValue(g, -maxValue, maxValue)), returned: null };
  }
  if (kind === 'norm' && maxValue !== null) {
    const { norm } = globalNorm(grads);
    // clip_grad_norm_: scale by max_norm / (total_norm + 1e-6) when that is below 1; a NaN norm propagates.
    const scale = maxValue / (norm + 1e-6);
    if (scale < 1 || Number.isNaN(scale)) return { grads: mapParams(grads, (g) => tf.mul(g, scale)), returned: norm };
    return { grads: mapParams(grads, (g) => tf.clone(g)), returned: norm };
  }
  return { grads: mapParams(grads, (g) => tf.clone(g)), returned: null };
}

function standardise(x: tf.Tensor, epsilon: number | null): tf.Tensor {
  const mean = tf.mean(x, 0, true);
  const std = tf.sqrt(tf.mean(tf.square(tf.sub(x, mean)), 0, true));
  return tf.div(tf.sub(x, mean), epsilon === null ? std : tf.add(std, epsilon));
}

interface StepContext {
  setup: RunSetup;
  optimizer: OptimizerSetup;
  names: string[];
}

function trainStep(ctx: StepContext, state: TrainState, batch: BatchTensors): StepOutcome {
  const { setup, names } = ctx;
  const { variant } = setup;
  const placement = variant.clip.kind === null ? 'none' : variant.clip.placement;

  // PyTorch's `.grad` as the clip and backward see it: zeroed by zero_grad, or what earlier steps left.
  // With zero_grad and no clip before backward the zeros are never read, so none are made.
  let buffers: Params | null = !variant.zeroGrad
    ? mapParams(state.grads, (g) => tf.clone(g))
    : placement === 'before-backward'
      ? mapParams(state.grads, (g) => tf.zerosLike(g))
      : null;
  let clipReturned: number | null = null;
  const replaceBuffers = (next: { grads: Params; returned: number | null }) => {
    if (buffers !== null) disposeParams(buffers);
    buffers = next.grads;
    clipReturned = next.returned;
  };
  if (placement === 'before-backward' && buffers !== null) replaceBuffers(clip(variant, buffers));

  let logits: tf.Tensor2D | null = null;
  const lossOf = (...values: tf.Tensor[]): tf.Scalar => {
    const params: Params = {};
    names.forEach((name, i) => (params[name] = values[i] as tf.Tensor));
    const x = setup.standardise ? standardise(batch.x, setup.standardise.epsilon) : batch.x;
    const z = setup.model.forward(params, x);
    logits = tf.keep(z);
    return computeLoss(variant.loss, variant.outputActivation, z, batch.y);
  };
  const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => state.params[n] as tf.Tensor));
  const loss = value.dataSync()[0] as number;
  value.dispose();
  const fresh: Params = {};
  names.forEach((name, i) => (fresh[name] = grads[i] as tf.Tensor));
  const { norm: gradNorm, firstNonFinite: nonFiniteGradient } = globalNorm(fresh);

  const previous: Params | null = buffers;
  if (previous === null) {
    buffers = fresh;
  } else {
    buffers = mapParams(previous, (b, name) => tf.add(b, fresh[name] as tf.Tensor));
    disposeParams(fresh);
    disposeParams(previous);
  }
  if (placement === 'after-backward') replaceBuffers(clip(variant, buffers));

  const appliedNorm = globalNorm(buffers).norm;
  const update = applyUpdate(ctx.optimizer, state.params, buffers, state.slots, state.step + 1);
  if (placement === 'after-step') replaceBuffers(clip(variant, buffers));
  const nonFiniteWeight = firstNonFiniteTensor(update.params);

  const z = logits as tf.Tensor2D | null;
  if (z === null) throw new Error('the sample model produced no output');
  const stats: { maxAbs: number; minProbability: number | null; saturatedShare: number | null } = {
    maxAbs: 0,
    minProbability: null,
    saturatedShare: null,
  };
  tf.tidy(() => {
    stats.maxAbs = tf.max(tf.abs(z)).dataSync()[0] as number;
    if (usesSigmoidOutput(variant.loss, variant.outputActivation)) {
      const p = tf.sigmoid(z);
      stats.minProbability = tf.min(tf.minimum(p, tf.sub(1, p))).dataSync()[0] as number;
      stats.saturatedShare = tf.mean(tf.cast(tf.greaterEqual(tf.abs(z), SIGMOID_SATURATION), 'float32')).dataSync()[0] as number;
    } else if (isClassification(variant.loss)) {
      stats.minProbability = tf.min(tf.softmax(z)).dataSync()[0] as number;
    }
  });
  z.dispose();

  return {
    next: { params: update.params, slots: update.slots, grads: buffers, step: state.step + 1 },
    loss,
    gradNorm,
    appliedNorm,
    clipReturned,
    maxAbsLogit: stats.maxAbs,
    minProbability: stats.minProbability,
    saturatedShare: stats.saturatedShare,
    nonFiniteGradient,
    nonFiniteWeight,
  };
}

function stateFromArrays(ctx: StepContext, arrays: Map<string, { values: Float32Array; shape: number[] }>): TrainState {
  const make = (name: string): tf.Tensor => {
    const entry = arrays.get(name);
    if (entry === undefined) throw new Error(`state entry ${name} is missing`);
    return tf.tensor(entry.values, entry.shape);
  };
  const params: Params = {};
  const slots: Params = {};
  const grads: Params = {};
  for (const name of ctx.names) {
    params[name] = make(name);
    grads[name] = make(`${name}/grad`);
    for (const s of slotNames(ctx.optimizer.family, name)) slots[s] = make(s);
  }
  return { params, slots, grads, step: 0 };
}

function initialState(ctx: StepContext): TrainState {
  const arrays = new Map<string, { values: Float32Array; shape: number[] }>();
  for (const spec of ctx.setup.model.params) {
    const values = ctx.setup.weights.get(spec.name);
    if (values === undefined) throw new Error(`initial weights of ${spec.name} are missing`);
    const size = values.length;
    arrays.set(spec.name, { values, shape: spec.shape });
    arrays.set(`${spec.name}/grad`, { values: new Float32Array(size), shape: spec.shape });
    for (const s of slotNames(ctx.optimizer.family, spec.name)) arrays.set(s, { values: new Float32Array(size), shape: spec.shape });
  }
  return stateFromArrays(ctx, arrays);
}

/** A training state read into plain arrays, so it can be rebuilt on another backend. */
interface SavedState {
  arrays: Map<string, { values: Float32Array; shape: number[] }>;
  step: number;
}

function saveState(state: TrainState): SavedState {
  return { arrays: stateToArrays(state), step: state.step };
}

function stateToArrays(state: TrainState): Map<string, { values: Float32Array; shape: number[] }> {
  const arrays = new Map<string, { values: Float32Array; shape: number[] }>();
  const put = (name: string, t: tf.Tensor) => arrays.set(name, { values: Float32Array.from(t.dataSync()), shape: t.shape });
  for (const [name, t] of Object.entries(state.params)) put(name, t);
  for (const [name, t] of Object.entries(state.grads)) put(`${name}/grad`, t);
  for (const [name, t] of Object.entries(state.slots)) put(name, t);
  return arrays;
}

function batchTensors(batch: Batch): BatchTensors {
  return { x: tf.tensor(batch.x, batch.xShape), y: tf.tensor2d(batch.y, batch.yShape as [number, number]) };
}

function disposeOutcome(outcome: StepOutcome): void {
  disposeState(outcome.next);
}

function outcomeIsNonFinite(outcome: StepOutcome): boolean {
  return !Number.isFinite(outcome.loss) || outcome.nonFiniteGradient !== null || outcome.nonFiniteWeight !== null;
}

const KERNEL_WARNING = /in the result of '([^']+)'/;
/**
 * Kernels that only copy or rearrange values: they show a non-finite value that an earlier kernel (or
 * the input data) produced, e.g. the tape's Identity copies of saved inputs.
 */
const PASS_THROUGH_KERNELS = new Set(['Identity', 'Reshape', 'Cast', 'Unpack', 'Pack', 'Slice', 'SplitV', 'Concat', 'Transpose', 'Tile', 'GatherV2']);

/** How many steps the cpu replay may run past the fast backend's failing step before it counts as not confirmed. */
const CPU_CONFIRMATION_STEPS = 5;

interface Replay {
  /** First computing kernel whose output held NaN/Inf in the failing replayed step. */
  kernel: string | null;
  /** The replayed step that went non-finite, or null when none did. */
  failedAt: number | null;
}

/**
 * Replays steps from a saved state on `backend`, each inside tf.profile with
 * CHECK_COMPUTATION_FOR_ERRORS, which reports (through console.warn) every kernel whose output holds
 * NaN/Inf in execution order, until a step goes non-finite or `maxSteps` have run.
 */
async function replaySteps(
  ctx: StepContext,
  saved: SavedState,
  batches: Batch[],
  firstStep: number,
  backend: BackendName,
  maxSteps: number,
): Promise<Replay> {
  const previous = tf.getBackend();
  if (backend !== previous && !(await activate(backend))) throw new Error(`backend ${backend} could not be activated for the replay`);
  let kernels: string[] = [];
  const originalWarn = console.warn;
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', true);
  console.warn = (message?: unknown) => {
    const match = KERNEL_WARNING.exec(String(message));
    if (match?.[1] !== undefined && !PASS_THROUGH_KERNELS.has(match[1])) kernels.push(match[1]);
  };
  try {
    let state = stateFromArrays(ctx, saved.arrays);
    state.step = saved.step;
    for (let k = 0; k < maxSteps; k++) {
      const step = firstStep + k;
      const tensors = batchTensors(batches[step % batches.length] as Batch);
      kernels = [];
      let outcome: StepOutcome | null = null;
      await tf.profile(() => {
        outcome = trainStep(ctx, state, tensors);
      });
      // The kernel checks run on promise callbacks; let them all settle before reading the list.
      await new Promise<void>((resolve) => setImmediate(resolve));
      tensors.x.dispose();
      tensors.y.dispose();
      const result = outcome as StepOutcome | null;
      if (result === null) throw new Error('the replayed step produced no outcome');
      disposeState(state);
      state = result.next;
      if (outcomeIsNonFinite(result)) {
        disposeState(state);
        return { kernel: kernels[0] ?? null, failedAt: step };
      }
    }
    disposeState(state);
    return { kernel: null, failedAt: null };
  } finally {
    console.warn = originalWarn;
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
    if (backend !== previous) await activate(previous as BackendName);
  }
}

export type MeasuredRun = Omit<RunReport, 'label' | 'variant' | 'seed'>;

function toNullable(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export async function trainVariant(setup: RunSetup): Promise<MeasuredRun> {
  const started = Date.now();
  const optimizer = optimizerSetup(setup.variant.optimizer, setup.variant.learningRate, setup.framework);
  const ctx: StepContext = { setup, optimizer, names: setup.model.params.map((p) => p.name) };
  const tensors = setup.batches.map(batchTensors);
  const trackSigmoid = usesSigmoidOutput(setup.variant.loss, setup.variant.outputActivation);
  const trackProbability = trackSigmoid || isClassification(setup.variant.loss);
  const run: MeasuredRun = {
    config: setup.variant,
    loss: [],
    gradNorm: [],
    gradNormApplied: [],
    maxAbsActivation: [],
    minProbability: trackProbability ? [] : null,
    saturatedShare: trackSigmoid ? [] : null,
    clipReturned: setup.variant.clip.kind !== null ? [] : null,
    nonFinite: { loss: null, gradients: null, weights: null },
    firstNonFinite: null,
    divergedAt: null,
    stepsRun: 0,
    finalLoss: null,
    wallMs: 0,
  };
  let state = initialState(ctx);
  try {
    for (let step = 0; step < setup.steps; step++) {
      await setup.checkpoint(step);
      const batchIndex = step % setup.batches.length;
      const outcome = trainStep(ctx, state, tensors[batchIndex] as BatchTensors);
      run.loss.push(toNullable(outcome.loss));
      run.gradNorm.push(toNullable(outcome.gradNorm));
      run.gradNormApplied.push(toNullable(outcome.appliedNorm));
      run.maxAbsActivation.push(toNullable(outcome.maxAbsLogit));
      run.minProbability?.push(outcome.minProbability === null ? null : toNullable(outcome.minProbability));
      run.saturatedShare?.push(outcome.saturatedShare === null ? null : toNullable(outcome.saturatedShare));
      run.clipReturned?.push(outcome.clipReturned === null ? null : toNullable(outcome.clipReturned));
      run.stepsRun = step + 1;
      if (outcomeIsNonFinite(outcome)) {
        if (!Number.isFinite(outcome.loss)) run.nonFinite.loss = step;
        if (outcome.nonFiniteGradient !== null) run.nonFinite.gradients = step;
        if (outcome.nonFiniteWeight !== null) run.nonFinite.weights = step;
        disposeOutcome(outcome);
        run.firstNonFinite = setup.explainFailures
          ? await explainFailure(ctx, state, step, outcome)
          : { step, tensor: failingTensor(setup.batches[batchIndex] as Batch, outcome), op: null, opBackend: null, cpuConfirmed: null, cpuStep: null };
        break;
      }
      disposeState(state);
      state = outcome.next;
      if (Number.isFinite(outcome.loss)) run.finalLoss = outcome.loss;
    }
  } finally {
    disposeState(state);
    for (const t of tensors) {
      t.x.dispose();
      t.y.dispose();
    }
  }
  if (run.firstNonFinite === null) run.divergedAt = divergenceStart(run.loss);
  run.wallMs = Date.now() - started;
  return run;
}

/**
 * A finite run diverged when its loss ends, and stays from some step to the end, above 10x its step-0
 * value; a transient spike that training recovers from is not divergence.
 */
function divergenceStart(loss: (number | null)[]): number | null {
  const start = loss[0];
  if (start == null || loss.length < 2) return null;
  let from: number | null = null;
  for (let i = loss.length - 1; i >= 1; i--) {
    const value = loss[i];
    if (value == null || value <= DIVERGENCE_FACTOR * start) break;
    from = i;
  }
  return from;
}

function failingTensor(batch: Batch, outcome: StepOutcome): string {
  if (!Number.isFinite(outcome.loss)) return batch.hasNonFinite ? 'input data' : 'loss';
  if (outcome.nonFiniteGradient !== null) return `gradient of ${outcome.nonFiniteGradient}`;
  return `weight ${outcome.nonFiniteWeight ?? '?'}`;
}

async function explainFailure(ctx: StepContext, state: TrainState, step: number, outcome: StepOutcome): Promise<FirstNonFinite> {
  const batches = ctx.setup.batches;
  const tensor = failingTensor(batches[step % batches.length] as Batch, outcome);
  const saved = saveState(state);
  const backend = ctx.setup.backend;
  const onRunBackend = await replaySteps(ctx, saved, batches, step, backend, 1);
  let op = onRunBackend.kernel;
  let opBackend: BackendName | null = op === null ? null : backend;
  let cpuConfirmed: boolean | null = null;
  let cpuStep: number | null = null;
  if (backend !== 'cpu') {
    const onCpu = await replaySteps(ctx, saved, batches, step, 'cpu', CPU_CONFIRMATION_STEPS);
    cpuConfirmed = onCpu.failedAt !== null;
    cpuStep = onCpu.failedAt;
    if (onCpu.kernel !== null) {
      op = onCpu.kernel;
      opBackend = 'cpu';
    }
  }
  return { step, tensor, op, opBackend, cpuConfirmed, cpuStep };
}
