import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import { KERAS_MODEL, KERAS_SEQUENTIAL, layerKind, TORCH_MODULE_BASES, type LayerKind } from './api';
import type { CallFact } from './calls';

export interface LayerFact {
  call: CallFact;
  kind: LayerKind;
  framework: 'pytorch' | 'keras';
  className: string;
}

export type ModelKind = 'keras-sequential' | 'keras-functional' | 'class' | 'torch-sequential' | 'layer';

/** A model: a Sequential, a functional Model, a Module/Model subclass, or a bare layer used as one. */
export interface ModelFact {
  kind: ModelKind;
  node: SyntaxNode;
  /** Class name, or the variable a Sequential/functional model is assigned to. */
  name: string | null;
  /** Its own layers in definition order (for a Sequential, the output layer is last). */
  layers: LayerFact[];
  /** Models it is built from: `self.encoder = Encoder()`, an `nn.Sequential` attribute. */
  parts: ModelFact[];
  region?: Region;
  /** For functional models, the `outputs` expression. */
  outputs?: SyntaxNode;
}

export interface ModelFacts {
  layers: LayerFact[];
  models: ModelFact[];
  /** Models an expression stands for: a model variable, `self`, `m.parameters()`, a param-group list. */
  modelsOf(expression: SyntaxNode): ModelFact[];
}

export function buildModelFacts(model: SemanticModel, calls: CallFact[]): ModelFacts {
  const layers: LayerFact[] = [];
  const models: ModelFact[] = [];
  const byCall = new Map<number, ModelFact>();
  const classModels = new Map<Region, ModelFact>();

  for (const call of calls) {
    const name = call.qualifiedName;
    if (!name) continue;
    const layer = layerKind(name);
    if (layer && layer.kind !== 'sequential') layers.push({ call, ...layer });
    if (KERAS_SEQUENTIAL.has(name) || layer?.kind === 'sequential') {
      const fact: ModelFact = { kind: KERAS_SEQUENTIAL.has(name) ? 'keras-sequential' : 'torch-sequential', node: call.node, name: assignedName(call.node), layers: [], parts: [] };
      models.push(fact);
      byCall.set(call.start, fact);
    } else if (KERAS_MODEL.has(name)) {
      const outputs = call.keyword('outputs') ?? call.positional[1];
      const fact: ModelFact = { kind: 'keras-functional', node: call.node, name: assignedName(call.node), layers: [], parts: [], ...(outputs ? { outputs } : {}) };
      models.push(fact);
      byCall.set(call.start, fact);
    }
  }

  for (const region of model.outline.regions) {
    if (region.kind !== 'class') continue;
    const bases = region.node.childForFieldName('superclasses')?.namedChildren ?? [];
    const isModelClass = bases.some((base) => {
      const qualified = model.qualifiedName(base) ?? '';
      return TORCH_MODULE_BASES.has(qualified) || KERAS_MODEL.has(qualified) || qualified === 'keras.layers.Layer' || /Module$|Model$/.test(base.text);
    });
    if (!isModelClass && model.classAttributeNames(region).length === 0) continue;
    const fact: ModelFact = { kind: 'class', node: region.node, name: region.name, layers: [], parts: [], region };
    classModels.set(region, fact);
    models.push(fact);
  }

  const sequentialAround = (call: CallFact): ModelFact | undefined => {
    // A layer is a Sequential's when it is an element of the Sequential's argument list (or its list).
    let parent = call.node.parent;
    if (parent?.type === 'list') parent = parent.parent;
    if (parent?.type !== 'argument_list') return undefined;
    const owner = parent.parent;
    return owner?.type === 'call' ? byCall.get(owner.startIndex) : undefined;
  };

  for (const layer of layers) {
    const sequential = sequentialAround(layer.call);
    if (sequential) {
      sequential.layers.push(layer);
      continue;
    }
    const addCall = layer.call.node.parent?.parent;
    if (addCall?.type === 'call') {
      const callee = addCall.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'add') {
        const receiver = callee.childForFieldName('object');
        const target = receiver ? originModel(model, receiver, byCall, classModels) : undefined;
        if (target) {
          target.layers.push(layer);
          continue;
        }
      }
    }
    const classRegion = model.enclosingClass(layer.call.start);
    const classModel = classRegion ? classModels.get(classRegion) : undefined;
    if (classModel) {
      classModel.layers.push(layer);
      continue;
    }
    // Functional Keras: a layer built in the same function (or module) as a `Model(...)` belongs to it.
    const scope = model.functionOf(layer.call.region);
    const functional = models.find((candidate) => candidate.kind === 'keras-functional' && model.functionOf(model.regionAt(candidate.node.startIndex)) === scope);
    if (functional) functional.layers.push(layer);
  }

  // Sequentials and sub-models assigned to `self.x` are parts of the class.
  for (const [region, classModel] of classModels) {
    for (const attribute of model.classAttributeNames(region)) {
      for (const binding of model.classAttribute(region, attribute)) {
        if (!binding.value) continue;
        const part = originModel(model, binding.value, byCall, classModels);
        if (part && part !== classModel && !classModel.parts.includes(part)) classModel.parts.push(part);
      }
    }
  }

  const modelsOf = (expression: SyntaxNode): ModelFact[] => {
    const found: ModelFact[] = [];
    const add = (fact: ModelFact | undefined): void => {
      if (fact && !found.includes(fact)) found.push(fact);
    };
    // Most expressions asked about are plain names: only look for calls when the text can hold one.
    const mentionsParameters = model.text.slice(expression.startIndex, expression.endIndex).includes('parameters');
    const parameterCalls = (mentionsParameters ? expression.descendantsOfType('call') : []).filter((call) => {
      const callee = call.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      return method === 'parameters' || method === 'named_parameters';
    });
    if (parameterCalls.length > 0) {
      for (const call of parameterCalls) {
        const receiver = call.childForFieldName('function')?.childForFieldName('object');
        if (receiver) add(originModel(model, receiver, byCall, classModels));
      }
      return found;
    }
    add(originModel(model, expression, byCall, classModels));
    return found;
  };

  return { layers, models, modelsOf };
}

/** The variable a call's result is assigned to (`model = Sequential(...)` → `model`). */
function assignedName(call: SyntaxNode): string | null {
  const parent = call.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.startIndex === call.startIndex) {
    return parent.childForFieldName('left')?.text ?? null;
  }
  return null;
}

/**
 * Follows an expression to the model it holds: `self` → its class; a name or `self.x` → what it was
 * assigned from; `Net()` → class Net; `build()` → the model that local function builds; `m.to(dev)` → m.
 */
function originModel(
  model: SemanticModel,
  expression: SyntaxNode,
  byCall: Map<number, ModelFact>,
  classModels: Map<Region, ModelFact>,
  depth = 0,
): ModelFact | undefined {
  if (depth > 8) return undefined;
  const next = (node: SyntaxNode): ModelFact | undefined => originModel(model, node, byCall, classModels, depth + 1);
  if (expression.type === 'identifier' && expression.text === 'self') {
    const region = model.enclosingClass(expression.startIndex);
    return region ? classModels.get(region) : undefined;
  }
  if (expression.type === 'identifier' || expression.type === 'attribute') {
    const value = model.assignedValue(expression);
    if (value) return next(value);
    if (expression.type === 'identifier') {
      const binding = model.lookup(expression.text, expression.startIndex);
      if (binding?.kind === 'class' && binding.region) return classModels.get(binding.region);
    }
    return undefined;
  }
  if (expression.type === 'parenthesized_expression') {
    const inner = expression.namedChild(0);
    return inner ? next(inner) : undefined;
  }
  if (expression.type !== 'call') return undefined;
  const direct = byCall.get(expression.startIndex);
  if (direct) return direct;
  const callee = expression.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')?.text ?? '';
    // `.to(device)`, `.cuda()`, `.train()` return the module itself.
    if (['to', 'cuda', 'cpu', 'train', 'eval', 'float', 'double', 'half', 'bfloat16', 'requires_grad_'].includes(method)) {
      const object = callee.childForFieldName('object');
      return object ? next(object) : undefined;
    }
  }
  const qualified = model.qualifiedName(callee);
  const layer = qualified ? layerKind(qualified) : null;
  if (layer && layer.kind !== 'sequential' && layer.kind !== 'other') {
    const fact: ModelFact = { kind: 'layer', node: expression, name: null, layers: [], parts: [] };
    byCall.set(expression.startIndex, fact);
    return fact;
  }
  if (callee.type === 'identifier') {
    const binding = model.lookup(callee.text, callee.startIndex);
    if (binding?.kind === 'class' && binding.region) return classModels.get(binding.region);
    if (binding?.kind === 'def' && binding.region) {
      // A local builder function: the model it returns.
      for (const statement of model.statementsIn(binding.region)) {
        if (statement.node.type !== 'return_statement') continue;
        const returned = statement.node.firstNamedChild;
        const found = returned ? next(returned) : undefined;
        if (found) return found;
      }
    }
  }
  return undefined;
}
