import type { FpmEntry, FpmParseResult } from '../parsers/phpfpm/ast';
import { sectionKind } from '../reference/phpfpm';
import { SYMBOL_KIND, type OutlineSymbol } from './symbols-types';

/** The outline of a php-fpm file: `[global]` and each pool by name, with their entries. */
export function fpmOutline(parse: FpmParseResult): OutlineSymbol[] {
  const sections = parse.sections.map((section): OutlineSymbol => {
    const last = section.entries[section.entries.length - 1];
    return {
      name: `[${section.name}]`,
      detail: sectionKind(section.name) === 'pool' ? poolDetail(section.entries) : undefined,
      kind: sectionKind(section.name) === 'pool' ? SYMBOL_KIND.Class : SYMBOL_KIND.Module,
      range: { start: section.headerRange.start, end: last ? last.range.end : section.headerRange.end },
      selectionRange: section.nameRange,
      children: section.entries.map(entrySymbol),
    };
  });
  return [...parse.preamble.map(entrySymbol), ...sections];
}

function entrySymbol(entry: FpmEntry): OutlineSymbol {
  return { name: entry.key, detail: entry.rawValue, kind: SYMBOL_KIND.Property, range: entry.range, selectionRange: entry.keyRange };
}

/** The pool's `listen`, where nginx must point. */
function poolDetail(entries: readonly FpmEntry[]): string | undefined {
  const listen = entries.filter((e) => e.key === 'listen').pop();
  return listen ? `listen ${listen.value}` : undefined;
}
