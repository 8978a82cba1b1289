import type { SyntaxNode } from '../parse/tree';
import type { Edit } from '../rule';
import { stringContent } from '../semantic/constants';
import type { Binding, SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import { activationName } from './api';
import { isConditional, reachingBinding, scopeOfBinding, type CallSites } from './flow';
import type { ModelFact } from './models';
import { nameUsePattern } from '../semantic/identifiers';

export type ActivationKind = 'softmax' | 'log_softmax' | 'sigmoid';

/** How an activation is written, which decides how it can be removed. */
export type ActivationForm =
  /** `F.softmax(x, dim=1)`, `torch.sigmoid(x)`, `tf.nn.softmax(x)` */
  | 'function'
  /** `x.softmax(dim=1)`, `x.sigmoid()` */
  | 'method'
  /** `self.act(x)` with `self.act = nn.Sigmoid()`, or `nn.Softmax(dim=1)(x)` */
  | 'module'
  /** `nn.Softmax(dim=1)` as the last element of an `nn.Sequential` */
  | 'sequential-element'
  /** Keras `activation="softmax"`, `Activation("softmax")`, `Softmax()`: the activation a layer applies */
  | 'keras-layer';

/** A softmax / log-softmax / sigmoid that produces the value of a traced expression. */
export interface ActivationFact {
  kind: ActivationKind;
  framework: 'pytorch' | 'keras';
  form: ActivationForm;
  /** The activation as written: the call, the `nn.Sigmoid()` element, the Keras `"softmax"` argument. */
  node: SyntaxNode;
  /** What it is applied to (call forms). */
  input: SyntaxNode | null;
  /** The arguments of a function or method form, for rewriting `softmax(...)` as `log_softmax(...)`. */
  argumentList: SyntaxNode | null;
  /** An edit that removes the activation and leaves its input; null for Keras layer activations. */
  removal: Edit | null;
  /** Reached without leaving the function the traced expression is in (no model, no parameter). */
  local: boolean;
  /** The local assignments followed from the traced expression to the activation. */
  names: Binding[];
  /** The traced expression is the activation's value itself: no indexing or reshaping in between. */
  whole: boolean;
}

export interface TraceOptions {
  /** Stay inside the expression's function: no model `forward`, no parameter's call sites (NAN103). */
  sameFunction?: boolean;
  /** Only these activations are wanted (a file that never spells them is not traced at all). */
  kinds?: ActivationKind[];
}

// How each activation is spelled somewhere in a file that applies it (`softmax`, `nn.LogSoftmax`, `expit`).
const SPELLINGS: Record<ActivationKind, string[]> = { softmax: ['oftmax'], log_softmax: ['og_softmax', 'ogSoftmax'], sigmoid: ['igmoid', 'expit'] };

const ACTIVATION_FUNCTIONS: Record<string, ActivationKind> = {
  'torch.softmax': 'softmax',
  'torch.nn.functional.softmax': 'softmax',
  'torch.special.softmax': 'softmax',
  'torch.log_softmax': 'log_softmax',
  'torch.nn.functional.log_softmax': 'log_softmax',
  'torch.special.log_softmax': 'log_softmax',
  'torch.sigmoid': 'sigmoid',
  'torch.nn.functional.sigmoid': 'sigmoid',
  'torch.special.expit': 'sigmoid',
  'tensorflow.nn.softmax': 'softmax',
  'tensorflow.math.softmax': 'softmax',
  'keras.activations.softmax': 'softmax',
  'tensorflow.nn.log_softmax': 'log_softmax',
  'tensorflow.math.log_softmax': 'log_softmax',
  'tensorflow.sigmoid': 'sigmoid',
  'tensorflow.nn.sigmoid': 'sigmoid',
  'tensorflow.math.sigmoid': 'sigmoid',
  'keras.activations.sigmoid': 'sigmoid',
};

const ALL_KINDS: ActivationKind[] = ['softmax', 'log_softmax', 'sigmoid'];

const ACTIVATION_MODULES: Record<string, ActivationKind> = { Softmax: 'softmax', LogSoftmax: 'log_softmax', Sigmoid: 'sigmoid' };

// Shape and dtype changes keep probabilities probabilities: `model(x).squeeze(1)` still holds the sigmoid.
const PASS_THROUGH_METHODS = new Set(['squeeze', 'unsqueeze', 'view', 'view_as', 'reshape', 'flatten', 'float', 'double', 'half', 'to', 'contiguous', 'permute', 'transpose', 'type', 'cpu', 'cuda']);
const PASS_THROUGH_FUNCTIONS = new Set(['torch.squeeze', 'torch.flatten', 'torch.reshape', 'tensorflow.squeeze', 'tensorflow.reshape', 'tensorflow.cast']);

const MAX_DEPTH = 16;

interface TraceState {
  depth: number;
  local: boolean;
  names: Binding[];
  whole: boolean;
  sameFunction: boolean;
  /** The function (or module) the traced expression is in. */
  home: Region;
  /** Parameters already followed to their callers in this trace: recursion and fan-out stop there. */
  parameters: Set<Binding>;
}

/**
 * Traces an expression back to the softmax/sigmoid that produced it: through names, `self.x`, shape
 * changes, activation calls and modules, a model call to what its `forward`/`call` returns, an
 * `nn.Sequential`'s last element, a Keras model's output layer, and a helper's parameter to the
 * arguments its callers pass.
 */
export class ActivationTracer {
  private readonly modelOutputs = new Map<ModelFact, ActivationFact[]>();
  private readonly spelledKinds = new Map<ActivationKind, boolean>();

  constructor(
    private readonly model: SemanticModel,
    private readonly modelsOf: (expression: SyntaxNode) => ModelFact[],
    private readonly callSites: CallSites,
  ) {}

  activationsOf(expression: SyntaxNode, options: TraceOptions = {}): ActivationFact[] {
    const kinds = (options.kinds ?? ALL_KINDS).filter((kind) => this.spelled(kind));
    if (kinds.length === 0) return [];
    const home = this.model.functionOf(this.model.regionAt(expression.startIndex));
    const found = this.trace(expression, { depth: 0, local: true, names: [], whole: true, sameFunction: options.sameFunction ?? false, home, parameters: new Set() });
    return found.filter((activation) => kinds.includes(activation.kind));
  }

  private spelled(kind: ActivationKind): boolean {
    let present = this.spelledKinds.get(kind);
    if (present === undefined) {
      present = SPELLINGS[kind].some((spelling) => this.model.text.includes(spelling));
      this.spelledKinds.set(kind, present);
    }
    return present;
  }

  /** What a model's output activation is: its Sequential's last layer, or every value `forward` returns. */
  outputActivations(fact: ModelFact): ActivationFact[] {
    const home = fact.region ?? this.model.functionOf(this.model.regionAt(fact.node.startIndex));
    return this.traceModel(fact, { depth: 0, local: false, names: [], whole: true, sameFunction: false, home, parameters: new Set() });
  }

  private trace(expression: SyntaxNode, state: TraceState): ActivationFact[] {
    if (state.depth > MAX_DEPTH) return [];
    let node = expression;
    // Parentheses change nothing; unwrapped without counting against the depth (`((((p))))`).
    while (node.type === 'parenthesized_expression' && node.namedChild(0)) node = node.namedChild(0)!;
    const deeper = { ...state, depth: state.depth + 1 };
    switch (node.type) {
      case 'subscript': {
        const value = node.childForFieldName('value');
        return value ? this.trace(value, { ...deeper, whole: false }) : [];
      }
      case 'identifier':
        return node.text === 'self' ? [] : this.traceName(node, deeper);
      case 'attribute': {
        // `self.probs` is assigned in another method: a different function.
        if (node.childForFieldName('object')?.text !== 'self' || state.sameFunction) return [];
        const value = this.model.assignedValue(node);
        return value ? this.trace(value, { ...deeper, local: false }) : [];
      }
      case 'call':
        return this.traceCall(node, deeper);
      default:
        return [];
    }
  }

  private traceName(node: SyntaxNode, state: TraceState): ActivationFact[] {
    const binding = reachingBinding(this.model, node);
    if (!binding) return [];
    const sameScope = scopeOfBinding(this.model, binding) === state.home;
    if (binding.kind === 'param') {
      if (state.sameFunction || state.parameters.has(binding)) return [];
      state.parameters.add(binding);
      return this.callSites.argumentsFor(binding).flatMap((argument) => this.trace(argument, { ...state, local: false, home: this.model.functionOf(this.model.regionAt(argument.startIndex)) }));
    }
    if (binding.kind !== 'assign' || !binding.value || isConditional(this.model, binding, node)) return [];
    if (!sameScope && state.sameFunction) return [];
    return this.trace(binding.value, { ...state, local: state.local && sameScope, names: [...state.names, binding] });
  }

  private traceCall(call: SyntaxNode, state: TraceState): ActivationFact[] {
    const callee = call.childForFieldName('function');
    if (!callee) return [];
    const qualified = this.model.qualifiedName(callee);
    const firstArgument = (): SyntaxNode | null => argumentOf(call, ['input', 'x', 'logits']);
    if (qualified) {
      const kind = ACTIVATION_FUNCTIONS[qualified];
      if (kind) {
        const framework = qualified.startsWith('torch') ? 'pytorch' : 'keras';
        const input = firstArgument();
        return [this.fact(kind, framework, 'function', call, input, call.childForFieldName('arguments'), state, input ? replacement(call, input) : null)];
      }
      const input = PASS_THROUGH_FUNCTIONS.has(qualified) ? firstArgument() : null;
      return input ? this.trace(input, { ...state, whole: false }) : [];
    }
    // A module or layer called on a tensor: `self.act(h)`, `nn.Softmax(dim=1)(z)`, `Dense(10, activation="softmax")(x)`.
    const constructor = callee.type === 'call' ? callee : this.model.origin(callee);
    const constructorCallee = constructor.type === 'call' ? constructor.childForFieldName('function') : null;
    const constructorName = constructorCallee ? this.model.qualifiedName(constructorCallee) : null;
    if (constructorName) {
      const module = torchActivationModule(constructorName);
      if (module) {
        const input = firstArgument();
        return [this.fact(module, 'pytorch', 'module', call, input, null, state, input ? replacement(call, input) : null)];
      }
      const layer = this.kerasConstructorActivation(constructor, constructorName, state);
      if (layer) return [layer];
      // Any other framework layer is not a model with an output activation of its own.
      if (/^(?:torch\.nn|keras\.layers)\./.test(constructorName) && !/\.Sequential$/.test(constructorName)) return [];
    }
    if (callee.type === 'attribute') {
      const method = callee.childForFieldName('attribute')?.text ?? '';
      const object = callee.childForFieldName('object');
      if (object && object.text !== 'self') {
        const kind = method === 'softmax' || method === 'log_softmax' || method === 'sigmoid' ? method : null;
        if (kind) return [this.fact(kind, 'pytorch', 'method', call, object, call.childForFieldName('arguments'), state, replacement(call, object))];
        if (PASS_THROUGH_METHODS.has(method)) return this.trace(object, { ...state, whole: false });
      }
      if (object && method === 'forward') return this.traceModelCall(object, state);
    }
    return this.traceModelCall(callee, state);
  }

  private traceModelCall(callee: SyntaxNode, state: TraceState): ActivationFact[] {
    if (state.sameFunction) return [];
    const found: ActivationFact[] = [];
    for (const fact of this.modelsOf(callee)) found.push(...this.traceModel(fact, { ...state, local: false }));
    if (found.length > 0 || callee.type !== 'identifier' || state.depth > MAX_DEPTH) return found;
    // `def train(model, ...)`: the models its callers pass.
    const binding = reachingBinding(this.model, callee);
    if (binding?.kind !== 'param' || state.parameters.has(binding)) return found;
    state.parameters.add(binding);
    for (const argument of this.callSites.argumentsFor(binding)) found.push(...this.traceModelCall(argument, { ...state, depth: state.depth + 1, local: false }));
    return found;
  }

  /** A model's output activations do not depend on where it is called from: traced once per model. */
  private traceModel(fact: ModelFact, state: TraceState): ActivationFact[] {
    let found = this.modelOutputs.get(fact);
    if (!found) {
      // Marked first, so a model whose output depends on itself ends the recursion.
      this.modelOutputs.set(fact, []);
      found = this.traceModelOnce(fact, { depth: 0, local: false, names: [], whole: true, sameFunction: false, home: state.home, parameters: new Set() });
      this.modelOutputs.set(fact, found);
    }
    return found;
  }

  private traceModelOnce(fact: ModelFact, state: TraceState): ActivationFact[] {
    const deeper = { ...state, depth: state.depth + 1, local: false };
    switch (fact.kind) {
      case 'torch-sequential':
        return this.sequentialElement(fact.node, deeper);
      case 'keras-sequential': {
        const last = [...fact.layers].sort((a, b) => a.call.start - b.call.start).pop();
        const listed = fact.node.childForFieldName('arguments')?.namedChild(0);
        // A custom layer listed after the last framework layer is the real output.
        if (!last || (listed?.type === 'list' && listed.lastNamedChild?.startIndex !== last.call.start)) return [];
        const activation = this.kerasConstructorActivation(last.call.node, `keras.layers.${last.className}`, deeper);
        return activation ? [activation] : [];
      }
      case 'keras-functional':
        return fact.outputs ? this.trace(fact.outputs, { ...deeper, home: this.model.functionOf(this.model.regionAt(fact.outputs.startIndex)) }) : [];
      case 'class': {
        if (!fact.region) return [];
        const methodNamed = (name: string): Region | undefined => this.model.bindingsOf(name, fact.region).find((binding) => binding.kind === 'def')?.region;
        const method = methodNamed('forward') ?? methodNamed('call');
        if (!method) return [];
        const returned = this.model
          .statementsIn(method)
          .filter((statement) => statement.type === 'return_statement' && this.model.functionOf(statement.region) === method)
          .map((statement) => statement.node.firstNamedChild);
        // Every return must produce the activation: `return logits if self.training else probs` is fine.
        const found: ActivationFact[] = [];
        for (const value of returned) {
          if (!value) return [];
          const activations = this.trace(value, { ...deeper, home: method });
          if (activations.length === 0) return [];
          found.push(...activations);
        }
        return found;
      }
      default:
        return [];
    }
  }

  /** The last element of an `nn.Sequential(...)` call. */
  private sequentialElement(sequential: SyntaxNode, state: TraceState): ActivationFact[] {
    let last = sequential.childForFieldName('arguments')?.lastNamedChild ?? null;
    while (last?.type === 'comment') last = last.previousNamedSibling;
    if (!last || last.type === 'list_splat' || last.type === 'keyword_argument') return [];
    if (last.type === 'call') {
      const kind = this.activationConstructor(last);
      if (kind) {
        let previous = last.previousNamedSibling;
        while (previous?.type === 'comment') previous = previous.previousNamedSibling;
        // Removing an element takes the comma before it along (and a comment about it in between).
        const removal = previous ? { start: previous.endIndex, end: last.endIndex, content: '' } : null;
        return [{ kind, framework: 'pytorch', form: 'sequential-element', node: last, input: null, argumentList: null, removal, local: false, names: state.names, whole: state.whole }];
      }
    }
    return this.modelsOf(last).flatMap((fact) => (fact.node.startIndex === sequential.startIndex ? [] : this.traceModel(fact, state)));
  }

  private activationConstructor(call: SyntaxNode): ActivationKind | null {
    const constructorName = call.childForFieldName('function');
    const qualified = constructorName ? this.model.qualifiedName(constructorName) : null;
    return qualified ? torchActivationModule(qualified) : null;
  }

  /** The activation a Keras layer constructor applies: `Dense(activation=...)`, `Activation(...)`, `Softmax()`. */
  private kerasConstructorActivation(constructor: SyntaxNode, qualified: string, state: TraceState): ActivationFact | null {
    const match = /^keras\.layers\.(?:\w+\.)?(\w+)$/.exec(qualified);
    if (!match) return null;
    const className = match[1]!;
    if (className === 'Softmax') return this.fact('softmax', 'keras', 'keras-layer', constructor, null, null, state, null);
    const argument = className === 'Activation' ? argumentOf(constructor, ['activation']) : constructor.childForFieldName('arguments')?.namedChildren.find((child) => child.type === 'keyword_argument' && child.childForFieldName('name')?.text === 'activation')?.childForFieldName('value');
    if (!argument) return null;
    const text = stringContent(argument);
    const qualifiedActivation = text === null ? this.model.qualifiedName(argument) : null;
    const name = text ?? (qualifiedActivation ? activationName(qualifiedActivation) : null);
    if (name !== 'softmax' && name !== 'sigmoid' && name !== 'log_softmax') return null;
    return this.fact(name, 'keras', 'keras-layer', argument, null, null, state, null);
  }

  private fact(
    kind: ActivationKind,
    framework: 'pytorch' | 'keras',
    form: ActivationForm,
    node: SyntaxNode,
    input: SyntaxNode | null,
    argumentList: SyntaxNode | null,
    state: TraceState,
    removal: Edit | null,
  ): ActivationFact {
    return { kind, framework, form, node, input, argumentList, removal, local: state.local, names: state.names, whole: state.whole };
  }
}

/** `nn.Softmax` → softmax, `nn.modules.activation.Sigmoid` → sigmoid. */
function torchActivationModule(qualifiedName: string): ActivationKind | null {
  const match = /^torch\.nn\.(?:modules\.activation\.)?(\w+)$/.exec(qualifiedName);
  return match ? (ACTIVATION_MODULES[match[1]!] ?? null) : null;
}

/**
 * True when the activation's value goes nowhere but the traced expression: written in place, or held by
 * local names that are each used once after their assignment. Removing it then changes nothing else.
 */
export function feedsOnlyTracedUse(model: SemanticModel, activation: ActivationFact): boolean {
  if (!activation.local) return false;
  return activation.names.every((binding) => {
    const scope = scopeOfBinding(model, binding);
    const after = model.text.slice(binding.node.endIndex, scope.end);
    const uses = after.match(nameUsePattern(binding.name, 'g'));
    return uses?.length === 1;
  });
}

/** The first positional argument, or one of the given keywords. */
function argumentOf(call: SyntaxNode, keywords: string[]): SyntaxNode | null {
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument.type === 'comment') continue;
    if (argument.type !== 'keyword_argument') return argument.type === 'list_splat' || argument.type === 'dictionary_splat' ? null : argument;
  }
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument.type === 'keyword_argument' && keywords.includes(argument.childForFieldName('name')?.text ?? '')) return argument.childForFieldName('value');
  }
  return null;
}

// Expressions that can replace a call anywhere without parentheses.
const PRIMARY = new Set(['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression', 'integer', 'float', 'string', 'list', 'tuple', 'dictionary']);

/** Replaces an activation call with the expression it was applied to. */
function replacement(call: SyntaxNode, input: SyntaxNode): Edit {
  const content = PRIMARY.has(input.type) ? input.text : `(${input.text})`;
  return { start: call.startIndex, end: call.endIndex, content };
}
