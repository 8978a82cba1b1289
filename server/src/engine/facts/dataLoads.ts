import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region, Statement } from '../semantic/outline';
import type { CallFact } from './calls';
import { isName, NOT_AFTER_NAME_OR_DOT, wholeNamePattern } from '../semantic/identifiers';

/** `pd.read_csv(...)` and the other calls that load a table which may have empty cells. */
export interface DataLoadFact {
  call: CallFact;
  library: 'pandas' | 'numpy';
  /** `read_csv`, `genfromtxt`, ... */
  function: string;
  /** Whether data derived from the load reaches a tensor, a `DataLoader` or a `fit` call in this file. */
  readonly reachesTraining: boolean;
}

export interface DataLoadFacts {
  loads: DataLoadFact[];
  /** `dropna`, `fillna`, `isna`, `isnull`, `isnan`, `nan_to_num`, imputers, `interpolate`, ... anywhere in the file. */
  missingValueHandling: CallFact[];
}

const LOAD_FUNCTIONS: Record<string, 'pandas' | 'numpy'> = {
  'pandas.read_csv': 'pandas',
  'pandas.read_parquet': 'pandas',
  'pandas.read_excel': 'pandas',
  'numpy.genfromtxt': 'numpy',
  'numpy.loadtxt': 'numpy',
};

const LOAD_LEAVES = Object.keys(LOAD_FUNCTIONS).map((name) => name.slice(name.lastIndexOf('.') + 1));

// The complements (`notna`, `isfinite`) and pandas' fill shorthands are checks and handling too.
const HANDLING_METHODS = new Set(['dropna', 'fillna', 'isna', 'isnull', 'isnan', 'is_nan', 'nan_to_num', 'interpolate', 'notna', 'notnull', 'isfinite', 'is_finite', 'ffill', 'bfill']);

const TENSOR_SINKS = new Set([
  'torch.tensor',
  'torch.as_tensor',
  'torch.from_numpy',
  'torch.Tensor',
  'torch.FloatTensor',
  'torch.DoubleTensor',
  'torch.LongTensor',
  'torch.utils.data.DataLoader',
  'tensorflow.constant',
  'tensorflow.convert_to_tensor',
  'tensorflow.data.Dataset.from_tensor_slices',
  'tensorflow.data.Dataset.from_tensors',
]);
const FIT_METHODS = new Set(['fit', 'train_on_batch']);

export function collectDataLoads(model: SemanticModel, calls: CallFact[]): DataLoadFacts {
  const loads: DataLoadFact[] = [];
  const missingValueHandling: CallFact[] = [];
  const { text } = model;
  if (!LOAD_LEAVES.some((leaf) => text.includes(leaf))) return { loads, missingValueHandling };
  let flow: DataFlow | undefined;
  for (const call of calls) {
    const method = call.method;
    if (!method) continue;
    const name = LOAD_LEAVES.includes(method) ? call.qualifiedName : null;
    const library = name ? LOAD_FUNCTIONS[name] : undefined;
    if (name && library) {
      let reaches: boolean | undefined;
      loads.push({
        call,
        library,
        function: name.slice(name.lastIndexOf('.') + 1),
        get reachesTraining(): boolean {
          flow ??= new DataFlow(model, calls);
          reaches ??= flow.reachesTraining(call);
          return reaches;
        },
      });
    }
    if (HANDLING_METHODS.has(method) || method.endsWith('Imputer')) missingValueHandling.push(call);
  }
  return { loads, missingValueHandling };
}

/**
 * Where a loaded table flows, name by name: through assignments (and unpacking, subscripting, method
 * chains), `for` targets, arguments of local functions and classes into their parameters, their return
 * values back to the call, and `self.x` attributes across a class's methods. Flow-insensitive within a
 * scope: a name that ever holds the data is treated as holding it everywhere in that scope.
 */
class DataFlow {
  private readonly mentions = new Map<string, Statement[]>();
  /** Per statement and word, the identifiers spelling it: found by text, read from the tree once. */
  private readonly identifiers = new Map<Statement, Map<string, SyntaxNode[]>>();
  private readonly callsByStatement = new Map<Statement, CallFact[]>();

  constructor(
    private readonly model: SemanticModel,
    calls: CallFact[],
  ) {
    for (const call of calls) {
      const list = this.callsByStatement.get(call.statement);
      if (list) list.push(call);
      else this.callsByStatement.set(call.statement, [call]);
    }
  }

  reachesTraining(load: CallFact): boolean {
    const tainted = new Set<string>();
    const words = new Set<string>();
    const pending: string[] = [];
    const taint = (key: string, word: string): void => {
      if (tainted.has(key)) return;
      tainted.add(key);
      // Only a plain name is searched for in the text: a target a syntax error left empty
      // (`: = pd.read_csv(p)` parses with a MISSING name) names nothing.
      if (isName(word) && !words.has(word)) {
        words.add(word);
        pending.push(word);
      }
    };
    const state = { tainted, words, taint };
    if (this.processStatement(load.statement, state, load.node)) return true;
    // A statement that mentions several tainted words needs another look only if something new was tainted since.
    const lookedAt = new Map<Statement, number>();
    for (let word = pending.shift(); word !== undefined; word = pending.shift()) {
      for (const statement of this.statementsMentioning(word)) {
        if (lookedAt.get(statement) === tainted.size) continue;
        lookedAt.set(statement, tainted.size);
        if (this.processStatement(statement, state, null)) return true;
      }
    }
    return false;
  }

  /** Spreads taint out of one statement; true when tainted data reaches a training sink in it. */
  private processStatement(statement: Statement, state: FlowState, seed: SyntaxNode | null): boolean {
    const isTainted = (node: SyntaxNode): boolean => (seed !== null && contains(node, seed)) || this.mentionsTainted(node, statement, state);
    const node = statement.node;
    if (!isTainted(node)) return false;
    const region = statement.region;
    const assignment = node.type === 'expression_statement' ? node.firstNamedChild : null;
    if (assignment?.type === 'assignment' || assignment?.type === 'augmented_assignment') {
      let right = assignment.childForFieldName('right');
      const targets = [assignment.childForFieldName('left')];
      while (right?.type === 'assignment') {
        targets.push(right.childForFieldName('left'));
        right = right.childForFieldName('right');
      }
      if (right && isTainted(right)) for (const target of targets) if (target) this.taintTarget(target, region, state);
    } else if (node.type === 'return_statement') {
      const owner = this.model.functionOf(region);
      if (owner.kind === 'function' && owner.name) state.taint(`return:${owner.start}`, owner.name);
    } else if (region.kind === 'loop' && region.node.childForFieldName('right')?.startIndex === node.startIndex) {
      const target = region.node.childForFieldName('left');
      if (target) this.taintTarget(target, region, state);
    }
    for (const call of this.callsByStatement.get(statement) ?? []) {
      this.taintParameters(call.node, isTainted, state);
      if (isSink(call) && isTainted(call.node)) return true;
    }
    return false;
  }

  /** Names bound by an assignment target: `x`, `a, b`, `self.x`, and `df` in `df["col"] = ...`. */
  private taintTarget(target: SyntaxNode, region: Region, state: FlowState): void {
    if (target.type === 'identifier') {
      state.taint(`name:${region.scope.start}:${target.text}`, target.text);
    } else if (target.type === 'attribute') {
      const object = target.childForFieldName('object');
      const attribute = target.childForFieldName('attribute');
      const classRegion = this.model.enclosingClass(target.startIndex);
      if (object?.text === 'self' && attribute && classRegion) {
        state.taint(`attribute:${classRegion.start}:${attribute.text}`, attribute.text);
        if (classRegion.name) state.taint(`instance:${classRegion.start}`, classRegion.name);
      } else if (object) {
        this.taintTarget(object, region, state);
      }
    } else if (target.type === 'subscript') {
      const value = target.childForFieldName('value');
      if (value) this.taintTarget(value, region, state);
    } else {
      for (const element of target.namedChildren) this.taintTarget(element, region, state);
    }
  }

  /** A tainted argument to a local function, method or class taints the matching parameter. */
  private taintParameters(call: SyntaxNode, isTainted: (node: SyntaxNode) => boolean, state: FlowState): void {
    const target = this.localCallee(call);
    if (!target) return;
    const parameters = (target.node.childForFieldName('parameters')?.namedChildren ?? [])
      .map((parameter) => (parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0)))
      .filter((name): name is SyntaxNode => name?.type === 'identifier')
      .map((name) => name.text);
    if (target.parent?.kind === 'class' && parameters[0] === 'self') parameters.shift();
    let position = 0;
    for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name')?.text;
        const value = argument.childForFieldName('value');
        if (name && value && parameters.includes(name) && isTainted(value)) state.taint(`name:${target.start}:${name}`, name);
      } else if (argument.type !== 'comment') {
        const name = parameters[position++];
        if (name && isTainted(argument)) state.taint(`name:${target.start}:${name}`, name);
      }
    }
  }

  /** The local function a call runs: `f(...)`, `self.f(...)`, or a local class's `__init__`. */
  private localCallee(call: SyntaxNode): Region | undefined {
    const callee = call.childForFieldName('function');
    if (callee?.type === 'identifier') {
      const binding = this.model.lookup(callee.text, callee.startIndex);
      if (binding?.kind === 'def') return binding.region;
      if (binding?.kind === 'class' && binding.region) return this.methodOf(binding.region, '__init__');
      return undefined;
    }
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
      const classRegion = this.model.enclosingClass(callee.startIndex);
      const method = callee.childForFieldName('attribute')?.text;
      return classRegion && method ? this.methodOf(classRegion, method) : undefined;
    }
    return undefined;
  }

  private methodOf(classRegion: Region, name: string): Region | undefined {
    return this.model.outline.regions.find((region) => region.kind === 'function' && region.name === name && region.parent === classRegion);
  }

  /** Whether an expression in `statement` refers to a name, attribute, function result or instance that holds the data. */
  private mentionsTainted(node: SyntaxNode, statement: Statement, state: FlowState): boolean {
    const { startIndex, endIndex } = node;
    for (const word of state.words) {
      for (const identifier of this.identifiersIn(statement, word)) {
        if (identifier.startIndex < startIndex || identifier.endIndex > endIndex) continue;
        for (const key of this.keysFor(identifier)) if (state.tainted.has(key)) return true;
      }
    }
    return false;
  }

  private identifiersIn(statement: Statement, word: string): SyntaxNode[] {
    let byWord = this.identifiers.get(statement);
    if (!byWord) this.identifiers.set(statement, (byWord = new Map()));
    let found = byWord.get(word);
    if (!found) {
      found = [];
      const { text } = this.model;
      const pattern = wholeNamePattern(word, 'g');
      pattern.lastIndex = statement.start;
      for (let match = pattern.exec(text); match && match.index < statement.end; match = pattern.exec(text)) {
        const node = statement.node.descendantForIndex(match.index, match.index + word.length);
        if (node.type === 'identifier') found.push(node);
      }
      byWord.set(word, found);
    }
    return found;
  }

  /**
   * The taint keys an identifier can stand for. Its role is read from the text around it rather than
   * from `parent` (which costs time in proportion to the siblings on the way down in a long flat module).
   */
  private keysFor(identifier: SyntaxNode): string[] {
    const { text } = this.model;
    const name = identifier.text;
    const before = text.slice(Math.max(0, identifier.startIndex - 64), identifier.startIndex);
    if (/\.\s*$/.test(before)) {
      // An attribute name: only `self.<name>` holds something of its own.
      if (!SELF_DOT_AT_END.test(before)) return [];
      const classRegion = this.model.enclosingClass(identifier.startIndex);
      if (!classRegion) return [];
      const method = this.methodOf(classRegion, name);
      return [`attribute:${classRegion.start}:${name}`, ...(method ? [`return:${method.start}`] : [])];
    }
    // A keyword argument's name: `f(x=...)`.
    if (/[(,]\s*$/.test(before) && /^\s*=(?!=)/.test(text.slice(identifier.endIndex, identifier.endIndex + 8))) return [];
    const keys: string[] = [];
    const scope = this.definingScope(name, identifier.startIndex);
    if (scope) keys.push(`name:${scope.start}:${name}`);
    const binding = this.model.lookup(name, identifier.startIndex);
    if (binding?.kind === 'def' && binding.region) keys.push(`return:${binding.region.start}`);
    if (binding?.kind === 'class' && binding.region) keys.push(`instance:${binding.region.start}`);
    return keys;
  }

  /** The scope whose binding a name refers to at `at`, by the rules `SemanticModel.lookup` follows. */
  private definingScope(name: string, at: number): Region | undefined {
    let scope: Region | null = this.model.scopeAt(at);
    let innermost = true;
    while (scope) {
      if ((scope.kind !== 'class' || innermost) && this.model.bindingsOf(name, scope).length > 0) return scope;
      innermost = false;
      scope = scope.parent ? scope.parent.scope : null;
    }
    return undefined;
  }

  private statementsMentioning(word: string): Statement[] {
    let found = this.mentions.get(word);
    if (!found) {
      found = [];
      let last: Statement | undefined;
      for (const match of this.model.text.matchAll(wholeNamePattern(word, 'g'))) {
        const statement = this.model.statementAt(match.index);
        if (statement && statement !== last) found.push(statement);
        last = statement ?? last;
      }
      this.mentions.set(word, found);
    }
    return found;
  }
}

interface FlowState {
  tainted: Set<string>;
  words: Set<string>;
  taint(key: string, word: string): void;
}

function isSink(call: CallFact): boolean {
  const name = call.qualifiedName;
  if (name) return TENSOR_SINKS.has(name);
  return call.receiver !== null && call.method !== null && FIT_METHODS.has(call.method);
}

const SELF_DOT_AT_END = new RegExp(String.raw`${NOT_AFTER_NAME_OR_DOT}self\s*\.\s*$`, 'u');

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}
