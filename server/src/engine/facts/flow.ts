import type { SyntaxNode } from '../parse/tree';
import type { Binding, SemanticModel } from '../semantic/model';
import type { Region } from '../semantic/outline';
import { lineStartOf } from '../positions';
import { CallFact } from './calls';
import { isName, NAME_END, NOT_AFTER_NAME_OR_DOT } from '../semantic/identifiers';

/**
 * How a value reaches a use: the assignment that reaches a name (never its own statement's), whether
 * that assignment only runs on some paths, and what a parameter receives at the file's call sites.
 */

/**
 * The binding a name has at `use`. In `x = f(x)` the `x` on the right is the previous binding, not the
 * statement's own (the semantic model orders bindings by statement start).
 */
export function reachingBinding(model: SemanticModel, use: SyntaxNode): Binding | undefined {
  const binding = model.lookup(use.text, use.startIndex);
  const value = binding?.value;
  if (!binding || !value || use.startIndex < value.startIndex || use.endIndex > value.endIndex) return binding;
  const before = binding.start > 0 ? model.lookup(use.text, binding.start - 1) : undefined;
  return before && before !== binding && before.start < binding.start ? before : undefined;
}

/**
 * True when the binding statement sits in an `if`/`elif`/`else`/`except`/`case` block that does not hold
 * the use. Read from the indentation of the lines (asking the tree for parents costs a walk from the root
 * per step): the headers of the blocks between the binding and the use's level.
 */
export function isConditional(model: SemanticModel, binding: Binding, use: SyntaxNode): boolean {
  const { text } = model;
  const useStatement = model.statementAt(use.startIndex);
  const useIndentation = indentationOf(text, lineStartOf(text, useStatement?.start ?? use.startIndex));
  let lineStart = lineStartOf(text, binding.start);
  let indentation = indentationOf(text, lineStart);
  while (indentation > useIndentation && lineStart > 0) {
    lineStart = lineStartOf(text, lineStart - 1);
    const lineIndentation = indentationOf(text, lineStart);
    const first = text[lineStart + lineIndentation];
    if (lineIndentation >= indentation || first === '\n' || first === '\r' || first === '#' || first === undefined) continue;
    indentation = lineIndentation;
    if (CONDITIONAL_HEADER.test(text.slice(lineStart + lineIndentation, lineStart + lineIndentation + 7))) return true;
  }
  return false;
}

const CONDITIONAL_HEADER = new RegExp(`^(?:if|elif|else|except|case)${NAME_END}`, 'u');

function indentationOf(text: string, lineStart: number): number {
  let end = lineStart;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return end - lineStart;
}

/** The function (or module) whose scope holds a binding. */
export function scopeOfBinding(model: SemanticModel, binding: Binding): Region {
  return binding.kind === 'param' ? model.functionOf(model.regionAt(binding.node.startIndex)) : model.functionOf(model.scopeAt(binding.start));
}

interface Parameter {
  name: string;
  index: number;
  defaultValue: SyntaxNode | null;
}

/**
 * Calls of a name the facts did not collect up front (local helpers, a criterion held by a parameter),
 * found in the text on first use of each name; the tree is asked only about calls not already collected.
 */
export class CallSites {
  private readonly byName = new Map<string, CallFact[]>();
  private collectedByStart: Map<number, CallFact> | undefined;
  private readonly argumentsByParameter = new Map<Binding, SyntaxNode[]>();
  private readonly byDefinition = new Map<string, Map<Region, CallFact[]>>();

  constructor(
    private readonly model: SemanticModel,
    /** The calls collected up front, reused where the text finds the same call. */
    private readonly collected: CallFact[],
  ) {}

  /** `name(...)` and `self.name(...)` calls in the file, in document order. */
  callsNamed(name: string): CallFact[] {
    return this.callsNamedAny([name]);
  }

  /** The calls of any of the names, found in one pass over the text for the names not asked about before. */
  callsNamedAny(names: string[]): CallFact[] {
    const missing = names.filter((name) => !this.byName.has(name));
    if (missing.length > 0) {
      for (const name of missing) this.byName.set(name, []);
      if (!this.collectedByStart) this.collectedByStart = new Map(this.collected.map((call) => [call.start, call]));
      const root = this.model.tree.rootNode;
      for (const match of this.model.text.matchAll(callPattern(missing))) {
        const name = match[2]!;
        const known = this.collectedByStart.get(match.index);
        if (known?.method === name) {
          this.byName.get(name)!.push(known);
          continue;
        }
        // The smallest node holding the callee and the `(` is the call: no walk up from the `(`.
        const openParen = match.index + match[0].length - 1;
        const call = root.descendantForIndex(match.index, openParen + 1);
        const statement = call.type === 'call' && call.startIndex === match.index ? this.model.statementAt(call.startIndex) : undefined;
        if (!statement) continue;
        this.byName.get(name)!.push(new CallFact(call, statement, this.model, match[1]!.split('.').map((part) => part.trim()), name));
      }
    }
    return names.flatMap((name) => this.byName.get(name)!);
  }

  /**
   * What a parameter receives: the argument at its position (or keyword) at each call of its function
   * in the file, and its default when a call leaves it out. Methods count calls through `self.name(...)`.
   */
  argumentsFor(parameter: Binding): SyntaxNode[] {
    let found = this.argumentsByParameter.get(parameter);
    if (!found) {
      found = this.findArguments(parameter);
      this.argumentsByParameter.set(parameter, found);
    }
    return found;
  }

  private findArguments(parameter: Binding): SyntaxNode[] {
    const definition = this.model.functionOf(this.model.regionAt(parameter.node.startIndex));
    if (definition.kind !== 'function' || !definition.name) return [];
    const described = describeParameter(definition, parameter.node);
    if (!described) return [];
    const isMethod = definition.parent?.kind === 'class';
    const results: SyntaxNode[] = [];
    for (const call of this.callsOf(definition)) {
      const index = described.index - (isMethod && call.callee?.type === 'attribute' ? 1 : 0);
      const positional = call.positional;
      const splat = positional.findIndex((argument) => argument.type === 'list_splat' || argument.type === 'dictionary_splat');
      const argument = splat !== -1 && splat <= index ? undefined : (positional[index] ?? call.keyword(described.name));
      if (argument) results.push(argument);
      else if (described.defaultValue && splat === -1) results.push(described.defaultValue);
    }
    if (results.length === 0 && described.defaultValue) results.push(described.defaultValue);
    return results;
  }

  /**
   * The calls of a local function: `name(...)` resolving to its `def`, or `self.name(...)` inside its
   * class. Each call of a name is resolved once, however many functions share the name.
   */
  private callsOf(definition: Region): CallFact[] {
    const name = definition.name!;
    let byDefinition = this.byDefinition.get(name);
    if (!byDefinition) {
      byDefinition = new Map();
      for (const call of this.callsNamed(name)) {
        const target = this.calledDefinition(call, name);
        if (!target) continue;
        const list = byDefinition.get(target);
        if (list) list.push(call);
        else byDefinition.set(target, [call]);
      }
      this.byDefinition.set(name, byDefinition);
    }
    return byDefinition.get(definition) ?? [];
  }

  private calledDefinition(call: CallFact, name: string): Region | undefined {
    const callee = call.callee;
    if (callee?.type === 'identifier') {
      const binding = this.model.lookup(name, call.start);
      return binding?.kind === 'def' ? binding.region : undefined;
    }
    if (callee?.type !== 'attribute' || callee.childForFieldName('object')?.text !== 'self') return undefined;
    const classRegion = this.model.enclosingClass(call.start);
    const method = classRegion ? this.model.bindingsOf(name, classRegion).find((binding) => binding.kind === 'def') : undefined;
    return method?.region;
  }
}

/** `name(` or `self.name(` for any of the names; group 1 is the callee, group 2 the name. */
function callPattern(names: string[]): RegExp {
  const identifiers = names.filter(isName);
  return new RegExp(String.raw`${NOT_AFTER_NAME_OR_DOT}((?:self\s*\.\s*)?(${identifiers.join('|') || '(?!)'}))\s*\(`, 'gu');
}

function describeParameter(definition: Region, parameterNode: SyntaxNode): Parameter | null {
  const parameters = definition.node.childForFieldName('parameters')?.namedChildren ?? [];
  let index = 0;
  for (const parameter of parameters) {
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'dictionary_splat_pattern' || parameter.type === 'keyword_separator') return null;
    if (parameter.startIndex === parameterNode.startIndex) {
      const nameNode = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChild(0));
      if (nameNode?.type !== 'identifier') return null;
      const defaultValue = parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter' ? parameter.childForFieldName('value') : null;
      return { name: nameNode.text, index, defaultValue };
    }
    index++;
  }
  return null;
}
