/**
 * `workspace/executeCommand`: one table of server commands. Other parts of the server (the
 * reproduction runner) add theirs through `register`; the capabilities advertise what is registered.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type ProgressToken } from 'vscode-languageserver';

/** `workDoneToken` is the request's, when the client sent one, for commands that report progress. */
export type CommandHandler = (args: readonly unknown[], token: CancellationToken, workDoneToken?: ProgressToken) => Promise<unknown> | unknown;

export class CommandRegistry {
  private readonly handlers = new Map<string, CommandHandler>();

  register(command: string, handler: CommandHandler): void {
    if (this.handlers.has(command)) throw new Error(`command ${command} is registered twice`);
    this.handlers.set(command, handler);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }

  async execute(command: string, args: readonly unknown[], token: CancellationToken, workDoneToken?: ProgressToken): Promise<unknown> {
    const handler = this.handlers.get(command);
    if (!handler) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${command} (known: ${this.names().join(', ')})`);
    return handler(args, token, workDoneToken);
  }
}
