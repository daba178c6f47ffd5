import * as vscode from 'vscode';
import { type ConfigLanguage, detectConfigLanguage } from './configLanguage';

type AutoDetectMode = 'ask' | 'always' | 'never';
/** A workspace's answer to the question, per language: switch such files silently, or leave them alone. */
type WorkspaceAnswer = 'yes' | 'never';

const DESCRIPTIONS: Record<ConfigLanguage, string> = {
  nginx: 'an nginx config',
  'php-fpm': 'a PHP-FPM config',
};

/**
 * Offers nginx / php-fpm for config files VS Code opened as plain text or properties,
 * following `originDoctor.autoDetectLanguage`.
 */
export function registerLanguageDetection(context: vscode.ExtensionContext): void {
  const detection = new LanguageDetection(context.workspaceState);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((document) => detection.check(document)));
  for (const document of vscode.workspace.textDocuments) void detection.check(document);
}

class LanguageDetection {
  /** Languages asked about in this session, so a dismissed question is not repeated for every file. */
  private readonly asked = new Set<ConfigLanguage>();

  constructor(private readonly workspaceState: vscode.Memento) {}

  async check(document: vscode.TextDocument): Promise<void> {
    const language = detectConfigLanguage(document);
    if (!language) return;
    const mode = autoDetectMode(document.uri);
    const answer = this.workspaceAnswer(language);
    if (mode === 'never' || answer === 'never') return;
    if (mode === 'always' || answer === 'yes') {
      await switchLanguage(document, language);
      return;
    }
    if (this.asked.has(language)) return;
    this.asked.add(language);
    if (await this.ask(language)) await switchOpenDocuments(language);
  }

  /** Asks once; true when the user accepted. Files opened while the question was shown are switched too. */
  private async ask(language: ConfigLanguage): Promise<boolean> {
    const choice = await vscode.window.showInformationMessage(
      `This file looks like ${DESCRIPTIONS[language]}. Use the ${language} language?`,
      'Yes',
      'Always',
      'Never',
    );
    switch (choice) {
      case 'Yes':
        await this.workspaceState.update(stateKey(language), 'yes');
        return true;
      case 'Always':
        await vscode.workspace
          .getConfiguration('originDoctor')
          .update('autoDetectLanguage', 'always', vscode.ConfigurationTarget.Global);
        return true;
      case 'Never':
        await this.workspaceState.update(stateKey(language), 'never');
        return false;
      default:
        // Dismissed: ask again in a later session.
        return false;
    }
  }

  private workspaceAnswer(language: ConfigLanguage): WorkspaceAnswer | undefined {
    return this.workspaceState.get<WorkspaceAnswer>(stateKey(language));
  }
}

function autoDetectMode(scope: vscode.Uri): AutoDetectMode {
  return vscode.workspace.getConfiguration('originDoctor', scope).get<AutoDetectMode>('autoDetectLanguage', 'ask');
}

function stateKey(language: ConfigLanguage): string {
  return `originDoctor.autoDetectLanguage.${language}`;
}

async function switchOpenDocuments(language: ConfigLanguage): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (detectConfigLanguage(document) === language) await switchLanguage(document, language);
  }
}

async function switchLanguage(document: vscode.TextDocument, language: ConfigLanguage): Promise<void> {
  await vscode.languages.setTextDocumentLanguage(document, language);
}
