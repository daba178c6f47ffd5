import type { Position, Range } from '../core/text';
import { serverListens } from '../model/origin';
import { connectAddress } from '../model/targets';
import type { ParsedFile, WorkspaceModel } from '../model/workspace';
import type { CloudflaredParseResult } from '../parsers/cloudflared/ast';
import { CLOUDFLARED_KEYS, cloudflaredKey, type CloudflaredKeyInfo, type CloudflaredKeyLevel } from '../reference/cloudflared';
import { deprecated, ITEM_KIND, item, markdown, templateItem, type CompletionEntry } from './completion-items';
import { yamlCursor } from './completion-yaml-path';
import { ingressRule } from './snippets';

/** What a rule's `service` may be, beyond a workspace address. */
const SERVICE_FORMS: ReadonlyArray<[string, string]> = [
  ['http://', 'An HTTP origin: `http://host:port`, no path.'],
  ['https://', 'An HTTPS origin; cloudflared checks its certificate (see `originServerName`, `caPool`, `noTLSVerify`).'],
  ['unix:', 'An HTTP origin on a unix socket: `unix:/path/to.sock`.'],
  ['unix+tls:', 'An HTTPS origin on a unix socket.'],
  ['tcp://', 'A raw TCP service (reached through `cloudflared access tcp`).'],
  ['ssh://', 'An SSH server.'],
  ['rdp://', 'An RDP server.'],
  ['smb://', 'An SMB server.'],
  ['ws://', 'A WebSocket origin.'],
  ['wss://', 'A WebSocket origin over TLS.'],
  ['http_status:', 'Answer every matching request with this status, e.g. `http_status:404` for the catch-all rule.'],
  ['hello_world', 'cloudflared\'s built-in test page.'],
  ['bastion', 'Run this rule as a jump host.'],
  ['socks-proxy', 'A SOCKS5 proxy (see `originRequest.ipRules`).'],
];

/** Statuses a catch-all or a blocked path answers with. */
const HTTP_STATUSES: ReadonlyArray<[string, string]> = [
  ['404', 'Not Found: the usual catch-all.'],
  ['403', 'Forbidden.'],
  ['410', 'Gone.'],
  ['421', 'Misdirected Request: this tunnel does not serve the hostname.'],
  ['503', 'Service Unavailable, e.g. during maintenance.'],
  ['200', 'OK, with an empty body (a health check).'],
  ['204', 'No Content.'],
];

/** The level of keys a path of keys leads to (`[]` is a list item). */
function levelOf(path: readonly string[]): CloudflaredKeyLevel | undefined {
  const joined = path.join('/');
  if (joined === '') return 'top-level';
  if (joined === 'ingress/[]') return 'ingress-rule';
  if (joined === 'warp-routing') return 'warp-routing';
  const origin = /^(ingress\/\[\]\/)?originRequest(\/access|\/ipRules\/\[\])?$/.exec(joined);
  if (!origin) return undefined;
  return origin[2] === '/access' ? 'access' : origin[2] ? 'ipRule' : 'originRequest';
}

/**
 * Completions in a cloudflared config: the keys of the level the cursor is at (top level, ingress rule,
 * originRequest, …), `service` forms and workspace addresses, `http_status:` codes, booleans, and an
 * ingress rule with the catch-all rule cloudflared requires.
 */
export function cloudflaredCompletions(file: ParsedFile<CloudflaredParseResult>, position: Position, model: WorkspaceModel): CompletionEntry[] {
  const cursor = yamlCursor(file.lines, position);
  const level = cursor && levelOf(cursor.path);
  if (!cursor || !level) return [];
  const range: Range = { start: { line: position.line, character: cursor.column }, end: position };
  if (cursor.kind === 'value') {
    const info = cloudflaredKey(level, cursor.key);
    const typed = file.lines.lineText(position.line).slice(cursor.column, position.character);
    const items = info ? valueItems(info, typed, model, range) : [];
    return cursor.needsSpace ? items.map((i) => ({ ...i, textEdit: { ...i.textEdit, newText: ` ${i.textEdit.newText}` } })) : items;
  }
  const items = CLOUDFLARED_KEYS[level].map((info) => keyItem(info, range));
  const services = workspaceServices(model);
  const config = file.parse.config;
  if (level === 'top-level' && !config.ingressEntry) items.push(templateItem(ingressRule(services, true, true), range, 'yaml'));
  if (level === 'ingress-rule' && cursor.onListItem) {
    const hasCatchAll = config.ingress.some((rule) => rule.range.start.line !== position.line
      && (rule.hostname === undefined || rule.hostname.value === '*') && rule.path === undefined);
    items.push(templateItem(ingressRule(services, !hasCatchAll, false), range, 'yaml'));
  }
  return items;
}

function keyItem(info: CloudflaredKeyInfo, range: Range): CompletionEntry {
  const nested = info.type === 'map' || info.type === 'list';
  return item(info.name, ITEM_KIND.Property, range, {
    newText: nested ? `${info.name}:` : `${info.name}: `,
    detail: `${info.type}${info.default === undefined ? '' : `, default ${info.default}`}`,
    documentation: markdown(info.doc),
    ...(info.deprecated ? deprecated() : {}),
  });
}

function valueItems(info: CloudflaredKeyInfo, typed: string, model: WorkspaceModel, range: Range): CompletionEntry[] {
  if (info.type === 'boolean') {
    return ['true', 'false'].map((value) => item(value, ITEM_KIND.EnumMember, range, { detail: `${info.name}${value === info.default ? ' (default)' : ''}` }));
  }
  if (info.level !== 'ingress-rule' || info.name !== 'service') return [];
  if (typed.startsWith('http_status:')) {
    return HTTP_STATUSES.map(([code, doc]) => item(`http_status:${code}`, ITEM_KIND.EnumMember, range, { documentation: markdown(doc) }));
  }
  return [
    ...workspaceServices(model).map((service) => item(service, ITEM_KIND.Value, range, { detail: 'an nginx listen of the workspace' })),
    ...SERVICE_FORMS.map(([form, doc]) => item(form, ITEM_KIND.EnumMember, range, { documentation: markdown(doc) })),
  ];
}

/** The addresses the workspace's nginx servers listen on, as a `service` reaches them from this machine. */
function workspaceServices(model: WorkspaceModel): string[] {
  const services = model.origin.servers.flatMap((server) => serverListens(server).map(({ endpoint, ssl }) =>
    endpoint.kind === 'unix' ? `${ssl ? 'unix+tls' : 'unix'}:${endpoint.path}` : `${ssl ? 'https' : 'http'}://${connectAddress(endpoint)}`));
  return [...new Set(services)];
}
