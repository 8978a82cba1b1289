import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from './model';

export type ConstantValue = number | string | boolean | null | ConstantDict;

/** A dict literal: keys to the expressions they hold, evaluated when asked for. */
export interface ConstantDict {
  kind: 'dict';
  entries: Map<string, SyntaxNode>;
}

export interface Constant {
  value: ConstantValue;
  /** The literal (or expression) the value was computed from. */
  node: SyntaxNode;
  /** Assignments followed to get there, the use's own first: a `LR = 0.01` statement, an argparse default. */
  definitions: SyntaxNode[];
}

/** Literals, arithmetic on them, names, dict keys, argparse defaults; null when not a constant. */
export function evaluateConstant(node: SyntaxNode, model: SemanticModel): Constant | null {
  const literal = (value: ConstantValue): Constant => ({ value, node, definitions: [] });
  switch (node.type) {
    case 'integer':
    case 'float': {
      const text = node.text.replace(/_/g, '');
      if (/[jJ]$/.test(text)) return null;
      const value = /^0[xob]/i.test(text) ? Number(text) : Number.parseFloat(text);
      return Number.isFinite(value) ? literal(value) : null;
    }
    case 'true':
      return literal(true);
    case 'false':
      return literal(false);
    case 'none':
      return literal(null);
    case 'string': {
      const content = stringContent(node);
      return content === null ? null : literal(content);
    }
    case 'parenthesized_expression': {
      const inner = node.namedChild(0);
      return inner ? withNode(model.constantValue(inner), node) : null;
    }
    case 'unary_operator': {
      const operand = node.childForFieldName('argument');
      const operator = node.child(0)?.type;
      const value = operand ? model.constantValue(operand) : null;
      if (!value || typeof value.value !== 'number') return null;
      if (operator === '-') return { ...value, value: -value.value, node };
      if (operator === '+') return { ...value, node };
      return null;
    }
    case 'binary_operator':
      return evaluateArithmetic(node, model);
    case 'identifier': {
      const binding = model.lookup(node.text, node.startIndex);
      if (!binding?.value || binding.kind !== 'assign') return null;
      return followed(model.constantValue(binding.value), binding.node);
    }
    case 'dictionary':
      return literal(dictionaryOf(node));
    case 'call':
      return evaluateCall(node, model);
    case 'subscript': {
      const container = node.childForFieldName('value');
      const key = node.childForFieldName('subscript');
      const dict = container ? model.constantValue(container) : null;
      const keyValue = key ? model.constantValue(key) : null;
      if (!dict || !isDict(dict.value) || typeof keyValue?.value !== 'string') return null;
      const entry = dict.value.entries.get(keyValue.value);
      const value = entry ? model.constantValue(entry) : null;
      return value ? { ...value, definitions: [...dict.definitions, ...value.definitions] } : null;
    }
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute) return null;
      if (object.type === 'identifier' && model.isParsedArguments(object)) {
        const defaultValue = model.argparseDefault(attribute.text);
        const value = defaultValue ? model.constantValue(defaultValue) : null;
        return followed(value, defaultValue?.parent ?? null);
      }
      const assigned = model.assignedValue(node);
      return assigned ? model.constantValue(assigned) : null;
    }
    default:
      return null;
  }
}

export function isDict(value: ConstantValue): value is ConstantDict {
  return typeof value === 'object' && value !== null && value.kind === 'dict';
}

/** The text of a plain (non-f, non-concatenated) string literal. */
export function stringContent(node: SyntaxNode): string | null {
  if (node.type !== 'string') return null;
  let content = '';
  for (const child of node.namedChildren) {
    if (child.type === 'interpolation') return null;
    if (child.type === 'string_content' || child.type === 'escape_sequence') content += child.text;
  }
  return content;
}

function withNode(value: Constant | null, node: SyntaxNode): Constant | null {
  return value ? { ...value, node } : null;
}

function followed(value: Constant | null, definition: SyntaxNode | null): Constant | null {
  if (!value) return null;
  return definition ? { ...value, definitions: [definition, ...value.definitions] } : value;
}

function evaluateArithmetic(node: SyntaxNode, model: SemanticModel): Constant | null {
  const leftNode = node.childForFieldName('left');
  const rightNode = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.type;
  const left = leftNode ? model.constantValue(leftNode) : null;
  const right = rightNode ? model.constantValue(rightNode) : null;
  if (!left || !right || typeof left.value !== 'number' || typeof right.value !== 'number') return null;
  const a = left.value;
  const b = right.value;
  let value: number;
  switch (operator) {
    case '+': value = a + b; break;
    case '-': value = a - b; break;
    case '*': value = a * b; break;
    case '/': value = a / b; break;
    case '//': value = Math.floor(a / b); break;
    case '%': value = a % b; break;
    case '**': value = a ** b; break;
    default: return null;
  }
  if (!Number.isFinite(value)) return null;
  return { value: roundToPrecision(value), node, definitions: [...left.definitions, ...right.definitions] };
}

/** `0.5 * 0.02` is 0.01 to the user; float noise must not move a value across a threshold. */
function roundToPrecision(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}

function evaluateCall(node: SyntaxNode, model: SemanticModel): Constant | null {
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  if (callee?.type !== 'identifier' || model.lookup(callee.text, node.startIndex)) return null;
  if ((callee.text === 'float' || callee.text === 'int') && args.length === 1 && args[0]!.type !== 'keyword_argument') {
    const inner = model.constantValue(args[0]!);
    if (!inner) return null;
    const number = typeof inner.value === 'string' ? Number.parseFloat(inner.value) : inner.value;
    if (typeof number !== 'number' || !Number.isFinite(number)) return null;
    return { ...inner, value: callee.text === 'int' ? Math.trunc(number) : number, node };
  }
  if (callee.text === 'dict') {
    const entries = new Map<string, SyntaxNode>();
    for (const argument of args) {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (argument.type === 'keyword_argument' && name && value) entries.set(name, value);
    }
    return { value: { kind: 'dict', entries }, node, definitions: [] };
  }
  return null;
}

function dictionaryOf(node: SyntaxNode): ConstantDict {
  const entries = new Map<string, SyntaxNode>();
  for (const pair of node.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    const keyText = key ? stringContent(key) : null;
    if (keyText !== null && value) entries.set(keyText, value);
  }
  return { kind: 'dict', entries };
}
