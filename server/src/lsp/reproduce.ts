/**
 * `workspace/executeCommand nanlint.reproduce` with arguments `[{ uri, line? }]` or `[uri, line?]` (line
 * 0-based, as LSP positions are; the VS Code client sends the cursor line, code lenses their line): extracts
 * the training configuration of the open document, runs the reproduction in worker processes with
 * work-done progress (cancellable from the progress UI or by cancelling the request; the workers are
 * killed within a second) and answers with the ReproReport.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type ProgressToken, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CONFIG, DEFAULT_FILE_TIME_BUDGET_MS, type LintConfig } from '../engine';
import { ServerCommands } from '../protocol/messages';
import type { ReproReport } from '../protocol/reproduce';
import { ReproductionError, runReproduction, type ReproductionOptions } from '../reproduce/runReproduction';
import { failRequestIfAborted } from './engineProcess';
import { CancelledError, UnknownDocumentError } from './guard';
import type { NanlintServer, ServerExtension } from './server';
import { filePathOf } from './subjects';

export const reproduceArgsSchema = z.object({ uri: z.string(), line: z.number().int().nonnegative().optional() });
export type ReproduceCommandArgs = z.infer<typeof reproduceArgsSchema>;

/** Accepts the object form and the positional form the VS Code command passes along. */
export function parseReproduceArgs(args: readonly unknown[]): ReproduceCommandArgs | null {
  const candidate = typeof args[0] === 'string' ? { uri: args[0], line: args[1] ?? undefined } : args[0];
  const parsed = reproduceArgsSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

/** Runner settings a host may override (tests: a short wall-time cap, a fixed backend). */
export type ReproduceCommandOptions = Pick<ReproductionOptions, 'steps' | 'seed' | 'backend' | 'timeoutMs' | 'workerPath'>;

async function documentText(server: NanlintServer, uri: string): Promise<{ text: string; config: Partial<LintConfig>; budgetMs: number }> {
  try {
    const outcome = await server.lint(uri);
    return { text: outcome.text, config: outcome.config.config, budgetMs: outcome.config.fileTimeBudgetMs };
  } catch (error) {
    const path = filePathOf(uri);
    // A lens or palette command on a file that was closed meanwhile: read it from disk.
    if (!(error instanceof UnknownDocumentError) || path === undefined) throw error;
    return { text: readFileSync(path, 'utf8'), config: DEFAULT_CONFIG, budgetMs: DEFAULT_FILE_TIME_BUDGET_MS };
  }
}

export async function reproduceDocument(
  server: NanlintServer,
  args: ReproduceCommandArgs,
  token: CancellationToken,
  options: ReproduceCommandOptions = {},
  workDoneToken?: ProgressToken,
): Promise<ReproReport> {
  const { text, config: lintConfig, budgetMs } = await documentText(server, args.uri);
  const path = filePathOf(args.uri) ?? args.uri;
  const config = await server.engine
    .run('extract', { text, path, config: lintConfig, ...(args.line === undefined ? {} : { line: args.line + 1 }) }, budgetMs)
    .catch(failRequestIfAborted('reading the training setup'));
  if (config === null) {
    throw new ResponseError(ErrorCodes.InvalidParams, `no training loop, optimizer or model found to reproduce in ${args.uri}`);
  }
  // The client's own token when the request carried one (cancelled with the request), else
  // server-initiated progress, which the client's progress UI can also cancel.
  let progress: WorkDoneProgressReporter;
  let progressUiToken: CancellationToken | undefined;
  if (workDoneToken === undefined) {
    const created = await server.connection.window.createWorkDoneProgress();
    progress = created;
    progressUiToken = created.token;
  } else {
    progress = server.connection.window.attachWorkDoneProgress(workDoneToken);
  }
  progress.begin('nanlint: reproducing on a sample model', 0, 'starting the workers', true);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  const subscriptions = [token.onCancellationRequested(cancel), ...(progressUiToken ? [progressUiToken.onCancellationRequested(cancel)] : [])];
  try {
    return await runReproduction(config, {
      ...options,
      file: path,
      signal: controller.signal,
      onProgress: (p) => progress.report(Math.round(p.fraction * 100), p.message),
    });
  } catch (error) {
    if (error instanceof ReproductionError && error.failure === 'cancelled') throw new CancelledError();
    if (error instanceof ReproductionError) throw new ResponseError(ErrorCodes.InternalError, error.message);
    throw error;
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
    progress.done();
  }
}

/** Registers the command on the server (pass to `runServer(connection, [reproduceExtension()])`). */
export function reproduceExtension(options: ReproduceCommandOptions = {}): ServerExtension {
  return (server) => {
    // The third argument is the request's workDoneToken: the client's progress UI shows the runner's progress.
    server.commands.register(ServerCommands.reproduce, (rawArgs, token, workDoneToken?: ProgressToken) => {
      const parsed = parseReproduceArgs(rawArgs);
      if (parsed === null) throw new ResponseError(ErrorCodes.InvalidParams, `${ServerCommands.reproduce} expects [{ uri, line? }] or [uri, line?]`);
      return reproduceDocument(server, parsed, token, options, workDoneToken);
    });
  };
}
