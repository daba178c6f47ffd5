import type { Position } from '../core/text';
import { containsPosition } from '../core/text';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { nginxDirective } from '../reference/nginx';

/** The directive whose name is under the cursor, searched without recursion. */
export function nginxDirectiveAt(parse: NginxParseResult, position: Position): NginxDirective | undefined {
  let level: readonly NginxDirective[] = parse.directives;
  for (;;) {
    const hit = level.find((d) => containsPosition(d.range, position));
    if (!hit) return undefined;
    if (containsPosition(hit.nameRange, position)) return hit;
    if (!hit.block) return undefined;
    level = hit.block.children;
  }
}

/** nginx's official documentation of a directive, one section per module that defines it. */
export function nginxHoverMarkdown(name: string): string | undefined {
  const definitions = nginxDirective(name);
  if (definitions.length === 0) return undefined;
  return definitions
    .map((d) => {
      const syntax = d.syntax.map((s) => `\`${name}\` ${s.trim()}`).join('  \n');
      const contexts = d.contexts.map((c) => (c === '' ? 'any' : `\`${c}\``)).join(', ');
      return [
        `**${name}** — ${d.module}`,
        `Syntax: ${syntax}${d.isBlock && !syntax.includes('{') ? ' `{ … }`' : ''}  \nDefault: ${d.default ? `\`${d.default.trim()}\`` : '—'}  \nContext: ${contexts}`,
        d.description.trim(),
      ].join('\n\n');
    })
    .join('\n\n---\n\n');
}
