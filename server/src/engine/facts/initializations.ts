import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import type { CallFact } from './calls';
import type { LayerFact, ModelFact } from './models';

/** Weight initialization in the file and which layers it reaches. */
export interface InitializationFacts {
  /** `nn.init.*(...)` calls, and in-place `p.data.uniform_(...)` / `normal_(...)` on parameters. */
  initCalls: CallFact[];
  /** Whether some initialization reaches the parameters of this layer. */
  initializes(layer: LayerFact): boolean;
}

// In-place tensor methods that set a parameter's values: a deliberate initialization scheme.
const IN_PLACE_INIT_METHODS = new Set(['uniform_', 'normal_', 'orthogonal_']);
// `x.parameters()`, `x.modules()`, ...: iterating them reaches the parameters of `x`.
const PARAMETER_ITERATORS = new Set(['parameters', 'named_parameters', 'modules', 'named_modules', 'children', 'named_children']);
const SAME_MODULE_METHODS = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'train']);

export function collectInitializations(model: SemanticModel, calls: CallFact[], modelsOf: (expression: SyntaxNode) => ModelFact[]): InitializationFacts {
  const initCalls = calls.filter((call) => {
    const name = call.qualifiedName;
    if (name) return name.startsWith('torch.nn.init.');
    return call.method !== null && IN_PLACE_INIT_METHODS.has(call.method) && call.receiver !== null;
  });
  let reached: { nodes: SyntaxNode[]; models: ModelFact[] } | undefined;
  const reachedByInit = (): { nodes: SyntaxNode[]; models: ModelFact[] } => {
    if (reached) return reached;
    const nodes: SyntaxNode[] = [];
    for (const init of initCalls) {
      const target = init.qualifiedName ? init.positional[0] ?? init.keyword('tensor') : init.receiver;
      if (target) nodes.push(...reachedExpressions(model, calls, target, 0));
    }
    for (const call of calls) {
      // `model.apply(fn)` where `fn` calls an initializer reaches every module of `model`.
      if (call.method !== 'apply' || !call.receiver) continue;
      const region = appliedFunction(model, call.positional[0]);
      if (region && initCalls.some((init) => init.start >= region.start && init.start < region.end)) nodes.push(...reachedExpressions(model, calls, call.receiver, 0));
    }
    const models = nodes.flatMap((node) => modelsOf(node));
    reached = { nodes, models };
    return reached;
  };
  return {
    initCalls,
    initializes(layer: LayerFact): boolean {
      if (initCalls.length === 0) return false;
      const { nodes, models } = reachedByInit();
      const call = layer.call.node;
      return nodes.some((node) => node.startIndex <= call.startIndex && call.endIndex <= node.endIndex) || models.some((fact) => modelContains(fact, layer, new Set()));
    },
  };
}

/**
 * The module expressions whose parameters an initializer's argument belongs to: `self.lstm.weight_hh_l0`
 * → `nn.LSTM(...)`; `p` in `for n, p in model.named_parameters()` → `model`'s value; a parameter of a
 * local helper → the arguments at its call sites.
 */
function reachedExpressions(model: SemanticModel, calls: CallFact[], expression: SyntaxNode, depth: number): SyntaxNode[] {
  let node = expression;
  for (let step = 0; step < 16 && depth < 4; step++) {
    if (node.type === 'parenthesized_expression' && node.namedChild(0)) {
      node = node.namedChild(0)!;
    } else if (node.type === 'identifier') {
      if (node.text === 'self') return [node];
      const binding = model.lookup(node.text, node.startIndex);
      // Comprehension targets are not bindings of the scope; the walk up to find one is paid only then.
      const iterable = loopIterable(model, node) ?? (binding ? null : comprehensionIterable(node));
      if (iterable) {
        node = iterable;
        continue;
      }
      if (binding?.kind === 'param') return argumentsAtCallSites(model, calls, binding.node, node.text).flatMap((argument) => reachedExpressions(model, calls, argument, depth + 1));
      const value = model.assignedValue(node);
      if (!value) return [node];
      node = value;
    } else if (node.type === 'attribute') {
      // `self.lstm` is followed to what it was assigned; `lstm.weight_hh_l0` and `p.data` to their owner.
      node = model.assignedValue(node) ?? node.childForFieldName('object') ?? node;
    } else if (node.type === 'subscript') {
      node = node.childForFieldName('value') ?? node;
    } else if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      const owner = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
      if (owner && method && (PARAMETER_ITERATORS.has(method) || SAME_MODULE_METHODS.has(method))) node = owner;
      else if (callee?.text === 'getattr' && node.childForFieldName('arguments')?.namedChild(0)) node = node.childForFieldName('arguments')!.namedChild(0)!;
      else return [node];
    } else {
      return [node];
    }
  }
  return [node];
}

/** The iterable of the `for` that binds `name` (`for name, p in X.named_parameters()`), when it does. */
function loopIterable(model: SemanticModel, name: SyntaxNode): SyntaxNode | null {
  const binding = model.lookup(name.text, name.startIndex);
  const loop = binding?.kind === 'target' ? binding.node.parent : null;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.startIndex !== binding!.node.startIndex) return null;
  return loop.childForFieldName('right');
}

/** `p` in `[nn.init.orthogonal_(p) for p in rnn.parameters()]`. */
function comprehensionIterable(name: SyntaxNode): SyntaxNode | null {
  for (let node = name.parent; node && node.type !== 'block' && node.type !== 'module'; node = node.parent) {
    if (!/comprehension$|^generator_expression$/.test(node.type)) continue;
    for (const clause of node.namedChildren) {
      if (clause.type !== 'for_in_clause') continue;
      const left = clause.childForFieldName('left');
      if (left && (left.text === name.text || left.descendantsOfType('identifier').some((identifier) => identifier.text === name.text))) return clause.childForFieldName('right');
    }
  }
  return null;
}

/** The arguments passed for parameter `name` wherever the function that declares it is called. */
function argumentsAtCallSites(model: SemanticModel, calls: CallFact[], parameter: SyntaxNode, name: string): SyntaxNode[] {
  const definition = parameter.parent?.parent;
  if (definition?.type !== 'function_definition') return [];
  const names = (definition.childForFieldName('parameters')?.namedChildren ?? []).map((node) => (node.type === 'identifier' ? node.text : (node.childForFieldName('name') ?? node.namedChild(0))?.text));
  const position = names.indexOf(name);
  const functionName = definition.childForFieldName('name')?.text;
  const found: SyntaxNode[] = [];
  for (const call of calls) {
    if (call.method !== functionName || call.callee?.type !== 'identifier') continue;
    if (model.lookup(call.callee.text, call.start)?.node.startIndex !== definition.startIndex) continue;
    const argument = call.keyword(name) ?? call.positional[position];
    if (argument) found.push(argument);
  }
  return found;
}

/** The function `model.apply(fn)` runs: a local def, a method (`self._init_weights`), or a lambda. */
function appliedFunction(model: SemanticModel, argument: SyntaxNode | undefined): { start: number; end: number } | null {
  if (!argument) return null;
  if (argument.type === 'lambda') return { start: argument.startIndex, end: argument.endIndex };
  if (argument.type === 'identifier') {
    const binding = model.lookup(argument.text, argument.startIndex);
    return binding?.kind === 'def' && binding.region ? binding.region : null;
  }
  if (argument.type === 'attribute' && argument.childForFieldName('object')?.text === 'self') {
    const classRegion = model.enclosingClass(argument.startIndex);
    const name = argument.childForFieldName('attribute')?.text;
    return model.outline.regions.find((region: Region) => region.kind === 'function' && region.name === name && region.parent === classRegion) ?? null;
  }
  return null;
}

function modelContains(fact: ModelFact, layer: LayerFact, seen: Set<ModelFact>): boolean {
  if (seen.has(fact)) return false;
  seen.add(fact);
  if (fact.kind === 'layer') return fact.node.startIndex === layer.call.start;
  return fact.layers.includes(layer) || fact.parts.some((part) => modelContains(part, layer, seen));
}
