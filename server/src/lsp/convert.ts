import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  CodeAction, CodeActionKind, DiagnosticSeverity, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../core/findings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Engine ids are file paths for `file:` documents and the URI itself for any other scheme. */
export function uriToId(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri).split('\\').join('/') : uri;
}

export function idToUri(id: string): string {
  return id.startsWith('/') || /^[A-Za-z]:\//.test(id) ? pathToFileURL(id).toString() : id;
}

/** The rule's page shipped with the extension (docs/rules/<format>/<name>.md beside dist/). */
export function ruleDocsUri(ruleId: string): string {
  return pathToFileURL(join(__dirname, '..', 'docs', 'rules', `${ruleId}.md`)).toString();
}

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocsUri(finding.rule) },
    source: 'origin-doctor',
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({ location: { uri: idToUri(r.file), range: r.range }, message: r.message })),
  };
}

/** A finding's fix as a quick fix; without a diagnostic, an edit offered where the cursor is (a refactoring). */
export function fixToCodeAction(fix: Fix, diagnostic?: Diagnostic): CodeAction {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits) (changes[idToUri(edit.file)] ??= []).push({ range: edit.range, newText: edit.newText });
  const edit: WorkspaceEdit = { changes };
  return diagnostic
    ? { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: fix.isPreferred }
    : { title: fix.title, kind: CodeActionKind.RefactorRewrite, edit };
}
