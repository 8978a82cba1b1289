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

/** Parses `text`; with `oldTree` (already `edit`ed to match `text`) tree-sitter reuses unchanged subtrees. */
export function parse(text: string, oldTree?: Tree): Tree {
  return sharedParser().parse(text, oldTree ?? null);
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
