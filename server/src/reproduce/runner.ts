/**
 * Trains the variants of a reproduction in this process: each over three seeds, then its
 * learning-rate margin sweep. The worker process calls this for its share; tests may call runReport.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  BackendRequest,
  MarginCell,
  MarginRow,
  ReproProgress,
  ReproReport,
  RunReport,
  TrainingConfig,
  VariantConfig,
  VariantKind,
} from '../protocol/reproduce';
import { selectBackend } from './backend';
import { MARGIN_MULTIPLIERS, VARIANT_ORDER, assembleReport, marginSteps, planVariants, seedsFrom, type PartialReport } from './report';
import { initialWeights } from './sampleModels';
import { scenarioFor, type ScenarioInstance } from './scenarios';
import { seededStreams } from './random';
import { trainVariant, type MeasuredRun } from './training';

export interface RunnerOptions {
  file: string;
  steps?: number;
  seed?: number;
  backend?: BackendRequest;
  onProgress?: (progress: ReproProgress) => void;
  /** Awaited between training steps; throw from it to stop (cancellation, memory cap). */
  checkpoint?: () => Promise<void> | void;
}

function marginCell(multiplier: number, learningRate: number, run: MeasuredRun): MarginCell {
  const measured = run.gradNorm.filter((v): v is number => v !== null);
  const outcome = run.firstNonFinite !== null ? 'non-finite' : run.divergedAt !== null ? 'diverged' : 'finite';
  return {
    multiplier,
    learningRate,
    outcome,
    step: run.firstNonFinite?.step ?? run.divergedAt,
    finalLoss: run.finalLoss,
    maxGradNorm: measured.length === 0 ? null : Math.max(...measured),
  };
}

export interface VariantJobOptions {
  steps?: number;
  seed?: number;
  backend?: BackendRequest;
  /** Which variants to measure here; a report needs both, possibly from two processes. */
  variants: VariantKind[];
  onProgress?: (progress: ReproProgress) => void;
  /** Awaited between training steps; throw from it to stop (cancellation, memory cap). */
  checkpoint?: () => Promise<void> | void;
}

/** Trains the requested variants over all seeds, then sweeps their learning rate. */
export async function runVariantJobs(config: TrainingConfig, options: VariantJobOptions): Promise<PartialReport> {
  const backend = await selectBackend(options.backend ?? 'auto');
  const tensorsBefore = tf.memory().numTensors;
  const baseSeed = options.seed ?? 0;
  const seeds = seedsFrom(baseSeed);
  const scenario = scenarioFor(config);
  const variants = planVariants(config).variants.filter((v) => options.variants.includes(v.kind));
  const instances = new Map<number, ScenarioInstance>(seeds.map((seed) => [seed, scenario.build(config, seed)]));
  const steps = options.steps ?? (instances.get(baseSeed) as ScenarioInstance).defaultSteps;

  const sweepSteps = marginSteps(steps);
  const totalSteps = (seeds.length * steps + (MARGIN_MULTIPLIERS.length - 1) * sweepSteps) * variants.length;
  let doneSteps = 0;
  let phase = '';
  let lastReport = 0;
  const progress = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < 200) return;
    lastReport = now;
    options.onProgress?.({ message: phase, fraction: Math.min(1, doneSteps / totalSteps) });
  };

  const train = async (seed: number, variant: VariantConfig, learningRate: number, sweep: boolean): Promise<MeasuredRun> => {
    const instance = instances.get(seed) as ScenarioInstance;
    return trainVariant({
      model: instance.model,
      weights: initialWeights(instance.model, seededStreams(seed).weights),
      batches: instance.batches(variant),
      standardise: instance.standardise(variant),
      variant: { ...variant, learningRate },
      framework: config.framework,
      steps: sweep ? sweepSteps : steps,
      backend,
      explainFailures: !sweep,
      checkpoint: async () => {
        doneSteps++;
        progress(false);
        await options.checkpoint?.();
        // Yield to the event loop so cancellation and progress messages get through.
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
  };

  const runs: RunReport[] = [];
  const margin: MarginRow[] = [];
  for (const variant of variants) {
    for (const seed of seeds) {
      phase = `${scenario.title}: ${variant.label}, seed ${seed}`;
      progress(true);
      const measured = await train(seed, variant.config, variant.config.learningRate, false);
      runs.push({ label: variant.label, variant: variant.kind, seed, ...measured });
    }
    const base = runs.find((r) => r.variant === variant.kind && r.seed === baseSeed) as RunReport;
    const cells: MarginCell[] = [];
    let failsFrom: number | null = null;
    for (const multiplier of MARGIN_MULTIPLIERS) {
      const learningRate = variant.config.learningRate * multiplier;
      phase = `${scenario.title}: learning-rate margin, ${variant.label}, x${multiplier}`;
      progress(true);
      const measured = multiplier === 1 ? base : await train(baseSeed, variant.config, learningRate, true);
      const cell = marginCell(multiplier, learningRate, measured);
      cells.push(cell);
      // The margin is the smallest failing multiplier: larger ones need not run.
      if (cell.outcome !== 'finite') {
        failsFrom = multiplier;
        break;
      }
    }
    margin.push({ label: variant.label, variant: variant.kind, seed: baseSeed, cells, failsFrom });
  }
  const scenarioDescription = (instances.get(baseSeed) as ScenarioInstance).description;
  return { backend, steps, marginSteps: sweepSteps, runs, margin, tensorsLeaked: tf.memory().numTensors - tensorsBefore, scenario: scenarioDescription };
}

/** The whole report in this process, variants one after the other. */
export async function runReport(config: TrainingConfig, options: RunnerOptions): Promise<ReproReport> {
  const started = Date.now();
  const partial = await runVariantJobs(config, { ...options, variants: VARIANT_ORDER });
  return assembleReport(config, options.file, options.seed ?? 0, [partial], Date.now() - started);
}
