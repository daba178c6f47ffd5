import type { Engine } from '../engine/engine';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { cloudflaredOutline } from './symbols-cloudflared';
import { fpmOutline } from './symbols-fpm';
import { nginxBlockName, nginxOutline } from './symbols-nginx';
import { SYMBOL_KIND, type OutlineSymbol, type WorkspaceSymbolInfo } from './symbols-types';

export type { OutlineSymbol, WorkspaceSymbolInfo } from './symbols-types';

/** The outline of one file of the workspace. */
export function documentSymbolsOf(engine: Engine, path: string): OutlineSymbol[] | null {
  const kind = engine.kindOf(path);
  const file = engine.parsedFile(path);
  if (!file) return null;
  if (kind === 'nginx') return nginxOutline(file.parse as NginxParseResult);
  if (kind === 'php-fpm') return fpmOutline(file.parse as FpmParseResult);
  if (kind === 'cloudflared') return cloudflaredOutline((file.parse as CloudflaredParseResult).config);
  return null;
}

/**
 * The servers, upstreams and pools of the whole origin whose names hold the query's characters in order
 * (`shopssl` finds `server shop.example [listen 443 ssl]`), case-insensitively.
 */
export function workspaceSymbolsOf(engine: Engine, query: string): WorkspaceSymbolInfo[] {
  const seen = new Set<string>();
  const found: WorkspaceSymbolInfo[] = [];
  const add = (symbol: WorkspaceSymbolInfo) => {
    // A file included by two main configs yields its servers twice.
    const key = `${symbol.file}\0${symbol.range.start.line}:${symbol.range.start.character}`;
    if (seen.has(key) || !matchesQuery(symbol.name, query)) return;
    seen.add(key);
    found.push(symbol);
  };
  const { servers, upstreams, pools } = engine.analyze().model.origin;
  for (const { node } of servers) add({ name: nginxBlockName(node.directive), kind: SYMBOL_KIND.Class, file: node.file.id, range: node.directive.range, containerName: 'nginx' });
  for (const { node } of upstreams) add({ name: nginxBlockName(node.directive), kind: SYMBOL_KIND.Interface, file: node.file.id, range: node.directive.range, containerName: 'nginx' });
  for (const pool of pools) add({ name: `pool [${pool.name}]`, kind: SYMBOL_KIND.Class, file: pool.file.id, range: pool.section.headerRange, containerName: 'php-fpm' });
  return found;
}

function matchesQuery(name: string, query: string): boolean {
  const haystack = name.toLowerCase();
  let at = 0;
  for (const c of query.toLowerCase()) {
    if (c === ' ') continue;
    at = haystack.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
