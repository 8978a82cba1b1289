import type { SyntaxNode } from '../parse/tree';
import { CALL_NAMES_OF_INTEREST, isQualifiedCallOfInterest } from './api';
import type { SemanticModel } from '../semantic/model';
import type { Region, Statement } from '../semantic/outline';
import { NAME, NOT_AFTER_NAME_OR_DOT } from '../semantic/identifiers';

/** One call expression with what the facts ask of it; the tree is asked only when a fact needs more. */
export class CallFact {
  /** Cached: every read of a node's position crosses into the native binding. */
  readonly start: number;
  readonly end: number;
  private resolvedName: string | null | undefined;
  private resolvedCallee: SyntaxNode | null | undefined;
  private argumentList: { positional: SyntaxNode[]; keywords: Map<string, SyntaxNode> } | undefined;

  constructor(
    readonly node: SyntaxNode,
    readonly statement: Statement,
    private readonly model: SemanticModel,
    /** The callee as a dotted name (`['torch', 'optim', 'Adam']`), or null when it is an expression. */
    private readonly chain: string[] | null,
    private readonly methodName: string | null,
  ) {
    this.start = node.startIndex;
    this.end = node.endIndex;
  }

  get callee(): SyntaxNode | null {
    if (this.resolvedCallee === undefined) this.resolvedCallee = this.node.childForFieldName('function');
    return this.resolvedCallee;
  }

  get region(): Region {
    return this.statement.region;
  }

  /** `torch.optim.Adam` for `optim.Adam(...)`; null for calls on local objects. */
  get qualifiedName(): string | null {
    if (this.resolvedName === undefined) this.resolvedName = this.chain ? this.model.qualifiedNameOfChain(this.chain, this.start) : null;
    return this.resolvedName;
  }

  /** The called attribute or function name: `step` for `optimizer.step()`. */
  get method(): string | null {
    return this.methodName;
  }

  /** `optimizer` in `optimizer.step()`. */
  get receiver(): SyntaxNode | null {
    return this.callee?.type === 'attribute' ? this.callee.childForFieldName('object') : null;
  }

  get positional(): SyntaxNode[] {
    return this.parsedArguments().positional;
  }

  keyword(name: string): SyntaxNode | undefined {
    return this.parsedArguments().keywords.get(name);
  }

  /** The whole `name=value` node, for edits that replace or extend it. */
  keywordArgument(name: string): SyntaxNode | undefined {
    return this.keyword(name)?.parent ?? undefined;
  }

  hasKeyword(name: string): boolean {
    return this.parsedArguments().keywords.has(name);
  }

  get argumentsNode(): SyntaxNode | null {
    return this.node.childForFieldName('arguments');
  }

  private parsedArguments(): { positional: SyntaxNode[]; keywords: Map<string, SyntaxNode> } {
    if (!this.argumentList) {
      const positional: SyntaxNode[] = [];
      const keywords = new Map<string, SyntaxNode>();
      for (const argument of this.argumentsNode?.namedChildren ?? []) {
        if (argument.type === 'keyword_argument') {
          const name = argument.childForFieldName('name')?.text;
          const value = argument.childForFieldName('value');
          if (name && value) keywords.set(name, value);
        } else if (argument.type !== 'comment') {
          positional.push(argument);
        }
      }
      this.argumentList = { positional, keywords };
    }
    return this.argumentList;
  }
}

// A call through a dotted name: `torch.optim.Adam(`, `optimizer.step(`, `criterion(`. Names are Python
// identifiers, which may be non-ASCII (`学习率.step(`): a fix that reuses such a name from the file must
// be recognised when the file is linted again.
const NAMED_CALL = new RegExp(String.raw`${NOT_AFTER_NAME_OR_DOT}(${NAME}(?:\s*\.\s*${NAME})*)\s*\(`, 'gu');
// A method called on an expression: `loss.mean().backward(`, `x[:, 0].std(`.
const METHOD_CALL = new RegExp(String.raw`[)\]]\s*\.\s*(${NAME})\s*\(`, 'gu');

export interface CollectOptions {
  /** Collect every call, not only those the facts can ask about (for tests that check the filter). */
  exhaustive?: boolean;
}

/**
 * The calls the facts may ask about, in document order (an outer call before the calls in its callee
 * and arguments): constructors and functions of interest reached through an import, calls of names
 * holding framework objects (model.frameworkNames()) and of the file's own functions and classes, and
 * methods named in CALL_NAMES_OF_INTEREST. Call sites are found in the text and confirmed in the tree, so the tree is
 * asked only about these, not about every call in the file.
 */
export function collectCalls(model: SemanticModel, options: CollectOptions = {}): CallFact[] {
  const { text } = model;
  const everyCall = options.exhaustive === true || model.hasWildcardImport;
  const frameworkNames = model.frameworkNames();
  const definedNames = model.definedNames();
  const importedNames = model.importedNames();
  // A call through an imported module or class counts when its leaf is of interest; calling a name that
  // holds a framework object (`criterion(...)`) or the file's own function always does; any other
  // method call counts when its name is of interest.
  const interestingRoot = (chain: string[]): boolean => {
    const root = chain[0]!;
    if (importedNames.has(root)) return isQualifiedCallOfInterest(chain[chain.length - 1]!);
    // Calling the object itself: `criterion(out, y)`, `self.rnn(x)`, `build_model()`.
    const called = root === 'self' && chain.length === 2 ? chain[1]! : chain.length === 1 ? root : null;
    return called !== null && (frameworkNames.has(called) || definedNames.has(called));
  };
  const calls: CallFact[] = [];
  const seen = new Set<number>();
  const root = model.tree.rootNode;
  const add = (openParen: number, chain: string[] | null, method: string | null, callStart?: number): void => {
    if (seen.has(openParen)) return;
    const call = (callStart === undefined ? null : callFrom(callStart, openParen)) ?? callAround(openParen);
    if (!call) return;
    const statement = model.statementAt(call.startIndex);
    if (!statement) return;
    seen.add(openParen);
    calls.push(new CallFact(call, statement, model, chain, method));
  };
  // The smallest named node around a call's `(` is its argument list; in a string or a `def` it is not.
  const callAround = (openParen: number): SyntaxNode | null => {
    const argumentList = root.namedDescendantForIndex(openParen, openParen + 1);
    if (argumentList.startIndex !== openParen || (argumentList.type !== 'argument_list' && argumentList.type !== 'generator_expression')) return null;
    const call = argumentList.parent;
    return call?.type === 'call' ? call : null;
  };
  // A dotted name cannot contain a `(`, so the smallest named node from its start to its `(` is usually
  // the call itself: one question to the tree instead of two. (Not when the name is broken over lines
  // after a dot; then the `(` decides, as for method calls.)
  const callFrom = (callStart: number, openParen: number): SyntaxNode | null => {
    const call = root.namedDescendantForIndex(callStart, openParen + 1);
    return call.type === 'call' && call.startIndex === callStart ? call : null;
  };
  for (const match of text.matchAll(NAMED_CALL)) {
    const chain = match[1]!.split('.').map((part) => part.trim());
    const method = chain[chain.length - 1]!;
    if (everyCall || CALL_NAMES_OF_INTEREST.has(method) || interestingRoot(chain)) {
      add(match.index + match[0].length - 1, chain, method, match.index);
    }
  }
  for (const match of text.matchAll(METHOD_CALL)) {
    const method = match[1]!;
    if (everyCall || CALL_NAMES_OF_INTEREST.has(method)) add(match.index + match[0].length - 1, null, method);
  }
  return calls.sort((a, b) => a.start - b.start || b.end - a.end);
}
