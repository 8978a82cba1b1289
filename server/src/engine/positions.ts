/** 0-based line and UTF-16 character, as LSP and tree-sitter count them. */
export interface Position {
  line: number;
  character: number;
}

/** 1-based row and Unicode code-point column, as the CLI and its JSON report them. */
export interface RowColumn {
  row: number;
  column: number;
}

/** Converts between offsets and positions of one text; line starts are computed once. */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }

  /** Offset just past the line's content, before its `\n` (and `\r`). */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? (this.lineStarts[line + 1] ?? this.text.length) - 1 : this.text.length;
    return next > this.lineStart(line) && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStart(line) };
  }

  /** Positions past the end of a line or of the text clamp to it, as LSP asks. */
  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.lineStart(position.line);
    const end =
      position.line + 1 < this.lineStarts.length ? (this.lineStarts[position.line + 1] ?? this.text.length) : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  rowColumn(offset: number): RowColumn {
    const { line, character } = this.positionAt(offset);
    const start = this.lineStart(line);
    let column = 1;
    for (let i = start; i < start + character; i++) {
      const code = this.text.charCodeAt(i);
      // A surrogate pair is one code point: count its high half only.
      if (code < 0xdc00 || code > 0xdfff) column++;
    }
    return { row: line + 1, column };
  }
}

/** The start of the line `offset` is on. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the newline ending the line `offset` is on (the text's end on its last line). */
export function nextLineStartOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** The spaces and tabs at the start of the line `offset` is on, up to `offset`. */
export function indentationBefore(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset), offset))?.[0] ?? '';
}
