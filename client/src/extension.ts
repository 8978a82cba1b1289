/** Activation: the output channel, the language client, the status item and the commands. */
import { window, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '../../server/src/protocol/messages';
import { registerCommands } from './commands';
import { createLanguageClient } from './languageClient';
import { ServerStatus } from './status';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output: LogOutputChannel = window.createOutputChannel('nanlint', { log: true });
  const status = new ServerStatus();
  context.subscriptions.push(output, status);

  const start = async (): Promise<void> => {
    status.starting();
    const next = createLanguageClient(context, output);
    next.onNotification(StatusNotification, (params) => status.update(params));
    next.onDidChangeState(({ newState }) => {
      if (newState === State.Stopped) status.stopped('the language server stopped; run "nanlint: Restart Server"');
    });
    client = next;
    try {
      await next.start();
    } catch (error) {
      output.error(`nanlint: the language server failed to start: ${error instanceof Error ? error.message : String(error)}`);
      status.stopped('the language server failed to start');
    }
  };

  registerCommands({
    extension: context,
    client: () => client,
    restart: async () => {
      const previous = client;
      client = undefined;
      try {
        await previous?.dispose();
      } catch (error) {
        // A server that already crashed cannot be stopped politely; a fresh one starts regardless.
        output.warn(`nanlint: stopping the previous server failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await start();
    },
    showOutput: () => output.show(true),
  });
  await start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.dispose();
}
