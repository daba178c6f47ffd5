import * as path from 'node:path';
import * as vscode from 'vscode';
import { classifyByContent } from '../../server/src/model/classify';

/** The languages this extension contributes and can switch a document to. */
export type ConfigLanguage = 'nginx' | 'php-fpm';

/** What VS Code gives a `.conf` file (`properties`) or a file without extension (`plaintext`) it does not know. */
const UNRECOGNISED_LANGUAGES = new Set(['plaintext', 'properties', 'ini']);
const SCHEMES = new Set(['file', 'untitled']);

/** The classifier decides within its first few hundred significant lines; the rest of a huge file is never needed. */
const SAMPLE_LINES = 2000;

/** The config language a document VS Code did not recognise holds, judged by its content. */
export function detectConfigLanguage(document: vscode.TextDocument): ConfigLanguage | undefined {
  if (!SCHEMES.has(document.uri.scheme) || !UNRECOGNISED_LANGUAGES.has(document.languageId)) return undefined;
  const extension = path.extname(document.fileName).toLowerCase();
  if (extension !== '' && extension !== '.conf') return undefined;
  const sample = document.getText(new vscode.Range(0, 0, SAMPLE_LINES, 0));
  const kind = classifyByContent(document.fileName, sample);
  return kind === 'nginx' || kind === 'php-fpm' ? kind : undefined;
}
