/**
 * Push mode (`textDocument/publishDiagnostics`, for clients without pull diagnostics): each changed
 * document is linted and published once the burst of messages that changed it has been handled.
 */
import type { Connection } from 'vscode-languageserver';
import type { ConfigProblemPublisher } from './configProblems';
import { diagnosticsOf } from './diagnostics';
import { describeError, type Logger } from './guard';
import type { LintService } from './linting';
import type { LintSubject } from './subjects';

/** The longest a publish waits for a flood of changes to end before it lints anyway. */
const MAX_DEFERRAL_MS = 50;

export class DiagnosticPusher {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private changesSeen = 0;
  private burstStartedAt = 0;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    private readonly lints: LintService,
    private readonly configProblems: ConfigProblemPublisher,
    private readonly log: Logger,
    /** The open subject for an owner URI, or undefined once it has closed. */
    private readonly subjectOf: (ownerUri: string) => LintSubject | undefined,
  ) {}

  schedule(subject: LintSubject): void {
    if (this.stopped) return;
    this.pending.add(subject.ownerUri);
    this.changesSeen++;
    if (this.scheduled) return;
    this.scheduled = true;
    this.burstStartedAt = performance.now();
    this.flushWhenQuiet();
  }

  /** Clears what was published for a closed document. */
  forget(ownerUri: string, targetUris: readonly string[]): void {
    this.pending.delete(ownerUri);
    this.clear(targetUris);
  }

  clear(uris: readonly string[]): void {
    for (const uri of uris) void this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  /**
   * The connection handles one queued message per event-loop turn; while changes keep arriving turn
   * after turn (a flood, a paste replayed as keystrokes), linting each intermediate text is wasted
   * work, so publishing waits for a turn without a new change, but never longer than MAX_DEFERRAL_MS.
   */
  private flushWhenQuiet(): void {
    const seen = this.changesSeen;
    setImmediate(() =>
      setImmediate(() => {
        if (this.changesSeen !== seen && performance.now() - this.burstStartedAt < MAX_DEFERRAL_MS) {
          this.flushWhenQuiet();
          return;
        }
        void this.flush();
      }),
    );
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const owners = [...this.pending];
    this.pending.clear();
    for (const owner of owners) {
      const subject = this.subjectOf(owner);
      if (!subject || this.stopped) continue;
      try {
        const outcome = await this.lints.lint(subject);
        // Closed, or edited again while the settings were read: that edit scheduled the next flush.
        if (this.subjectOf(owner) !== subject || outcome.version !== subject.version) continue;
        this.configProblems.publish(outcome.config);
        for (const [uri, diagnostics] of diagnosticsOf(outcome)) {
          const version = subject.versionOf(uri);
          void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) }).catch(() => undefined);
        }
      } catch (error) {
        this.log.error(`publishing diagnostics for ${owner} failed: ${describeError(error)}`);
      }
    }
  }
}
