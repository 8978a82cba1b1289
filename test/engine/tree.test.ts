import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, type SyntaxNode, type Tree } from '../../server/src/engine/parse/tree';

/** Every node with the start and end the tree cursor (native code) reports for it. */
function nodesWithNativePositions(tree: Tree): { node: SyntaxNode; start: number; end: number }[] {
  const cursor = tree.walk();
  const out: { node: SyntaxNode; start: number; end: number }[] = [];
  for (;;) {
    out.push({ node: cursor.currentNode, start: cursor.startIndex, end: cursor.endIndex });
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return out;
    }
  }
}

const TEXTS = {
  'a training script': readFileSync('examples/lstm_seq2seq.py', 'utf8'),
  'non-ASCII and astral characters': 'naïve = "😀 café"\nλ = torch.optim.Adam(params, lr=0.01)  # 𝛼\n',
  'CRLF and tabs': 'def f(x):\r\n\tif x:\r\n\t\treturn x / x.std()\r\n',
  'a syntax error': 'model = nn.Sequential(\n    nn.Linear(4, 3),\nopt = torch.optim.SGD(model.parameters(), lr=\n',
};

describe('syntax node positions', () => {
  for (const [label, text] of Object.entries(TEXTS)) {
    it(`match the native positions of every node in ${label}`, () => {
      const tree = parse(text);
      const nodes = nodesWithNativePositions(tree);
      expect(nodes.length).toBeGreaterThan(10);
      for (const { node, start, end } of nodes) {
        expect([node.type, node.startIndex, node.endIndex]).toEqual([node.type, start, end]);
        expect(node.text).toBe(text.slice(start, end));
      }
    });
  }

  it('stay those of the text they were read from when the tree is edited later', () => {
    const text = 'x = 1\ny = f(x)\n';
    const tree = parse(text);
    const before = tree.rootNode.descendantsOfType('call')[0]!;
    const endReadBeforeEdit = tree.rootNode.descendantsOfType('call')[0]!;
    expect(endReadBeforeEdit.endIndex).toBe(14);
    const inserted = 'zz';
    tree.edit({
      startIndex: 0,
      oldEndIndex: 0,
      newEndIndex: inserted.length,
      startPosition: { row: 0, column: 0 },
      oldEndPosition: { row: 0, column: 0 },
      newEndPosition: { row: 0, column: inserted.length },
    });
    expect([endReadBeforeEdit.startIndex, endReadBeforeEdit.endIndex]).toEqual([10, 14]);
    expect(before.startIndex).toBe(10);
    const after = tree.rootNode.descendantsOfType('call')[0]!;
    expect([after.startIndex, after.endIndex]).toEqual([12, 16]);
    const reparsed = parse(inserted + text, tree).rootNode.descendantsOfType('call')[0]!;
    expect(reparsed.text).toBe('f(x)');
  });
});
