import type { FileId } from '../core/findings';
import type { NginxPass, NginxServer } from '../model/origin';
import { targetPort, type Endpoint } from '../model/targets';
import type { WorkspaceModel } from '../model/workspace';

/** A URL worth probing, as the editor offers it (`originDoctor/probeTargets`). */
export interface ProbeTargetItem {
  label: string;
  url: string;
  /** Where the workspace names it, and what it is. */
  detail: string;
}

/**
 * The URLs the workspace's configs name, public ones first: each tunnel hostname (what visitors open), each
 * tunnel service (what cloudflared connects to), each nginx server_name on each of its listens, each
 * proxy_pass target (an upstream's servers one by one). Each URL once, at its first mention.
 */
export function probeTargets(model: WorkspaceModel): ProbeTargetItem[] {
  const items = [...tunnelTargets(model), ...model.origin.servers.flatMap(serverTargets), ...model.origin.passes.flatMap(passTargets)];
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.url) && seen.add(item.url));
}

function tunnelTargets(model: WorkspaceModel): ProbeTargetItem[] {
  return model.origin.ingress.flatMap((route) => {
    const where = place(route.file.id, route.rule.range.start.line);
    const service = route.service && /^https?:\/\//i.test(route.service) ? route.service : undefined;
    return [
      ...(route.hostname && isPlainHostName(route.hostname) ? item(`https://${route.hostname}/`, `tunnel hostname → ${route.service ?? 'no service'} (${where})`) : []),
      ...(service ? item(service, `tunnel service of ${route.hostname ?? 'the catch-all rule'}: what cloudflared connects to (${where})`) : []),
    ];
  });
}

function serverTargets(server: NginxServer): ProbeTargetItem[] {
  const names = server.serverNames.filter(isPlainHostName);
  // A server without `listen` listens on port 80.
  const listens = server.listens.length > 0 ? server.listens : [{ endpoint: { kind: 'tcp', host: '*', port: 80 } as Endpoint, ssl: false }];
  const where = place(server.node.file.id, server.node.directive.range.start.line);
  return names.flatMap((name) => listens.flatMap(({ endpoint, ssl }) => {
    if (endpoint.kind !== 'tcp') return [];
    return item(urlOf(ssl ? 'https' : 'http', name, endpoint.port), `nginx server_name, listen ${endpoint.port}${ssl ? ' ssl' : ''} (${where})`);
  }));
}

function passTargets(pass: NginxPass): ProbeTargetItem[] {
  const { scheme, host, hasVariables } = pass.target;
  if (pass.kind !== 'proxy_pass' || (scheme !== 'http' && scheme !== 'https') || !host || hasVariables) return [];
  const where = place(pass.node.file.id, pass.node.directive.range.start.line);
  if (pass.upstream) {
    return pass.upstream.servers.flatMap((server) => server.endpoint.kind === 'tcp'
      ? item(urlOf(scheme, server.endpoint.host, server.endpoint.port), `server of upstream ${pass.upstream!.name}, proxy_pass (${where})`)
      : []);
  }
  return item(urlOf(scheme, host, targetPort(pass.target)!), `proxy_pass target (${where})`);
}

/** The item for `url` in its normal form, or none when it is no URL (a listen on `*`, a typo). */
function item(url: string, detail: string): ProbeTargetItem[] {
  try {
    const parsed = new URL(url);
    return [{ label: parsed.host, url: parsed.href, detail }];
  } catch {
    return [];
  }
}

function urlOf(scheme: string, host: string, port: number): string {
  const defaultPort = scheme === 'https' ? 443 : 80;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${hostPart}${port === defaultPort ? '' : `:${port}`}/`;
}

/** A name a request can carry: not `_`, `""`, a wildcard, a regex or a variable. */
function isPlainHostName(name: string): boolean {
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(name);
}

/** `sites-enabled/shop.conf:12`: enough of the path to find the file, with a 1-based line. */
function place(file: FileId, line: number): string {
  return `${file.split('/').slice(-2).join('/')}:${line + 1}`;
}
