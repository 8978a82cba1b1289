/**
 * Every handler runs behind a guard: the editor sends half-typed documents, stale requests and, from
 * other clients, plain mistakes, and none of them may take the server down. A request answers with its
 * result or a proper ResponseError; a notification that cannot be applied is logged and dropped.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { z } from 'zod';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A request about a document the server does not have open (never opened, or already closed). */
export class UnknownDocumentError extends Error {
  constructor(readonly uri: string) {
    super(`nanlint has no open document ${uri}`);
  }
}

/** The request was cancelled by the client, or overtaken by a newer version of its document. */
export class CancelledError extends Error {
  constructor() {
    super('request cancelled');
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new CancelledError();
}

type RequestHandler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

/**
 * Validates the params, runs the handler, and turns every failure into a ResponseError:
 * InvalidParams for malformed params and unknown documents, RequestCancelled for cancellations,
 * InternalError (logged with its stack) for anything else.
 */
export function guardRequest<S extends z.ZodType, R, E = never>(
  log: Logger,
  method: string,
  schema: S,
  handler: RequestHandler<z.infer<S>, R>,
  unknownDocument: (error: UnknownDocumentError) => ResponseError<E> = (error) => new ResponseError<E>(ErrorCodes.InvalidParams, error.message),
): (params: unknown, token: CancellationToken) => Promise<R | ResponseError<E>> {
  return async (params, token) => {
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      log.warn(`${method}: malformed params: ${summarizeIssues(parsed.error)}`);
      return new ResponseError<E>(ErrorCodes.InvalidParams, `${method}: malformed params: ${summarizeIssues(parsed.error)}`);
    }
    try {
      throwIfCancelled(token);
      return await handler(parsed.data as z.infer<S>, token);
    } catch (error) {
      if (error instanceof ResponseError) return new ResponseError<E>(error.code, error.message);
      if (error instanceof CancelledError) return new ResponseError<E>(LSPErrorCodes.RequestCancelled, `${method}: request cancelled`);
      if (error instanceof UnknownDocumentError) return unknownDocument(error);
      log.error(`${method} failed: ${describeError(error)}`);
      return new ResponseError<E>(ErrorCodes.InternalError, `${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** Validates and runs a notification handler; failures are logged, never thrown back into the connection. */
export function guardNotification<S extends z.ZodType>(
  log: Logger,
  method: string,
  schema: S,
  handler: (params: z.infer<S>) => void | Promise<void>,
): (params: unknown) => void {
  return (params) => {
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      log.warn(`${method}: ignoring malformed notification: ${summarizeIssues(parsed.error)}`);
      return;
    }
    const report = (error: unknown): void => log.error(`${method} failed: ${describeError(error)}`);
    try {
      const result = handler(parsed.data as z.infer<S>);
      if (result instanceof Promise) result.catch(report);
    } catch (error) {
      report(error);
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function summarizeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
