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
    readPositionsWithoutNativeCalls();
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
const EDITS = Symbol('edits');

interface NodeFields {
  [field: number]: number;
  tree: Tree & { [EDITS]?: number };
  [END_INDEX]?: number;
  /** The number of edits of the tree when END_INDEX was read. */
  [EDITS]?: number;
}

/**
 * Positions are what the engine reads most (two in five of its calls into node-tree-sitter), and each read
 * is a native call although the start is already in the node object and the end never changes until the
 * tree is edited. Reading the start from the object and remembering the end per edit of its tree makes
 * them plain property reads. test/engine/tree.test.ts checks both against the native answers.
 */
function readPositionsWithoutNativeCalls(): void {
  // The typings declare nodes and trees as interfaces; at run time they are classes on the module.
  const classes = Parser as unknown as { SyntaxNode: { prototype: object }; Tree: { prototype: { edit(delta: Parser.Edit): Tree } } };
  const nodePrototype = classes.SyntaxNode.prototype;
  const nativeEndIndex = Object.getOwnPropertyDescriptor(nodePrototype, 'endIndex')?.get;
  const nativeEdit = classes.Tree.prototype.edit;
  if (!nativeEndIndex) return;
  Object.defineProperty(nodePrototype, 'startIndex', {
    get(this: NodeFields): number {
      return this[START_BYTE_FIELD]! / 2;
    },
    configurable: true,
  });
  Object.defineProperty(nodePrototype, 'endIndex', {
    get(this: NodeFields): number {
      const edits = this.tree[EDITS] ?? 0;
      if (this[EDITS] === edits) return this[END_INDEX]!;
      const value = nativeEndIndex.call(this) as number;
      this[END_INDEX] = value;
      this[EDITS] = edits;
      return value;
    },
    configurable: true,
  });
  classes.Tree.prototype.edit = function edit(this: Tree & { [EDITS]?: number }, delta: Parser.Edit): Tree {
    this[EDITS] = (this[EDITS] ?? 0) + 1;
    return nativeEdit.call(this, delta);
  };
}
