import type { SyntaxNode, Tree } from '../parse/tree';
import { evaluateConstant, type Constant } from './constants';
import { canonicalQualifiedName, importBindings } from './imports';
import { buildOutline, statementAt, type Outline, type Region, type Statement } from './outline';
import { isName, NAME } from './identifiers';

export type BindingKind = 'import' | 'assign' | 'def' | 'class' | 'param' | 'target';

/** A name bound in a scope: by an import, an assignment, a def/class, a parameter or a loop/with target. */
export interface Binding {
  readonly name: string;
  readonly kind: BindingKind;
  /** Where the binding happens (for ordering against uses). */
  readonly start: number;
  /** The statement (or def/class/parameter node) that binds. */
  readonly node: SyntaxNode;
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
  private readonly occurrenceCache = new Map<string, number>();
  private evaluationDepth = 0;
  /** `name = value` and `self.name = value` bindings in document order. */
  private readonly valueAssignments: LazyBinding[] = [];
  private vocabulary: Set<string> | undefined;
  private imported: Set<string> | undefined;

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

  /** The statements inside a region, found by binary search (statements are in document order). */
  statementsIn(region: Region): Statement[] {
    const { statements } = this;
    let low = 0;
    let high = statements.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (statements[mid]!.start < region.start) low = mid + 1;
      else high = mid;
    }
    const inside: Statement[] = [];
    for (let i = low; i < statements.length && statements[i]!.end <= region.end; i++) inside.push(statements[i]!);
    return inside;
  }

  /** How often a pattern occurs in the text; cached, since rules ask about the same names repeatedly. */
  occurrences(pattern: RegExp): number {
    const key = `${pattern.flags}/${pattern.source}`;
    let count = this.occurrenceCache.get(key);
    if (count === undefined) {
      count = 0;
      for (const _ of this.text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) count++;
      this.occurrenceCache.set(key, count);
    }
    return count;
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
    // Walk down `a.b.c` to its root name without recursion: attribute chains can be very long.
    const attributes: string[] = [];
    let current = node;
    while (current.type === 'attribute') {
      const object = current.childForFieldName('object');
      const attribute = current.childForFieldName('attribute');
      if (!object || !attribute) return null;
      attributes.unshift(attribute.text);
      current = object;
    }
    if (current.type !== 'identifier') return null;
    return this.qualifiedNameOfChain([current.text, ...attributes], current.startIndex);
  }

  /**
   * How code inserted at offset `at` can spell an API: `nn.utils.clip_grad_norm_` when `torch.nn` is
   * imported as `nn`, `torch.nn.utils.clip_grad_norm_` after `import torch`; the shortest spelling whose
   * names mean the API there (a name imported twice means what its import before `at` says). Null when
   * nothing imported reaches it at `at`.
   */
  localNameFor(qualifiedName: string, at: number): string | null {
    // Keras is also reachable as `tf.keras`.
    const spellings = qualifiedName === 'keras' || qualifiedName.startsWith('keras.') ? [qualifiedName, `tensorflow.${qualifiedName}`] : [qualifiedName];
    const wanted = canonicalQualifiedName(qualifiedName);
    const candidates = new Set<string>();
    for (const bindings of this.scopeBindings.get(this.module)?.values() ?? []) {
      for (const binding of bindings) {
        const imported = binding.kind === 'import' ? binding.qualifiedName : undefined;
        if (!imported) continue;
        for (const spelling of spellings) {
          if (spelling === imported) candidates.add(binding.name);
          else if (spelling.startsWith(`${imported}.`)) candidates.add(binding.name + spelling.slice(imported.length));
        }
      }
    }
    const byLength = [...candidates].sort((a, b) => a.length - b.length || a.localeCompare(b));
    return byLength.find((candidate) => this.qualifiedNameOfChain(candidate.split('.'), at) === wanted) ?? null;
  }

  /** True when a `from module import *` makes any bare name a possible API. */
  get hasWildcardImport(): boolean {
    return this.wildcardModules.length > 0;
  }

  /**
   * Names that can hold framework values: every imported name, and every name (or `self` attribute)
   * assigned, directly or through other such names, from an expression that starts with one
   * (`criterion = nn.MSELoss()`, `self.rnn = nn.LSTM(...)`, `loss = criterion(out, y)`).
   */
  frameworkNames(): Set<string> {
    if (this.vocabulary) return this.vocabulary;
    const names = new Set(this.importedNames());
    for (const binding of this.valueAssignments) {
      VALUE_ROOT.lastIndex = binding.valueStart;
      const root = VALUE_ROOT.exec(this.text)?.[1];
      if (root && (names.has(root) || (root === 'self' && names.has(VALUE_ROOT.exec(this.text)?.[1] ?? '')))) names.add(binding.name);
    }
    this.vocabulary = names;
    return names;
  }

  /** Local names bound by imports, in any scope. */
  importedNames(): Set<string> {
    if (this.imported) return this.imported;
    const names = new Set<string>();
    for (const scopeNames of this.scopeBindings.values()) {
      for (const [name, bindings] of scopeNames) if (bindings.some((binding) => binding.kind === 'import')) names.add(name);
    }
    this.imported = names;
    return names;
  }

  /** Names of the functions and classes the file defines (calls of them carry data across functions). */
  definedNames(): Set<string> {
    const names = new Set<string>();
    for (const region of this.outline.regions) if (region.name) names.add(region.name);
    return names;
  }

  /** `qualifiedName` for a callee written as a dotted name (`['nn', 'LSTM']`), without asking the tree. */
  qualifiedNameOfChain(chain: string[], at: number): string | null {
    const root = chain[0];
    if (!root) return null;
    const binding = this.lookup(root, at);
    let base: string | null;
    if (binding) base = binding.kind === 'import' ? (binding.qualifiedName ?? null) : null;
    else base = this.wildcardModules[0] ? `${this.wildcardModules[0]}.${root}` : null;
    if (base === null) return null;
    let name = canonicalQualifiedName(base);
    for (let i = 1; i < chain.length; i++) name = canonicalQualifiedName(`${name}.${chain[i]}`);
    return name;
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
    // A value nested deeper than any real configuration (a 10,000-term sum) is not a constant: stay silent.
    if (this.evaluationDepth >= MAX_EVALUATION_DEPTH) return null;
    this.constantCache.set(key, null); // guards against cycles such as `x = x + 1`
    this.evaluationDepth++;
    try {
      const value = evaluateConstant(node, this);
      this.constantCache.set(key, value);
      return value;
    } finally {
      this.evaluationDepth--;
    }
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
    if (!list) {
      names.set(binding.name, [binding]);
      return;
    }
    // Def/class bindings are added before statement bindings: keep each list sorted by start.
    let index = list.length;
    while (index > 0 && list[index - 1]!.start > binding.start) index--;
    list.splice(index, 0, binding);
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
    const scope = statement.region.scope;
    switch (statement.type) {
      case 'import_statement':
      case 'import_from_statement': {
        const { node } = statement;
        for (const imported of importBindings(node)) {
          if (imported.wildcard) this.wildcardModules.push(imported.qualifiedName);
          else this.addBinding(scope, { name: imported.name, kind: 'import', start: statement.start, node, qualifiedName: imported.qualifiedName });
        }
        return;
      }
      case 'expression_statement':
        this.bindAssignment(statement);
        return;
      case 'with_clause':
        for (const item of statement.node.namedChildren) {
          const value = item.childForFieldName('value');
          if (value?.type === 'as_pattern') {
            const target = value.childForFieldName('alias') ?? value.lastNamedChild;
            if (target) this.bindTargets(target, scope, statement.node, undefined);
          }
        }
        return;
      default:
        // The target of a `for` binds names too.
        if (statement.field === 'left') this.bindTargets(statement.node, scope, statement.node, undefined);
    }
  }

  /**
   * Binds the targets of `name = value`, `a, b = value`, `self.x = value` and `x += 1`. The targets are
   * read from the text (the statement starts at its first target), the value node only when asked for.
   */
  private bindAssignment(statement: Statement): void {
    ASSIGNMENT.lastIndex = statement.start;
    const assignment = ASSIGNMENT.exec(this.text);
    const scope = statement.region.scope;
    if (!assignment) {
      AUGMENTED_ASSIGNMENT.lastIndex = statement.start;
      const augmented = AUGMENTED_ASSIGNMENT.exec(this.text);
      if (augmented) this.addBinding(scope, new LazyBinding(augmented[1]!, 'target', statement, null));
      return;
    }
    const targets = assignment[1]!.split(',').map((target) => target.trim());
    if (CHAINED_ASSIGNMENT.test(this.text.slice(assignment.index + assignment[0].length, statement.end))) {
      // `a = b = value` is rare: read it from the tree.
      const first = statement.node.firstNamedChild;
      if (first?.type === 'assignment') this.bindChain(first, statement);
      return;
    }
    if (targets.length === 1) {
      this.bindTarget(targets[0]!, scope, statement, assignment.index + assignment[0].length);
      return;
    }
    targets.forEach((target, index) => {
      if (isName(target)) this.addBinding(scope, new LazyBinding(target, 'target', statement, null, index));
    });
  }

  /** `a = b = value`: every target gets the value at the end of the chain (none when the chain ends without one). */
  private bindChain(assignment: SyntaxNode, statement: Statement): void {
    const targets: SyntaxNode[] = [];
    let current: SyntaxNode | null = assignment;
    while (current?.type === 'assignment') {
      const target = current.childForFieldName('left');
      if (target) targets.push(target);
      // An annotated target without a value (`b: int`, which error recovery can put inside a chain) ends it.
      current = current.childForFieldName('right');
    }
    for (const target of targets) this.bindTargets(target, statement.region.scope, statement.node, current ?? undefined);
  }

  private bindTarget(target: string, scope: Region, statement: Statement, valueStart: number): void {
    const dot = target.indexOf('.');
    if (dot === -1) {
      const binding = new LazyBinding(target, 'assign', statement, assignedRight, undefined, valueStart);
      this.valueAssignments.push(binding);
      this.addBinding(scope, binding);
      return;
    }
    if (target.slice(0, dot) !== 'self') return;
    let classRegion: Region | null = scope;
    while (classRegion && classRegion.kind !== 'class') classRegion = classRegion.parent;
    if (!classRegion) return;
    const binding = new LazyBinding(target.slice(dot + 1), 'assign', statement, assignedRight, undefined, valueStart);
    this.valueAssignments.push(binding);
    this.addClassAttribute(classRegion, binding);
  }

  private addClassAttribute(classRegion: Region, binding: Binding): void {
    let attributes = this.classAttributes.get(classRegion);
    if (!attributes) this.classAttributes.set(classRegion, (attributes = new Map()));
    const list = attributes.get(binding.name);
    if (list) list.push(binding);
    else attributes.set(binding.name, [binding]);
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
        this.addClassAttribute(classRegion, { name: attribute.text, kind: value ? 'assign' : 'target', start: statementNode.startIndex, node: statementNode, ...(value ? { value } : {}) });
      }
      return;
    }
    if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(target.type)) {
      for (const element of target.namedChildren) this.bindTargets(element, scope, statementNode, undefined);
    }
  }
}

const MAX_EVALUATION_DEPTH = 200;

// The targets at the start of an assignment statement: `x`, `self.x`, `a, b` (with an optional annotation).
const ASSIGNMENT = new RegExp(String.raw`(${NAME}(?:\.${NAME})?(?:[ \t]*,[ \t]*${NAME})*)[ \t]*(?::[^=\n]*)?=(?!=)`, 'yu');
const AUGMENTED_ASSIGNMENT = new RegExp(String.raw`(${NAME})[ \t]*(?:\+|-|\*\*|\*|\/\/|\/|%|@|&|\||\^|>>|<<)=`, 'yu');
// The first name of an assigned value, and after it the attribute of `self.x`.
const VALUE_ROOT = new RegExp(String.raw`\s*(${NAME})(?:\s*\.\s*)?`, 'yu');
// A second top-level `=` after the first target: `a = b = value` (keyword arguments sit inside brackets).
const CHAINED_ASSIGNMENT = new RegExp(String.raw`^[ \t]*[\p{ID_Start}_][\p{ID_Continue}.]*(?:[ \t]*,[ \t]*${NAME})*[ \t]*=(?!=)`, 'u');

/** A binding whose statement and value nodes are looked up in the tree only when a rule follows it. */
class LazyBinding implements Binding {
  readonly start: number;
  private resolvedValue: SyntaxNode | null | undefined;

  constructor(
    readonly name: string,
    readonly kind: BindingKind,
    private readonly statement: Statement,
    private readonly valueOf: ((statement: SyntaxNode) => SyntaxNode | null) | null,
    private readonly elementIndex?: number,
    /** Where the assigned value's text begins (after the `=`). */
    readonly valueStart = -1,
  ) {
    this.start = statement.start;
  }

  get node(): SyntaxNode {
    return this.statement.node;
  }

  get value(): SyntaxNode | undefined {
    if (!this.valueOf) return undefined;
    if (this.resolvedValue === undefined) this.resolvedValue = this.valueOf(this.statement.node);
    return this.resolvedValue ?? undefined;
  }

  get element(): { of: SyntaxNode; index: number } | undefined {
    if (this.elementIndex === undefined) return undefined;
    const of = assignedRight(this.statement.node);
    return of ? { of, index: this.elementIndex } : undefined;
  }
}

/** The value of the assignment an expression statement holds. */
function assignedRight(statement: SyntaxNode): SyntaxNode | null {
  const assignment = statement.firstNamedChild;
  return assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
}

/**
 * The last binding at or before `at` (bindings are kept sorted by start); a use before any binding
 * (a function defined later in the file) sees the last one.
 */
function reaching(bindings: Binding[], at: number): Binding | undefined {
  let low = 0;
  let high = bindings.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (bindings[mid]!.start <= at) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? bindings[low - 1] : bindings[bindings.length - 1];
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
