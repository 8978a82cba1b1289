import type { SyntaxNode, Tree, TreeCursor } from '../parse/tree';

export type RegionKind = 'module' | 'function' | 'class' | 'loop';

/** A module, function, class or loop: the containers that decide scoping and "the same loop body". */
export interface Region {
  kind: RegionKind;
  node: SyntaxNode;
  start: number;
  end: number;
  parent: Region | null;
  /** The nearest module, function or class region (itself for those kinds). */
  scope: Region;
  /** Function or class name. */
  name: string | null;
}

/**
 * A statement, or a header part of a compound statement (a `for` target, an `if` condition, a `with`
 * clause): the leaves of the outline. Every expression in the file lies inside exactly one of them.
 * The syntax node is fetched on first use: most statements are only ever located, never inspected.
 */
export class Statement {
  private resolved: SyntaxNode | undefined;

  constructor(
    readonly type: string,
    readonly start: number,
    readonly end: number,
    readonly region: Region,
    /** The field this leaf fills in its compound statement (`left` for a `for` target), else null. */
    readonly field: string | null,
    private readonly descendantIndex: number,
    private readonly cursor: TreeCursor,
  ) {}

  get node(): SyntaxNode {
    if (!this.resolved) {
      this.cursor.gotoDescendant(this.descendantIndex);
      this.resolved = this.cursor.currentNode;
    }
    return this.resolved;
  }
}

export interface Outline {
  module: Region;
  regions: Region[];
  /** In document order, non-overlapping. */
  statements: Statement[];
}

// Node types whose children are walked; everything else is a leaf of the outline.
const CONTAINERS = new Set([
  'module',
  'block',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'match_statement',
  'case_clause',
  'ERROR',
]);

const REGION_KIND: Record<string, RegionKind | undefined> = {
  function_definition: 'function',
  class_definition: 'class',
  for_statement: 'loop',
  while_statement: 'loop',
};

/**
 * One cursor walk over the statement level of the tree. Expressions are not visited here: the facts
 * layer looks inside the statements it needs, which keeps a lint close to the cost of the parse.
 */
export function buildOutline(tree: Tree): Outline {
  const root = tree.rootNode;
  const module: Region = {
    kind: 'module',
    node: root,
    start: root.startIndex,
    end: root.endIndex,
    parent: null,
    scope: undefined as unknown as Region,
    name: null,
  };
  module.scope = module;
  const regions: Region[] = [module];
  const statements: Statement[] = [];
  const stack: { region: Region; depth: number }[] = [{ region: module, depth: 0 }];

  const cursor = tree.walk();
  const lazyNodes = tree.walk();
  let depth = 0;
  for (;;) {
    const type = cursor.nodeType;
    const kind = REGION_KIND[type];
    const current = stack[stack.length - 1]!.region;
    if (kind) {
      const node = cursor.currentNode;
      const region: Region = {
        kind,
        node,
        start: cursor.startIndex,
        end: cursor.endIndex,
        parent: current,
        scope: undefined as unknown as Region,
        // A name that a syntax error left empty (a MISSING identifier) is no name.
        name: kind === 'function' || kind === 'class' ? node.childForFieldName('name')?.text || null : null,
      };
      region.scope = kind === 'loop' ? current.scope : region;
      regions.push(region);
      stack.push({ region, depth });
    }
    if (depth === 0 || CONTAINERS.has(type)) {
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
    } else if (cursor.nodeIsNamed && type !== 'comment') {
      // Only the header parts of loops and `with` need their field (a `for` target binds names).
      const field = current.kind === 'loop' && stack[stack.length - 1]!.depth === depth - 1 ? cursor.currentFieldName : null;
      statements.push(new Statement(type, cursor.startIndex, cursor.endIndex, current, field || null, cursor.currentDescendantIndex, lazyNodes));
    }
    for (;;) {
      if (cursor.gotoNextSibling()) {
        while (stack.length > 1 && stack[stack.length - 1]!.depth >= depth) stack.pop();
        break;
      }
      if (!cursor.gotoParent()) return { module, regions, statements };
      depth--;
      while (stack.length > 1 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    }
  }
}

/** The outline leaf containing `offset`, by binary search. */
export function statementAt(outline: Outline, offset: number): Statement | undefined {
  const { statements } = outline;
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const statement = statements[mid]!;
    if (offset < statement.start) high = mid - 1;
    else if (offset >= statement.end) low = mid + 1;
    else return statement;
  }
  return undefined;
}
