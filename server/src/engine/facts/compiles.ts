import type { SyntaxNode } from '../parse/tree';
import { stringContent } from '../semantic/constants';
import type { SemanticModel } from '../semantic/model';
import type { CallFact } from './calls';
import type { ModelFact } from './models';
import { optimizerOf, type OptimizerFact } from './optimizers';

/** `model.compile(optimizer=..., loss=...)`: links a Keras model to its optimizer and loss. */
export interface CompileFact {
  call: CallFact;
  models: ModelFact[];
  optimizer: OptimizerFact | undefined;
  loss: SyntaxNode | null;
  /** `keras.losses.CategoricalCrossentropy`, or the string `categorical_crossentropy`. */
  lossName: string | null;
}

export function collectCompiles(
  model: SemanticModel,
  calls: CallFact[],
  optimizers: OptimizerFact[],
  modelsOf: (expression: SyntaxNode) => ModelFact[],
): CompileFact[] {
  const compiles: CompileFact[] = [];
  for (const call of calls) {
    if (call.method !== 'compile' || !call.receiver || model.qualifiedName(call.receiver) !== null) continue;
    const optimizerArgument = call.keyword('optimizer') ?? call.positional[0];
    const loss = call.keyword('loss') ?? call.positional[1] ?? null;
    if (!optimizerArgument && !loss) continue;
    const optimizer = optimizerArgument
      ? optimizers.find((candidate) => candidate.node.startIndex === optimizerArgument.startIndex) ?? optimizerOf(model, optimizers, optimizerArgument)
      : undefined;
    compiles.push({ call, models: modelsOf(call.receiver), optimizer, loss, lossName: loss ? lossNameOf(model, loss) : null });
  }
  return compiles;
}

function lossNameOf(model: SemanticModel, loss: SyntaxNode): string | null {
  const origin = model.origin(loss);
  const text = stringContent(origin);
  if (text !== null) return text;
  if (origin.type === 'call') {
    const callee = origin.childForFieldName('function');
    return callee ? model.qualifiedName(callee) : null;
  }
  return model.qualifiedName(origin);
}
