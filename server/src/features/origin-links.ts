/**
 * Where a request goes next, for the editor: hover text, go-to-definition and find-references over the links
 * the origin model draws (tunnel service → nginx listen, proxy_pass → upstream, fastcgi_pass → pool listen).
 * Pure functions of the model; the language server turns the places into LSP locations.
 */
import type { FileId } from '../core/findings';
import { containsPosition, type Position, type Range } from '../core/text';
import {
  allServers, distinctByPlace, listenPlace, listensAt, listenText, passAddresses, poolsListeningAt, poolsReachedBy, serverListens,
  type FpmPool, type IngressRoute, type NginxListen, type NginxPass, type NginxServer, type NginxUpstream, type OriginModel, type PassAddress,
} from '../model/origin';
import { endpointsMeet, hostPort, isLocalEndpoint, type Endpoint } from '../model/targets';
import type { WorkspaceModel } from '../model/workspace';

export interface Place {
  file: FileId;
  range: Range;
}

/** What stands under the cursor, among the things a request travels through. */
type Site =
  | { kind: 'pass'; pass: NginxPass }
  | { kind: 'upstream-server'; address: PassAddress }
  | { kind: 'service'; route: IngressRoute }
  | { kind: 'upstream'; upstream: NginxUpstream }
  | { kind: 'pool-listen'; pool: FpmPool }
  | { kind: 'nginx-listen'; listen: NginxListen };

/** One line per place a pass target or tunnel service leads to, or why it leads nowhere in this workspace. */
export function describeTarget(model: WorkspaceModel, file: FileId, position: Position): string | undefined {
  const { origin } = model;
  const site = siteAt(origin, file, position);
  if (site?.kind === 'pass') {
    const { pass } = site;
    if (pass.target.hasVariables) return '→ decided per request: the target holds variables';
    if (pass.upstream) {
      const { upstream } = pass;
      const servers = upstream.servers.length === 1 ? '1 server' : `${upstream.servers.length} servers`;
      return [`→ upstream ${upstream.name} (${servers}) in ${placeLabel(upstreamPlace(upstream))}`, ...poolsReachedBy(origin, pass).map(describePool)].join('\n');
    }
    const [address] = passAddresses(pass);
    return address ? describeEndpoint(origin, address.endpoint) : undefined;
  }
  if (site?.kind === 'upstream-server') return describeEndpoint(origin, site.address.endpoint);
  if (site?.kind === 'service') {
    const { target, hostname } = site.route;
    if (!target) return undefined;
    const reached = nginxListensAt(origin, target.endpoint);
    return reached.length > 0 ? answeringServers(reached, hostname).map(describeListen).join('\n') : nowhere(target.endpoint);
  }
  return undefined;
}

/**
 * Where the target under the cursor is defined: the upstream a pass names, the pool or nginx listen it reaches;
 * for a tunnel service, the listen of the server nginx picks for the rule's hostname.
 */
export function definitionAt(model: WorkspaceModel, file: FileId, position: Position): Place[] {
  const { origin } = model;
  const site = siteAt(origin, file, position);
  if (site?.kind === 'pass' && site.pass.upstream) return [upstreamPlace(site.pass.upstream)];
  if (site?.kind === 'pass') return distinct(passAddresses(site.pass).flatMap((a) => listenersAt(origin, a.endpoint)));
  if (site?.kind === 'upstream-server') return distinct(listenersAt(origin, site.address.endpoint));
  if (site?.kind === 'service' && site.route.target) {
    const reached = nginxListensAt(origin, site.route.target.endpoint);
    return distinct(answeringServers(reached, site.route.hostname).map(({ listen }) => listenPlace(listen)));
  }
  return [];
}

/** The other way: what names the upstream, reaches the pool's listen, or sends to the nginx listen under the cursor. */
export function referencesAt(model: WorkspaceModel, file: FileId, position: Position): Place[] {
  const { origin } = model;
  const site = siteAt(origin, file, position);
  if (site?.kind === 'upstream') {
    return distinct(origin.passes.filter((p) => p.upstream?.name === site.upstream.name).map((p) => ({ file: p.node.file.id, range: p.node.directive.args[0].range })));
  }
  if (site?.kind === 'pool-listen') {
    const endpoints = [site.pool.listen?.endpoint, site.pool.statusListen?.endpoint].filter((e): e is Endpoint => e !== undefined);
    return distinct(allAddresses(origin).filter((a) => endpoints.some((e) => endpointsMeet(a.endpoint, e))).map(addressPlace));
  }
  if (site?.kind === 'nginx-listen') {
    const { endpoint } = site.listen;
    const services = origin.ingress
      .filter((route) => route.target && route.serviceRange && endpointsMeet(route.target.endpoint, endpoint))
      .map((route) => ({ file: route.file.id, range: route.serviceRange! }));
    const passes = allAddresses(origin).filter((a) => endpointsMeet(a.endpoint, endpoint)).map(addressPlace);
    return distinct([...services, ...passes]);
  }
  return [];
}

function siteAt(origin: OriginModel, file: FileId, position: Position): Site | undefined {
  const at = (f: FileId, range: Range | undefined) => f === file && range !== undefined && containsPosition(range, position);
  const pass = origin.passes.find((p) => at(p.node.file.id, p.node.directive.args[0].range));
  if (pass) return { kind: 'pass', pass };
  const address = upstreamAddresses(origin).find((a) => at(a.node.file.id, a.arg.range));
  if (address) return { kind: 'upstream-server', address };
  const route = origin.ingress.find((r) => at(r.file.id, r.serviceRange));
  if (route) return { kind: 'service', route };
  const upstream = origin.upstreams.find((u) => at(u.node.file.id, u.node.directive.args[0].range));
  if (upstream) return { kind: 'upstream', upstream };
  const pool = origin.pools.find((p) => [p.listen, p.statusListen].some((l) => l && at(p.file.id, l.entry.range)));
  if (pool) return { kind: 'pool-listen', pool };
  const listen = allServers(origin).flatMap(serverListens).find((l) => at(l.node.file.id, listenPlace(l).range));
  return listen ? { kind: 'nginx-listen', listen } : undefined;
}

/** The listens of nginx's http and stream servers a connection to `endpoint` reaches. */
function nginxListensAt(origin: OriginModel, endpoint: Endpoint) {
  return listensAt(allServers(origin), endpoint);
}

/** Every address nginx may connect to: each pass's own, and every upstream server (used or not). */
function allAddresses(origin: OriginModel): PassAddress[] {
  return [...origin.passes.filter((p) => !p.upstream).flatMap(passAddresses), ...upstreamAddresses(origin)];
}

function upstreamAddresses(origin: OriginModel): PassAddress[] {
  return origin.upstreams.flatMap((u) => u.servers.map((s) => ({ endpoint: s.endpoint, node: s.node, arg: s.node.directive.args[0] })));
}

/** The pools' listens and the nginx listens a connection to `endpoint` reaches. */
function listenersAt(origin: OriginModel, endpoint: Endpoint): Place[] {
  const pools = poolsListeningAt(origin, endpoint).flatMap((pool) => [pool.listen, pool.statusListen]
    .filter((l) => l?.endpoint && endpointsMeet(endpoint, l.endpoint))
    .map((l) => ({ file: pool.file.id, range: l!.entry.range })));
  return [...pools, ...nginxListensAt(origin, endpoint).map(({ listen }) => listenPlace(listen))];
}

function describeEndpoint(origin: OriginModel, endpoint: Endpoint): string {
  const lines = [
    ...poolsListeningAt(origin, endpoint).map(describePool),
    ...nginxListensAt(origin, endpoint).map(describeListen),
  ];
  return lines.length > 0 ? lines.join('\n') : nowhere(endpoint);
}

function describePool(pool: FpmPool): string {
  const facts = [pool.get('pm') && `pm ${pool.get('pm')!.value}`, pool.get('pm.max_children') && `${pool.get('pm.max_children')!.value} children`].filter(Boolean);
  const where = placeLabel({ file: pool.file.id, range: (pool.listen ?? pool.statusListen)!.entry.range });
  return `→ pool [${pool.name}] in ${where}${facts.length > 0 ? `, ${facts.join(', ')}` : ''}`;
}

function nowhere(endpoint: Endpoint): string {
  const written = endpoint.kind === 'unix' ? `unix:${endpoint.path}` : hostPort(endpoint.host, endpoint.port);
  return isLocalEndpoint(endpoint)
    ? `→ nothing in this workspace listens on ${written}`
    : `→ ${written}: another host or container, not in this workspace`;
}

/** Of the servers on the listens reached, those nginx picks for `hostname`: by server_name, else the default server. */
function answeringServers(reached: Array<{ server: NginxServer; listen: NginxListen }>, hostname: string | undefined): Array<{ server: NginxServer; listen: NginxListen }> {
  const host = hostname?.toLowerCase();
  const named = reached.filter(({ server }) => host !== undefined && server.serverNames.some((name) => nameMatches(name.toLowerCase(), host)));
  if (named.length > 0) return named;
  const defaults = reached.filter(({ listen }) => listen.defaultServer);
  return defaults.length > 0 ? defaults : reached.slice(0, 1);
}

/** nginx's exact and wildcard names (`*.example.com`, `.example.com`, `www.example.*`); regex names are not followed. */
function nameMatches(name: string, host: string): boolean {
  if (name === host) return true;
  if (name.startsWith('*.')) return host.endsWith(name.slice(1));
  if (name.startsWith('.')) return host === name.slice(1) || host.endsWith(name);
  if (name.endsWith('.*')) return host.startsWith(name.slice(0, -1));
  return false;
}

function describeListen({ server, listen }: { server: NginxServer; listen: NginxListen }): string {
  const written = `${listenText(listen)}${listen.implicit ? ", nginx's default" : ''}`;
  return `→ nginx server ${server.serverNames[0] ?? '(no server_name)'} in ${placeLabel(listenPlace(listen))} (listen ${written})`;
}

function upstreamPlace(upstream: NginxUpstream): Place {
  return { file: upstream.node.file.id, range: upstream.node.directive.args[0].range };
}

function addressPlace(address: PassAddress): Place {
  return { file: address.node.file.id, range: address.arg.range };
}

/** `folder/file:line`: enough to recognise a file in a hover. */
function placeLabel(place: Place): string {
  return `${place.file.split('/').slice(-2).join('/')}:${place.range.start.line + 1}`;
}

function distinct(places: Place[]): Place[] {
  return distinctByPlace(places, (place) => place);
}
