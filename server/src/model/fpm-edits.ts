/**
 * Quick-fix edits for php-fpm files: a new value for a setting, or a new `key = value` line that keeps the
 * file's indentation and line endings.
 */
import type { Fix, TextEdit } from '../core/findings';
import type { FpmFile, FpmPoolConfig, FpmSetting } from './fpm-load';

/** Replaces what follows `=`; a comment after the value stays. */
export function replaceValue(setting: FpmSetting, value: string): TextEdit {
  const { file, entry } = setting;
  const start = file.lines.offsetAt(entry.valueRange.start);
  // `key =` with nothing after it gets a space before the new value.
  const spaced = entry.rawValue === '' && file.text[start - 1] === '=' ? ` ${value}` : value;
  return { file: file.id, range: entry.valueRange, newText: spaced };
}

/** A new line after line `after` of `file`, indented like line `indentLike`, with the break the file uses there. */
function insertLine(file: FpmFile, after: number, indentLike: number, text: string): TextEdit {
  const end = file.lines.positionAt(file.lines.lineEnd(after));
  const indent = /^[ \t]*/.exec(file.lines.lineText(indentLike))?.[0] ?? '';
  return { file: file.id, range: { start: end, end }, newText: `${lineBreak(file, after)}${indent}${text}` };
}

/** The break ending `line`, else the file's first one, else `\n`. */
export function lineBreak(file: Pick<FpmFile, 'text' | 'lines'>, line: number): string {
  const end = file.lines.lineEnd(line);
  const own = /^(\r\n|\r|\n)/.exec(file.text.slice(end, end + 2));
  return own?.[1] ?? /\r\n|\r|\n/.exec(file.text)?.[0] ?? '\n';
}

/**
 * Gives a pool option a value: rewrites the setting php-fpm keeps, or adds `key = value` after `anchor` or,
 * without one, right after the pool's first header (indented like the pool's first setting there).
 */
export function setPoolOption(pool: FpmPoolConfig, key: string, value: string, anchor?: FpmSetting): TextEdit {
  const current = pool.scalar(key);
  if (current) return replaceValue(current, value);
  const line = `${key} = ${value}`;
  if (anchor) return insertLine(anchor.file, anchor.entry.range.start.line, anchor.entry.range.start.line, line);
  const { file, section } = pool.headers[0];
  const header = section.headerRange.start.line;
  return insertLine(file, header, section.entries[0]?.range.start.line ?? header, line);
}

/** A quick fix giving a pool several options at once, titled with them. */
export function setPoolOptions(pool: FpmPoolConfig, values: [string, string][], anchor?: FpmSetting, isPreferred = true): Fix {
  return {
    title: `Set ${values.map(([key, value]) => `${key} = ${value}`).join(', ')}`,
    edits: values.map(([key, value]) => setPoolOption(pool, key, value, anchor)),
    ...(isPreferred ? { isPreferred } : {}),
  };
}
