/**
 * Schemas for the parameters the server reads from the client. Everything that crosses the process
 * boundary is checked here (bash-language-server does the same with zod): a malformed message gets an
 * InvalidParams error instead of a TypeError deep inside a handler. Only the fields the server reads are
 * described; the rest pass through untouched.
 */
import { z } from 'zod';

const uint = z.number().int().nonnegative();
const uri = z.string().min(1);

export const positionSchema = z.object({ line: uint, character: uint });
export const rangeSchema = z.object({ start: positionSchema, end: positionSchema });

export const textDocumentIdentifierSchema = z.object({ uri });

export const contentChangeSchema = z.union([
  z.object({ range: rangeSchema, text: z.string() }),
  z.object({ text: z.string() }),
]);

export const didOpenSchema = z.object({
  textDocument: z.object({ uri, languageId: z.string(), version: z.number().int(), text: z.string() }),
});

export const didChangeSchema = z.object({
  textDocument: z.object({ uri, version: z.number().int() }),
  contentChanges: z.array(contentChangeSchema),
});

export const didCloseSchema = z.object({ textDocument: textDocumentIdentifierSchema });

export const textDocumentPositionSchema = z.object({ textDocument: textDocumentIdentifierSchema, position: positionSchema });

export const documentDiagnosticSchema = z.object({
  textDocument: textDocumentIdentifierSchema,
  previousResultId: z.string().optional(),
});

export const codeActionParamsSchema = z.object({
  textDocument: textDocumentIdentifierSchema,
  range: rangeSchema,
  context: z.object({
    diagnostics: z.array(z.unknown()),
    only: z.array(z.string()).optional(),
  }),
});

export const executeCommandSchema = z.object({
  command: z.string(),
  arguments: z.array(z.unknown()).optional(),
  workDoneToken: z.union([z.string(), z.number().int()]).optional(),
});

export const fixAllCommandArgsSchema = z.object({ uri, version: z.number().int().optional() });

const textDocumentItemSchema = didOpenSchema.shape.textDocument;
const notebookCellSchema = z.object({ kind: z.number().int(), document: uri });

export const didOpenNotebookSchema = z.object({
  notebookDocument: z.object({ uri, notebookType: z.string(), version: z.number().int(), cells: z.array(notebookCellSchema) }),
  cellTextDocuments: z.array(textDocumentItemSchema),
});

export const didChangeNotebookSchema = z.object({
  notebookDocument: z.object({ uri, version: z.number().int() }),
  change: z.object({
    cells: z
      .object({
        structure: z
          .object({
            array: z.object({ start: uint, deleteCount: uint, cells: z.array(notebookCellSchema).optional() }),
            didOpen: z.array(textDocumentItemSchema).optional(),
            didClose: z.array(textDocumentIdentifierSchema).optional(),
          })
          .optional(),
        data: z.array(notebookCellSchema).optional(),
        textContent: z
          .array(z.object({ document: z.object({ uri, version: z.number().int() }), changes: z.array(contentChangeSchema) }))
          .optional(),
      })
      .optional(),
  }),
});

export const didCloseNotebookSchema = z.object({
  notebookDocument: z.object({ uri }),
  cellTextDocuments: z.array(textDocumentIdentifierSchema),
});

export type ContentChangeParam = z.infer<typeof contentChangeSchema>;
export type TextDocumentItemParam = z.infer<typeof textDocumentItemSchema>;
export type NotebookCellParam = z.infer<typeof notebookCellSchema>;
export type DidChangeNotebookParam = z.infer<typeof didChangeNotebookSchema>;
