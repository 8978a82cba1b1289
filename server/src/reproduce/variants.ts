/**
 * The two variants every report compares: the training setup as written in the file, and the same
 * setup with the fixes of the diagnostics that apply to it.
 */
import type { TrainingConfig, VariantConfig } from '../protocol/reproduce';
import { isAdaptive, optimizerSetup } from './optimizerFamilies';

export function asWritten(config: TrainingConfig): VariantConfig {
  return {
    optimizer: config.optimizer.value,
    learningRate: config.learningRate.value,
    loss: config.loss.value,
    outputActivation: config.outputActivation.value,
    clip: { ...config.clip.value },
    zeroGrad: config.zeroGrad.value,
    epsilon: null,
    dropMissing: false,
  };
}

/** Clip thresholds the NAN201 fix inserts, per framework (see rules.md). */
function insertedClipNorm(framework: TrainingConfig['framework']): number {
  return framework === 'tensorflow' ? 5.0 : 1.0;
}

type FixEmulation = (variant: VariantConfig, config: TrainingConfig) => VariantConfig;

/** How each rule's fix changes the training setup; rules missing here cannot be emulated by a sample. */
const FIXES: Record<string, FixEmulation> = {
  NAN101: (v) => ({ ...v, outputActivation: v.loss === 'cross_entropy' ? 'linear' : 'softmax' }),
  NAN102: (v) => ({ ...v, outputActivation: 'linear' }),
  NAN103: (v) => ({
    ...v,
    loss: v.loss === 'handwritten_log_softmax' ? 'cross_entropy' : v.loss === 'handwritten_bce' ? 'handwritten_bce_clamped' : v.loss,
  }),
  NAN104: (v) => ({ ...v, loss: v.loss === 'bce' ? 'bce_with_logits' : v.loss, outputActivation: 'linear' }),
  NAN201: (v, config) =>
    v.clip.kind !== null ? v : { ...v, clip: { kind: 'norm', maxValue: insertedClipNorm(config.framework), placement: 'after-backward' } },
  NAN202: (v) => ({ ...v, clip: { ...v.clip, placement: 'after-backward' } }),
  NAN203: (v) => ({ ...v, zeroGrad: true }),
  NAN301: (v, config) => {
    const family = optimizerSetup(v.optimizer, v.learningRate, config.framework).family;
    return { ...v, learningRate: isAdaptive(family) ? 1e-3 : 1e-1 };
  },
  NAN401: (v) => ({ ...v, epsilon: 1e-8 }),
  NAN402: (v) => ({ ...v, dropMissing: true }),
};

export interface FixedVariant {
  config: VariantConfig;
  applied: string[];
  notEmulated: string[];
}

export function withFixes(config: TrainingConfig): FixedVariant {
  let variant = asWritten(config);
  const applied: string[] = [];
  const notEmulated: string[] = [];
  for (const code of [...new Set(config.findings)].sort()) {
    const fix = FIXES[code];
    if (fix === undefined) {
      notEmulated.push(code);
      continue;
    }
    variant = fix(variant, config);
    applied.push(code);
  }
  return { config: variant, applied, notEmulated };
}

export function fixedLabel(applied: string[]): string {
  return applied.length === 0 ? 'with fixes (none apply)' : `with fixes (${applied.join(', ')})`;
}
