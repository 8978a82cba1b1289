import type { Rule } from '../rule';
import clipBeforeBackward from './clip-before-backward';
import highLearningRate from './high-learning-rate';
import missingGradientClipping from './missing-gradient-clipping';
import sigmoidMulticlassOutput from './sigmoid-multiclass-output';

/** The single registry of rules, in code order. */
export const RULES: readonly Rule[] = [
  sigmoidMulticlassOutput,
  missingGradientClipping,
  clipBeforeBackward,
  highLearningRate,
].sort((a, b) => a.meta.code.localeCompare(b.meta.code));

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.code === code.toUpperCase());
}
