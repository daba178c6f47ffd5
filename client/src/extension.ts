import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerExplainLog } from './explainLog';
import { createLanguageClient } from './languageClient';
import { registerLanguageDetection } from './languageDetection';
import { registerOriginMap } from './originMap';
import { registerProbeCommand } from './probe/command';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Origin Doctor', { log: true });
  context.subscriptions.push(output);
  registerLanguageDetection(context);

  client = createLanguageClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('originDoctor.restartServer', () => client?.restart()),
    // A server started untrusted stays confined; a fresh one reads what the configs include from outside the workspace.
    vscode.workspace.onDidGrantWorkspaceTrust(() => client?.restart()),
  );
  registerOriginMap(context, () => client);
  registerProbeCommand(context, () => client);
  registerExplainLog(context, () => client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client?.needsStop()) await client.stop();
  client = undefined;
}
