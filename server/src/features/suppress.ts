import type { Finding, Fix } from '../core/findings';
import { lineBreakOf, type LineIndex } from '../core/text';
import { isSuppressionComment } from '../engine/suppression';
import type { FileKind } from '../model/classify';

/**
 * The "disable for this line" fix: a comment above the finding's line, indented like it. Where the line above already
 * silences other rules, the rule joins them there: a comment line in between would end theirs.
 */
export function suppressionFix(finding: Finding, lines: LineIndex, kind: FileKind): Fix {
  const line = finding.range.start.line;
  const title = `Disable ${finding.rule} for this line`;
  if (line > 0 && isSuppressionComment(lines.lineText(line - 1))) {
    const end = lines.positionAt(lines.lineEnd(line - 1));
    return { title, edits: [{ file: finding.file, range: { start: end, end }, newText: ` ${finding.rule}` }] };
  }
  // A byte order mark stays the file's first character: on the next line it would be part of a name.
  const start = line === 0 && lines.text.startsWith('\uFEFF') ? 1 : 0;
  const indent = /^[ \t]*/.exec(lines.lineText(line).slice(start))?.[0] ?? '';
  const marker = kind === 'php-fpm' ? ';' : '#';
  const lineBreak = lineBreakOf(lines.text);
  return {
    title,
    edits: [{
      file: finding.file,
      range: { start: { line, character: start }, end: { line, character: start } },
      newText: `${indent}${marker} origin-doctor-disable-next-line ${finding.rule}${lineBreak}`,
    }],
  };
}
