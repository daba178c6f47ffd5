import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import type { FileId } from '../core/findings';
import type { Range } from '../core/text';
import type { Analysis } from '../engine/engine';
import type { CauseGroup } from './grouping';
import { analyzeLogText } from './log-reader';
import { logCodeActions, logFindings, toLogDiagnostic, type LogFinding } from './lsp-adapter';

interface LogDocument {
  text: string;
  /** The text read into groups: once per text, however often the config changes. */
  groups?: CauseGroup[];
  /** The findings for the last analysis they were related to. */
  cached?: { analysis: Analysis; findings: LogFinding[] };
}

/**
 * The open log documents of the language server. They are not part of the config workspace: they are
 * explained against it. A log is read again only when it changes, and related again when the config does.
 */
export class LogDocuments {
  private readonly documents = new Map<FileId, LogDocument>();

  set(id: FileId, text: string): void {
    if (this.documents.get(id)?.text !== text) this.documents.set(id, { text });
  }

  delete(id: FileId): void {
    this.documents.delete(id);
  }

  has(id: FileId): boolean {
    return this.documents.has(id);
  }

  ids(): FileId[] {
    return [...this.documents.keys()];
  }

  diagnostics(id: FileId, analysis: Analysis): Diagnostic[] {
    return this.findings(id, analysis).map(toLogDiagnostic);
  }

  codeActions(id: FileId, analysis: Analysis, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
    return logCodeActions(this.findings(id, analysis), range, diagnostics);
  }

  private findings(id: FileId, analysis: Analysis): LogFinding[] {
    const document = this.documents.get(id);
    if (!document) return [];
    document.groups ??= analyzeLogText(document.text).groups;
    if (document.cached?.analysis !== analysis) document.cached = { analysis, findings: logFindings(id, document.groups, analysis) };
    return document.cached.findings;
  }
}
