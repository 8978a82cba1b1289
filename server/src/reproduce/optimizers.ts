/**
 * Optimizer updates with the framework's own constants (PyTorch eps 1e-8, Keras eps 1e-7), written as
 * pure functions of (params, gradients, slots) so a step can be replayed from a saved state.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerFamily, OptimizerSetup } from './optimizerFamilies';
import type { Params } from './sampleModels';

const BETA1 = 0.9;
const BETA2 = 0.999;
const RMSPROP_ALPHA = 0.99;
const ADAMW_DECAY = 0.01;

export function slotNames(family: OptimizerFamily, param: string): string[] {
  if (family === 'adam' || family === 'adamw') return [`${param}/m`, `${param}/v`];
  if (family === 'rmsprop' || family === 'adagrad') return [`${param}/v`];
  return [];
}

function slot(slots: Params, name: string): tf.Tensor {
  const value = slots[name];
  if (value === undefined) throw new Error(`optimizer slot ${name} is missing`);
  return value;
}

/**
 * One update. `step` is 1-based (Adam's bias correction). Returns new tensors only; the caller owns
 * and disposes the old ones.
 */
export function applyUpdate(
  setup: OptimizerSetup,
  params: Params,
  grads: Params,
  slots: Params,
  step: number,
): { params: Params; slots: Params } {
  return tf.tidy(() => {
    const nextParams: Params = {};
    const nextSlots: Params = {};
    const lr = setup.learningRate;
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name];
      if (g === undefined) throw new Error(`gradient of ${name} is missing`);
      if (setup.family === 'sgd') {
        nextParams[name] = tf.sub(p, tf.mul(g, lr));
      } else if (setup.family === 'adam' || setup.family === 'adamw') {
        const m = tf.add(tf.mul(slot(slots, `${name}/m`), BETA1), tf.mul(g, 1 - BETA1));
        const v = tf.add(tf.mul(slot(slots, `${name}/v`), BETA2), tf.mul(tf.square(g), 1 - BETA2));
        const mHat = tf.div(m, 1 - BETA1 ** step);
        const vHat = tf.div(v, 1 - BETA2 ** step);
        const decayed = setup.family === 'adamw' ? tf.mul(p, 1 - lr * ADAMW_DECAY) : p;
        nextParams[name] = tf.sub(decayed, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), setup.epsilon)), lr));
        nextSlots[`${name}/m`] = m;
        nextSlots[`${name}/v`] = v;
      } else if (setup.family === 'rmsprop') {
        const v = tf.add(tf.mul(slot(slots, `${name}/v`), RMSPROP_ALPHA), tf.mul(tf.square(g), 1 - RMSPROP_ALPHA));
        nextParams[name] = tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(v), setup.epsilon)), lr));
        nextSlots[`${name}/v`] = v;
      } else {
        const v = tf.add(slot(slots, `${name}/v`), tf.square(g));
        nextParams[name] = tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(v), setup.epsilon)), lr));
        nextSlots[`${name}/v`] = v;
      }
    }
    return { params: nextParams, slots: nextSlots };
  });
}
