import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import {
  EXPLAIN_LOG_REQUEST, OPEN_LOCATION_COMMAND, type ExplainLogParams, type ExplainLogResult,
} from '../../server/src/logs/explain-protocol';

interface Source {
  params: ExplainLogParams;
  label: string;
}

/**
 * Origin Doctor: Explain Log… — a log file (the explorer's, the active editor's, or one picked) or the
 * clipboard, explained by the language server against the workspace's config; the report opens as
 * Markdown beside the editor. Also registers the command log diagnostics' "Go to …" actions run.
 */
export function registerExplainLog(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('originDoctor.explainLog', async (uri?: vscode.Uri): Promise<ExplainLogResult | undefined> => {
      const languageClient = client();
      if (!languageClient) {
        void vscode.window.showErrorMessage('Explain Log: the Origin Doctor server is not running.');
        return undefined;
      }
      const source = uri instanceof vscode.Uri ? fromUri(uri) : await pickSource();
      if (!source) return undefined;
      const result = await explainWithProgress(languageClient, source);
      if (result) await showReport(result.markdown);
      return result;
    }),
    vscode.commands.registerCommand(OPEN_LOCATION_COMMAND, (uri: string, range: vscode.Range) => openLocation(uri, range)),
  );
}

/** A file on disk is streamed by the server; an unsaved or non-file document is sent as text. */
function fromUri(uri: vscode.Uri): Source {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const label = vscode.workspace.asRelativePath(uri);
  if (uri.scheme === 'file' && !open?.isDirty) return { params: { uri: uri.toString() }, label };
  return { params: { text: open?.getText() ?? '', label }, label };
}

async function pickSource(): Promise<Source | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const items: Array<vscode.QuickPickItem & { pick: () => Thenable<Source | undefined> }> = [
    ...(active ? [{ label: '$(file-text) Active editor', description: vscode.workspace.asRelativePath(active.uri), pick: async () => fromUri(active.uri) }] : []),
    { label: '$(folder-opened) Choose a log file…', description: 'nginx error.log, php-fpm.log', pick: chooseFile },
    { label: '$(clippy) Clipboard', description: 'log lines copied from a terminal or a dashboard', pick: fromClipboard },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Explain Log', placeHolder: 'Which log should Origin Doctor explain?' });
  return chosen?.pick();
}

async function chooseFile(): Promise<Source | undefined> {
  const [uri] = (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Explain', filters: { Logs: ['log'], 'All files': ['*'] } })) ?? [];
  return uri && fromUri(uri);
}

async function fromClipboard(): Promise<Source | undefined> {
  const text = await vscode.env.clipboard.readText();
  if (text.trim() === '') {
    void vscode.window.showWarningMessage('Explain Log: the clipboard is empty.');
    return undefined;
  }
  return { params: { text, label: 'Clipboard' }, label: 'the clipboard' };
}

/** The server reads the log in one pass; its work-done progress drives the notification, whose Cancel cancels the request. */
function explainWithProgress(languageClient: LanguageClient, source: Source): Thenable<ExplainLogResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Explaining ${source.label}`, cancellable: true },
    async (progress, token) => {
      const workDoneToken = randomUUID();
      let shown = 0;
      const listener = languageClient.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'report' || value.percentage === undefined) return;
        progress.report({ increment: value.percentage - shown });
        shown = value.percentage;
      });
      try {
        return await languageClient.sendRequest<ExplainLogResult>(EXPLAIN_LOG_REQUEST, { ...source.params, workDoneToken }, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        void vscode.window.showErrorMessage(`Explain Log: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      } finally {
        listener.dispose();
      }
    },
  );
}

async function showReport(markdown: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
}

async function openLocation(uri: string, range: vscode.Range): Promise<void> {
  const start = new vscode.Position(range.start.line, range.start.character);
  const end = new vscode.Position(range.end.line, range.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(start, end) });
}
