/**
 * What crosses the process boundary between the parent and the reproduction worker, validated with
 * zod on both sides: a malformed message is an error, never a silently wrong report.
 */
import { z } from 'zod';
import type { TrainingConfig } from '../protocol/reproduce';
import type { PartialReport } from './report';

function sourced<T extends z.ZodType>(value: T) {
  return z.object({ value, line: z.number().int().positive().nullable(), assumed: z.boolean() });
}

const lossKind = z.enum([
  'cross_entropy',
  'keras_categorical_crossentropy',
  'handwritten_log_softmax',
  'handwritten_bce',
  'handwritten_bce_clamped',
  'bce',
  'bce_with_logits',
  'mse',
]);
const placement = z.enum(['after-backward', 'before-backward', 'after-step', 'none']);
const activation = z.enum(['sigmoid', 'softmax', 'linear']);

export const trainingConfigSchema = z.object({
  framework: z.enum(['pytorch', 'keras', 'tensorflow']),
  model: sourced(z.enum(['lstm', 'gru', 'rnn', 'attention', 'mlp-classifier', 'tabular-regression'])),
  hidden: sourced(z.number().positive()),
  sequenceLength: sourced(z.number().positive()),
  batchSize: sourced(z.number().positive()),
  inputFeatures: sourced(z.number().positive()),
  outputUnits: sourced(z.number().positive()),
  outputActivation: sourced(activation),
  loss: sourced(lossKind),
  optimizer: sourced(z.string()),
  learningRate: sourced(z.number().positive()),
  clip: sourced(z.object({ kind: z.enum(['norm', 'value']).nullable(), maxValue: z.number().positive().nullable(), placement })),
  zeroGrad: sourced(z.boolean()),
  divisionWithoutEpsilon: sourced(z.boolean()),
  missingValuesUnchecked: sourced(z.boolean()),
  findings: z.array(z.string()),
}) satisfies z.ZodType<TrainingConfig>;

export const runRequestSchema = z.object({
  type: z.literal('run'),
  config: trainingConfigSchema,
  steps: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
  backend: z.enum(['auto', 'node', 'wasm', 'cpu']),
  variants: z.array(z.enum(['as-written', 'fixed'])).min(1),
  memoryCapMb: z.number().positive(),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

const nullableNumbers = z.array(z.number().nullable());

const runReportSchema = z.looseObject({
  label: z.string(),
  variant: z.enum(['as-written', 'fixed']),
  seed: z.number(),
  loss: nullableNumbers,
  gradNorm: nullableNumbers,
  gradNormApplied: nullableNumbers,
  maxAbsActivation: nullableNumbers,
  firstNonFinite: z
    .looseObject({ step: z.number(), tensor: z.string(), op: z.string().nullable(), cpuConfirmed: z.boolean().nullable() })
    .nullable(),
  stepsRun: z.number(),
  wallMs: z.number(),
});

/** The measurements' load-bearing fields; the remaining measured detail passes through as sent. */
const partialSchema = z.object({
  backend: z.enum(['tensorflow', 'wasm', 'cpu']),
  steps: z.number(),
  marginSteps: z.number(),
  runs: z.array(runReportSchema),
  margin: z.array(
    z.looseObject({ label: z.string(), variant: z.enum(['as-written', 'fixed']), seed: z.number(), cells: z.array(z.looseObject({ multiplier: z.number() })), failsFrom: z.number().nullable() }),
  ),
  tensorsLeaked: z.number(),
  scenario: z.object({ id: z.string(), title: z.string(), sample: z.string(), data: z.string(), reductions: z.array(z.string()) }),
});

export const workerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), message: z.string(), fraction: z.number() }),
  z.object({ type: z.literal('result'), partial: partialSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type WorkerMessage =
  | { type: 'progress'; message: string; fraction: number }
  | { type: 'result'; partial: PartialReport }
  | { type: 'error'; message: string };
