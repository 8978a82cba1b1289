import type { SyntaxNode, TreeCursor } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';

export type StatisticKind = 'std' | 'var' | 'norm' | 'range';

/** A denominator that is a statistic of the data, which is 0 for constant (or all-zero) inputs. */
export interface Statistic {
  kind: StatisticKind;
  /** Where it is computed: the `x.std()` call, the `(max - min)` expression. */
  node: SyntaxNode;
  /** The assignment that named it (`std = data.std(axis=0)`), when the denominator is a name. */
  definition: SyntaxNode | null;
}

const STATISTIC_FUNCTIONS: Record<string, StatisticKind> = {
  'numpy.std': 'std',
  'numpy.nanstd': 'std',
  'numpy.var': 'var',
  'numpy.nanvar': 'var',
  'numpy.ptp': 'range',
  'numpy.linalg.norm': 'norm',
  'torch.std': 'std',
  'torch.var': 'var',
  'torch.norm': 'norm',
  'torch.linalg.norm': 'norm',
  'torch.linalg.vector_norm': 'norm',
  'tensorflow.math.reduce_std': 'std',
  'tensorflow.math.reduce_variance': 'var',
  'tensorflow.math.reduce_euclidean_norm': 'norm',
  'tensorflow.norm': 'norm',
  'tensorflow.linalg.norm': 'norm',
  'keras.ops.std': 'std',
  'keras.ops.var': 'var',
  'keras.ops.norm': 'norm',
  'statistics.stdev': 'std',
  'statistics.pstdev': 'std',
  'statistics.variance': 'var',
  'statistics.pvariance': 'var',
};
/** Methods of arrays, tensors and data frames that compute the same statistics. */
const STATISTIC_METHODS: Record<string, StatisticKind> = { std: 'std', var: 'var', norm: 'norm', ptp: 'range' };
const SQRT_FUNCTIONS = new Set(['numpy.sqrt', 'torch.sqrt', 'tensorflow.sqrt', 'tensorflow.math.sqrt', 'math.sqrt', 'keras.ops.sqrt']);
const STATISTIC_LEAVES = new Set([
  ...Object.keys(STATISTIC_FUNCTIONS).map((name) => name.slice(name.lastIndexOf('.') + 1)),
  ...Object.keys(STATISTIC_METHODS),
  'sqrt',
]);
const MAX_NAMES = new Set(['max', 'amax', 'nanmax', 'reduce_max']);
const MIN_NAMES = new Set(['min', 'amin', 'nanmin', 'reduce_min']);

/** One `a / b` or `a /= b`; what the denominator is gets decided on first use. */
export class DivisionFact {
  private resolved: Statistic | null | undefined;

  constructor(
    readonly node: SyntaxNode,
    readonly denominator: SyntaxNode,
    private readonly model: SemanticModel,
  ) {}

  /** The statistic the denominator is, with no epsilon, clamp or zero check; null otherwise. */
  get statistic(): Statistic | null {
    if (this.resolved === undefined) {
      const statistic = statisticOf(this.model, this.denominator, this.denominator.startIndex, null, 0);
      this.resolved = statistic && !guardedByCondition(this.model, this.node, this.denominator) ? statistic : null;
    }
    return this.resolved;
  }
}

/**
 * Every true division in the file. Each `/` in the text is looked up in its statement on its own: the
 * smallest named node around an operator `/` is its binary operator (around a `/` in a string or comment
 * it is something else). That is far cheaper than listing every binary operator, and needs no `parent`
 * walk, which costs time in proportion to the siblings on the way down in a long flat module.
 */
export function collectDivisions(model: SemanticModel): DivisionFact[] {
  const divisions: DivisionFact[] = [];
  const { text } = model;
  for (let slash = text.indexOf('/'); slash !== -1; slash = text.indexOf('/', slash + 1)) {
    if (text[slash + 1] === '/') {
      slash++;
      continue;
    }
    const statement = model.statementAt(slash);
    if (!statement) continue;
    const operator = statement.node.namedDescendantForIndex(slash, slash + 1);
    if (operator.type !== 'binary_operator' && operator.type !== 'augmented_assignment') continue;
    const token = operator.childForFieldName('operator');
    if (token?.startIndex !== slash || (token.type !== '/' && token.type !== '/=')) continue;
    const denominator = operator.childForFieldName('right');
    if (denominator) divisions.push(new DivisionFact(operator, denominator, model));
  }
  return divisions;
}

function statisticOf(model: SemanticModel, expression: SyntaxNode, use: number, definition: SyntaxNode | null, depth: number): Statistic | null {
  if (depth > 8) return null;
  const found = (kind: StatisticKind): Statistic => ({ kind, node: expression, definition });
  switch (expression.type) {
    case 'parenthesized_expression': {
      const inner = expression.namedChild(0);
      return inner ? statisticOf(model, inner, use, definition, depth + 1) : null;
    }
    case 'call': {
      const callee = expression.childForFieldName('function');
      // Most denominators are calls such as `len(x)` or `max(n, 1)`: the leaf name rules them out cheaply.
      if (!callee || !STATISTIC_LEAVES.has(methodName(callee) ?? '')) return null;
      const name = model.qualifiedName(callee);
      if (name && STATISTIC_FUNCTIONS[name]) return found(STATISTIC_FUNCTIONS[name]);
      // The square root of a variance is as zero as the variance.
      const rooted = name && SQRT_FUNCTIONS.has(name) ? expression.childForFieldName('arguments')?.namedChild(0) : methodName(callee) === 'sqrt' && !name ? callee.childForFieldName('object') : null;
      if (rooted) {
        const inner = statisticOf(model, rooted, use, definition, depth + 1);
        return inner ? { ...inner, kind: inner.kind === 'var' ? 'std' : inner.kind } : null;
      }
      const method = methodName(callee);
      const receiver = callee.childForFieldName('object');
      // A method on an array, tensor or data frame; not a local function or a method of the class itself.
      if (!name && method && STATISTIC_METHODS[method] && receiver && receiver.text !== 'self') return found(STATISTIC_METHODS[method]);
      return null;
    }
    case 'binary_operator': {
      const operator = expression.childForFieldName('operator')?.type;
      const left = expression.childForFieldName('left');
      const right = expression.childForFieldName('right');
      if (!left || !right) return null;
      if (operator === '-' && isExtreme(model, left, MAX_NAMES, 0) && isExtreme(model, right, MIN_NAMES, 0)) return found('range');
      if (operator === '**' && model.constantValue(right)?.value === 0.5) {
        const inner = statisticOf(model, left, use, definition, depth + 1);
        return inner ? { ...inner, kind: inner.kind === 'var' ? 'std' : inner.kind } : null;
      }
      return null;
    }
    case 'identifier':
    case 'attribute': {
      const binding = expression.type === 'identifier' ? model.lookup(expression.text, expression.startIndex) : undefined;
      if (binding && binding.kind !== 'assign') return null;
      const value = model.assignedValue(expression);
      if (!value) return null;
      const statement = binding?.node ?? model.statementAt(value.startIndex)?.node ?? value;
      // The definition reported is the one closest to the statistic: `std = x.std(0)`, not `s = std`.
      const statistic = statisticOf(model, value, use, statement, depth + 1);
      return statistic && !zeroEntriesReplaced(model.text, expression.text, statement.startIndex, use) ? statistic : null;
    }
    default:
      return null;
  }
}

function methodName(callee: SyntaxNode): string | null {
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text ?? null;
  return callee.type === 'identifier' ? callee.text : null;
}

/** `x.max()`, `np.max(x)`, `torch.max(x, 0)[0]`, `x.max(dim=0).values`, `hi = x.max()`: a maximum (or minimum). */
function isExtreme(model: SemanticModel, expression: SyntaxNode, names: Set<string>, depth: number): boolean {
  if (depth > 8) return false;
  let node = expression;
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) node = node.namedChild(0)!;
  if (node.type === 'subscript') node = node.childForFieldName('value') ?? node;
  else if (node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'values' && node.childForFieldName('object')?.type === 'call') node = node.childForFieldName('object')!;
  if (node.type === 'call') {
    const callee = node.childForFieldName('function');
    const method = callee ? methodName(callee) : null;
    if (!callee || !method || !names.has(method)) return false;
    // A bare `max(...)` is the builtin only when nothing in the file shadows it.
    return callee.type === 'attribute' || model.qualifiedName(callee) !== null || !model.lookup(method, callee.startIndex);
  }
  if (node.type === 'identifier' || node.type === 'attribute') {
    const value = model.assignedValue(node);
    return value ? isExtreme(model, value, names, depth + 1) : false;
  }
  return false;
}

/** `std[std == 0] = 1.0` between the definition and the use: the zeros are replaced. */
function zeroEntriesReplaced(text: string, name: string, from: number, to: number): boolean {
  const assignment = /^\s*\[[^\n]*\]\s*=(?!=)/;
  for (let at = text.indexOf(name, from); at !== -1 && at < to; at = text.indexOf(name, at + name.length)) {
    // Two code units before: a name character outside the BMP (`𝛼`) is a surrogate pair.
    if (/[\p{ID_Continue}.]$/u.test(text.slice(Math.max(0, at - 2), at))) continue;
    const lineEnd = text.indexOf('\n', at);
    if (assignment.test(text.slice(at + name.length, lineEnd === -1 ? text.length : lineEnd))) return true;
  }
  return false;
}

/**
 * A division under `if std > 0:` or in `x / std if std else x`: the zero case is handled. The ifs and
 * conditional expressions around the division are found by walking a cursor down to it from the root.
 */
function guardedByCondition(model: SemanticModel, division: SyntaxNode, denominator: SyntaxNode): boolean {
  const name = denominator.type === 'parenthesized_expression' ? denominator.namedChild(0)?.text : denominator.text;
  if (!name) return false;
  const cursor = model.tree.walk();
  const { startIndex, endIndex } = division;
  while (gotoChildAt(cursor, startIndex)) {
    // Stop below the last node that holds the whole division, or at the division itself.
    if (cursor.startIndex > startIndex || cursor.endIndex < endIndex) break;
    const type = cursor.nodeType;
    if (cursor.startIndex === startIndex && cursor.endIndex === endIndex && type === division.type) break;
    if (type !== 'if_statement' && type !== 'elif_clause' && type !== 'conditional_expression') continue;
    const node = cursor.currentNode;
    const condition = type === 'conditional_expression' ? node.namedChild(1) : node.childForFieldName('condition');
    const inCondition = condition !== null && condition.startIndex <= startIndex && endIndex <= condition.endIndex;
    if (condition && !inCondition && condition.text.includes(name)) return true;
  }
  return false;
}

/** node-tree-sitter returns the child's index (0 is a move) or null, not the boolean its types declare. */
function gotoChildAt(cursor: TreeCursor, index: number): boolean {
  const moved: unknown = cursor.gotoFirstChildForIndex(index);
  return moved !== null && moved !== false;
}
