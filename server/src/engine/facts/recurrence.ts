import type { TrainingFacts } from './facts';
import type { LayerFact, ModelFact } from './models';

/**
 * The first recurrent or attention layer class of the given models (searched through their parts);
 * with no linked model, the file decides: the first such layer of the framework built anywhere in it.
 */
export function recurrentLayerFor(facts: TrainingFacts, models: ModelFact[], framework: 'pytorch' | 'keras'): string | null {
  if (models.length === 0) {
    return facts.layers.find((layer) => layer.framework === framework && isRecurrent(layer))?.className ?? null;
  }
  for (const model of models) {
    const layer = firstRecurrentLayer(model, facts.layers, new Set());
    if (layer) return layer.className;
  }
  return null;
}

function isRecurrent(layer: LayerFact): boolean {
  return layer.kind === 'recurrent' || layer.kind === 'attention';
}

function firstRecurrentLayer(model: ModelFact, layers: LayerFact[], seen: Set<ModelFact>): LayerFact | undefined {
  if (seen.has(model)) return undefined;
  seen.add(model);
  if (model.kind === 'layer') return layers.find((layer) => layer.call.start === model.node.startIndex && isRecurrent(layer));
  const own = model.layers.find(isRecurrent);
  if (own) return own;
  for (const part of model.parts) {
    const found = firstRecurrentLayer(part, layers, seen);
    if (found) return found;
  }
  return undefined;
}
