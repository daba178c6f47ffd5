import type { Finding, Fix } from '../core/findings';
import type { LineIndex } from '../core/text';
import type { FileKind } from '../model/classify';

/** The "disable for this line" fix: a comment above the finding's line, indented like it. */
export function suppressionFix(finding: Finding, lines: LineIndex, kind: FileKind): Fix {
  const line = finding.range.start.line;
  const indent = /^[ \t]*/.exec(lines.lineText(line))?.[0] ?? '';
  const marker = kind === 'php-fpm' ? ';' : '#';
  const lineBreak = /\r\n/.test(lines.text) ? '\r\n' : '\n';
  return {
    title: `Disable ${finding.rule} for this line`,
    edits: [{
      file: finding.file,
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `${indent}${marker} origin-doctor-disable-next-line ${finding.rule}${lineBreak}`,
    }],
  };
}
