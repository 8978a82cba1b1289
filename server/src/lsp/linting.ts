/**
 * Lints a subject with its resolved configuration and keeps the last result per document, keyed by
 * document version and settings generation: pull requests, code actions and hover of one version share
 * one lint. Lints run on the server's EngineHost: in the bundled server a child process that reparses
 * incrementally and stops a lint at the file's time budget.
 */
import type { LintResult } from '../engine';
import { describeError, throwIfCancelled, type Logger } from './guard';
import { EngineJobAbortedError, type EngineHost } from './engineProcess';
import type { DocumentConfig, SettingsService } from './settings';
import type { StatusReporter } from './status';
import type { LintSubject } from './subjects';
import type { CancellationToken } from 'vscode-languageserver';

export interface LintOutcome {
  readonly subject: LintSubject;
  readonly version: number;
  readonly generation: number;
  /** The exact text that was linted (for a notebook, the joined cells). */
  readonly text: string;
  readonly config: DocumentConfig;
  /** Undefined when linting is off for the document (`nanlint.enable`, `exclude`). */
  readonly result: LintResult | undefined;
}

export class LintService {
  /** Per document: the last lint, settled or still running (requests about one version share it). */
  private readonly cache = new Map<string, { key: OutcomeKey; outcome: Promise<LintOutcome> }>();

  constructor(
    private readonly settings: SettingsService,
    private readonly status: StatusReporter,
    private readonly log: Logger,
    private readonly engine: EngineHost,
  ) {}

  async lint(subject: LintSubject, token?: CancellationToken): Promise<LintOutcome> {
    const config = await this.settings.configFor(subject);
    throwIfCancelled(token);
    // Read version and text together after the await: edits may have arrived meanwhile.
    const version = subject.version;
    const generation = this.settings.generation;
    const key: OutcomeKey = { subject, version, generation, config };
    const cached = this.cache.get(subject.ownerUri);
    if (cached && sameKey(cached.key, key)) return cached.outcome;
    const text = subject.text;
    const outcome = this.run(subject, text, config).then((result): LintOutcome => ({ subject, version, generation, text, config, result }));
    this.cache.set(subject.ownerUri, { key, outcome });
    return outcome;
  }

  forget(ownerUri: string): void {
    // Only a document that was linted has a text and tree in the engine to drop.
    if (this.cache.delete(ownerUri)) void this.engine.run('forget', { key: ownerUri }, FORGET_BUDGET_MS).catch(() => undefined);
  }

  private async run(subject: LintSubject, text: string, config: DocumentConfig): Promise<LintResult | undefined> {
    if (!config.settings.enable) {
      this.status.report({ state: 'disabled', message: 'nanlint is disabled (nanlint.enable)', uri: subject.ownerUri });
      return undefined;
    }
    if (config.excluded) {
      this.status.report({ state: 'ok', message: 'excluded by the exclude setting', uri: subject.ownerUri });
      return undefined;
    }
    if (exceedsBytes(text, config.maxFileSize)) {
      this.status.report({ state: 'warning', message: `not linted: larger than max-file-size (${config.maxFileSize} bytes)`, uri: subject.ownerUri });
      return undefined;
    }
    try {
      const path = subject.path ?? subject.ownerUri;
      const result = await this.engine
        .run('lint', { key: subject.ownerUri, text, path, config: config.config }, config.fileTimeBudgetMs)
        .catch((error: unknown) => notAnalysedFor(error));
      if (result.notAnalysed !== undefined) {
        this.log.warn(`not linted ${subject.ownerUri}: ${result.notAnalysed}`);
        this.status.report({ state: 'warning', message: `not linted: ${result.notAnalysed}`, uri: subject.ownerUri });
      } else if (result.ruleFailures.length > 0) {
        const failed = result.ruleFailures.map((failure) => `${failure.code}: ${failure.message}`).join('; ');
        this.log.error(`rules failed on ${subject.ownerUri}: ${failed}`);
        this.status.report({ state: 'error', message: `rules failed: ${result.ruleFailures.map((f) => f.code).join(', ')}`, uri: subject.ownerUri });
      } else if (config.problems.length > 0) {
        const first = config.problems[0];
        this.status.report({ state: 'warning', message: `configuration: ${first?.message ?? ''}`, uri: subject.ownerUri });
      } else {
        this.status.report({ state: 'ok', message: '', uri: subject.ownerUri });
      }
      return result;
    } catch (error) {
      this.log.error(`linting ${subject.ownerUri} failed: ${describeError(error)}`);
      this.status.report({ state: 'error', message: `linting failed: ${error instanceof Error ? error.message : String(error)}`, uri: subject.ownerUri });
      return { violations: [], syntaxErrors: [], unusedSuppressions: [], ruleFailures: [] };
    }
  }
}

interface OutcomeKey {
  subject: LintSubject;
  version: number;
  generation: number;
  config: DocumentConfig;
}

function sameKey(a: OutcomeKey, b: OutcomeKey): boolean {
  return a.subject === b.subject && a.version === b.version && a.generation === b.generation && a.config === b.config;
}

/** Forgetting a document is a map deletion in the engine. */
const FORGET_BUDGET_MS = 1_000;

/** A lint the engine process did not finish is reported like a parse over its budget: not analysed. */
function notAnalysedFor(error: unknown): LintResult {
  if (!(error instanceof EngineJobAbortedError)) throw error;
  return { violations: [], syntaxErrors: [], unusedSuppressions: [], ruleFailures: [], notAnalysed: error.message };
}

/** UTF-8 size above the limit, without encoding texts that are clearly below or above it. */
function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return Buffer.byteLength(text, 'utf8') > limit;
}
