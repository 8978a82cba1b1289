/**
 * The engine work the language server does, as a table of jobs on plain data: the same functions run in
 * the server's engine child process (bundled server) or in the server's own process (tests, see
 * engineProcess.ts). A job takes and returns only what structured clone can carry.
 */
import { applyFixes, changedSpan, extractTrainingConfig, IncrementalDocument, lint, type LintConfig, type LintResult } from '../engine';
import type { CellKind } from '../engine/notebook';
import type { TrainingConfig } from '../protocol/reproduce';
import { fixCellTexts } from './fixAll';

export interface EngineJobs {
  /** Lints a document's current text; `key` names the document whose previous text and tree are reused. */
  lint(args: { key: string; text: string; path: string; config: LintConfig }): LintResult;
  /** Drops the text and tree kept for a closed document. */
  forget(args: { key: string }): null;
  /** A file's text with its fixes applied to convergence. */
  fixText(args: { text: string; path: string; config: LintConfig; unsafe: boolean }): string;
  /** A notebook's cell texts with its fixes applied, each fix inside one cell. */
  fixCells(args: { cells: { kind: CellKind; text: string }[]; path: string; config: LintConfig; unsafe: boolean }): string[];
  /** The training configuration the reproduction runs (null when the file trains nothing). */
  extract(args: { text: string; path: string; config: Partial<LintConfig>; line?: number }): TrainingConfig | null;
}

export type EngineJob = keyof EngineJobs;
export type JobArgs<K extends EngineJob> = Parameters<EngineJobs[K]>[0];
export type JobResult<K extends EngineJob> = ReturnType<EngineJobs[K]>;

export function createEngineJobs(): EngineJobs {
  const documents = new Map<string, IncrementalDocument>();
  return {
    lint({ key, text, path, config }) {
      let document = documents.get(key);
      if (!document) {
        document = new IncrementalDocument(text);
        documents.set(key, document);
      } else if (document.text !== text) {
        // One edit for everything that changed since the last lint: the reparse still reuses the rest.
        document.replace(changedSpan(document.text, text));
      }
      try {
        return lint(text, path, config, { document });
      } catch (error) {
        documents.delete(key);
        throw error;
      }
    },
    forget({ key }) {
      documents.delete(key);
      return null;
    },
    fixText({ text, path, config, unsafe }) {
      return applyFixes(text, path, config, { unsafe }).text;
    },
    fixCells({ cells, path, config, unsafe }) {
      return fixCellTexts(cells, path, config, unsafe);
    },
    extract({ text, path, config, line }) {
      return extractTrainingConfig(text, path, config, line === undefined ? {} : { line });
    },
  };
}
