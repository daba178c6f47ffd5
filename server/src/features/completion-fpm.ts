import type { Settings } from '../core/settings';
import type { Position, Range } from '../core/text';
import type { ParsedFile } from '../model/workspace';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { FPM_DIRECTIVES, findFpmDirective, sectionKind, type FpmDirectiveInfo, type FpmSectionKind } from '../reference/phpfpm';
import { ITEM_KIND, item, markdown, snippetItem, templateItem, type CompletionEntry } from './completion-items';
import { fpmPool } from './snippets';

/** The values php-fpm accepts for each kind of switch, in the words its sample files use. */
const SWITCH_VALUES: Partial<Record<FpmDirectiveInfo['type'], readonly string[]>> = {
  boolean: ['yes', 'no'],
  'ini-flag': ['on', 'off'],
  rlimit: ['unlimited'],
};

/**
 * Completions in a php-fpm file, read from the current line (php-fpm reads one line at a time): the keys of
 * the section the line is in, the values of an enumerated key after `=`, and a pool sized by the capacity model.
 */
export function fpmCompletions(file: ParsedFile<FpmParseResult>, position: Position, settings: Settings): CompletionEntry[] {
  const line = file.lines.lineText(position.line).slice(0, position.character);
  const indent = /^[ \t]*/.exec(line)![0].length;
  if (/^[;#[]/.test(line.slice(indent))) return [];
  const section = sectionAt(file.parse, position.line);
  const replaceFrom = (column: number): Range => ({ start: { line: position.line, character: column }, end: position });
  const equals = line.indexOf('=');
  if (equals >= 0) {
    const valueStart = equals + 1 + /^[ \t]*/.exec(line.slice(equals + 1))![0].length;
    return /[;"']/.test(line.slice(valueStart)) ? [] : valueItems(line.slice(indent, equals).trim(), section, replaceFrom(valueStart));
  }
  if (!/^[\w.[\]]*$/.test(line.slice(indent))) return [];
  const range = replaceFrom(indent);
  // php-fpm reads an indented `[name]` as an array key: a new pool starts its line.
  return indent === 0 ? [...keyItems(section, range), templateItem(fpmPool(settings), range, 'ini')] : keyItems(section, range);
}

/** The kind of section the line belongs to; before any header (an included file), a pool's. */
function sectionAt(parse: FpmParseResult, line: number): FpmSectionKind {
  const header = parse.sections.filter((s) => s.headerRange.start.line < line).pop();
  return header ? sectionKind(header.name) : 'pool';
}

function keyItems(section: FpmSectionKind, range: Range): CompletionEntry[] {
  return FPM_DIRECTIVES.filter((d) => (d.place === 'any' || d.place === section) && !d.onlyOn).map((d) => {
    const extra = { detail: keyDetail(d), documentation: markdown(d.docs) };
    if (d.form === 'scalar') return item(d.name, ITEM_KIND.Property, range, extra);
    // `access.suppress_path[]` takes no key; every other array names one.
    const body = d.name === 'access.suppress_path' ? `${d.name}[]` : `${d.name}[\${1:name}]`;
    return snippetItem(`${d.name}[…]`, ITEM_KIND.Property, range, body, { ...extra, filterText: d.name });
  });
}

function keyDetail(d: FpmDirectiveInfo): string {
  return `${d.place === 'global' ? '[global]' : d.place === 'pool' ? 'pool' : 'any section'}${d.default === '' ? '' : `, default ${d.default}`}`;
}

function valueItems(key: string, section: FpmSectionKind, range: Range): CompletionEntry[] {
  const array = /^([^[\]]+)\[[^\]]*\]$/.exec(key);
  const info = array ? findFpmDirective(array[1], section, 'array') : findFpmDirective(key, section, 'scalar');
  const values = info ? info.values ?? SWITCH_VALUES[info.type] ?? [] : [];
  return values.map((value) => item(value, ITEM_KIND.EnumMember, range, {
    detail: `${info!.name}${value === info!.default ? ' (default)' : ''}`,
    documentation: markdown(info!.docs),
  }));
}
