/**
 * The framework APIs the facts recognise, by canonical qualified name (see semantic/imports.ts:
 * every Keras spelling is `keras.…`).
 */

export type OptimizerFamily =
  | 'adam'
  | 'adamw'
  | 'adamax'
  | 'nadam'
  | 'radam'
  | 'rmsprop'
  | 'lion'
  | 'adagrad'
  | 'sgd'
  | 'adadelta'
  | 'lbfgs'
  | 'other';

const OPTIMIZER_CLASSES: Record<string, OptimizerFamily> = {
  Adam: 'adam',
  AdamW: 'adamw',
  Adamax: 'adamax',
  NAdam: 'nadam',
  Nadam: 'nadam',
  RAdam: 'radam',
  RMSprop: 'rmsprop',
  Lion: 'lion',
  Adagrad: 'adagrad',
  SGD: 'sgd',
  Adadelta: 'adadelta',
  LBFGS: 'lbfgs',
  SparseAdam: 'adam',
  Ftrl: 'other',
  Adafactor: 'other',
};

const OPTIMIZER_MODULES = ['torch.optim.', 'keras.optimizers.', 'keras.optimizers.legacy.', 'keras.optimizers.experimental.', 'tensorflow.optimizers.', 'torch.optim.adam.'];

/** Keras accepts these strings for `compile(optimizer=...)`. */
export const KERAS_OPTIMIZER_STRINGS: Record<string, OptimizerFamily> = {
  adam: 'adam',
  adamw: 'adamw',
  adamax: 'adamax',
  nadam: 'nadam',
  rmsprop: 'rmsprop',
  lion: 'lion',
  adagrad: 'adagrad',
  sgd: 'sgd',
  adadelta: 'adadelta',
  ftrl: 'other',
};

export function optimizerFamily(qualifiedName: string): { family: OptimizerFamily; framework: 'pytorch' | 'keras'; className: string } | null {
  for (const prefix of OPTIMIZER_MODULES) {
    if (!qualifiedName.startsWith(prefix)) continue;
    const className = qualifiedName.slice(prefix.length);
    const family = OPTIMIZER_CLASSES[className];
    if (family) return { family, framework: prefix.startsWith('torch') ? 'pytorch' : 'keras', className };
  }
  return null;
}

export const HF_TRAINING_ARGUMENTS = new Set(['transformers.TrainingArguments', 'transformers.Seq2SeqTrainingArguments']);
export const LIGHTNING_TRAINER = new Set(['pytorch_lightning.Trainer', 'lightning.Trainer', 'lightning.pytorch.Trainer']);
export const HF_TRAINER = new Set(['transformers.Trainer', 'transformers.Seq2SeqTrainer']);

export type LayerKind = 'recurrent' | 'attention' | 'dense' | 'activation' | 'sequential' | 'other';

const TORCH_RECURRENT = new Set(['LSTM', 'GRU', 'RNN', 'LSTMCell', 'GRUCell', 'RNNCell']);
const TORCH_ATTENTION = new Set(['Transformer', 'TransformerEncoder', 'TransformerDecoder', 'TransformerEncoderLayer', 'TransformerDecoderLayer', 'MultiheadAttention']);
const KERAS_RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'RNN', 'LSTMCell', 'GRUCell', 'SimpleRNNCell', 'ConvLSTM2D', 'CuDNNLSTM', 'CuDNNGRU']);
const KERAS_ATTENTION = new Set(['MultiHeadAttention', 'Attention', 'AdditiveAttention']);

/** What a layer constructor builds; null when the name is not a framework layer. */
export function layerKind(qualifiedName: string): { kind: LayerKind; framework: 'pytorch' | 'keras'; className: string } | null {
  const torch = /^torch\.nn\.(?:modules\.\w+\.)?(\w+)$/.exec(qualifiedName);
  if (torch) {
    const className = torch[1]!;
    if (TORCH_RECURRENT.has(className)) return { kind: 'recurrent', framework: 'pytorch', className };
    if (TORCH_ATTENTION.has(className)) return { kind: 'attention', framework: 'pytorch', className };
    if (className === 'Linear' || className === 'LazyLinear') return { kind: 'dense', framework: 'pytorch', className };
    if (className === 'Sequential') return { kind: 'sequential', framework: 'pytorch', className };
    if (/^(Sigmoid|Softmax|LogSoftmax|ReLU|Tanh|GELU|LeakyReLU|ELU|SiLU|Softplus)$/.test(className)) {
      return { kind: 'activation', framework: 'pytorch', className };
    }
    if (/^[A-Z]/.test(className) && !/Loss$/.test(className)) return { kind: 'other', framework: 'pytorch', className };
    return null;
  }
  const keras = /^keras\.layers\.(?:\w+\.)?(\w+)$/.exec(qualifiedName);
  if (keras) {
    const className = keras[1]!;
    if (KERAS_RECURRENT.has(className)) return { kind: 'recurrent', framework: 'keras', className };
    if (KERAS_ATTENTION.has(className)) return { kind: 'attention', framework: 'keras', className };
    if (className === 'Dense') return { kind: 'dense', framework: 'keras', className };
    if (className === 'Activation' || className === 'Softmax') return { kind: 'activation', framework: 'keras', className };
    if (/^[A-Z]/.test(className)) return { kind: 'other', framework: 'keras', className };
    return null;
  }
  return null;
}

export const KERAS_SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);
export const KERAS_MODEL = new Set(['keras.Model', 'keras.models.Model']);
export const TORCH_MODULE_BASES = new Set(['torch.nn.Module', 'pytorch_lightning.LightningModule', 'lightning.LightningModule', 'lightning.pytorch.LightningModule']);

/** Keras activation functions passed by reference (`activation=tf.nn.sigmoid`). */
export function activationName(qualifiedName: string): string | null {
  const match = /^(?:tensorflow\.nn|tensorflow\.math|keras\.activations|tensorflow\.sigmoid|torch|torch\.nn\.functional)\.(\w+)$/.exec(qualifiedName);
  if (match) return match[1]!;
  return qualifiedName === 'tensorflow.sigmoid' ? 'sigmoid' : null;
}

export const CLIP_FUNCTIONS = new Set([
  'torch.nn.utils.clip_grad_norm_',
  'torch.nn.utils.clip_grad_value_',
  'torch.nn.utils.clip_grad_norm',
  'torch.nn.utils.clip_grad.clip_grad_norm_',
  'torch.nn.utils.clip_grad.clip_grad_value_',
  'torch.nn.utils.clip_grad.clip_grad_norm',
]);

export const TF_CLIP_FUNCTIONS = new Set([
  'tensorflow.clip_by_global_norm',
  'tensorflow.clip_by_norm',
  'tensorflow.clip_by_value',
  'tensorflow.math.clip_by_global_norm',
  'tensorflow.math.clip_by_norm',
  'tensorflow.math.clip_by_value',
]);

export const KERAS_CLIP_OPTIONS = ['clipnorm', 'clipvalue', 'global_clipnorm'];

/** Keras losses by canonical name, whether they are categorical (single-label multi-class). */
export function kerasLossKind(name: string): 'categorical' | 'binary' | 'other' {
  const leaf = name.replace(/^keras\.(?:losses|metrics)\./, '');
  if (/^(Sparse)?CategoricalCrossentropy$|^(sparse_)?categorical_crossentropy$/.test(leaf)) return 'categorical';
  if (/^BinaryCrossentropy$|^binary_crossentropy$|^BinaryFocalCrossentropy$|^binary_focal_crossentropy$/.test(leaf)) return 'binary';
  return 'other';
}

export const TORCH_CLASSIFICATION_LOSSES = new Set([
  'torch.nn.CrossEntropyLoss',
  'torch.nn.NLLLoss',
  'torch.nn.functional.cross_entropy',
  'torch.nn.functional.nll_loss',
]);

export const SIGMOID_FUNCTIONS = new Set(['torch.sigmoid', 'torch.nn.functional.sigmoid', 'torch.special.expit']);

/**
 * Method and function names the facts ask about on objects they cannot resolve through imports
 * (`optimizer.step()` on a parameter, `loss.mean().backward()`, `df.dropna()`). Calls through an imported
 * name (`torch.…`, `np.…`, an aliased class) and through names assigned from them (`criterion(...)`) are
 * collected anyway; any other call is skipped unless its name is here, which keeps a lint close to the
 * cost of the parse. A fact that looks for a new method name adds it here (test/engine/calls.test.ts
 * checks that the filtered calls give the same findings as all calls on every test input).
 */
export const CALL_NAMES_OF_INTEREST = new Set([
  // training steps
  'backward', 'manual_backward', 'step', 'zero_grad', 'unscale_', 'scale', 'scale_loss',
  'clip_grad_norm_', 'clip_grad_value_', 'clip_grad_norm', 'zero_',
  // Keras and GradientTape
  'compile', 'fit', 'fit_generator', 'train_on_batch', 'gradient', 'apply_gradients', 'add',
  // configuration
  'add_argument', 'parse_args', 'parse_known_args',
  // models, parameters and initialisation
  'parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'named_children', 'apply',
  'uniform_', 'normal_', 'orthogonal_', 'xavier_uniform_', 'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_',
  'zeros_', 'ones_', 'constant_', 'eye_', 'dirac_', 'trunc_normal_', 'sparse_',
  // activations, logs and losses
  'sigmoid', 'softmax', 'log_softmax', 'logsigmoid', 'log_sigmoid', 'expit', 'log',
  'cross_entropy', 'nll_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits',
  'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy', 'categorical_focal_crossentropy', 'binary_focal_crossentropy',
  'clip_by_global_norm', 'clip_by_norm', 'clip_by_value',
  // statistics
  'std', 'var', 'norm', 'nanstd', 'nanvar', 'reduce_std', 'reduce_variance', 'reduce_euclidean_norm', 'vector_norm', 'ptp', 'sqrt',
  // data loading and missing values
  'read_csv', 'read_parquet', 'read_excel', 'read_table', 'read_json', 'genfromtxt', 'loadtxt',
  'dropna', 'fillna', 'isna', 'isnull', 'isnan', 'is_nan', 'notna', 'notnull', 'nan_to_num', 'nan_to_num_', 'interpolate',
  'ffill', 'bfill', 'isfinite', 'is_finite', 'tensor', 'as_tensor', 'from_numpy', 'convert_to_tensor', 'constant', 'from_tensor_slices', 'from_tensors',
  // mixed precision
  'autocast',
]);

/**
 * A call through an imported name matters when it constructs something (`nn.LSTM(...)`, `Adam(...)`:
 * a capitalised name) or calls a function of CALL_NAMES_OF_INTEREST; `torch.manual_seed(0)` does not.
 */
export function isQualifiedCallOfInterest(leaf: string): boolean {
  return CALL_NAMES_OF_INTEREST.has(leaf) || /^[A-Z]/.test(leaf);
}
