/**
 * Open text documents, kept in step with incremental `didChange` events. The server keeps only their text
 * and line index (an IncrementalDocument that is never parsed here); the engine jobs keep their own trees.
 */
import { IncrementalDocument } from '../engine/parse/document';
import type { ContentChangeParam } from './params';

export interface OpenTextDocument {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  readonly document: IncrementalDocument;
}

export type ChangeOutcome = 'applied' | 'unknown-document' | 'stale-version';

export class TextDocumentStore {
  private readonly documents = new Map<string, OpenTextDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenTextDocument {
    const opened: OpenTextDocument = { uri, languageId, version, document: new IncrementalDocument(text) };
    this.documents.set(uri, opened);
    return opened;
  }

  /**
   * Applies the changes in order. A version that does not move forward is dropped: applying an
   * out-of-order edit would corrupt the text, and the client's next full or later change wins.
   */
  change(uri: string, version: number, changes: readonly ContentChangeParam[]): ChangeOutcome {
    const open = this.documents.get(uri);
    if (!open) return 'unknown-document';
    if (version <= open.version) return 'stale-version';
    applyContentChanges(open.document, changes);
    open.version = version;
    return 'applied';
  }

  close(uri: string): boolean {
    return this.documents.delete(uri);
  }

  get(uri: string): OpenTextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): IterableIterator<OpenTextDocument> {
    return this.documents.values();
  }
}

export function applyContentChanges(document: IncrementalDocument, changes: readonly ContentChangeParam[]): void {
  for (const change of changes) document.applyChange('range' in change ? { range: change.range, text: change.text } : { text: change.text });
}
