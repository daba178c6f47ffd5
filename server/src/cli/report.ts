import type { Finding } from '../core/findings';

/** A finding as the CLI prints it: 1-based lines and columns, files named as the user named them. */
export interface CliDiagnostic {
  file: string;
  rule: string;
  severity: Finding['severity'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related: Array<{ file: string; line: number; column: number; message: string }>;
  fixes: Array<{ title: string; edits: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }> }>;
}

export function toCliDiagnostic(finding: Finding, display: (path: string) => string): CliDiagnostic {
  const { start, end } = finding.range;
  return {
    file: display(finding.file),
    rule: finding.rule,
    severity: finding.severity,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    message: finding.message,
    related: (finding.related ?? []).map((r) => ({ file: display(r.file), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
    fixes: (finding.fixes ?? []).map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({
        file: display(e.file),
        line: e.range.start.line + 1,
        column: e.range.start.character + 1,
        endLine: e.range.end.line + 1,
        endColumn: e.range.end.character + 1,
        newText: e.newText,
      })),
    })),
  };
}

export function formatText(diagnostics: CliDiagnostic[]): string {
  const lines = diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} [${d.rule}] ${d.message}`);
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  const other = diagnostics.length - errors - warnings;
  lines.push(
    diagnostics.length === 0
      ? 'No problems found.'
      : `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${other} other)`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(diagnostics: CliDiagnostic[]): string {
  return `${JSON.stringify({ diagnostics }, null, 2)}\n`;
}
