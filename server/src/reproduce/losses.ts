/**
 * Losses as they are written in user code, including the unstable hand-written forms, so the sample
 * model fails (or not) for the same numerical reason the file would.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossKind } from '../protocol/reproduce';

export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';

/** Keras clips probabilities to [epsilon, 1 - epsilon] before its log (backend epsilon 1e-7). */
const KERAS_EPSILON = 1e-7;
/** PyTorch's BCELoss clamps each log term at -100 and divides its gradient by max(p(1-p), 1e-12). */
const TORCH_BCE_LOG_FLOOR = -100;
const TORCH_BCE_GRAD_EPS = 1e-12;

function activate(z: tf.Tensor2D, activation: OutputActivation): tf.Tensor2D {
  if (activation === 'sigmoid') return tf.sigmoid(z);
  if (activation === 'softmax') return tf.softmax(z);
  return z;
}

function meanOverBatch(perSample: tf.Tensor): tf.Scalar {
  return tf.mean(perSample) as tf.Scalar;
}

/** nn.BCELoss on probabilities, with PyTorch's clamped logs and guarded analytic gradient. */
const torchBce = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [p, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([p, y]);
  const logP = tf.maximum(tf.log(p), TORCH_BCE_LOG_FLOOR);
  const log1mP = tf.maximum(tf.log(tf.sub(1, p)), TORCH_BCE_LOG_FLOOR);
  const value = tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP))));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp, sy] = saved as [tf.Tensor, tf.Tensor];
      const denominator = tf.maximum(tf.mul(sp, tf.sub(1, sp)), TORCH_BCE_GRAD_EPS);
      const grad = tf.div(tf.mul(dy, tf.sub(sp, sy)), tf.mul(denominator, sp.size));
      return [grad, tf.zerosLike(sy)];
    },
  };
});

/** The scalar loss of output pre-activations `z` against targets `y` (one-hot for classifiers). */
export function computeLoss(kind: LossKind, activation: OutputActivation, z: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  switch (kind) {
    case 'mse':
      return tf.mean(tf.square(tf.sub(activate(z, activation), y))) as tf.Scalar;
    case 'cross_entropy': {
      // The fused loss takes logits; an activation written before it is applied first (NAN101/NAN102).
      const logits = activate(z, activation);
      return meanOverBatch(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1)));
    }
    case 'keras_categorical_crossentropy': {
      const p = activate(z, activation === 'linear' ? 'softmax' : activation);
      const normalised = tf.div(p, tf.sum(p, 1, true));
      const clipped = tf.clipByValue(normalised, KERAS_EPSILON, 1 - KERAS_EPSILON);
      return meanOverBatch(tf.neg(tf.sum(tf.mul(y, tf.log(clipped)), 1)));
    }
    case 'handwritten_log_softmax':
      return meanOverBatch(tf.neg(tf.sum(tf.mul(y, tf.log(tf.softmax(z))), 1)));
    case 'handwritten_bce': {
      const p = tf.sigmoid(z);
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
    }
    case 'handwritten_bce_clamped': {
      const p = tf.sigmoid(z);
      const logP = tf.log(tf.maximum(p, 1e-7));
      const log1mP = tf.log(tf.maximum(tf.sub(1, p), 1e-7));
      return tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)))) as tf.Scalar;
    }
    case 'bce':
      return torchBce(tf.sigmoid(z), y) as tf.Scalar;
    case 'bce_with_logits': {
      const logits = activate(z, activation);
      const perElement = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
      return tf.mean(perElement) as tf.Scalar;
    }
  }
}

/** Whether the loss's probabilities come from a sigmoid of the output (for the saturation measure). */
export function usesSigmoidOutput(kind: LossKind, activation: OutputActivation): boolean {
  return kind === 'handwritten_bce' || kind === 'handwritten_bce_clamped' || kind === 'bce' || activation === 'sigmoid';
}

/** Whether the model is a classifier whose probabilities are worth watching (min probability). */
export function isClassification(kind: LossKind): boolean {
  return kind !== 'mse';
}
