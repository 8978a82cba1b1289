import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import { HF_TRAINER, LIGHTNING_TRAINER } from './api';
import { collectCalls, type CallFact, type CollectOptions } from './calls';
import { collectCompiles, type CompileFact } from './compiles';
import { collectDataLoads, type DataLoadFacts } from './dataLoads';
import { collectDivisions, type DivisionFact } from './divisions';
import { collectGradientResets, type GradientReset } from './gradientResets';
import { collectInitializations, type InitializationFacts } from './initializations';
import { collectLogCalls, type LogCall } from './logs';
import { buildLossFacts, type LossFacts } from './losses';
import { collectMixedPrecision, type MixedPrecisionFacts } from './mixedPrecision';
import { buildModelFacts, type LayerFact, type ModelFact } from './models';
import { collectOptimizers, type OptimizerFact } from './optimizers';
import { collectSteps, type StepCall, type TapeStep, type TrainingStep } from './trainingSteps';

/** What a file trains and how: built once per tree version, read by every rule. */
export interface TrainingFacts {
  calls: CallFact[];
  optimizers: OptimizerFact[];
  layers: LayerFact[];
  models: ModelFact[];
  modelsOf(expression: SyntaxNode): ModelFact[];
  compiles: CompileFact[];
  stepCalls: StepCall[];
  trainingSteps: TrainingStep[];
  tapeSteps: TapeStep[];
  /** Lightning `Trainer(gradient_clip_val=...)` or a Hugging Face `Trainer` (which clips by default). */
  trainerClips: boolean;
  gradientResets: GradientReset[];
  mixedPrecision: MixedPrecisionFacts;
  divisions: DivisionFact[];
  dataLoads: DataLoadFacts;
  initializations: InitializationFacts;
  /** Loss constructions and calls, and which softmax/sigmoid feeds an expression. */
  losses: LossFacts;
  logCalls: LogCall[];
}

export function buildFacts(model: SemanticModel, options: CollectOptions = {}): TrainingFacts {
  const calls = collectCalls(model, options);
  const optimizers = collectOptimizers(calls);
  const { layers, models, modelsOf } = buildModelFacts(model, calls);
  const compiles = collectCompiles(model, calls, optimizers, modelsOf);
  const { stepCalls, trainingSteps, tapeSteps } = collectSteps(model, calls, optimizers);
  const trainerClips = calls.some((call) => {
    const name = call.qualifiedName;
    if (!name) return false;
    return HF_TRAINER.has(name) || (LIGHTNING_TRAINER.has(name) && (call.hasKeyword('gradient_clip_val') || call.hasKeyword('gradient_clip_algorithm')));
  });
  const gradientResets = collectGradientResets(model, calls, stepCalls);
  const mixedPrecision = collectMixedPrecision(model, calls, stepCalls);
  const divisions = collectDivisions(model);
  const dataLoads = collectDataLoads(model, calls);
  const initializations = collectInitializations(model, calls, modelsOf);
  const losses = buildLossFacts(model, calls, models, modelsOf, compiles);
  const logCalls = collectLogCalls(model, calls);
  return { calls, optimizers, layers, models, modelsOf, compiles, stepCalls, trainingSteps, tapeSteps, trainerClips, gradientResets, mixedPrecision, divisions, dataLoads, initializations, losses, logCalls };
}

export type { CallFact } from './calls';
export type { CompileFact } from './compiles';
export type { LayerFact, ModelFact } from './models';
export type { OptimizerFact } from './optimizers';
export type { StepCall, TapeStep, TrainingStep } from './trainingSteps';
