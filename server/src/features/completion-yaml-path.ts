import type { LineIndex, Position } from '../core/text';

/**
 * Where the cursor stands in a YAML file that may be half typed (where a YAML parser would read a half-typed
 * key as part of the value above it): the keys above it, read from indentation alone, with `[]` for a list item.
 * `ingress: / - hostname: a / ␣␣service: |` gives path `['ingress', '[]']`, key position.
 */
export type YamlCursor =
  | { kind: 'key'; path: string[]; column: number; onListItem: boolean }
  /** After `key:`; `needsSpace` when nothing, not even the space YAML needs, follows the colon yet. */
  | { kind: 'value'; path: string[]; key: string; column: number; needsSpace: boolean };

interface YamlLine {
  /** Column of the `-` of a list item. */
  dash?: number;
  /** Column where the key (or the text after `- `) starts. */
  keyColumn: number;
  key?: string;
  /** Something follows `key:` on the line. */
  hasValue: boolean;
}

/** `key:` or `"key":` at the start of `text`, and what follows it. */
const KEY = /^("[^"]*"|'[^']*'|[^\s#'"][^:#]*?)[ \t]*:(?:[ \t]+(.*)|$)/;

function readLine(text: string): YamlLine | undefined {
  const indent = /^ */.exec(text)![0].length;
  let rest = text.slice(indent);
  if (rest === '' || rest.startsWith('#')) return undefined;
  let dash: number | undefined;
  let keyColumn = indent;
  const item = /^-[ \t]+/.exec(rest);
  if (item) {
    dash = indent;
    keyColumn = indent + item[0].length;
    rest = rest.slice(item[0].length);
  }
  const key = KEY.exec(rest);
  const value = key?.[2]?.trim() ?? '';
  return { dash, keyColumn, key: key ? key[1].replace(/^(["'])(.*)\1$/, '$2') : undefined, hasValue: value !== '' && !value.startsWith('#') };
}

export function yamlCursor(lines: LineIndex, position: Position): YamlCursor | undefined {
  const typed = lines.lineText(position.line).slice(0, position.character);
  if (/^\s*#/.test(typed) || typed.includes('\t')) return undefined;
  const current = readLine(typed) ?? { keyColumn: typed.length, hasValue: false };
  const path = ancestors(lines, position.line, current);
  if (current.key !== undefined) {
    const afterKey = /^.*?:([ \t]*)/.exec(typed.slice(current.keyColumn))!;
    return { kind: 'value', path, key: current.key, column: current.keyColumn + afterKey[0].length, needsSpace: afterKey[1] === '' };
  }
  if (!/^[\w.-]*$/.test(typed.slice(current.keyColumn))) return undefined;
  return { kind: 'key', path, column: current.keyColumn, onListItem: current.dash !== undefined };
}

/**
 * The keys of the maps enclosing a line, outermost first, found by walking up to less indented lines. A list's
 * `-` may stand in the column of its parent key (`ingress:` / `- service: …`), so a list looks for its key at
 * its own column too.
 */
function ancestors(lines: LineIndex, lineNumber: number, current: YamlLine): string[] {
  const path: string[] = [];
  let scope: { kind: 'map' | 'list'; column: number } = current.dash !== undefined
    ? { kind: 'list', column: current.dash }
    : { kind: 'map', column: current.keyColumn };
  if (current.dash !== undefined) path.push('[]');
  for (let n = lineNumber - 1; n >= 0 && !(scope.kind === 'map' && scope.column === 0); n--) {
    const line = readLine(lines.lineText(n));
    if (!line) continue;
    if (scope.kind === 'map' && line.dash !== undefined && line.keyColumn === scope.column) {
      // The first key of the list item this map is.
      path.push('[]');
      scope = { kind: 'list', column: line.dash };
      continue;
    }
    const parentColumn = scope.kind === 'map' ? line.keyColumn < scope.column : line.keyColumn <= scope.column && line.dash !== scope.column;
    if (!parentColumn || line.key === undefined || line.hasValue) continue;
    path.push(line.key);
    if (line.dash === undefined) {
      scope = { kind: 'map', column: line.keyColumn };
    } else {
      path.push('[]');
      scope = { kind: 'list', column: line.dash };
    }
  }
  return path.reverse();
}
