/**
 * The optimizer families the sample emulates and the constants each framework uses; free of
 * TensorFlow.js so the report can be assembled in the parent process.
 */
export type OptimizerFamily = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

export interface OptimizerSetup {
  family: OptimizerFamily;
  learningRate: number;
  epsilon: number;
  /** Which optimizer of the file this stands in for, e.g. "NAdam (emulated as Adam)". */
  label: string;
}

const ADAPTIVE_LIKE_ADAM = ['adam', 'adamax', 'nadam', 'radam', 'lion'];

/** Maps the file's optimizer name (any spelling) onto the update rule the sample uses. */
export function optimizerSetup(name: string, learningRate: number, framework: string): OptimizerSetup {
  const key = name.toLowerCase().replace(/^.*\./, '');
  const epsilon = framework === 'pytorch' ? 1e-8 : 1e-7;
  if (key === 'sgd') return { family: 'sgd', learningRate, epsilon, label: name };
  if (key === 'adamw') return { family: 'adamw', learningRate, epsilon, label: name };
  if (key === 'rmsprop') return { family: 'rmsprop', learningRate, epsilon, label: name };
  if (key === 'adagrad') return { family: 'adagrad', learningRate, epsilon: framework === 'pytorch' ? 1e-10 : 1e-7, label: name };
  if (key === 'adam') return { family: 'adam', learningRate, epsilon, label: name };
  const emulated = ADAPTIVE_LIKE_ADAM.includes(key) ? `${name} (emulated as Adam)` : `${name} (unknown, emulated as Adam)`;
  return { family: 'adam', learningRate, epsilon, label: emulated };
}

export function isAdaptive(family: OptimizerFamily): boolean {
  return family !== 'sgd';
}
