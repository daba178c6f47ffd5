import type { Position } from '../core/text';
import type { Engine } from '../engine/engine';
import type { NginxParseResult } from '../parsers/nginx/ast';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { cloudflaredHoverMarkdown } from './cloudflared-hover';
import { capacityHoverInputAt, fpmCapacityHover } from './fpm-capacity-hover';
import { fpmHoverMarkdown } from './fpm-hover';
import { nginxDirectiveAt, nginxHoverMarkdown } from './nginx-hover';
import { describeTarget } from './origin-links';

/** The Markdown shown when hovering `position` in a workspace file, or undefined when there is nothing to say. */
export function hoverAt(engine: Engine, path: string, position: Position): string | undefined {
  const leadsTo = describeTarget(engine.analyze().model, path, position);
  const parts = [leadsTo?.split('\n').join('  \n'), documentationAt(engine, path, position)].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}

/** The reference documentation of the directive or key under the cursor. */
function documentationAt(engine: Engine, path: string, position: Position): string | undefined {
  const kind = engine.kindOf(path);
  const file = engine.parsedFile(path);
  if (!file) return undefined;
  if (kind === 'nginx') {
    const directive = nginxDirectiveAt(file.parse as NginxParseResult, position);
    return directive ? nginxHoverMarkdown(directive.name) : undefined;
  }
  if (kind === 'php-fpm') {
    const parse = file.parse as FpmParseResult;
    const sizing = capacityHoverInputAt(parse, position);
    const parts = [fpmHoverMarkdown(parse, position), sizing && fpmCapacityHover(sizing, engine.currentSettings)];
    return parts.filter(Boolean).join('\n\n---\n\n') || undefined;
  }
  if (kind === 'cloudflared') return cloudflaredHoverMarkdown((file.parse as CloudflaredParseResult).config, position);
  return undefined;
}
