import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import { SYMBOL_KIND, type OutlineSymbol, type SymbolKindValue } from './symbols-types';

/** A Map, as block names are whatever was typed: in a plain object `constructor` would be found. */
const KIND_BY_BLOCK: ReadonlyMap<string, SymbolKindValue> = new Map([
  ['http', SYMBOL_KIND.Namespace],
  ['stream', SYMBOL_KIND.Namespace],
  ['mail', SYMBOL_KIND.Namespace],
  ['events', SYMBOL_KIND.Namespace],
  ['server', SYMBOL_KIND.Class],
  ['location', SYMBOL_KIND.Method],
  ['if', SYMBOL_KIND.Method],
  ['limit_except', SYMBOL_KIND.Method],
  ['upstream', SYMBOL_KIND.Interface],
  ['map', SYMBOL_KIND.Struct],
  ['geo', SYMBOL_KIND.Struct],
  ['types', SYMBOL_KIND.Struct],
  ['split_clients', SYMBOL_KIND.Struct],
  ['charset_map', SYMBOL_KIND.Struct],
]);

/**
 * The outline of an nginx file: its blocks, nested as written (http › server › location › …). A server is
 * named by its `server_name`s and `listen`s, a location by its match, any other block by its arguments.
 */
export function nginxOutline(parse: NginxParseResult): OutlineSymbol[] {
  const roots: OutlineSymbol[] = [];
  const pending: Array<{ directives: readonly NginxDirective[]; into: OutlineSymbol[] }> = [{ directives: parse.directives, into: roots }];
  while (pending.length > 0) {
    const { directives, into } = pending.pop()!;
    for (const d of directives) {
      if (!d.block && !d.rawBody) continue;
      const symbol: OutlineSymbol = {
        name: nginxBlockName(d),
        kind: d.rawBody ? SYMBOL_KIND.Function : KIND_BY_BLOCK.get(d.name) ?? SYMBOL_KIND.Object,
        range: d.range,
        selectionRange: d.nameRange,
        children: [],
      };
      into.push(symbol);
      if (d.block) pending.push({ directives: d.block.children, into: symbol.children! });
    }
  }
  return roots;
}

/** `server example.com [listen 443 ssl]`, `location ~ \.php$`, `upstream app`, `http`. */
export function nginxBlockName(d: NginxDirective): string {
  const written = [d.name, ...d.args.map((a) => a.raw)].join(' ');
  if (d.name !== 'server' || !d.block) return written;
  const children = d.block.children;
  const names = children.filter((c) => c.name === 'server_name').flatMap((c) => c.args.map((a) => a.value));
  const listens = children.filter((c) => c.name === 'listen').map((c) => c.args.map((a) => a.value).join(' '));
  return [written, ...names, ...(listens.length > 0 ? [`[listen ${listens.join(', ')}]`] : [])].join(' ');
}
