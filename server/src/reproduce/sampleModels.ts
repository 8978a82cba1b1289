/**
 * The small sample models the runner trains, written with TensorFlow.js ops so every gradient, norm
 * and update is visible. Initialisation follows PyTorch's defaults (uniform ±1/sqrt(fan_in) for
 * `nn.Linear`, ±1/sqrt(hidden) for recurrent layers, Xavier for attention projections), drawn from
 * the seeded JavaScript stream so all backends start from the same weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from './random';

export type Params = Record<string, tf.Tensor>;

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Half-width of the uniform initialisation. */
  bound: number;
}

export interface SampleModel {
  /** e.g. "LSTM(1 -> 32) + Linear(32 -> 1)" */
  description: string;
  params: ParamSpec[];
  /** Output pre-activations (logits), shape [batch, outputUnits]. */
  forward(params: Params, x: tf.Tensor): tf.Tensor2D;
}

export function initialWeights(model: SampleModel, rng: SeededRandom): Map<string, Float32Array> {
  const weights = new Map<string, Float32Array>();
  for (const spec of model.params) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    weights.set(spec.name, rng.uniformArray(size, spec.bound));
  }
  return weights;
}

function param(params: Params, name: string): tf.Tensor {
  const value = params[name];
  if (value === undefined) throw new Error(`sample model parameter ${name} is missing`);
  return value;
}

function linearSpecs(prefix: string, fanIn: number, fanOut: number): ParamSpec[] {
  const bound = 1 / Math.sqrt(fanIn);
  return [
    { name: `${prefix}.weight`, shape: [fanIn, fanOut], bound },
    { name: `${prefix}.bias`, shape: [fanOut], bound },
  ];
}

function linear(params: Params, prefix: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, param(params, `${prefix}.weight`) as tf.Tensor2D), param(params, `${prefix}.bias`));
}

export type RecurrentCell = 'lstm' | 'gru' | 'rnn';

/** A one-layer recurrent network reading [batch, time, features]; the last hidden state feeds a linear head. */
export function recurrentModel(cell: RecurrentCell, features: number, hidden: number, outputs: number): SampleModel {
  const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const bound = 1 / Math.sqrt(hidden);
  const prefix = cell;
  const params: ParamSpec[] = [
    { name: `${prefix}.weight_ih`, shape: [features, gates * hidden], bound },
    { name: `${prefix}.weight_hh`, shape: [hidden, gates * hidden], bound },
    { name: `${prefix}.bias_ih`, shape: [gates * hidden], bound },
    { name: `${prefix}.bias_hh`, shape: [gates * hidden], bound },
    ...linearSpecs('head', hidden, outputs),
  ];
  const name = cell.toUpperCase();
  return {
    description: `${name}(${features} -> ${hidden}) + Linear(${hidden} -> ${outputs})`,
    params,
    forward(p, x) {
      const [batch, time] = x.shape as [number, number, number];
      const wih = param(p, `${prefix}.weight_ih`) as tf.Tensor2D;
      const whh = param(p, `${prefix}.weight_hh`) as tf.Tensor2D;
      const bih = param(p, `${prefix}.bias_ih`);
      const bhh = param(p, `${prefix}.bias_hh`);
      // Input projections for all time steps in one product (fewer kernels to differentiate, the same
      // arithmetic). GRU keeps b_hh on the hidden side because r multiplies (W_hn h + b_hn).
      const inputBias = cell === 'gru' ? bih : tf.add(bih, bhh);
      const projected = tf.reshape(
        tf.add(tf.matMul(tf.reshape(x, [batch * time, features]) as tf.Tensor2D, wih), inputBias),
        [batch, time, gates * hidden],
      );
      const inputs = tf.unstack(projected, 1) as tf.Tensor2D[];
      let h: tf.Tensor2D = tf.zeros([batch, hidden]);
      let c: tf.Tensor2D = tf.zeros([batch, hidden]);
      for (let t = 0; t < time; t++) {
        const gi = inputs[t] as tf.Tensor2D;
        const gh = cell === 'gru' ? tf.add(tf.matMul(h, whh), bhh) : tf.matMul(h, whh);
        if (cell === 'lstm') {
          const [i, f, g, o] = tf.split(tf.add(gi, gh), 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
          h = tf.mul(tf.sigmoid(o), tf.tanh(c));
        } else if (cell === 'gru') {
          const [ir, iz, inn] = tf.split(gi, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const [hr, hz, hn] = tf.split(gh, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const r = tf.sigmoid(tf.add(ir, hr));
          const z = tf.sigmoid(tf.add(iz, hz));
          const n = tf.tanh(tf.add(inn, tf.mul(r, hn)));
          h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
        } else {
          h = tf.tanh(tf.add(gi, gh)) as tf.Tensor2D;
        }
      }
      return linear(p, 'head', h);
    },
  };
}

/** Single-head self-attention over [batch, time, features], mean-pooled into a linear head. */
export function attentionModel(features: number, width: number, outputs: number): SampleModel {
  const xavier = Math.sqrt(6 / (width + width));
  const params: ParamSpec[] = [
    ...linearSpecs('embed', features, width),
    { name: 'attn.q', shape: [width, width], bound: xavier },
    { name: 'attn.k', shape: [width, width], bound: xavier },
    { name: 'attn.v', shape: [width, width], bound: xavier },
    ...linearSpecs('head', width, outputs),
  ];
  return {
    description: `Linear(${features} -> ${width}) + self-attention(${width}, 1 head) + mean-pool + Linear(${width} -> ${outputs})`,
    params,
    forward(p, x) {
      const [batch, time] = x.shape as [number, number, number];
      const flat = tf.reshape(x, [batch * time, features]) as tf.Tensor2D;
      const e = linear(p, 'embed', flat);
      const project = (name: string) => tf.reshape(tf.matMul(e, param(p, name) as tf.Tensor2D), [batch, time, width]) as tf.Tensor3D;
      const q = project('attn.q');
      const k = project('attn.k');
      const v = project('attn.v');
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(width));
      const attended = tf.matMul(tf.softmax(scores), v);
      const pooled = tf.mean(tf.add(attended, tf.reshape(e, [batch, time, width])), 1) as tf.Tensor2D;
      return linear(p, 'head', pooled);
    },
  };
}

/** Linear -> ReLU -> Linear on [batch, features]. */
export function mlpModel(features: number, hidden: number, outputs: number): SampleModel {
  return {
    description: `Linear(${features} -> ${hidden}) + ReLU + Linear(${hidden} -> ${outputs})`,
    params: [...linearSpecs('fc1', features, hidden), ...linearSpecs('fc2', hidden, outputs)],
    forward(p, x) {
      return linear(p, 'fc2', tf.relu(linear(p, 'fc1', x as tf.Tensor2D)));
    },
  };
}
