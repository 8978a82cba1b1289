import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { CallFact } from './calls';
import { reachingBinding, scopeOfBinding } from './flow';

export type LogFramework = 'pytorch' | 'tensorflow' | 'numpy';

/** `torch.log(p)`, `tf.math.log(p)`, `np.log(p)`, `p.log()`: a logarithm of a tensor. */
export class LogCall {
  private product: boolean | undefined;
  private guard: boolean | undefined;

  constructor(
    private readonly model: SemanticModel,
    readonly call: CallFact,
    readonly framework: LogFramework,
    /** `p`: the argument, or the receiver of `p.log()`. */
    readonly argument: SyntaxNode,
    /** `p.log()` rather than `torch.log(p)`. */
    readonly method: boolean,
  ) {}

  /** A factor of a product with labels, as in a hand-written cross-entropy: `y * log(p)`, `(1 - y) * log(1 - p)`. */
  get crossEntropy(): boolean {
    this.product ??= isLabelProductFactor(this.model, this.call.node);
    return this.product;
  }

  /** The argument adds an epsilon (`p + 1e-8`, `p + eps`) or is clamped (`clamp`, `clip`, `clip_by_value`, `maximum`), directly or through names assigned in the same function. */
  get guarded(): boolean {
    this.guard ??= isGuarded(this.model, this.argument, 0);
    return this.guard;
  }
}

const LOG_FUNCTIONS: Record<string, LogFramework> = {
  'torch.log': 'pytorch',
  'tensorflow.math.log': 'tensorflow',
  'tensorflow.log': 'tensorflow',
  'numpy.log': 'numpy',
};

const CLAMPS = new Set(['clamp', 'clamp_', 'clamp_min', 'clamp_min_', 'clip', 'clip_', 'clip_by_value', 'maximum', 'fmax', 'nan_to_num', 'nan_to_num_']);
const EPSILON_NAME = /eps|epsilon|tiny|smooth/i;

export function collectLogCalls(model: SemanticModel, calls: CallFact[]): LogCall[] {
  if (!/\blog\s*\(/.test(model.text)) return [];
  const found: LogCall[] = [];
  for (const call of calls) {
    if (call.method !== 'log') continue;
    const qualified = call.qualifiedName;
    let framework: LogFramework | undefined;
    let argument: SyntaxNode | null | undefined;
    let method = false;
    if (qualified) {
      framework = LOG_FUNCTIONS[qualified];
      argument = call.positional[0] ?? call.keyword('input') ?? call.keyword('x');
    } else if (call.receiver && call.receiver.text !== 'self' && (call.argumentsNode?.namedChildCount ?? 0) === 0) {
      // `p.log()` on a tensor; `self.log("loss", v)` (Lightning) and `logger.log(...)` take arguments.
      framework = 'pytorch';
      argument = call.receiver;
      method = true;
    }
    if (!framework || !argument) continue;
    found.push(new LogCall(model, call, framework, argument, method));
  }
  return found;
}

/** `y * log(p)` / `log(p) * y` where the other factor is not a plain number (`0.5 * log(var)` is not a cross-entropy). */
function isLabelProductFactor(model: SemanticModel, call: SyntaxNode): boolean {
  let node = call;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const product = node.parent;
  if (product?.type !== 'binary_operator' || product.childForFieldName('operator')?.type !== '*') return false;
  const left = product.childForFieldName('left');
  const other = left?.startIndex === node.startIndex ? product.childForFieldName('right') : left;
  if (!other) return false;
  return !isShort(other) || typeof model.constantValue(other)?.value !== 'number';
}

function isGuarded(model: SemanticModel, expression: SyntaxNode, depth: number): boolean {
  if (depth > 4) return false;
  const home = model.functionOf(model.regionAt(expression.startIndex));
  // An explicit stack, and no `parent` lookups: tree-sitter finds a parent by walking down from the root,
  // which a 10,000-term sum inside the log would make quadratic.
  const pending: SyntaxNode[] = [expression];
  const push = (node: SyntaxNode | null | undefined): void => {
    if (node) pending.push(node);
  };
  for (let node = pending.pop(); node; node = pending.pop()) {
    switch (node.type) {
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (node.childForFieldName('operator')?.type === '+' && ((left && isEpsilon(model, left)) || (right && isEpsilon(model, right)))) return true;
        push(left);
        push(right);
        break;
      }
      case 'call': {
        const callee = node.childForFieldName('function');
        const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
        if (name && CLAMPS.has(name)) return true;
        if (callee?.type === 'attribute') push(callee.childForFieldName('object'));
        for (const argument of node.childForFieldName('arguments')?.namedChildren ?? []) push(argument.type === 'keyword_argument' ? argument.childForFieldName('value') : argument);
        break;
      }
      case 'attribute':
        push(node.childForFieldName('object'));
        break;
      case 'identifier': {
        // A name assigned in the same function from a guarded expression: `p = p.clamp(1e-7, 1)`.
        const binding = reachingBinding(model, node);
        if (binding?.kind === 'assign' && binding.value && scopeOfBinding(model, binding) === home && isGuarded(model, binding.value, depth + 1)) return true;
        break;
      }
      default:
        for (const child of node.namedChildren) push(child);
    }
  }
  return false;
}

/** A small positive constant (`1e-8`, `EPS = 1e-7`) or a name that says it is one (`eps`, `self.eps`). */
function isEpsilon(model: SemanticModel, node: SyntaxNode): boolean {
  const value = isShort(node) ? model.constantValue(node)?.value : undefined;
  if (typeof value === 'number') return value > 0 && value < 0.1;
  const name = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : node.type === 'identifier' ? node.text : null;
  return name !== null && name !== undefined && EPSILON_NAME.test(name);
}

/**
 * Only short expressions are evaluated as constants: a number is written in a few characters, and
 * evaluating a 10,000-term sum or 2,000 nested parentheses would cost a deep recursion for nothing.
 */
function isShort(node: SyntaxNode): boolean {
  return node.endIndex - node.startIndex <= 64;
}
