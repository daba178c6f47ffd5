import { posix } from 'node:path';
import { appendAll } from '../core/append';
import type { FileId } from '../core/findings';
import type { Range } from '../core/text';
import type { Engine } from '../engine/engine';
import { expandGlob, isGlobPattern } from '../model/glob';
import type { FileSystemHost } from '../model/host';
import type { ParsedFile, WorkspaceModel } from '../model/workspace';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import type { NginxDirective, NginxParseResult } from '../parsers/nginx/ast';
import type { FpmParseResult } from '../parsers/phpfpm/ast';
import { expandPool, fpmEntries } from '../parsers/phpfpm/parser';

/** An LSP DocumentLink, mirrored with a file id in place of the target URI. */
export interface FileLink {
  range: Range;
  target: FileId;
  tooltip: string;
}

/** nginx directives whose first argument is a file read at start (relative paths start at the conf prefix). */
const NGINX_FILE_DIRECTIVES: ReadonlySet<string> = new Set([
  'ssl_certificate', 'ssl_certificate_key', 'ssl_trusted_certificate', 'ssl_client_certificate', 'ssl_dhparam',
  'ssl_crl', 'ssl_password_file', 'ssl_stapling_file',
]);

/** php-fpm entries that name a file; `include` may be a glob. */
const FPM_FILE_KEYS: ReadonlySet<string> = new Set(['error_log', 'slowlog', 'access.log', 'include']);

/** cloudflared keys that name a file. */
const CLOUDFLARED_FILE_KEYS: ReadonlySet<string> = new Set(['credentials-file', 'origincert', 'token-file']);

/** Most files one glob links to; a pattern over a huge folder stays cheap. */
const MAX_GLOB_LINKS = 200;

/**
 * Links from the paths a file names to the files they reach, only where such a file exists: nginx `include`s
 * (one link per file a glob matches, as the model resolved them) and certificate paths, php-fpm log paths and
 * includes, cloudflared credentials.
 */
export function documentLinksOf(engine: Engine, path: string, host: FileSystemHost): FileLink[] {
  const kind = engine.kindOf(path);
  const file = engine.parsedFile(path);
  if (!file) return [];
  if (kind === 'nginx') return nginxLinks(file as ParsedFile<NginxParseResult>, engine.analyze().model, host);
  if (kind === 'php-fpm') return fpmLinks(file as ParsedFile<FpmParseResult>, host);
  if (kind === 'cloudflared') return cloudflaredLinks(file as ParsedFile<CloudflaredParseResult>, host);
  return [];
}

function nginxLinks(file: ParsedFile<NginxParseResult>, model: WorkspaceModel, host: FileSystemHost): FileLink[] {
  const links = new LinkList();
  for (const tree of model.nginxTrees) {
    for (const include of tree.includes) {
      const arg = include.node.directive.args[0];
      if (include.node.file.id !== file.id || !arg) continue;
      for (const target of include.files) links.add(arg.range, target);
    }
  }
  const prefixes = confPrefixes(file.id, model);
  const pending: NginxDirective[] = [...file.parse.directives];
  while (pending.length > 0) {
    const d = pending.pop()!;
    if (d.block) appendAll(pending, d.block.children);
    const arg = d.args[0];
    if (!NGINX_FILE_DIRECTIVES.has(d.name) || !arg || /^(data|engine|store):|\$/.test(arg.value)) continue;
    const candidates = arg.value.startsWith('/') ? [arg.value] : prefixes.map((dir) => posix.join(dir, arg.value));
    const target = candidates.find((path) => host.stat(path)?.isFile);
    if (target) links.add(arg.range, target);
  }
  return links.sorted();
}

/** Where nginx would resolve a relative path of this file: the directory of each main config that loads it, then its own. */
function confPrefixes(id: FileId, model: WorkspaceModel): string[] {
  const mains = model.nginxTrees.filter((tree) => !tree.inferred && tree.files.has(id)).map((tree) => posix.dirname(tree.root.id));
  return [...new Set([...mains, posix.dirname(id)])];
}

function fpmLinks(file: ParsedFile<FpmParseResult>, host: FileSystemHost): FileLink[] {
  const links = new LinkList();
  for (const entry of fpmEntries(file.parse)) {
    if (!FPM_FILE_KEYS.has(entry.key)) continue;
    // php-fpm completes relative paths with a prefix the file does not say; only absolute ones are placed.
    const path = expandPool(entry.value, entry.section?.name ?? '');
    if (!path.startsWith('/')) continue;
    const targets = entry.key === 'include' && isGlobPattern(path) ? expandGlob(host, path, MAX_GLOB_LINKS).paths : [path];
    for (const target of targets) if (host.stat(target)?.isFile) links.add(entry.valueRange, target);
  }
  return links.sorted();
}

function cloudflaredLinks(file: ParsedFile<CloudflaredParseResult>, host: FileSystemHost): FileLink[] {
  const links = new LinkList();
  for (const entry of file.parse.config.topLevel) {
    if (!CLOUDFLARED_FILE_KEYS.has(entry.key) || typeof entry.value !== 'string' || entry.value.startsWith('~')) continue;
    const target = entry.value.startsWith('/') ? entry.value : posix.join(posix.dirname(file.id), entry.value);
    if (host.stat(target)?.isFile) links.add(entry.valueRange, target);
  }
  return links.sorted();
}

/** Links without duplicates (a file included by two main configs is resolved twice), in document order. */
class LinkList {
  private readonly links = new Map<string, FileLink>();

  add(range: Range, target: FileId): void {
    const key = `${range.start.line}:${range.start.character}\0${target}`;
    if (!this.links.has(key)) this.links.set(key, { range, target, tooltip: target });
  }

  sorted(): FileLink[] {
    return [...this.links.values()].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
}
