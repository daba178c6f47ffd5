import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProbeResult } from '../../../server/src/probe/types';
import { renderProbeReport } from './report-html';

let panel: vscode.WebviewPanel | undefined;

/** Shows the result in the one probe panel, made on first use: no scripts, no local resources. */
export function showProbeResult(context: vscode.ExtensionContext, result: ProbeResult): void {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('originDoctor.probe', 'Probe', vscode.ViewColumn.Beside, { enableScripts: false, localResourceRoots: [] });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  }
  panel.title = `Probe: ${new URL(result.url).host}`;
  panel.webview.html = renderProbeReport(result, randomBytes(16).toString('base64'));
  panel.reveal(vscode.ViewColumn.Beside, true);
}
