import type { Settings } from '../core/settings';
import type { Position } from '../core/text';
import type { Engine } from '../engine/engine';
import type { ParsedFile } from '../model/workspace';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { cloudflaredCompletions } from './completion-cloudflared';
import { fpmCompletions } from './completion-fpm';
import { markdown, type CompletionEntry } from './completion-items';
import { nginxCompletions } from './completion-nginx';
import { nginxHoverMarkdown } from './nginx-hover';

export type { CompletionEntry } from './completion-items';

/** The completions at `position` in a workspace file; the file may be half typed. */
export function completionsAt(engine: Engine, path: string, position: Position, settings: Settings): CompletionEntry[] {
  const file = engine.parsedFile(path);
  if (!file) return [];
  switch (engine.kindOf(path)) {
    case 'nginx':
      return nginxCompletions(file as ParsedFile<NginxParseResult>, position, engine.analyze().model);
    case 'php-fpm':
      return fpmCompletions(file as ParsedFile<FpmParseResult>, position, settings);
    case 'cloudflared':
      return cloudflaredCompletions(file as ParsedFile<CloudflaredParseResult>, position, engine.analyze().model);
    default:
      return [];
  }
}

/** Adds what an item left for later (`completionItem/resolve`): an nginx directive's documentation. */
export function resolveCompletion<T extends { data?: unknown; documentation?: unknown }>(entry: T): T {
  const data = entry.data as CompletionEntry['data'] | undefined;
  const documentation = data?.nginxDirective ? nginxHoverMarkdown(data.nginxDirective) : undefined;
  return documentation ? { ...entry, documentation: markdown(documentation) } : entry;
}
