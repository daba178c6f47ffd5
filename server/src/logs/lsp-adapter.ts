import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import type { FileId, Fix, Related } from '../core/findings';
import { range as makeRange, type Range } from '../core/text';
import type { Analysis } from '../engine/engine';
import { fixToCodeAction, idToUri } from '../lsp/convert';
import { explainGroups, type ExplainedCause } from './explain';
import type { CauseGroup } from './grouping';
import { OPEN_LOCATION_COMMAND } from './explain-protocol';
import type { ConfigPlace } from './responsible';

/** The languages the extension gives log files (package.json contributes them). */
export const LOG_LANGUAGES: ReadonlySet<string> = new Set(['nginx-error-log', 'php-fpm-log']);


/** A log diagnostic before it is LSP's: one per cause, on the line of its first occurrence. */
export interface LogFinding {
  explained: ExplainedCause;
  range: Range;
  message: string;
  /** The responsible config lines, the config rules' findings on them, and the cause's last occurrence. */
  related: Related[];
  /** The config rules' quick fixes for those lines. */
  fixes: Fix[];
  /** Config lines to jump to. */
  jumps: ConfigPlace[];
}

/**
 * What a log document shows: its causes, related to the workspace's config when there is one. `groups` is
 * the document's text already read (`analyzeLogText(text).groups`), so a config change does not re-read a long log.
 */
export function logFindings(documentId: FileId, groups: readonly CauseGroup[], analysis?: Analysis): LogFinding[] {
  return explainGroups(groups, analysis).map((explained, i) => ({
    explained,
    range: makeRange(explained.firstLine, 0, explained.firstLine, groups[i].firstLineLength),
    message: messageOf(explained),
    related: [
      ...explained.config.map((place) => ({ file: place.file, range: place.range, message: `${place.text}: ${place.role}` })),
      ...explained.findings.map((finding) => ({ file: finding.file, range: finding.range, message: `[${finding.rule}] ${finding.message}` })),
      ...(explained.lastLine !== explained.firstLine
        ? [{ file: documentId, range: makeRange(explained.lastLine, 0, explained.lastLine, groups[i].lastLineLength), message: `last seen here${explained.last ? `, ${explained.last.replace('T', ' ')}` : ''}` }]
        : []),
    ],
    fixes: explained.fixes,
    jumps: explained.config,
  }));
}

/** `Nothing listens where nginx connects: 1,024× (502), 2024-01-03 12:00:00 to 13:04:10. …` */
function messageOf({ cause, count, first, last, sample, upstream }: ExplainedCause): string {
  const when = first && last ? (first === last ? `, at ${first.replace('T', ' ')}` : `, ${first.replace('T', ' ')} to ${last.replace('T', ' ')}`) : '';
  const context = [
    upstream && `upstream ${upstream}`,
    sample.server && `server ${sample.server}`,
    sample.request && `request "${sample.request}"`,
    sample.pool && `pool ${sample.pool}`,
  ].filter(Boolean).join(', ');
  return `${cause.title}: ${count.toLocaleString('en-US')}× (visitors got ${cause.status})${when}. ${cause.explanation}\nNext: ${cause.next}${context ? `\n${context}` : ''}`;
}

export function toLogDiagnostic(finding: LogFinding): Diagnostic {
  const { cause, count, first, last, upstream, sample } = finding.explained;
  return {
    range: finding.range,
    severity: cause.status === '200 truncated' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    code: cause.id,
    source: 'origin-doctor',
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: { uri: idToUri(r.file), range: r.range }, message: r.message })),
    data: { status: cause.status, count, first, last, upstream, server: sample.server, request: sample.request, pool: sample.pool },
  };
}

/** For the diagnostics at `range`: a jump to each responsible config line, then the config rules' quick fixes. */
export function logCodeActions(findings: readonly LogFinding[], range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  return findings.flatMap((finding) => {
    const diagnostic = diagnostics.find((d) => d.code === finding.explained.cause.id && d.range.start.line === finding.range.start.line)
      ?? (finding.range.start.line >= range.start.line && finding.range.start.line <= range.end.line ? toLogDiagnostic(finding) : undefined);
    if (!diagnostic) return [];
    const jumps: CodeAction[] = finding.jumps.map((place) => {
      const title = `Go to ${place.text} (${baseName(place.file)}:${place.range.start.line + 1})`;
      return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: OPEN_LOCATION_COMMAND, arguments: [idToUri(place.file), place.range] } };
    });
    return [...jumps, ...finding.fixes.map((fix) => fixToCodeAction(fix, diagnostic))];
  });
}

function baseName(file: FileId): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
