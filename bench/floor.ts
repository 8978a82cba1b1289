// The tree reads no tree-sitter analysis of the rules can do without, and nothing else: the statement
// outline (the scopes, loops and statements every fact is placed in) and, for each call the facts read,
// its node and its argument list's children. Which calls those are is computed beforehand (callSpans), so
// that only the reads are timed.
import type { Tree } from '../server/src/engine/parse/tree';
import { collectCalls } from '../server/src/engine/facts/calls';
import { SemanticModel } from '../server/src/engine/semantic/model';
import { buildOutline } from '../server/src/engine/semantic/outline';

export type CallSpans = ReadonlyArray<readonly [number, number]>;

/** Where the calls the facts read are in `text`. */
export function callSpans(tree: Tree, text: string): CallSpans {
  return collectCalls(new SemanticModel(tree, text)).map((call) => [call.start, call.end] as const);
}

/** Does the floor reads on one tree; returns a checksum so that no read can be optimised away. */
export function floorReads(tree: Tree, calls: CallSpans): number {
  let checksum = buildOutline(tree).statements.length;
  const root = tree.rootNode;
  for (const [start, end] of calls) {
    const argumentList = root.namedDescendantForIndex(start, end).childForFieldName('arguments');
    for (const argument of argumentList?.namedChildren ?? []) checksum += argument.startIndex;
  }
  return checksum;
}
