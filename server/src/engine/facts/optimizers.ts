import type { SyntaxNode } from '../parse/tree';
import type { Constant } from '../semantic/constants';
import { stringContent } from '../semantic/constants';
import type { SemanticModel } from '../semantic/model';
import { HF_TRAINING_ARGUMENTS, KERAS_CLIP_OPTIONS, KERAS_OPTIMIZER_STRINGS, optimizerFamily, type OptimizerFamily } from './api';
import type { CallFact } from './calls';

export interface OptimizerFact {
  /** The constructor call, or the string literal of `compile(optimizer="adam")`. */
  node: SyntaxNode;
  start: number;
  end: number;
  call: CallFact | null;
  family: OptimizerFamily;
  framework: 'pytorch' | 'keras';
  /** As the user would say it: `Adam`, `SGD`, `"adam"`, `TrainingArguments`. */
  displayName: string;
  /** The learning-rate argument's value expression, when given. */
  learningRate: SyntaxNode | null;
  /** The first argument: `model.parameters()` for PyTorch. */
  parameters: SyntaxNode | null;
  /** Keras `clipnorm` / `clipvalue` / `global_clipnorm` given to the optimizer. */
  clips: boolean;
  isString: boolean;
}

export function collectOptimizers(calls: CallFact[]): OptimizerFact[] {
  const optimizers: OptimizerFact[] = [];
  for (const call of calls) {
    const name = call.qualifiedName;
    if (name) {
      const found = optimizerFamily(name);
      if (found) {
        const positionalLr = found.framework === 'pytorch' ? call.positional[1] : call.positional[0];
        optimizers.push({
          node: call.node,
          start: call.start,
          end: call.end,
          call,
          family: found.family,
          framework: found.framework,
          displayName: found.className,
          learningRate: call.keyword('lr') ?? call.keyword('learning_rate') ?? positionalLr ?? null,
          parameters: found.framework === 'pytorch' ? (call.positional[0] ?? call.keyword('params') ?? null) : null,
          clips: KERAS_CLIP_OPTIONS.some((option) => call.hasKeyword(option)),
          isString: false,
        });
        continue;
      }
      if (HF_TRAINING_ARGUMENTS.has(name)) {
        // Hugging Face trains with AdamW unless told otherwise.
        optimizers.push({
          node: call.node,
          start: call.start,
          end: call.end,
          call,
          family: 'adamw',
          framework: 'pytorch',
          displayName: 'AdamW (TrainingArguments)',
          learningRate: call.keyword('learning_rate') ?? null,
          parameters: null,
          clips: true,
          isString: false,
        });
        continue;
      }
    }
    if (call.method === 'compile' && call.receiver) {
      const argument = call.keyword('optimizer') ?? call.positional[0];
      const text = argument ? stringContent(argument) : null;
      const family = text ? KERAS_OPTIMIZER_STRINGS[text.toLowerCase()] : undefined;
      if (argument && family) {
        optimizers.push({
          node: argument,
          start: argument.startIndex,
          end: argument.endIndex,
          call: null,
          family,
          framework: 'keras',
          displayName: `"${text}"`,
          learningRate: null,
          parameters: null,
          clips: false,
          isString: true,
        });
      }
    }
  }
  return optimizers;
}

/** The optimizer an expression holds (`optimizer`, `self.opt`, a direct constructor call). */
export function optimizerOf(model: SemanticModel, optimizers: OptimizerFact[], expression: SyntaxNode): OptimizerFact | undefined {
  const origin = model.origin(expression);
  const start = origin.startIndex;
  const end = origin.endIndex;
  return optimizers.find((optimizer) => optimizer.start === start && optimizer.end === end);
}

export function learningRateOf(model: SemanticModel, optimizer: OptimizerFact): Constant | null {
  return optimizer.learningRate ? model.constantValue(optimizer.learningRate) : null;
}
