/**
 * The webview panel that shows a reproduction report: the page from reportHtml.ts under a nonce-based
 * CSP, with the chart script loaded from the extension's dist/media folder (the only local resource
 * root; no CDN, no network). Source-line links in the page reveal the line in the editor.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Range, Selection, Uri, ViewColumn, window, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { ReproReport } from '../../../server/src/protocol/reproduce';
import { renderReportHtml } from '../../../server/src/reproduce/reportHtml';

const VIEW_TYPE = 'nanlint.reproductionReport';

/** One panel per reproduced file: running it again refreshes the panel instead of stacking new ones. */
const panels = new Map<string, WebviewPanel>();

function fileUri(file: string): Uri {
  return path.isAbsolute(file) ? Uri.file(file) : Uri.parse(file);
}

async function revealLine(file: string, line: number): Promise<void> {
  const editor = await window.showTextDocument(fileUri(file), { viewColumn: ViewColumn.One, preserveFocus: false });
  const target = editor.document.lineAt(Math.max(0, Math.min(line - 1, editor.document.lineCount - 1))).range;
  editor.selection = new Selection(target.start, target.start);
  editor.revealRange(new Range(target.start, target.end));
}

function isRevealMessage(message: unknown): message is { type: 'reveal'; line: number } {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; line?: unknown };
  return candidate.type === 'reveal' && typeof candidate.line === 'number' && Number.isInteger(candidate.line) && candidate.line > 0;
}

export function showReportPanel(context: ExtensionContext, report: ReproReport): WebviewPanel {
  const mediaRoot = Uri.joinPath(context.extensionUri, 'dist', 'media');
  let panel = panels.get(report.file);
  if (panel === undefined) {
    panel = window.createWebviewPanel(VIEW_TYPE, `Reproduction: ${path.basename(report.file)}`, ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [mediaRoot],
    });
    const created = panel;
    panels.set(report.file, created);
    created.onDidDispose(() => panels.delete(report.file), undefined, context.subscriptions);
    created.webview.onDidReceiveMessage(
      (message: unknown) => {
        if (isRevealMessage(message)) void revealLine(report.file, message.line);
      },
      undefined,
      context.subscriptions,
    );
  } else {
    panel.reveal(ViewColumn.Beside);
  }
  const webview = panel.webview;
  panel.webview.html = renderReportHtml(report, {
    nonce: randomBytes(16).toString('hex'),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(Uri.joinPath(mediaRoot, 'report.js')).toString(),
  });
  return panel;
}
