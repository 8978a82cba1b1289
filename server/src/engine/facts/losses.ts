import type { SyntaxNode } from '../parse/tree';
import { lineStartOf } from '../positions';
import type { SemanticModel } from '../semantic/model';
import { ActivationTracer, type ActivationFact, type TraceOptions } from './activations';
import { CallFact } from './calls';
import type { CompileFact } from './compiles';
import { CallSites, reachingBinding } from './flow';
import type { ModelFact } from './models';
import { NAME } from '../semantic/identifiers';

/** What a loss computes from its prediction, which decides the activation it expects before it. */
export type LossKind =
  /** Applies log-softmax itself: takes logits. */
  | 'cross-entropy'
  /** Takes log-probabilities. */
  | 'nll'
  /** Applies `log` to probabilities. */
  | 'binary-cross-entropy'
  /** Applies the sigmoid itself: takes logits. */
  | 'binary-cross-entropy-with-logits'
  /** A Keras cross-entropy whose `from_logits` says what it takes. */
  | 'keras-cross-entropy';

/** `nn.BCELoss()`, `keras.losses.CategoricalCrossentropy(from_logits=True)`; Keras loss functions too. */
export interface LossConstruction {
  call: CallFact;
  qualifiedName: string;
  kind: LossKind;
  framework: 'pytorch' | 'keras';
  /** Keras `from_logits=`: the value as written and what it resolves to (null when unresolved). */
  fromLogits: { node: SyntaxNode; value: boolean | null } | null;
}

/** Where a loss is computed from a prediction: `criterion(out, y)`, `F.cross_entropy(out, y)`, `loss_fn(y, pred)`. */
export interface LossCall {
  call: CallFact;
  qualifiedName: string;
  kind: LossKind;
  framework: 'pytorch' | 'keras';
  /** The object or Keras loss function called; null for PyTorch functional losses. */
  construction: LossConstruction | null;
  /** The prediction argument: `input` for PyTorch, `y_pred` for Keras. */
  input: SyntaxNode | null;
}

export interface LossFacts {
  constructions: LossConstruction[];
  calls: LossCall[];
  /**
   * The Keras models a loss is compiled with; when the loss is neither compiled nor called, the file's
   * only Keras model (none when there are several). Calls are traced through their `y_pred` instead.
   */
  kerasModelsTrainedWith(construction: LossConstruction): ModelFact[];
  /** The softmax / log-softmax / sigmoid that produced an expression (see ActivationTracer). */
  activationsOf(expression: SyntaxNode, options?: TraceOptions): ActivationFact[];
  /** The output activation of a model. */
  outputActivations(fact: ModelFact): ActivationFact[];
}

const TORCH_LOSS_CLASSES: Record<string, LossKind> = {
  CrossEntropyLoss: 'cross-entropy',
  NLLLoss: 'nll',
  BCELoss: 'binary-cross-entropy',
  BCEWithLogitsLoss: 'binary-cross-entropy-with-logits',
};

const TORCH_LOSS_FUNCTIONS: Record<string, LossKind> = {
  'torch.nn.functional.cross_entropy': 'cross-entropy',
  'torch.nn.functional.nll_loss': 'nll',
  'torch.nn.functional.binary_cross_entropy': 'binary-cross-entropy',
  'torch.nn.functional.binary_cross_entropy_with_logits': 'binary-cross-entropy-with-logits',
};

const KERAS_LOSS_CLASSES = /^keras\.losses\.(?:Sparse)?Categorical(?:Focal)?Crossentropy$|^keras\.losses\.Binary(?:Focal)?Crossentropy$/;
// Keras loss functions take `(y_true, y_pred, from_logits=...)`: they are a construction and a call at once.
const KERAS_LOSS_FUNCTIONS = /^keras\.(?:losses|metrics|backend)\.(?:sparse_)?(?:binary_|categorical_)(?:focal_)?crossentropy$/;

/** A cheap test before `lossApi`'s patterns: most calls are not losses. */
function mayNameLoss(qualifiedName: string): boolean {
  return qualifiedName.endsWith('Loss') || qualifiedName.endsWith('entropy') || qualifiedName.endsWith('nll_loss') || qualifiedName.endsWith('_with_logits');
}

const FUNCTIONAL_LOSS_NAMES = ['cross_entropy', 'nll_loss'];

// `name = ` or `self.name = ` from a line's start up to a value (then up to a dotted qualifier before it).
const HOLDER_BEFORE = new RegExp(String.raw`^[ \t]*(?:self[ \t]*\.[ \t]*)?(${NAME})[ \t]*=[ \t]*$`, 'u');
const HOLDER_BEFORE_QUALIFIER = new RegExp(String.raw`^[ \t]*(?:self\.)?(${NAME})[ \t]*=[ \t]*[\p{ID_Continue}.]*$`, 'u');

/** `loss_fn = F.cross_entropy` / `self.loss_fn = F.binary_cross_entropy_with_logits`: the names holding a functional loss. */
function functionalLossHolders(model: SemanticModel): string[] {
  const { text } = model;
  const holders: string[] = [];
  for (const word of FUNCTIONAL_LOSS_NAMES) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      if (text.charCodeAt(at + word.length) === 40 /* ( */) continue;
      const lineEnd = text.indexOf('\n', at);
      const rest = text.slice(at + word.length, lineEnd === -1 ? text.length : lineEnd);
      if (!/^(?:_with_logits)?[ \t]*\r?$/.test(rest)) continue;
      const lineStart = text.lastIndexOf('\n', at) + 1;
      const assignment = HOLDER_BEFORE_QUALIFIER.exec(text.slice(lineStart, at));
      if (assignment) holders.push(assignment[1]!);
    }
  }
  return holders;
}

/** The canonical name and kind of a loss API, or null. */
function lossApi(qualifiedName: string): { kind: LossKind; framework: 'pytorch' | 'keras'; constructed: boolean } | null {
  const torchClass = /^torch\.nn\.(?:modules\.loss\.)?(\w+)$/.exec(qualifiedName);
  const classKind = torchClass ? TORCH_LOSS_CLASSES[torchClass[1]!] : undefined;
  if (classKind) return { kind: classKind, framework: 'pytorch', constructed: true };
  const functionKind = TORCH_LOSS_FUNCTIONS[qualifiedName];
  if (functionKind) return { kind: functionKind, framework: 'pytorch', constructed: false };
  if (KERAS_LOSS_CLASSES.test(qualifiedName) || KERAS_LOSS_FUNCTIONS.test(qualifiedName)) return { kind: 'keras-cross-entropy', framework: 'keras', constructed: true };
  return null;
}

export function buildLossFacts(
  model: SemanticModel,
  calls: CallFact[],
  models: ModelFact[],
  modelsOf: (expression: SyntaxNode) => ModelFact[],
  compiles: CompileFact[],
): LossFacts {
  const callSites = new CallSites(model, calls);
  const tracer = new ActivationTracer(model, modelsOf, callSites);
  const constructions: LossConstruction[] = [];
  const lossCalls: LossCall[] = [];
  const byStart = new Map<number, LossConstruction>();
  const holderNames = new Set<string>();

  const { text } = model;
  const mentionsLoss = text.includes('Loss') || text.includes('ntropy') || text.includes('nll_loss');
  if (mentionsLoss) {
    for (const call of calls) {
      const name = call.qualifiedName;
      const api = name && mayNameLoss(name) ? lossApi(name) : null;
      if (!name || !api) continue;
      if (api.constructed) {
        const fromLogits = call.keyword('from_logits');
        const resolved = fromLogits ? model.constantValue(fromLogits)?.value : undefined;
        const construction: LossConstruction = {
          call,
          qualifiedName: name,
          kind: api.kind,
          framework: api.framework,
          fromLogits: fromLogits ? { node: fromLogits, value: typeof resolved === 'boolean' ? resolved : null } : null,
        };
        constructions.push(construction);
        byStart.set(call.start, construction);
        const holder = holderName(model, call.node);
        if (holder) holderNames.add(holder);
        // A Keras loss function computes the loss where it is called.
        if (KERAS_LOSS_FUNCTIONS.test(name)) lossCalls.push({ call, qualifiedName: name, kind: api.kind, framework: 'keras', construction, input: call.positional[1] ?? call.keyword('y_pred') ?? call.keyword('output') ?? null });
      } else {
        lossCalls.push({ call, qualifiedName: name, kind: api.kind, framework: 'pytorch', construction: null, input: call.positional[0] ?? call.keyword('input') ?? null });
      }
    }
    for (const name of functionalLossHolders(model)) holderNames.add(name);
  }

  /** The loss an expression holds: a construction, or a functional loss by reference. */
  const lossOf = (expression: SyntaxNode, depth = 0): { qualifiedName: string; construction: LossConstruction | null } | null => {
    if (depth > 8) return null;
    if (expression.type === 'parenthesized_expression') {
      const inner = expression.namedChild(0);
      return inner ? lossOf(inner, depth + 1) : null;
    }
    if (expression.type === 'call') {
      const construction = byStart.get(expression.startIndex);
      return construction && !KERAS_LOSS_FUNCTIONS.test(construction.qualifiedName) ? { qualifiedName: construction.qualifiedName, construction } : null;
    }
    if (expression.type !== 'identifier' && expression.type !== 'attribute') return null;
    const qualified = model.qualifiedName(expression);
    if (qualified) return TORCH_LOSS_FUNCTIONS[qualified] ? { qualifiedName: qualified, construction: null } : null;
    if (expression.type === 'identifier') {
      const binding = reachingBinding(model, expression);
      if (binding?.kind === 'param') {
        for (const argument of callSites.argumentsFor(binding)) {
          const found = lossOf(argument, depth + 1);
          if (found) return found;
        }
        return null;
      }
      return binding?.value ? lossOf(binding.value, depth + 1) : null;
    }
    const value = model.assignedValue(expression);
    return value ? lossOf(value, depth + 1) : null;
  };

  const addLossCall = (call: CallFact, found: { qualifiedName: string; construction: LossConstruction | null }): void => {
    const api = lossApi(found.qualifiedName)!;
    const input = api.framework === 'keras' ? (call.positional[1] ?? call.keyword('y_pred') ?? null) : (call.positional[0] ?? call.keyword('input') ?? null);
    lossCalls.push({ call, qualifiedName: found.qualifiedName, kind: api.kind, framework: api.framework, construction: found.construction, input });
  };
  for (const construction of constructions) {
    // `nn.BCELoss()(p, y)`: constructed and called at once.
    if (!/^\s*\(/.test(text.slice(construction.call.end, construction.call.end + 8))) continue;
    const outer = construction.call.node.parent;
    if (outer?.type === 'call' && outer.childForFieldName('function')?.startIndex === construction.call.start && outer.startIndex === construction.call.start) {
      const statement = model.statementAt(outer.startIndex);
      if (statement) addLossCall(new CallFact(outer, statement, model, null, null), { qualifiedName: construction.qualifiedName, construction });
    }
  }
  if (holderNames.size > 0) {
    for (const call of callSites.callsNamedAny([...holderNames])) {
      if (call.qualifiedName !== null || !call.callee) continue;
      const found = lossOf(call.callee);
      if (found) addLossCall(call, found);
    }
  }
  lossCalls.sort((a, b) => a.call.start - b.call.start);

  const kerasModels = models.filter((fact) => fact.kind === 'keras-sequential' || fact.kind === 'keras-functional' || (fact.kind === 'class' && fact.layers.some((layer) => layer.framework === 'keras')));
  let compiledWith: Map<LossConstruction, ModelFact[]> | undefined;
  const kerasModelsTrainedWith = (construction: LossConstruction): ModelFact[] => {
    if (!compiledWith) {
      compiledWith = new Map();
      for (const compile of compiles) {
        const compiled = compile.loss ? lossOf(compile.loss)?.construction : undefined;
        if (!compiled) continue;
        const linked = compiledWith.get(compiled) ?? [];
        for (const fact of compile.models) if (!linked.includes(fact)) linked.push(fact);
        compiledWith.set(compiled, linked);
      }
    }
    const linked = compiledWith.get(construction) ?? [];
    if (linked.length > 0 || lossCalls.some((lossCall) => lossCall.construction === construction)) return linked;
    // Neither compiled nor called: it can only train the file's one Keras model, if there is one.
    return kerasModels.length === 1 ? kerasModels : [];
  };

  return {
    constructions,
    calls: lossCalls,
    kerasModelsTrainedWith,
    activationsOf: (expression, options) => tracer.activationsOf(expression, options),
    outputActivations: (fact) => (models.includes(fact) ? tracer.outputActivations(fact) : []),
  };
}

/**
 * The name a loss construction is held under, for finding its calls: `criterion = nn.BCELoss()`,
 * `self.loss_fn = ...`, `train(..., criterion=nn.BCELoss())`, `def f(loss=nn.BCELoss())`.
 */
function holderName(model: SemanticModel, construction: SyntaxNode): string | null {
  // The common `criterion = nn.CrossEntropyLoss()` / `self.loss_fn = ...` is read from the line's text.
  const { text } = model;
  const lineStart = lineStartOf(text, construction.startIndex);
  const assigned = HOLDER_BEFORE.exec(text.slice(lineStart, construction.startIndex));
  if (assigned) return assigned[1]!;
  const parent = construction.parent;
  if (!parent) return null;
  if (parent.type === 'argument_list') {
    // A positional argument to a local helper: the parameter it binds.
    const callee = parent.parent?.childForFieldName('function');
    const binding = callee?.type === 'identifier' ? model.lookup(callee.text, callee.startIndex) : undefined;
    if (binding?.kind !== 'def' || !binding.region) return null;
    const index = parent.namedChildren.filter((child) => child.type !== 'comment').findIndex((child) => child.startIndex === construction.startIndex);
    const parameter = binding.region.node.childForFieldName('parameters')?.namedChildren[index];
    const name = parameter?.type === 'identifier' ? parameter : parameter?.childForFieldName('name');
    return name?.type === 'identifier' ? name.text : null;
  }
  if (parent.type === 'assignment') {
    const target = parent.childForFieldName('left');
    return target?.type === 'attribute' ? (target.childForFieldName('attribute')?.text ?? null) : (target?.text ?? null);
  }
  if (parent.type === 'keyword_argument' || parent.type === 'default_parameter' || parent.type === 'typed_default_parameter') {
    return parent.childForFieldName('name')?.text ?? null;
  }
  return null;
}
