import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import { HF_TRAINER, LIGHTNING_TRAINER } from './api';
import { collectCalls, type CallFact } from './calls';
import { collectCompiles, type CompileFact } from './compiles';
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
}

export function buildFacts(model: SemanticModel): TrainingFacts {
  const calls = collectCalls(model);
  const optimizers = collectOptimizers(calls);
  const { layers, models, modelsOf } = buildModelFacts(model, calls);
  const compiles = collectCompiles(model, calls, optimizers, modelsOf);
  const { stepCalls, trainingSteps, tapeSteps } = collectSteps(model, calls, optimizers);
  const trainerClips = calls.some((call) => {
    const name = call.qualifiedName;
    if (!name) return false;
    return HF_TRAINER.has(name) || (LIGHTNING_TRAINER.has(name) && (call.hasKeyword('gradient_clip_val') || call.hasKeyword('gradient_clip_algorithm')));
  });
  return { calls, optimizers, layers, models, modelsOf, compiles, stepCalls, trainingSteps, tapeSteps, trainerClips };
}

export type { CallFact } from './calls';
export type { CompileFact } from './compiles';
export type { LayerFact, ModelFact } from './models';
export type { OptimizerFact } from './optimizers';
export type { StepCall, TapeStep, TrainingStep } from './trainingSteps';
