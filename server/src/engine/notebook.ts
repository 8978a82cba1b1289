/**
 * A Jupyter notebook seen as one Python document: code cells joined in order, so facts flow across
 * cells (optimizer built in one cell, training loop in another). IPython syntax is masked with
 * content of the same UTF-16 length and the same line breaks, so every offset in a cell is also an
 * offset in the virtual document, shifted by the cell's start.
 */

import { indentationBefore } from './positions';
import type { Edit } from './rule';

export type CellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCellInput {
  kind: CellKind;
  source: string;
}

/** Where one code cell sits in the virtual document. */
export interface CellSegment {
  /** Index of the cell in the notebook's cells array (markdown and raw cells counted). */
  cellIndex: number;
  /** Virtual offset of the cell's first character. */
  start: number;
  /** Length of the cell's source; the virtual document adds one `\n` after each cell. */
  length: number;
}

/** An edit of one cell's source, in that cell's offsets. */
export interface CellEdit extends Edit {
  cellIndex: number;
}

export interface CellOffset {
  cellIndex: number;
  offset: number;
}

export interface VirtualNotebook {
  /** The joined, masked Python text that the linter reads. */
  readonly text: string;
  readonly segments: readonly CellSegment[];
  /** The cell and in-cell offset of a virtual offset; the separator after a cell maps to its end. */
  toCell(virtualOffset: number): CellOffset | undefined;
  /** The virtual offset of an in-cell offset; undefined for non-code cells or offsets outside the cell. */
  toVirtual(cellIndex: number, offset: number): number | undefined;
  /** The cell holding the whole span, with in-cell offsets; undefined when the span crosses cells. */
  spanToCell(start: number, end: number): { cellIndex: number; start: number; end: number } | undefined;
  /**
   * The edit of one cell that changes the virtual document as `edit` does; undefined when the edit
   * crosses cells or lies outside every cell. `findingAt` is the virtual offset of the finding the
   * edit fixes: it decides where a line inserted just after the newline that closes a cell goes, since
   * "after the cell's last line" and "before the next cell's first line" are the same virtual offset.
   */
  editToCell(edit: Edit, findingAt: number): CellEdit | undefined;
}

/** Cell magics whose body is Python: only their first line is masked. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'pypy']);

/** `x = !ls`, `files = %sx ls`: the assignment stays, the right-hand side is masked. */
const ASSIGNED_MAGIC = /^(\s*[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)([!%].*)$/;

export function buildVirtualNotebook(cells: readonly NotebookCellInput[]): VirtualNotebook {
  const segments: CellSegment[] = [];
  const parts: string[] = [];
  let offset = 0;
  cells.forEach((cell, cellIndex) => {
    if (cell.kind !== 'code') return;
    const masked = maskIPythonSyntax(cell.source);
    segments.push({ cellIndex, start: offset, length: masked.length });
    parts.push(masked, '\n');
    offset += masked.length + 1;
  });
  const text = parts.join('');
  const byCell = new Map(segments.map((segment) => [segment.cellIndex, segment]));

  const segmentAt = (virtualOffset: number): CellSegment | undefined => {
    let low = 0;
    let high = segments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = segments[mid];
      if (segment === undefined) break;
      if (virtualOffset < segment.start) high = mid - 1;
      else if (virtualOffset > segment.start + segment.length) low = mid + 1;
      else return segment;
    }
    return undefined;
  };

  const spanToCell = (start: number, end: number): { cellIndex: number; start: number; end: number } | undefined => {
    const segment = segmentAt(start);
    if (segment === undefined || end < start || end > segment.start + segment.length) return undefined;
    return { cellIndex: segment.cellIndex, start: start - segment.start, end: end - segment.start };
  };

  return {
    text,
    segments,
    toCell(virtualOffset) {
      const segment = segmentAt(virtualOffset);
      return segment && { cellIndex: segment.cellIndex, offset: virtualOffset - segment.start };
    },
    toVirtual(cellIndex, cellOffset) {
      const segment = byCell.get(cellIndex);
      if (segment === undefined || cellOffset < 0 || cellOffset > segment.length) return undefined;
      return segment.start + cellOffset;
    },
    spanToCell,
    editToCell(edit, findingAt) {
      // The cell whose separator newline the insertion directly follows.
      const before = edit.start === edit.end ? segmentAt(edit.start - 1) : undefined;
      const closed = before && edit.start === before.start + before.length + 1 ? before : undefined;
      const lineEnd = /\r?\n$/.exec(edit.content)?.[0];
      // After the last cell nothing else can take the line; between cells, the finding's cell does.
      if (closed && lineEnd && (segmentAt(edit.start) === undefined || segmentAt(findingAt) === closed)) {
        // The separator newline already ends the cell's old last line, so the line's own line end moves
        // in front of it: the cell gets `\n<line>` and the virtual text comes out the same (a CRLF line
        // keeps its CRLF in the cell, so there the two line ends swap places).
        return { cellIndex: closed.cellIndex, start: closed.length, end: closed.length, content: lineEnd + edit.content.slice(0, -lineEnd.length) };
      }
      const span = spanToCell(edit.start, edit.end);
      return span && { ...span, content: edit.content };
    },
  };
}

/**
 * Replaces IPython-only syntax (line magics, `!shell`, `?help`, non-Python cell magics) with `0`
 * padded by spaces: a harmless expression statement that keeps indentation valid, every line break
 * in place and every UTF-16 offset unchanged.
 */
export function maskIPythonSyntax(source: string): string {
  const lines = source.split('\n');
  const cellMagic = /^%%(\w+)/.exec(lines[0] ?? '');
  if (cellMagic) {
    const bodyIsPython = PYTHON_BODY_CELL_MAGICS.has(cellMagic[1] ?? '');
    return lines.map((line, i) => (i === 0 || !bodyIsPython ? blankOut(line, '') : line)).join('\n');
  }
  const out: string[] = [];
  let continuing = false;
  for (const line of lines) {
    if (continuing) {
      out.push(blankOut(line, ''));
      continuing = endsWithContinuation(line);
      continue;
    }
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    const rest = line.slice(indent.length);
    const assigned = ASSIGNED_MAGIC.exec(line);
    if (rest.startsWith('%') || rest.startsWith('!') || rest.startsWith('?') || isHelpLine(rest)) {
      out.push(indent + blankOut(rest, '0'));
      continuing = endsWithContinuation(line);
    } else if (assigned) {
      const target = assigned[1] ?? '';
      out.push(target + blankOut(assigned[2] ?? '', '0'));
      continuing = endsWithContinuation(line);
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

/** `obj?` and `obj??` ask IPython for help; a Python line never ends in `?` outside a comment or string. */
function isHelpLine(rest: string): boolean {
  const trimmed = rest.replace(/\s+$/, '');
  return /^[A-Za-z_][\w.]*(\(\))?\?{1,2}$/.test(trimmed);
}

function endsWithContinuation(line: string): boolean {
  return /\\\r?$/.test(line);
}

/** Same UTF-16 length, `\r` kept so CRLF lines stay CRLF. */
function blankOut(text: string, lead: string): string {
  const hasCr = text.endsWith('\r');
  const body = hasCr ? text.slice(0, -1) : text;
  if (body.length === 0) return text;
  const blank = lead + ' '.repeat(Math.max(0, body.length - lead.length));
  return blank.slice(0, body.length) + (hasCr ? '\r' : '');
}

export type NotebookParseResult = { ok: true; cells: NotebookCellInput[] } | { ok: false; reason: string };

/** Reads the cells of an nbformat 4 notebook; the reason names what is wrong when it is not one. */
export function parseNotebookCells(json: string): NotebookParseResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, reason: `invalid notebook JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isRecord(data)) return { ok: false, reason: 'not a notebook: the JSON is not an object' };
  if (data['nbformat'] !== 4) return { ok: false, reason: `unsupported notebook format ${JSON.stringify(data['nbformat'] ?? null)} (nbformat 4 is read)` };
  const rawCells = data['cells'];
  if (!Array.isArray(rawCells)) return { ok: false, reason: 'not a notebook: "cells" is missing or not a list' };
  const cells: NotebookCellInput[] = [];
  for (const [index, raw] of rawCells.entries()) {
    if (!isRecord(raw)) return { ok: false, reason: `cell ${index + 1} is not an object` };
    const type = raw['cell_type'];
    const kind: CellKind = type === 'code' ? 'code' : type === 'markdown' ? 'markdown' : 'raw';
    const source = raw['source'];
    if (typeof source === 'string') cells.push({ kind, source });
    else if (Array.isArray(source) && source.every((line): line is string => typeof line === 'string')) cells.push({ kind, source: source.join('') });
    else return { ok: false, reason: `cell ${index + 1} has no "source" text` };
  }
  return { ok: true, cells };
}

/**
 * Writes new sources into the notebook JSON text, touching only the `source` values of the given
 * cells: outputs, metadata, key order, indentation and the trailing newline stay byte-identical.
 * A source stored as a list of lines stays a list of lines, laid out as the original list was.
 */
export function replaceCellSources(json: string, sources: ReadonlyMap<number, string>): string {
  const root = scanJson(json);
  const cellsNode = root.kind === 'object' ? root.members.get('cells') : undefined;
  if (cellsNode?.kind !== 'array') throw new Error('not a notebook: "cells" is missing or not a list');
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const [cellIndex, source] of sources) {
    const cell = cellsNode.items[cellIndex];
    const sourceNode = cell?.kind === 'object' ? cell.members.get('source') : undefined;
    if (sourceNode === undefined) throw new Error(`cell ${cellIndex + 1} has no "source"`);
    replacements.push({ start: sourceNode.start, end: sourceNode.end, text: serializeSource(json, sourceNode, source) });
  }
  replacements.sort((a, b) => b.start - a.start);
  let out = json;
  for (const r of replacements) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}

/**
 * For each cell, the 1-based line of the notebook file that stores each of its source lines: in the
 * list-of-lines layout every source line sits on its own file line; a string source sits on one.
 * Lets file-based viewers (SARIF code scanning, CI annotations) point into the .ipynb itself.
 */
export function sourceLinesInFile(json: string): Map<number, number[]> {
  const result = new Map<number, number[]>();
  let root: JsonNode;
  try {
    root = scanJson(json);
  } catch {
    return result;
  }
  const cellsNode = root.kind === 'object' ? root.members.get('cells') : undefined;
  if (cellsNode?.kind !== 'array') return result;
  const lineStarts = [0];
  for (let i = json.indexOf('\n'); i !== -1; i = json.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const rowOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  cellsNode.items.forEach((cell, cellIndex) => {
    const source = cell.kind === 'object' ? cell.members.get('source') : undefined;
    if (source?.kind === 'array') result.set(cellIndex, source.items.map((item) => rowOf(item.start)));
    else if (source) {
      const text = JSON.parse(json.slice(source.start, source.end)) as unknown;
      const lineCount = typeof text === 'string' ? text.split('\n').length : 1;
      result.set(cellIndex, new Array<number>(lineCount).fill(rowOf(source.start)));
    }
  });
  return result;
}

function serializeSource(json: string, node: JsonNode, source: string): string {
  if (node.kind !== 'array') return JSON.stringify(source);
  const lines = splitKeepingNewlines(source);
  if (lines.length === 0) return '[]';
  const first = node.items[0];
  if (first === undefined) {
    // An empty list has no layout to copy; nbformat writes one line per element.
    const indent = indentationBefore(json, node.start);
    return `[\n${indent} ${lines.map((line) => JSON.stringify(line)).join(`,\n${indent} `)}\n${indent}]`;
  }
  const leading = json.slice(node.start + 1, first.start);
  const last = node.items[node.items.length - 1] ?? first;
  const trailing = json.slice(last.end, node.end - 1);
  const separator = node.items.length > 1 ? json.slice(first.end, node.items[1]?.start) : `,${leading}`;
  // Lines the fix did not touch keep their original escaping (`\u2192` stays `\u2192`).
  const originalText = new Map(node.items.map((item) => [JSON.parse(json.slice(item.start, item.end)) as string, json.slice(item.start, item.end)]));
  return `[${leading}${lines.map((line) => originalText.get(line) ?? JSON.stringify(line)).join(separator)}${trailing}]`;
}

function splitKeepingNewlines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON values with their text spans, so a writer can replace one value and leave every other byte alone. */
type JsonNode =
  | { kind: 'object'; start: number; end: number; members: Map<string, JsonNode> }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'scalar'; start: number; end: number };

function scanJson(text: string): JsonNode {
  let pos = 0;
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos] ?? '')) pos++;
  };
  const fail = (what: string): never => {
    throw new Error(`invalid notebook JSON: ${what} at offset ${pos}`);
  };
  const scanString = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const scanValue = (): JsonNode => {
    skipSpace();
    const start = pos;
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const members = new Map<string, JsonNode>();
      skipSpace();
      if (text[pos] === '}') return { kind: 'object', start, end: ++pos, members };
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail('expected a key');
        const key = scanString();
        skipSpace();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        members.set(key, scanValue());
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') return { kind: 'object', start, end: ++pos, members };
        else fail('expected "," or "}"');
      }
    }
    if (ch === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') return { kind: 'array', start, end: ++pos, items };
      for (;;) {
        items.push(scanValue());
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') return { kind: 'array', start, end: ++pos, items };
        else fail('expected "," or "]"');
      }
    }
    if (ch === '"') {
      scanString();
      return { kind: 'scalar', start, end: pos };
    }
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 64));
    if (!literal) fail('unexpected character');
    pos += literal?.[0].length ?? 0;
    return { kind: 'scalar', start, end: pos };
  };
  return scanValue();
}
