import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { escapeHtml } from './probe/report-html';

/** A map node as the server sends it (`originDoctor/originMap`): file locations as URIs, 0-based lines. */
interface MapNode {
  kind: string;
  label: string;
  at?: { uri: string; line: number };
  children: MapNode[];
}

let panel: vscode.WebviewPanel | undefined;

/** Origin Doctor: Show Origin Map — the chain Cloudflare → tunnel → nginx → upstream/pool in a panel. */
export function registerOriginMap(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('originDoctor.showOriginMap', async () => {
      const roots = (await client()?.sendRequest<MapNode[]>('originDoctor/originMap')) ?? [];
      panel ??= createPanel(context);
      panel.webview.html = renderPage(roots, nonce());
      panel.reveal(vscode.ViewColumn.Beside, true);
      return roots;
    }),
  );
}

function createPanel(context: vscode.ExtensionContext): vscode.WebviewPanel {
  const created = vscode.window.createWebviewPanel('originDoctor.originMap', 'Origin Map', vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [] });
  created.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
  created.webview.onDidReceiveMessage(async (message: { uri?: string; line?: number }) => {
    if (typeof message.uri !== 'string' || typeof message.line !== 'number') return;
    const position = new vscode.Position(message.line, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }, undefined, context.subscriptions);
  return created;
}

const KIND_LABELS: Record<string, string> = {
  hostname: 'Cloudflare hostname', service: 'tunnel service', server: 'nginx server', location: 'location',
  upstream: 'upstream', pool: 'PHP-FPM pool', backend: 'backend',
};

function renderPage(roots: MapNode[], scriptNonce: string): string {
  const body = roots.length > 0 ? `<ul class="tree">${roots.map(renderNode).join('')}</ul>` : '<p>No tunnel routes or nginx servers in this workspace.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${scriptNonce}'; script-src 'nonce-${scriptNonce}';">
<style nonce="${scriptNonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.4em; }
ul.tree { padding-left: 0; }
li { margin: 0.25em 0; }
.kind { display: inline-block; min-width: 9em; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
a { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
a:hover { text-decoration: underline; }
.arrow { color: var(--vscode-descriptionForeground); }
</style></head>
<body><h2>Origin Map</h2><p>How a request travels: Cloudflare hostname → tunnel service → nginx server → location → upstream or PHP-FPM pool. Click a step to open its line.</p>
${body}
<script nonce="${scriptNonce}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-uri]');
  if (link) vscode.postMessage({ uri: link.dataset.uri, line: Number(link.dataset.line) });
});
</script></body></html>`;
}

function renderNode(node: MapNode): string {
  const label = escapeHtml(node.label);
  const text = node.at ? `<a data-uri="${escapeHtml(node.at.uri)}" data-line="${node.at.line}">${label}</a>` : label;
  const children = node.children.length > 0 ? `<ul>${node.children.map(renderNode).join('')}</ul>` : '';
  return `<li><span class="kind">${escapeHtml(KIND_LABELS[node.kind] ?? node.kind)}</span> <span class="arrow">→</span> ${text}${children}</li>`;
}


function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}
