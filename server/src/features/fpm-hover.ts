import { containsPosition, type Position } from '../core/text';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { findFpmDirective, sectionKind } from '../reference/phpfpm';

/** php-fpm's meaning of the key under the cursor, read in the section it stands in. */
export function fpmHoverMarkdown(parse: FpmParseResult, position: Position): string | undefined {
  const entries = [...parse.preamble, ...parse.sections.flatMap((s) => s.entries)];
  const entry = entries.find((e) => containsPosition(e.keyRange, position));
  if (!entry) return undefined;
  const section = entry.section ? sectionKind(entry.section.name) : 'pool';
  const info = entry.arrayKey
    ? findFpmDirective(entry.arrayKey.base, section, 'array')
    : findFpmDirective(entry.key, section, 'scalar');
  if (!info) return undefined;
  const facts = [
    `Default: ${info.default === '' ? '—' : `\`${info.default}\``}`,
    info.unit ? `Unit: ${info.unit}` : undefined,
    `Section: ${info.place === 'any' ? 'any' : info.place === 'global' ? '`[global]`' : 'a pool'}`,
  ].filter(Boolean);
  return `**${info.name}** (PHP-FPM)\n\n${facts.join('  \n')}\n\n${info.docs}`;
}
