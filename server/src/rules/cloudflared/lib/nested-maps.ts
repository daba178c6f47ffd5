import { appendAll } from '../../../core/append';
import type { CloudflaredEntry, CloudflaredParseResult } from '../../../parsers/cloudflared/ast';
import type { CloudflaredKeyLevel } from '../../../reference/cloudflared';
import { writtenOriginRequests } from './origin-request';

/**
 * The maps below the typed view, each with its level: `warp-routing`, and in every `originRequest` (top level and
 * each rule's own) the `access` map and each `ipRules` entry.
 */
export function nestedMaps(parse: CloudflaredParseResult): Array<{ level: CloudflaredKeyLevel; entries: CloudflaredEntry[] }> {
  const { config } = parse;
  const maps: Array<{ level: CloudflaredKeyLevel; entries: CloudflaredEntry[] }> = [];
  const warpRouting = config.topLevel.find((e) => e.key === 'warp-routing');
  if (warpRouting) maps.push({ level: 'warp-routing', entries: parse.entriesIn(warpRouting) });
  for (const entries of writtenOriginRequests(config)) {
    for (const entry of entries) {
      if (entry.key === 'access') maps.push({ level: 'access', entries: parse.entriesIn(entry) });
      if (entry.key === 'ipRules') appendAll(maps, parse.itemsIn(entry).map((item) => ({ level: 'ipRule' as const, entries: item })));
    }
  }
  return maps;
}
