/**
 * Lints a subject with its resolved configuration and keeps the last result per document, keyed by
 * document version and settings generation: pull requests, code actions and hover of one version share
 * one lint, and the engine reparses incrementally from the edited tree.
 */
import { lint, type LintResult } from '../engine';
import { describeError, throwIfCancelled, type Logger } from './guard';
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
  private readonly cache = new Map<string, LintOutcome>();

  constructor(
    private readonly settings: SettingsService,
    private readonly status: StatusReporter,
    private readonly log: Logger,
  ) {}

  async lint(subject: LintSubject, token?: CancellationToken): Promise<LintOutcome> {
    const config = await this.settings.configFor(subject);
    throwIfCancelled(token);
    // Read version and text together after the await: edits may have arrived meanwhile.
    const version = subject.version;
    const generation = this.settings.generation;
    const cached = this.cache.get(subject.ownerUri);
    if (cached && cached.subject === subject && cached.version === version && cached.generation === generation && cached.config === config) {
      return cached;
    }
    const text = subject.text;
    const outcome: LintOutcome = { subject, version, generation, text, config, result: this.run(subject, text, config) };
    this.cache.set(subject.ownerUri, outcome);
    return outcome;
  }

  /** The last outcome for a document if it is still current, without linting. */
  current(subject: LintSubject): LintOutcome | undefined {
    const cached = this.cache.get(subject.ownerUri);
    return cached && cached.version === subject.version && cached.generation === this.settings.generation ? cached : undefined;
  }

  forget(ownerUri: string): void {
    this.cache.delete(ownerUri);
  }

  private run(subject: LintSubject, text: string, config: DocumentConfig): LintResult | undefined {
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
      const result = lint(text, subject.path ?? subject.ownerUri, config.config, { document: subject.document });
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

/** UTF-8 size above the limit, without encoding texts that are clearly below or above it. */
function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return Buffer.byteLength(text, 'utf8') > limit;
}
