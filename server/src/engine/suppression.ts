import type { Finding } from '../core/findings';
import type { LineIndex } from '../core/text';

const DIRECTIVE = /(?:^|\s)[#;]\s*origin-doctor-disable-next-line\b(.*)$/;

/**
 * True when the line above the finding says `# origin-doctor-disable-next-line [rule-id …]`
 * (`;` instead of `#` in PHP-FPM files). Without ids, every rule is silenced on the next line.
 */
export function isSuppressed(finding: Finding, lines: LineIndex): boolean {
  const line = finding.range.start.line - 1;
  if (line < 0 || line >= lines.lineCount) return false;
  const match = DIRECTIVE.exec(lines.lineText(line));
  if (!match) return false;
  const ids = match[1].split(/[\s,]+/).filter((id) => id !== '');
  return ids.length === 0 || ids.includes(finding.rule);
}

/** True for a line holding an `origin-doctor-disable-next-line` comment, with or without rule ids. */
export function isSuppressionComment(lineText: string): boolean {
  return DIRECTIVE.test(lineText);
}
