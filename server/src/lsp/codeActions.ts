/**
 * Code actions: for each nanlint diagnostic in the request, its fix (preferred when safe) and
 * "Disable NAN301 for this line", both read from the diagnostic's `data` and offered only while the
 * document is still at the version they were computed for; and fix-all, as `source.fixAll.nanlint`
 * (the document, or for a notebook cell that cell) and `notebook.source.fixAll.nanlint` (every cell).
 */
import {
  CodeActionKind,
  TextDocumentEdit,
  type CancellationToken,
  type CodeAction,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { z } from 'zod';
import { CodeActionKinds } from '../protocol/messages';
import { diagnosticDataSchema, SOURCE, type DocumentChange } from './diagnostics';
import type { EngineHost } from './engineProcess';
import { fixAllChanges } from './fixAll';
import type { LintSubject } from './subjects';
import type { SettingsService } from './settings';

export interface CodeActionServices {
  subjectFor(uri: string): LintSubject;
  settings: SettingsService;
  engine: EngineHost;
  /** The client applies `documentChanges` (versioned edits). */
  documentChanges(): boolean;
  /** The client resolves code actions lazily, so the fix-all edit is computed only when chosen. */
  resolveEdits(): boolean;
}

export interface CodeActionRequest {
  uri: string;
  diagnostics: readonly unknown[];
  only: readonly string[] | undefined;
}

const fixAllDataSchema = z.object({
  fixAll: z.object({ uri: z.string(), version: z.number().int(), kind: z.enum([CodeActionKinds.fixAll, CodeActionKinds.notebookFixAll]) }),
});

const diagnosticSchema = z.object({ source: z.string().optional(), code: z.union([z.string(), z.number()]).optional(), data: z.unknown() });

export async function codeActions(request: CodeActionRequest, services: CodeActionServices, token: CancellationToken): Promise<CodeAction[]> {
  const subject = services.subjectFor(request.uri);
  const actions: CodeAction[] = [];
  if (wants(request.only, CodeActionKind.QuickFix)) {
    const disables: CodeAction[] = [];
    for (const raw of request.diagnostics) {
      const diagnostic = diagnosticSchema.safeParse(raw);
      if (!diagnostic.success || diagnostic.data.source !== SOURCE) continue;
      const data = diagnosticDataSchema.safeParse(diagnostic.data.data);
      // A diagnostic from an older version: its edits no longer fit the text.
      if (!data.success || data.data.ownerUri !== subject.ownerUri || data.data.version !== subject.version) continue;
      const { fix, alternatives, suppress } = data.data;
      for (const [index, offered] of [fix, ...(alternatives ?? [])].entries()) {
        if (!offered) continue;
        actions.push({
          title: offered.applicability === 'unsafe' ? `${offered.title} (unsafe fix)` : offered.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [raw as Diagnostic],
          // Only the rule's own fix, when safe, is the one Ctrl+. applies first.
          isPreferred: index === 0 && offered.applicability === 'safe',
          edit: workspaceEdit(offered.changes, services.documentChanges()),
        });
      }
      if (suppress && !disables.some((action) => action.title === suppress.title)) {
        disables.push({ title: suppress.title, kind: CodeActionKind.QuickFix, diagnostics: [raw as Diagnostic], edit: workspaceEdit(suppress.changes, services.documentChanges()) });
      }
    }
    actions.push(...disables);
  }
  const fixAllKinds: string[] = [];
  if (wants(request.only, CodeActionKinds.fixAll)) fixAllKinds.push(CodeActionKinds.fixAll);
  if (subject.kind === 'notebook' && wants(request.only, CodeActionKinds.notebookFixAll)) fixAllKinds.push(CodeActionKinds.notebookFixAll);
  for (const kind of fixAllKinds) {
    const action: CodeAction = {
      title: kind === CodeActionKinds.notebookFixAll ? 'Fix all nanlint problems in the notebook' : 'Fix all nanlint problems',
      kind,
      data: { fixAll: { uri: request.uri, version: subject.version, kind } },
    };
    actions.push(services.resolveEdits() ? action : await resolveCodeAction(action, services, token));
  }
  return actions;
}

/** Fills in the edit of a fix-all action from the current text; a stale action gets no edit. */
export async function resolveCodeAction(action: CodeAction, services: CodeActionServices, token: CancellationToken): Promise<CodeAction> {
  const parsed = fixAllDataSchema.safeParse(action.data);
  if (!parsed.success) return action;
  const { uri, version, kind } = parsed.data.fixAll;
  const subject = services.subjectFor(uri);
  if (subject.version !== version) return action;
  const { settings, config, fileTimeBudgetMs } = await services.settings.configFor(subject);
  if (!settings.enable) return { ...action, edit: {} };
  const changes = await fixAllChanges({ subject, config, unsafe: settings.fixAllUnsafe, engine: services.engine, budgetMs: fileTimeBudgetMs, token });
  const scoped = kind === CodeActionKinds.notebookFixAll || subject.kind === 'file' ? changes : changes.filter((change) => change.uri === uri);
  return { ...action, edit: workspaceEdit(scoped, services.documentChanges()) };
}

export function workspaceEdit(changes: readonly DocumentChange[], versioned: boolean): WorkspaceEdit {
  if (versioned) return { documentChanges: changes.map((change) => TextDocumentEdit.create({ uri: change.uri, version: change.version }, change.edits)) };
  return { changes: Object.fromEntries(changes.map((change) => [change.uri, change.edits])) };
}

/** Whether a requested `only` list asks for actions of this kind (a kind covers its sub-kinds). */
function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => requested === kind || kind.startsWith(`${requested}.`));
}
