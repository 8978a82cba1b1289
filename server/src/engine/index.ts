/** The engine's public surface: the only module the LSP server, the CLI and the runner import. */
export { lint, isRuleEnabled, resolveLintConfig, type LintOptions, type LintResult, type RuleFailure } from './linter';
export { applyEdits, applyFixes, fixSubject, stillReported, TextFixSubject, type FixableViolation, type FixOptions, type FixResult, type FixSubject, type SubjectFixResult } from './fixer';
export { changedSpan } from './edits';
export { noqaEdit, type UnusedDirective } from './suppressions';
export { UNUSED_NOQA_CODE, UNUSED_NOQA_URL, unusedNoqaViolations } from './unusedNoqa';
export { RULES, ruleByCode } from './rules';
export { docsUrl, renderRuleDoc, DOCS_BASE_URL } from './docs';
export { LineIndex, type Position, type RowColumn } from './positions';
export { IncrementalDocument, type ContentChange } from './parse/document';
export { DEFAULT_CONFIG, DEFAULT_FILE_TIME_BUDGET_MS, type LintConfig } from './config';
export type { Applicability, Edit, Fix, Related, Rule, RuleMeta, Severity, Span, Violation } from './rule';
export { extractTrainingConfig, REPRODUCIBLE_CODES, type ExtractOptions } from './reproductionConfig';
