import type { FileId } from '../core/findings';
import type { NginxNode } from '../model/nginx-tree';
import { listensAt, serverListens, type FpmPool, type IngressRoute, type NginxPass, type NginxServer, type OriginModel } from '../model/origin';
import { endpointsMeet, targetPort, type Endpoint } from '../model/targets';

export type MapNodeKind = 'hostname' | 'service' | 'server' | 'location' | 'upstream' | 'pool' | 'backend';

/** One step of a request's way through the origin, with the line that defines it. */
export interface MapNode {
  kind: MapNodeKind;
  label: string;
  at?: { file: FileId; line: number };
  children: MapNode[];
}

/**
 * The chain Cloudflare hostname → tunnel service → nginx server → location → upstream / pool, as a forest:
 * one tree per tunnel route, then the nginx servers no route reaches.
 */
export function originMap(origin: OriginModel): MapNode[] {
  const reached = new Set<NginxServer>();
  const roots: MapNode[] = origin.ingress.map((route) => {
    const service: MapNode = { kind: 'service', label: route.service ?? '(no service)', at: at(route.file.id, route.serviceRange?.start.line ?? route.rule.range.start.line), children: [] };
    for (const server of serversReachedBy(route, origin.servers)) {
      reached.add(server);
      service.children.push(serverNode(server, origin));
    }
    return { kind: 'hostname', label: route.hostname ?? '(every other hostname)', at: at(route.file.id, route.rule.range.start.line), children: [service] };
  });
  for (const server of origin.servers) if (!reached.has(server)) roots.push(serverNode(server, origin));
  return roots;
}

function at(file: FileId, line: number): MapNode['at'] {
  return { file, line };
}

function nodeAt(node: NginxNode): MapNode['at'] {
  return at(node.file.id, node.directive.range.start.line);
}

/** The nginx servers a tunnel service lands on: listening there, the one named like the hostname first. */
function serversReachedBy(route: IngressRoute, servers: NginxServer[]): NginxServer[] {
  const endpoint = route.target?.endpoint;
  if (!endpoint) return [];
  const listening = [...new Set(listensAt(servers, endpoint).map(({ server }) => server))];
  const named = listening.filter((s) => route.hostname && s.serverNames.some((n) => serverNameMatches(n, route.hostname!)));
  return named.length > 0 ? named : listening.slice(0, 1);
}

function serverNameMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  if (pattern.startsWith('.')) return host === pattern.slice(1) || host.endsWith(pattern);
  return pattern.toLowerCase() === host.toLowerCase();
}

function serverNode(server: NginxServer, origin: OriginModel): MapNode {
  const listens = serverListens(server).map(({ endpoint: e }) => (e.kind === 'unix' ? `unix:${e.path}` : `${e.host === '*' ? '' : `${e.host}:`}${e.port}`));
  const names = server.serverNames.length > 0 ? server.serverNames.join(' ') : '(no server_name)';
  const locations = new Map<NginxNode | null, MapNode>();
  for (const pass of origin.passes) {
    if (!isInside(pass.node, server.node)) continue;
    const location = enclosingLocation(pass.node);
    let holder = locations.get(location);
    if (!holder) {
      holder = location
        ? { kind: 'location', label: `location ${location.directive.args.map((a) => a.value).join(' ')}`, at: nodeAt(location), children: [] }
        : { kind: 'location', label: '(server level)', at: nodeAt(server.node), children: [] };
      locations.set(location, holder);
    }
    holder.children.push(passTargetNode(pass, origin.pools));
  }
  return { kind: 'server', label: `server ${names} [listen ${listens.join(', ')}]`, at: nodeAt(server.node), children: [...locations.values()] };
}

function isInside(node: NginxNode, ancestor: NginxNode): boolean {
  for (let n = node.parent; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

function enclosingLocation(node: NginxNode): NginxNode | null {
  for (let n = node.parent; n; n = n.parent) if (n.directive.name === 'location') return n;
  return null;
}

function passTargetNode(pass: NginxPass, pools: FpmPool[]): MapNode {
  const written = pass.node.directive.args[0]?.value ?? '';
  if (pass.upstream) {
    return {
      kind: 'upstream',
      label: `${pass.kind} → upstream ${pass.upstream.name}`,
      at: nodeAt(pass.upstream.node),
      children: pass.upstream.servers.map((s) => backendNode(pass, s.endpoint, `${s.address}${s.down ? ' (down)' : s.backup ? ' (backup)' : ''}`, nodeAt(s.node), pools)),
    };
  }
  const endpoint: Endpoint | undefined = pass.target.unixPath
    ? { kind: 'unix', path: pass.target.unixPath }
    : pass.target.host !== undefined && targetPort(pass.target) !== undefined
      ? { kind: 'tcp', host: pass.target.host, port: targetPort(pass.target)! }
      : undefined;
  return backendNode(pass, endpoint, `${pass.kind} ${written}`, nodeAt(pass.node), pools);
}

function backendNode(pass: NginxPass, endpoint: Endpoint | undefined, label: string, where: MapNode['at'], pools: FpmPool[]): MapNode {
  const pool = pass.kind === 'fastcgi_pass' && endpoint ? pools.find((p) => p.listen?.endpoint && endpointsMeet(endpoint, p.listen.endpoint)) : undefined;
  if (!pool) return { kind: 'backend', label, at: where, children: [] };
  const pm = pool.get('pm')?.value ?? 'dynamic';
  const children = pool.get('pm.max_children')?.value ?? '5';
  return {
    kind: 'backend',
    label,
    at: where,
    children: [{ kind: 'pool', label: `pool [${pool.name}] pm ${pm}, ${children} children`, at: at(pool.file.id, pool.listen!.entry.range.start.line), children: [] }],
  };
}

/** The map as indented text, one step a line, each with its file:line. */
export function renderOriginMapText(roots: MapNode[], display: (file: FileId) => string): string {
  const lines: string[] = [];
  const stack: Array<{ node: MapNode; depth: number }> = roots.map((node) => ({ node, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const where = node.at ? `  (${display(node.at.file)}:${node.at.line + 1})` : '';
    lines.push(`${'  '.repeat(depth)}${depth > 0 ? '→ ' : ''}${node.label}${where}`);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], depth: depth + 1 });
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : 'No tunnel routes or nginx servers found.\n';
}
