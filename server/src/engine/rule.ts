import type { SyntaxNode } from './parse/tree';
import type { SemanticModel } from './semantic/model';
import type { TrainingFacts } from './facts/facts';

export type Applicability = 'safe' | 'unsafe' | 'display-only';
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Framework = 'pytorch' | 'keras';

/** A half-open range of UTF-16 code-unit offsets into the linted text. */
export interface Span {
  start: number;
  end: number;
}

export interface Edit extends Span {
  content: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
}

export interface Related extends Span {
  message: string;
}

export interface Violation extends Span {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  fix?: Fix;
  /** Other ways to fix it, offered as quick fixes; fix-all only ever applies `fix`. */
  alternativeFixes?: Fix[];
  /** Where a value the message names was defined, when that is not at the anchor. */
  related: Related[];
}

/** Documentation under the fixed headings that docs/rules/<CODE>.md is rendered from. */
export interface RuleDocs {
  summary: string;
  whatItDoes: string;
  whyNaN: string;
  example: string;
  useInstead: string;
  fixSafety: string;
  whenToIgnore: string;
  references: string[];
}

export interface RuleMeta {
  code: string;
  name: string;
  frameworks: Framework[];
  severity: Severity;
  /** How the rule's fix is applied by `--fix` / fix-all; 'none' when the rule has no fix. */
  fix: Applicability | 'none';
  docs: RuleDocs;
}

/** Settings a rule may read; resolved from pyproject.toml / editor settings by config.ts. */
export interface RuleSettings {
  learningRateThresholds: Record<string, number>;
  clipping: 'recurrent' | 'always';
}

export interface Report {
  node: SyntaxNode | Span;
  message: string;
  related?: Related[];
  /** Built lazily; return undefined when no safe-to-build edit exists (the diagnostic stays). */
  fix?: () => Fix | undefined;
  /** Built lazily like `fix`; never applied by fix-all. */
  alternativeFixes?: () => Fix[];
}

export interface RuleContext {
  readonly text: string;
  readonly model: SemanticModel;
  readonly facts: TrainingFacts;
  readonly settings: RuleSettings;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
