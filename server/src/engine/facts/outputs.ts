import type { SyntaxNode } from '../parse/tree';
import type { Edit } from '../rule';
import { stringContent } from '../semantic/constants';
import type { SemanticModel } from '../semantic/model';
import { activationName, SIGMOID_FUNCTIONS, TORCH_CLASSIFICATION_LOSSES } from './api';
import type { TrainingFacts } from './facts';
import type { LossCall } from './losses';
import type { LayerFact, ModelFact } from './models';

export interface OutputActivation {
  name: string;
  /** The activation as written: the `"sigmoid"` argument, `nn.Sigmoid()`, the `torch.sigmoid(...)` call. */
  node: SyntaxNode;
  /** Keras names the activation (swap it); PyTorch applies it as a call (remove it). */
  replaceWith: 'softmax' | 'remove';
  removal?: Edit;
}

/** A model's output layer: the last layer of a Sequential, what a functional model or `forward` returns. */
export interface OutputLayer {
  framework: 'pytorch' | 'keras';
  model: ModelFact;
  layer: LayerFact;
  units: number | null;
  unitsText: string;
  activation: OutputActivation | null;
  /** Keras: the loss compiled with this model (else the file's); PyTorch: the file's classification loss. */
  loss: string | null;
}

export function outputLayers(model: SemanticModel, facts: TrainingFacts): OutputLayer[] {
  const outputs: OutputLayer[] = [];
  const torchLoss = facts.calls.find((call) => call.qualifiedName !== null && TORCH_CLASSIFICATION_LOSSES.has(call.qualifiedName))?.qualifiedName ?? null;
  const layersByStart = new Map(facts.layers.map((layer) => [layer.call.start, layer]));
  const layerAt = (node: SyntaxNode | null): LayerFact | undefined => {
    const layer = node ? layersByStart.get(node.startIndex) : undefined;
    return layer && node && layer.call.end === node.endIndex ? layer : undefined;
  };

  for (const fact of facts.models) {
    if (fact.kind === 'keras-sequential' || fact.kind === 'torch-sequential') {
      const layers = [...fact.layers].sort((a, b) => a.call.start - b.call.start);
      const last = layers[layers.length - 1];
      if (!last) continue;
      if (last.kind === 'activation') {
        const dense = [...layers].reverse().find((layer) => layer.kind === 'dense');
        if (!dense) continue;
        const activation = last.framework === 'keras' ? kerasActivation(model, last.call.keyword('activation') ?? last.call.positional[0]) : torchActivationLayer(last);
        outputs.push(output(model, facts, fact, dense, activation));
      } else if (last.kind === 'dense') {
        outputs.push(output(model, facts, fact, last, last.framework === 'keras' ? kerasActivation(model, last.call.keyword('activation')) : null));
      }
    } else if (fact.kind === 'keras-functional' && fact.outputs) {
      const produced = model.origin(fact.outputs);
      const layer = produced.type === 'call' ? layerAt(produced.childForFieldName('function')) : undefined;
      if (layer?.kind === 'dense') outputs.push(output(model, facts, fact, layer, kerasActivation(model, layer.call.keyword('activation'))));
    } else if (fact.kind === 'class' && fact.region) {
      for (const returned of returnedExpressions(model, fact, fact.layers[0]?.framework === 'keras' ? 'call' : 'forward')) {
        const found = classOutput(model, facts, fact, returned, layerAt);
        if (found) outputs.push(found);
      }
    }
  }
  const feeds = sigmoidFeeds(facts);
  for (const found of outputs) if (found.framework === 'pytorch') found.loss = torchLossFed(facts, found, torchLoss, feeds);
  return outputs;
}

/** Loss calls by the start of each sigmoid their prediction traces back to; traced once, on first use. */
function sigmoidFeeds(facts: TrainingFacts): () => Map<number, LossCall[]> {
  let feeds: Map<number, LossCall[]> | undefined;
  return () => {
    if (feeds) return feeds;
    feeds = new Map();
    for (const lossCall of facts.losses.calls) {
      if (!lossCall.input) continue;
      for (const found of facts.losses.activationsOf(lossCall.input, { kinds: ['sigmoid'] })) {
        const list = feeds.get(found.node.startIndex);
        if (list) list.push(lossCall);
        else feeds.set(found.node.startIndex, [lossCall]);
      }
    }
    return feeds;
  };
}

/**
 * The classification loss a PyTorch output's sigmoid feeds: traced from each loss call's prediction
 * back to this sigmoid. When no loss call reaches it, the file's classification loss decides, unless the
 * file also has a binary loss (a multi-label model may be what the sigmoid feeds).
 */
function torchLossFed(facts: TrainingFacts, output: OutputLayer, fileLoss: string | null, feeds: () => Map<number, LossCall[]>): string | null {
  const sigmoid = output.activation?.name === 'sigmoid' ? output.activation.node : null;
  if (!sigmoid) return fileLoss;
  const fed = feeds().get(sigmoid.startIndex) ?? [];
  if (fed.length > 0) return fed.find((lossCall) => lossCall.kind === 'cross-entropy' || lossCall.kind === 'nll')?.qualifiedName ?? null;
  const binary = facts.losses.constructions.some((construction) => construction.kind === 'binary-cross-entropy' || construction.kind === 'binary-cross-entropy-with-logits');
  return binary ? null : fileLoss;
}

function output(model: SemanticModel, facts: TrainingFacts, fact: ModelFact, layer: LayerFact, activation: OutputActivation | null): OutputLayer {
  const unitsNode = layer.framework === 'keras' ? (layer.call.keyword('units') ?? layer.call.positional[0]) : (layer.call.keyword('out_features') ?? layer.call.positional[1]);
  const units = unitsNode ? model.constantValue(unitsNode) : null;
  return {
    framework: layer.framework,
    model: fact,
    layer,
    units: typeof units?.value === 'number' ? units.value : null,
    unitsText: unitsNode?.text ?? 'multi',
    activation,
    loss: layer.framework === 'keras' ? kerasLossFor(facts, fact) : null,
  };
}

function kerasLossFor(facts: TrainingFacts, fact: ModelFact): string | null {
  const linked = facts.compiles.find((compile) => compile.models.includes(fact) && compile.lossName);
  if (linked) return linked.lossName;
  // Only when the model's own compile cannot be found does the file's loss decide.
  if (facts.compiles.some((compile) => compile.models.includes(fact))) return null;
  return facts.compiles.find((compile) => compile.lossName)?.lossName ?? null;
}

function kerasActivation(model: SemanticModel, argument: SyntaxNode | undefined): OutputActivation | null {
  if (!argument) return null;
  const text = stringContent(argument);
  if (text !== null) return { name: text, node: argument, replaceWith: 'softmax' };
  const qualified = model.qualifiedName(argument);
  const name = qualified ? activationName(qualified) : null;
  if (!name) return null;
  const attribute = argument.type === 'attribute' ? argument.childForFieldName('attribute') : argument;
  return attribute ? { name, node: attribute, replaceWith: 'softmax' } : null;
}

function torchActivationLayer(layer: LayerFact): OutputActivation | null {
  if (layer.className !== 'Sigmoid') return null;
  // Removing a Sequential element takes the comma before it along.
  const previous = layer.call.node.previousNamedSibling;
  const removal = previous ? { start: previous.endIndex, end: layer.call.node.endIndex, content: '' } : undefined;
  return { name: 'sigmoid', node: layer.call.node, replaceWith: 'remove', ...(removal ? { removal } : {}) };
}

function returnedExpressions(model: SemanticModel, fact: ModelFact, method: string): SyntaxNode[] {
  const methodRegion = model.outline.regions.find((region) => region.kind === 'function' && region.name === method && region.parent === fact.region);
  if (!methodRegion) return [];
  return model
    .statementsIn(methodRegion)
    .filter((statement) => statement.node.type === 'return_statement')
    .map((statement) => statement.node.firstNamedChild)
    .filter((node): node is SyntaxNode => node !== null);
}

/** `return torch.sigmoid(self.fc(x))` / `return self.out(x)`: the layer and activation a class returns. */
function classOutput(
  model: SemanticModel,
  facts: TrainingFacts,
  fact: ModelFact,
  returned: SyntaxNode,
  layerAt: (node: SyntaxNode | null) => LayerFact | undefined,
): OutputLayer | undefined {
  const produced = model.origin(returned);
  if (produced.type !== 'call') return undefined;
  const sigmoid = torchSigmoidCall(model, produced, layerAt);
  const layerCall = sigmoid ? model.origin(sigmoid.input) : produced;
  if (layerCall.type !== 'call') return undefined;
  const callee = layerCall.childForFieldName('function');
  const layerValue = callee ? model.assignedValue(callee) : null;
  const layer = layerAt(layerValue);
  if (layer?.kind !== 'dense') return undefined;
  const activation: OutputActivation | null = sigmoid
    ? { name: 'sigmoid', node: produced, replaceWith: 'remove', removal: { start: produced.startIndex, end: produced.endIndex, content: sigmoid.input.text } }
    : layer.framework === 'keras'
      ? kerasActivation(model, layer.call.keyword('activation'))
      : null;
  return output(model, facts, fact, layer, activation);
}

/** `torch.sigmoid(x)`, `F.sigmoid(x)`, `x.sigmoid()`, or `self.act(x)` with `self.act = nn.Sigmoid()`. */
function torchSigmoidCall(
  model: SemanticModel,
  call: SyntaxNode,
  layerAt: (node: SyntaxNode | null) => LayerFact | undefined,
): { input: SyntaxNode } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const firstArgument = call.childForFieldName('arguments')?.namedChildren.find((argument) => argument.type !== 'keyword_argument');
  const qualified = model.qualifiedName(callee);
  if (qualified && SIGMOID_FUNCTIONS.has(qualified)) return firstArgument ? { input: firstArgument } : undefined;
  if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'sigmoid' && !qualified) {
    const object = callee.childForFieldName('object');
    return object ? { input: object } : undefined;
  }
  const module = layerAt(model.assignedValue(callee));
  if (module?.className === 'Sigmoid' && firstArgument) return { input: firstArgument };
  return undefined;
}
