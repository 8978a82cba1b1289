import { DEFAULT_CONFIG, type LintConfig } from './config';
import { buildFacts, type TrainingFacts } from './facts/facts';
import type { IncrementalDocument } from './parse/document';
import { parse, ParseTimeoutError, syntaxErrorNodes, type SyntaxNode, type Tree } from './parse/tree';
import { LineIndex } from './positions';
import { RULES } from './rules';
import type { Fix, Report, Rule, RuleContext, Span, Violation } from './rule';
import { SemanticModel } from './semantic/model';
import { applySuppressions, parseDirectives, type UnusedDirective } from './suppressions';

export interface LintOptions {
  /** A document whose (incrementally maintained) tree matches `text`. */
  document?: IncrementalDocument;
  /** Analyse every call, not only those the facts can ask about (tests check the two agree). */
  exhaustiveCalls?: boolean;
}

export interface RuleFailure {
  code: string;
  message: string;
}

export interface LintResult {
  /** Sorted by offset, then code. */
  violations: Violation[];
  syntaxErrors: Span[];
  /** Directives (or codes in them) that suppressed nothing. */
  unusedSuppressions: UnusedDirective[];
  /** A rule that threw: its findings are missing, the others stand. */
  ruleFailures: RuleFailure[];
  /** Why the file was not analysed at all (its parse ran over budget); absent when it was. */
  notAnalysed?: string;
}

export function resolveLintConfig(config: Partial<LintConfig> | undefined): LintConfig {
  return {
    ...DEFAULT_CONFIG,
    ...config,
    learningRateThresholds: { ...DEFAULT_CONFIG.learningRateThresholds, ...config?.learningRateThresholds },
    severity: { ...DEFAULT_CONFIG.severity, ...config?.severity },
  };
}

export function isRuleEnabled(code: string, config: LintConfig): boolean {
  const matches = (selector: string): boolean => code.startsWith(selector.toUpperCase()) || selector.toUpperCase() === 'ALL';
  if (config.select && !config.select.some(matches)) return false;
  return !config.ignore.some(matches);
}

/** A parsed file with its semantic model and training facts: what the rules (and the extraction) read. */
export interface Analysis {
  text: string;
  tree: Tree;
  lines: LineIndex;
  model: SemanticModel;
  facts: TrainingFacts;
}

/**
 * Parses `text` (or takes the document's incrementally maintained tree) and builds its model and facts.
 * Throws ParseTimeoutError when the parse runs over its budget.
 */
export function analyse(text: string, options?: LintOptions): Analysis {
  const document = options?.document && options.document.text === text ? options.document : undefined;
  const tree = document ? document.tree() : parse(text);
  const lines = document ? document.lineIndex : new LineIndex(text);
  const model = new SemanticModel(tree, text);
  const facts = buildFacts(model, { exhaustive: options?.exhaustiveCalls === true });
  return { text, tree, lines, model, facts };
}

/**
 * The one entry point every face calls: parse, model, facts, rules, suppressions. The path names the
 * file for the faces' sake; per-file settings are resolved into `config` before the call.
 */
export function lint(text: string, _path: string, config?: Partial<LintConfig>, options?: LintOptions): LintResult {
  let analysis: Analysis;
  try {
    analysis = analyse(text, options);
  } catch (error) {
    if (!(error instanceof ParseTimeoutError)) throw error;
    return { violations: [], syntaxErrors: [], unusedSuppressions: [], ruleFailures: [], notAnalysed: error.message };
  }
  return lintAnalysis(analysis, config);
}

/** Runs the enabled rules over an analysis and applies the file's suppressions. */
export function lintAnalysis({ text, tree, lines, model, facts }: Analysis, config?: Partial<LintConfig>): LintResult {
  const resolved = resolveLintConfig(config);
  const violations: Violation[] = [];
  const ruleFailures: RuleFailure[] = [];
  const errorNodes = syntaxErrorNodes(tree);
  const brokenLines = linesOf(errorNodes, lines);
  for (const rule of RULES) {
    if (!isRuleEnabled(rule.meta.code, resolved)) continue;
    try {
      rule.check(contextFor(rule, text, model, facts, resolved, violations, { lines, brokenLines }));
    } catch (error) {
      ruleFailures.push({ code: rule.meta.code, message: error instanceof Error ? error.message : String(error) });
    }
  }
  violations.sort((a, b) => a.start - b.start || a.code.localeCompare(b.code) || a.end - b.end);
  const { kept, unused } = applySuppressions(violations, parseDirectives(text, tree, lines), lines);
  const syntaxErrors = errorNodes.map((node) => ({ start: node.startIndex, end: node.endIndex }));
  return { violations: kept, syntaxErrors, unusedSuppressions: unused, ruleFailures };
}

function contextFor(
  rule: Rule,
  text: string,
  model: SemanticModel,
  facts: TrainingFacts,
  config: LintConfig,
  sink: Violation[],
  syntax: { lines: LineIndex; brokenLines: BrokenLines },
): RuleContext {
  const { code, name } = rule.meta;
  const severity = config.severity[code] ?? rule.meta.severity;
  const seen = new Set<string>();
  return {
    text,
    model,
    facts,
    settings: { learningRateThresholds: config.learningRateThresholds, clipping: config.clipping },
    report(report: Report): void {
      const span = isNode(report.node) ? { start: report.node.startIndex, end: report.node.endIndex } : report.node;
      const key = `${span.start}:${span.end}`;
      if (seen.has(key)) return;
      seen.add(key);
      const built = rule.meta.fix === 'none' ? undefined : report.fix?.();
      const fix = built && isApplicable(built, span, text, syntax) ? built : undefined;
      const alternativeFixes = rule.meta.fix === 'none' ? [] : (report.alternativeFixes?.() ?? []);
      sink.push({
        code,
        name,
        severity,
        message: report.message,
        ...span,
        related: report.related ?? [],
        ...(fix ? { fix } : {}),
        ...(alternativeFixes.length > 0 ? { alternativeFixes } : {}),
      });
    },
  };
}

/** Line ranges (0-based, inclusive) that hold a syntax error. */
type BrokenLines = [number, number][];

function linesOf(errorNodes: SyntaxNode[], lines: LineIndex): BrokenLines {
  return errorNodes.map((node) => [lines.lineOf(node.startIndex), lines.lineOf(node.endIndex)]);
}

/**
 * A fix is offered only when its edits lie inside the text and do not overlap one another, and when
 * neither the finding nor the edits touch a line with a syntax error: there the tree does not say
 * what the code means, and a fix could be applied again and again without ever taking effect.
 */
function isApplicable(fix: Fix, anchor: Span, text: string, { lines, brokenLines }: { lines: LineIndex; brokenLines: BrokenLines }): boolean {
  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i]!;
    if (edit.start < 0 || edit.end > text.length || edit.start > edit.end) return false;
    const next = edits[i + 1];
    if (next && next.start < edit.end) return false;
  }
  if (brokenLines.length === 0) return true;
  const touches = (span: Span): boolean => {
    const first = lines.lineOf(span.start);
    const last = lines.lineOf(span.end);
    return brokenLines.some(([start, end]) => first <= end && start <= last);
  };
  return !touches(anchor) && !edits.some(touches);
}

function isNode(node: SyntaxNode | Span): node is SyntaxNode {
  return 'startIndex' in node;
}
