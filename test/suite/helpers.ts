import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'origin-doctor.origin-doctor';
export const SOURCE = 'origin-doctor';
/** The repository (this file runs as out/test/suite/helpers.js). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** How long the language server may take to (re)publish after a change; it answers in well under a second. */
export const DIAGNOSTICS_TIMEOUT_MS = 30_000;

/** The one workspace folder: a copy of examples/ that the runner made. Never the repository's own examples/. */
export function workspaceRoot(): vscode.Uri {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, `the suite needs one workspace folder (a copy of examples/), got ${folders.length}`);
  const root = folders[0].uri;
  assert.notEqual(resolve(root.fsPath), resolve(REPO_ROOT, 'examples'), 'open a copy of examples/: quick fixes change the files');
  return root;
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

export function relativeOf(uri: vscode.Uri): string {
  return uri.fsPath.slice(workspaceRoot().fsPath.length + 1).split('\\').join('/');
}

export async function openFile(relativePath: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(fileUri(relativePath));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/** The rule id of a diagnostic: VS Code gives `{ value, target }` when the server sent a documentation link. */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** `rule@line` (1-based, as an editor shows it) for each of our diagnostics of a file, sorted. */
export function findingsOf(relativePath: string): string[] {
  return ours(fileUri(relativePath)).map((d) => `${ruleOf(d)}@${d.range.start.line + 1}`).sort();
}

export function diagnosticOf(relativePath: string, rule: string): vscode.Diagnostic | undefined {
  return ours(fileUri(relativePath)).find((d) => ruleOf(d) === rule);
}

/**
 * Resolves with the first truthy value of `probe`, which is asked again on every diagnostics change, every
 * tab or editor change and every 100 ms; fails after `timeoutMs` with `what` and the last value seen.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = DIAGNOSTICS_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let wake: () => void = () => undefined;
  const subscriptions = [
    vscode.languages.onDidChangeDiagnostics(() => wake()),
    vscode.window.tabGroups.onDidChangeTabs(() => wake()),
    vscode.window.onDidChangeActiveTextEditor(() => wake()),
  ];
  try {
    for (;;) {
      last = await probe();
      if (last) return last as T;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(100, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Waits until a file's findings include all of `rules` (as `rule@line`) and none of `absent`. */
export function waitForFindings(relativePath: string, present: string[], absent: string[] = []): Promise<string[]> {
  return waitFor(`${relativePath} to show [${present.join(', ')}]${absent.length ? ` and not [${absent.join(', ')}]` : ''}`, () => {
    const seen = findingsOf(relativePath);
    const ok = present.every((f) => seen.includes(f)) && absent.every((f) => !seen.some((s) => s === f || s.startsWith(`${f}@`)));
    return ok ? seen : undefined;
  });
}

/** Sets `originDoctor.<key>` in the workspace's settings (the copy's .vscode/settings.json); undefined removes it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('originDoctor').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** The text of all hovers at a position, Markdown joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n\n');
}

/** The code actions VS Code would offer for a range (what the lightbulb lists). */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

/** All open tabs' labels, for the panels the commands open. */
export function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
}

/** Replaces a document's whole text and saves it: puts an example file back as it was. */
export async function restoreText(document: vscode.TextDocument, text: string): Promise<void> {
  if (document.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${document.uri.fsPath}`);
  }
  if (document.isDirty) assert.ok(await document.save(), `could not save ${document.uri.fsPath}`);
}
