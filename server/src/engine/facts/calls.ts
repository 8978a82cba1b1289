import type { SyntaxNode } from '../parse/tree';
import type { SemanticModel } from '../semantic/model';
import type { Region, Statement } from '../semantic/outline';

/** One call expression with what the facts ask of it; argument lists are read on first use. */
export class CallFact {
  readonly callee: SyntaxNode | null;
  private resolvedName: string | null | undefined;
  private argumentList: { positional: SyntaxNode[]; keywords: Map<string, SyntaxNode> } | undefined;

  constructor(
    readonly node: SyntaxNode,
    readonly statement: Statement,
    private readonly model: SemanticModel,
  ) {
    this.callee = node.childForFieldName('function');
  }

  get start(): number {
    return this.node.startIndex;
  }

  get region(): Region {
    return this.statement.region;
  }

  /** `torch.optim.Adam` for `optim.Adam(...)`; null for calls on local objects. */
  get qualifiedName(): string | null {
    if (this.resolvedName === undefined) this.resolvedName = this.callee ? this.model.qualifiedName(this.callee) : null;
    return this.resolvedName;
  }

  /** The called attribute or function name: `step` for `optimizer.step()`. */
  get method(): string | null {
    if (!this.callee) return null;
    if (this.callee.type === 'identifier') return this.callee.text;
    if (this.callee.type === 'attribute') return this.callee.childForFieldName('attribute')?.text ?? null;
    return null;
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

/** Every call in the file, in document order (an outer call before the calls in its arguments). */
export function collectCalls(model: SemanticModel): CallFact[] {
  const calls: CallFact[] = [];
  const { text } = model;
  // Statements are in document order, so one forward scan for '(' tells which can hold a call: far
  // cheaper than asking the tree about statements that hold none.
  let open = text.indexOf('(');
  for (const statement of model.statements) {
    while (open !== -1 && open < statement.start) open = text.indexOf('(', open + 1);
    if (open === -1) break;
    if (open >= statement.end) continue;
    for (const node of statement.node.descendantsOfType('call')) calls.push(new CallFact(node, statement, model));
  }
  return calls;
}
