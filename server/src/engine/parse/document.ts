import { LineIndex, type Position } from '../positions';
import type { Edit } from '../rule';
import { parse, type Point, type Tree } from './tree';

/** An LSP content change: ranged (incremental) or the whole text. */
export interface ContentChange {
  range?: { start: Position; end: Position };
  text: string;
}

/**
 * A text plus its syntax tree, kept in step with edits: each change is applied to the old tree with
 * `tree.edit`, and the reparse that reuses the unchanged subtrees happens lazily at the next `tree()`.
 */
export class IncrementalDocument {
  private currentText: string;
  /** The tree kept for incremental reparsing; the next `tree.edit` invalidates the nodes read from it. */
  private currentTree: Tree | undefined;
  /** The tree handed to the analysis: `currentTree`, or a fresh parse where that has syntax errors. */
  private analysedTree: Tree | undefined;
  private treeIsStale = true;
  private lines: LineIndex | undefined;

  constructor(text: string) {
    this.currentText = text;
  }

  get text(): string {
    return this.currentText;
  }

  get lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.currentText);
    return this.lines;
  }

  applyChange(change: ContentChange): void {
    if (!change.range) {
      this.currentText = change.text;
      this.currentTree = undefined;
      this.analysedTree = undefined;
      this.treeIsStale = true;
      this.lines = undefined;
      return;
    }
    const lines = this.lineIndex;
    const start = lines.offsetAt(change.range.start);
    this.replace({ start, end: Math.max(start, lines.offsetAt(change.range.end)), content: change.text });
  }

  /** Replaces `start`–`end` (offsets into the current text) with `content`, editing the kept tree to match. */
  replace({ start: startIndex, end: oldEndIndex, content }: Edit): void {
    const lines = this.lineIndex;
    const startPosition = toPoint(lines.positionAt(startIndex));
    const oldEndPosition = toPoint(lines.positionAt(oldEndIndex));
    this.currentText = this.currentText.slice(0, startIndex) + content + this.currentText.slice(oldEndIndex);
    this.lines = undefined;
    if (this.currentTree) {
      this.currentTree.edit({
        startIndex,
        oldEndIndex,
        newEndIndex: startIndex + content.length,
        startPosition,
        oldEndPosition,
        newEndPosition: endPointAfter(startPosition, content),
      });
    }
    this.treeIsStale = true;
  }

  tree(): Tree {
    if (!this.currentTree || this.treeIsStale) {
      this.currentTree = parse(this.currentText, this.currentTree);
      this.analysedTree = undefined;
      this.treeIsStale = false;
    }
    // tree-sitter's error recovery can differ between an incremental and a fresh parse of the same invalid
    // text: a text with errors is analysed from a fresh parse, so every face sees what `nanlint check` sees.
    this.analysedTree ??= this.currentTree.rootNode.hasError ? parse(this.currentText) : this.currentTree;
    return this.analysedTree;
  }
}

function toPoint(position: Position): Point {
  return { row: position.line, column: position.character };
}

function endPointAfter(start: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline === -1) return { row: start.row, column: start.column + inserted.length };
  let newlines = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) newlines++;
  return { row: start.row + newlines, column: inserted.length - lastNewline - 1 };
}
