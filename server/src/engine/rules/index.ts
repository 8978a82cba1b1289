import type { Rule } from '../rule';
import activationBeforeLogitsLoss from './activation-before-logits-loss';
import clipBeforeBackward from './clip-before-backward';
import divisionWithoutEpsilon from './division-without-epsilon';
import fp16WithoutGradScaler from './fp16-without-grad-scaler';
import highLearningRate from './high-learning-rate';
import missingGradientClipping from './missing-gradient-clipping';
import missingZeroGrad from './missing-zero-grad';
import recurrentDefaultInit from './recurrent-default-init';
import sigmoidMulticlassOutput from './sigmoid-multiclass-output';
import sigmoidThenBce from './sigmoid-then-bce';
import uncheckedMissingValues from './unchecked-missing-values';
import unstableLog from './unstable-log';

/** The single registry of rules, in code order. */
export const RULES: readonly Rule[] = [
  sigmoidMulticlassOutput,
  missingGradientClipping,
  clipBeforeBackward,
  highLearningRate,
  missingZeroGrad,
  fp16WithoutGradScaler,
  divisionWithoutEpsilon,
  uncheckedMissingValues,
  recurrentDefaultInit,
  activationBeforeLogitsLoss,
  unstableLog,
  sigmoidThenBce,
].sort((a, b) => a.meta.code.localeCompare(b.meta.code));

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.code === code.toUpperCase());
}
