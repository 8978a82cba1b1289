import type { SyntaxNode, Tree } from '../parse/tree';
import { evaluateConstant, type Constant } from './constants';
import { canonicalQualifiedName, importBindings } from './imports';
import { buildOutline, statementAt, type Outline, type Region, type Statement } from './outline';

export type BindingKind = 'import' | 'assign' | 'def' | 'class' | 'param' | 'target';

/** A name bound in a scope: by an import, an assignment, a def/class, a parameter or a loop/with target. */
export interface Binding {
  name: string;
  kind: BindingKind;
  /** Where the binding happens (for ordering against uses). */
  start: number;
  /** The statement (or def/class/parameter node) that binds. */
  node: SyntaxNode;
  /** For imports: the canonical qualified name the local name stands for. */
  qualifiedName?: string;
  /** For plain assignments `name = value`: the value expression. */
  value?: SyntaxNode;
  /** For def/class bindings: the region they open. */
  region?: Region;
  /** For `a, b = value`: the unpacked value and this name's position in the pattern. */
  element?: { of: SyntaxNode; index: number };
}

/**
 * Scopes, bindings and imports of one file, and the two questions rules ask of them:
 * what API a name stands for (`qualifiedName`) and what constant an expression holds (`constantValue`).
 */
export class SemanticModel {
  readonly outline: Outline;
  private readonly scopeBindings = new Map<Region, Map<string, Binding[]>>();
  /** `self.attr = value` assignments inside a class's methods, per class region. */
  private readonly classAttributes = new Map<Region, Map<string, Binding[]>>();
  private readonly wildcardModules: string[] = [];
  private readonly constantCache = new Map<number, Constant | null>();
  private argparseDefaults: Map<string, SyntaxNode> | undefined;

  constructor(
    readonly tree: Tree,
    readonly text: string,
  ) {
    this.outline = buildOutline(tree);
    for (const region of this.outline.regions) this.bindRegion(region);
    for (const statement of this.outline.statements) this.bindStatement(statement);
  }

  get statements(): Statement[] {
    return this.outline.statements;
  }

  get module(): Region {
    return this.outline.module;
  }

  statementAt(offset: number): Statement | undefined {
    return statementAt(this.outline, offset);
  }

  /** The innermost region (loop, function, class or module) around `offset`. */
  regionAt(offset: number): Region {
    return this.statementAt(offset)?.region ?? this.innermostRegion(offset);
  }

  /** The nearest function/class/module around `offset`. */
  scopeAt(offset: number): Region {
    return this.regionAt(offset).scope;
  }

  /** The function or module a region belongs to (classes and loops looked through). */
  functionOf(region: Region): Region {
    let current: Region | null = region;
    while (current && current.kind !== 'function' && current.kind !== 'module') current = current.parent;
    return current ?? this.module;
  }

  /** The binding a name refers to at `node`, by Python's rules: enclosing functions, then the module. */
  lookup(name: string, at: number): Binding | undefined {
    let scope: Region | null = this.scopeAt(at);
    let innermost = true;
    while (scope) {
      if (scope.kind !== 'class' || innermost) {
        const bindings = this.scopeBindings.get(scope)?.get(name);
        if (bindings && bindings.length > 0) return innermost ? reaching(bindings, at) : bindings[bindings.length - 1];
      }
      innermost = false;
      scope = scope.parent ? scope.parent.scope : null;
    }
    return undefined;
  }

  bindingsOf(name: string, scope: Region = this.module): Binding[] {
    return this.scopeBindings.get(scope)?.get(name) ?? [];
  }

  /** `self.<attribute>` assignments made in the methods of `classRegion`. */
  classAttribute(classRegion: Region, attribute: string): Binding[] {
    return this.classAttributes.get(classRegion)?.get(attribute) ?? [];
  }

  classAttributeNames(classRegion: Region): string[] {
    return [...(this.classAttributes.get(classRegion)?.keys() ?? [])];
  }

  /** The class whose method contains `offset` (for `self.x`). */
  enclosingClass(offset: number): Region | undefined {
    let region: Region | null = this.regionAt(offset);
    while (region && region.kind !== 'class') region = region.parent;
    return region ?? undefined;
  }

  /**
   * The API an expression names, whatever the import style: `F.softmax` → `torch.nn.functional.softmax`,
   * `tf.keras.layers.Dense` → `keras.layers.Dense`. Null for local names and anything not imported.
   */
  qualifiedName(node: SyntaxNode): string | null {
    if (node.type === 'identifier') {
      const binding = this.lookup(node.text, node.startIndex);
      if (binding) return binding.kind === 'import' ? (binding.qualifiedName ?? null) : null;
      const wildcard = this.wildcardModules[0];
      return wildcard ? canonicalQualifiedName(`${wildcard}.${node.text}`) : null;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute) return null;
      const base = this.qualifiedName(object);
      return base ? canonicalQualifiedName(`${base}.${attribute.text}`) : null;
    }
    return null;
  }

  /**
   * How this file can spell an API: `nn.utils.clip_grad_norm_` when `torch.nn` is imported as `nn`,
   * `torch.nn.utils.clip_grad_norm_` after `import torch`; null when nothing imported reaches it.
   */
  localNameFor(qualifiedName: string): string | null {
    // Keras is also reachable as `tf.keras`.
    const spellings = qualifiedName === 'keras' || qualifiedName.startsWith('keras.') ? [qualifiedName, `tensorflow.${qualifiedName}`] : [qualifiedName];
    let best: string | null = null;
    for (const bindings of this.scopeBindings.get(this.module)?.values() ?? []) {
      const binding = bindings[bindings.length - 1];
      const imported = binding?.kind === 'import' ? binding.qualifiedName : undefined;
      if (!binding || !imported) continue;
      for (const spelling of spellings) {
        const candidate = spelling === imported ? binding.name : spelling.startsWith(`${imported}.`) ? binding.name + spelling.slice(imported.length) : null;
        if (candidate && (best === null || candidate.length < best.length)) best = candidate;
      }
    }
    return best;
  }

  /** The expression a name was last assigned from, as seen at the use (null for parameters, imports, ...). */
  assignedValue(node: SyntaxNode): SyntaxNode | null {
    if (node.type === 'identifier') return this.lookup(node.text, node.startIndex)?.value ?? null;
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      const classRegion = this.enclosingClass(node.startIndex);
      if (object?.text === 'self' && attribute && classRegion) {
        const bindings = this.classAttribute(classRegion, attribute.text);
        return bindings[bindings.length - 1]?.value ?? null;
      }
    }
    return null;
  }

  /** Follows names to the expression that produced them, through up to `limit` assignments. */
  origin(node: SyntaxNode, limit = 8): SyntaxNode {
    let current = node;
    for (let i = 0; i < limit; i++) {
      const inner = current.type === 'parenthesized_expression' ? current.namedChild(0) : null;
      const next = inner ?? this.assignedValue(current);
      if (!next || next.startIndex === current.startIndex && next.endIndex === current.endIndex) return current;
      current = next;
    }
    return current;
  }

  /** The constant an expression evaluates to, following assignments, dict keys and argparse defaults. */
  constantValue(node: SyntaxNode): Constant | null {
    const key = node.startIndex * 4096 + (node.endIndex - node.startIndex);
    if (this.constantCache.has(key)) return this.constantCache.get(key) ?? null;
    this.constantCache.set(key, null); // guards against cycles such as `x = x + 1`
    const value = evaluateConstant(node, this);
    this.constantCache.set(key, value);
    return value;
  }

  /** `parser.add_argument("--lr", default=...)` defaults by destination name. */
  argparseDefault(destination: string): SyntaxNode | undefined {
    if (!this.argparseDefaults) {
      this.argparseDefaults = new Map();
      const seen = new Set<Statement>();
      for (const match of this.text.matchAll(/\.add_argument\s*\(/g)) {
        const statement = this.statementAt(match.index);
        if (!statement || seen.has(statement)) continue;
        seen.add(statement);
        for (const call of statement.node.descendantsOfType('call')) {
          const callee = call.childForFieldName('function');
          if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'add_argument') continue;
          const parsed = argparseArgument(call);
          if (parsed) this.argparseDefaults.set(parsed.destination, parsed.defaultValue);
        }
      }
    }
    return this.argparseDefaults.get(destination);
  }

  /** True when `node` is a name bound to the result of `parse_args()` / `parse_known_args()[0]`. */
  isParsedArguments(node: SyntaxNode): boolean {
    const binding = node.type === 'identifier' ? this.lookup(node.text, node.startIndex) : undefined;
    const unpacked = binding?.element?.index === 0 ? binding.element.of : null;
    const value = this.assignedValue(node) ?? unpacked;
    if (!value) return false;
    const call = value.type === 'subscript' ? value.childForFieldName('value') : value;
    const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    return method === 'parse_args' || method === 'parse_known_args';
  }

  private innermostRegion(offset: number): Region {
    let best = this.module;
    for (const region of this.outline.regions) {
      if (region.start <= offset && offset < region.end && region.start >= best.start) best = region;
    }
    return best;
  }

  private addBinding(scope: Region, binding: Binding): void {
    let names = this.scopeBindings.get(scope);
    if (!names) this.scopeBindings.set(scope, (names = new Map()));
    const list = names.get(binding.name);
    if (list) list.push(binding);
    else names.set(binding.name, [binding]);
  }

  private bindRegion(region: Region): void {
    if (region.kind === 'module' || !region.parent) return;
    if (region.kind === 'function' || region.kind === 'class') {
      if (region.name) {
        this.addBinding(region.parent.scope, {
          name: region.name,
          kind: region.kind === 'function' ? 'def' : 'class',
          start: region.start,
          node: region.node,
          region,
        });
      }
      if (region.kind === 'function') {
        for (const parameter of region.node.childForFieldName('parameters')?.namedChildren ?? []) {
          const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
          if (name?.type === 'identifier') {
            this.addBinding(region, { name: name.text, kind: 'param', start: region.start, node: parameter });
          }
        }
      }
    }
  }

  private bindStatement(statement: Statement): void {
    const { node } = statement;
    const scope = statement.region.scope;
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        for (const imported of importBindings(node)) {
          if (imported.wildcard) this.wildcardModules.push(imported.qualifiedName);
          else this.addBinding(scope, { name: imported.name, kind: 'import', start: node.startIndex, node, qualifiedName: imported.qualifiedName });
        }
        return;
      case 'expression_statement': {
        const first = node.firstNamedChild;
        if (first?.type === 'assignment' || first?.type === 'augmented_assignment') this.bindAssignment(first, statement);
        return;
      }
      default:
        // The target of a `for` or a `with ... as` is a header leaf of the outline.
        if (statement.region.kind === 'loop' && statement.region.node.childForFieldName('left')?.startIndex === node.startIndex) {
          this.bindTargets(node, statement.region.scope, node, undefined);
        } else if (node.type === 'with_clause') {
          for (const item of node.namedChildren) {
            const value = item.childForFieldName('value');
            if (value?.type === 'as_pattern') {
              const target = value.childForFieldName('alias') ?? value.lastNamedChild;
              if (target) this.bindTargets(target, scope, node, undefined);
            }
          }
        }
    }
  }

  private bindAssignment(assignment: SyntaxNode, statement: Statement): void {
    const left = assignment.childForFieldName('left');
    let right = assignment.childForFieldName('right');
    // `a = b = value`: every target gets the innermost value.
    while (right?.type === 'assignment') {
      const target = right.childForFieldName('left');
      const inner = right.childForFieldName('right');
      if (target && inner) this.bindTargets(target, statement.region.scope, statement.node, innermostValue(inner));
      right = inner;
    }
    if (!left) return;
    const value = assignment.type === 'assignment' ? (right ?? undefined) : undefined;
    if (value && ['pattern_list', 'tuple_pattern'].includes(left.type)) {
      left.namedChildren.forEach((element, index) => {
        if (element.type === 'identifier') {
          this.addBinding(statement.region.scope, { name: element.text, kind: 'target', start: statement.node.startIndex, node: statement.node, element: { of: value, index } });
        } else {
          this.bindTargets(element, statement.region.scope, statement.node, undefined);
        }
      });
      return;
    }
    this.bindTargets(left, statement.region.scope, statement.node, value);
  }

  private bindTargets(target: SyntaxNode, scope: Region, statementNode: SyntaxNode, value: SyntaxNode | undefined): void {
    if (target.type === 'identifier') {
      this.addBinding(scope, { name: target.text, kind: value ? 'assign' : 'target', start: statementNode.startIndex, node: statementNode, ...(value ? { value } : {}) });
      return;
    }
    if (target.type === 'attribute') {
      const object = target.childForFieldName('object');
      const attribute = target.childForFieldName('attribute');
      let classRegion: Region | null = scope;
      while (classRegion && classRegion.kind !== 'class') classRegion = classRegion.parent;
      if (object?.text === 'self' && attribute && classRegion) {
        let attributes = this.classAttributes.get(classRegion);
        if (!attributes) this.classAttributes.set(classRegion, (attributes = new Map()));
        const binding: Binding = { name: attribute.text, kind: value ? 'assign' : 'target', start: statementNode.startIndex, node: statementNode, ...(value ? { value } : {}) };
        const list = attributes.get(attribute.text);
        if (list) list.push(binding);
        else attributes.set(attribute.text, [binding]);
      }
      return;
    }
    if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
      for (const element of target.namedChildren) this.bindTargets(element, scope, statementNode, undefined);
    }
  }
}

function innermostValue(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === 'assignment') current = current.childForFieldName('right') ?? current;
  return current;
}

/** The last binding at or before `at`; a use before any binding (a later def) sees the last one. */
function reaching(bindings: Binding[], at: number): Binding | undefined {
  let result: Binding | undefined;
  for (const binding of bindings) if (binding.start <= at) result = binding;
  return result ?? bindings[bindings.length - 1];
}

function argparseArgument(call: SyntaxNode): { destination: string; defaultValue: SyntaxNode } | null {
  let destination: string | null = null;
  let firstName: string | null = null;
  let defaultValue: SyntaxNode | null = null;
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument.type === 'string') {
      const option = argument.text.slice(1, -1);
      if (option.startsWith('--') && destination === null) destination = option.slice(2).replace(/-/g, '_');
      else if (!option.startsWith('-') && firstName === null) firstName = option;
    } else if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name === 'default' && value) defaultValue = value;
      if (name === 'dest' && value?.type === 'string') destination = value.text.slice(1, -1);
    }
  }
  const resolved = destination ?? firstName;
  return resolved && defaultValue ? { destination: resolved, defaultValue } : null;
}

export type { Constant } from './constants';
