import { LineIndex } from '../core/text';
import type { FpmEntry, FpmParseResult } from '../parsers/phpfpm/ast';
import { fpmEntries } from '../parsers/phpfpm/parser';
import type { FormatPlan, OffsetEdit } from './format-edits';

/**
 * Plans the formatting of a php-fpm file line by line, as php-fpm reads it: `key = value` with one space
 * around `=`, entries start their line (a section header must already), trailing blanks go; comments and values stay as
 * written. A file with syntax errors, a NUL byte or a lone carriage return (where php-fpm and an editor
 * disagree on what a line is) is left alone.
 */
export function planFpmFormat(text: string, parse: FpmParseResult): FormatPlan {
  if (parse.errors.length > 0) return { refused: 'the file has syntax errors' };
  if (/\0|\r(?!\n)/.test(text)) return { refused: 'the file holds a NUL byte or a lone carriage return' };
  const lines = new LineIndex(text);
  const entryByLine = new Map<number, FpmEntry>(fpmEntries(parse).map((e) => [e.keyRange.start.line, e]));
  const edits: OffsetEdit[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStarts[line];
    const end = lines.lineEnd(line);
    const written = text.slice(start, end);
    const entry = entryByLine.get(line);
    const formatted = entry ? entryLine(entry, written, start, lines) : written.replace(/[ \t]+$/, '');
    if (formatted !== written) edits.push({ start, end, newText: formatted });
  }
  return { edits };
}

/** `key = value` and whatever follows the value (a `; comment`), when `=` alone sits between key and value. */
function entryLine(entry: FpmEntry, written: string, lineStart: number, lines: LineIndex): string {
  const keyStart = lines.offsetAt(entry.keyRange.start) - lineStart;
  const keyEnd = lines.offsetAt(entry.keyRange.end) - lineStart;
  const valueStart = lines.offsetAt(entry.valueRange.start) - lineStart;
  const valueEnd = lines.offsetAt(entry.valueRange.end) - lineStart;
  const trimmed = written.replace(/[ \t]+$/, '');
  if (!/^[ \t]*$/.test(written.slice(0, keyStart)) || !/^[ \t]*=[ \t]*$/.test(written.slice(keyEnd, valueStart))) return trimmed;
  const value = written.slice(valueStart, valueEnd);
  return `${written.slice(keyStart, keyEnd)} =${value === '' ? '' : ` ${value}`}${trimmed.slice(valueEnd)}`;
}
