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
