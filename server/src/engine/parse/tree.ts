// The only module that imports tree-sitter: the rest of the engine sees these types and functions.
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type TreeCursor = Parser.TreeCursor;
export type Point = Parser.Point;

let parser: Parser | undefined;

function sharedParser(): Parser {
  if (!parser) {
    useNodesAsSnapshots();
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

/** Raised when tree-sitter's error recovery runs far past the normal cost of a text this size. */
export class ParseTimeoutError extends Error {}

// Below this size a parse is fast whatever the text; above it, a deadline guards against tree-sitter's
// error recovery, which grows quadratically after a few dozen unclosed brackets (a 160 kB file: 7 s).
const GUARDED_LENGTH = 16 * 1024;

/** About 15x the time a normal parse of this size takes on a loaded machine. */
export function parseBudgetMs(length: number): number {
  return 500 + length * 0.005;
}

/**
 * Parses `text`; with `oldTree` (already `edit`ed to match `text`) tree-sitter reuses unchanged subtrees.
 * Throws ParseTimeoutError when a large text takes longer than parseBudgetMs.
 */
export function parse(text: string, oldTree?: Tree): Tree {
  if (text.length < GUARDED_LENGTH) return sharedParser().parse(text, oldTree ?? null);
  const budget = parseBudgetMs(text.length);
  const deadline = performance.now() + budget;
  const parser = sharedParser();
  const tree = parser.parse(text, oldTree ?? null, { progressCallback: () => performance.now() > deadline }) as Tree | null;
  if (!tree) {
    // A cancelled parse would otherwise be resumed by the parser's next call, whatever text it is given.
    parser.reset();
    throw new ParseTimeoutError(`parsing took longer than ${Math.round(budget)} ms (tree-sitter's error recovery on unbalanced brackets)`);
  }
  return tree;
}

/** ERROR and MISSING nodes: the regions a syntax error affects. Iterative: trees can be 10,000 deep. */
export function syntaxErrorNodes(tree: Tree): SyntaxNode[] {
  const errors: SyntaxNode[] = [];
  if (!tree.rootNode.hasError) return errors;
  const pending: SyntaxNode[] = [tree.rootNode];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push(node);
      continue;
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (child.hasError || child.isMissing) pending.push(child);
    }
  }
  return errors;
}

// Fields of node-tree-sitter's marshalled node object (its TSNode): 0-1 the id, 2 the start byte, 3-4 the
// start point, 5 the alias. The text is parsed as UTF-16, so a byte offset is twice a string index.
const START_BYTE_FIELD = 2;
const END_INDEX = Symbol('endIndex');

interface NodeFields {
  [field: number]: number;
  [END_INDEX]?: number;
}

/**
 * node-tree-sitter keeps every node object it hands out in a per-tree cache of weak references, with a
 * finalizer each, so that `tree.edit` can move the positions of nodes still alive. The engine never uses a
 * node across an edit (an edit is followed by a reparse and a new analysis), and the cache cost a native
 * call per node plus a slow garbage collection of the finalizers: a fifth of a lint. Without it a node
 * object is a snapshot of its tree version, so its end never changes and its start is already in the
 * object: positions, two in five of the engine's native calls, become property reads.
 * test/engine/tree.test.ts checks them against the native answers.
 */
function useNodesAsSnapshots(): void {
  // The typings declare nodes and trees as interfaces; at run time they are classes on the module.
  const classes = Parser as unknown as {
    SyntaxNode: { prototype: object };
    Tree: { prototype: { _cacheNode(node: object): void; _cacheNodes(nodes: object[]): void } };
  };
  const nodePrototype = classes.SyntaxNode.prototype;
  const nativeEndIndex = Object.getOwnPropertyDescriptor(nodePrototype, 'endIndex')?.get;
  if (!nativeEndIndex) return;
  classes.Tree.prototype._cacheNode = () => undefined;
  classes.Tree.prototype._cacheNodes = () => undefined;
  Object.defineProperty(nodePrototype, 'startIndex', {
    get(this: NodeFields): number {
      return this[START_BYTE_FIELD]! / 2;
    },
    configurable: true,
  });
  Object.defineProperty(nodePrototype, 'endIndex', {
    get(this: NodeFields): number {
      this[END_INDEX] ??= nativeEndIndex.call(this) as number;
      return this[END_INDEX];
    },
    configurable: true,
  });
}
