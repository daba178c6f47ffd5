import type { Range } from '../core/text';
import type { CloudflaredIngressRule } from '../parsers/cloudflared/ast';
import type { FpmEntry, FpmSection } from '../parsers/phpfpm/ast';
import { expandPool } from '../parsers/phpfpm/parser';
import { sectionKind } from '../reference/phpfpm';
import type { NginxNode, NginxTree } from './nginx-tree';
import { forEachNginxNode } from './nginx-walk';
import { fpmListenEndpoint, nginxAddressEndpoint, parsePassTarget, type Endpoint, type PassKind, type PassTarget } from './targets';
import type { ParsedFile, WorkspaceModel } from './workspace';

export interface NginxListen {
  node: NginxNode;
  endpoint: Endpoint;
  ssl: boolean;
  http2: boolean;
  defaultServer: boolean;
}

export interface NginxServer {
  node: NginxNode;
  tree: NginxTree;
  /** Explicit `listen`s; a server without one listens on *:80 (nginx as root) or *:8000. */
  listens: NginxListen[];
  serverNames: string[];
}

export interface NginxUpstream {
  node: NginxNode;
  name: string;
  servers: Array<{ node: NginxNode; address: string; endpoint: Endpoint; down: boolean; backup: boolean }>;
}

export interface NginxPass {
  kind: PassKind;
  node: NginxNode;
  tree: NginxTree;
  target: PassTarget;
  /** The `upstream` the target names, when it names one. */
  upstream?: NginxUpstream;
  /** The directive that is in force for `name` at this pass (inherited from location, server, http). */
  effective(name: string): NginxNode | undefined;
}

export interface FpmPool {
  file: ParsedFile<unknown>;
  section: FpmSection;
  name: string;
  /** The entry php-fpm uses for a key: the last one in the pool wins. */
  get(key: string): FpmEntry | undefined;
  listen?: { entry: FpmEntry; endpoint?: Endpoint };
}

export interface IngressRoute {
  file: ParsedFile<unknown>;
  rule: CloudflaredIngressRule;
  hostname?: string;
  path?: string;
  service?: string;
  serviceRange?: Range;
}

/** The origin as one picture: who listens where, who passes to whom. */
export interface OriginModel {
  servers: NginxServer[];
  upstreams: NginxUpstream[];
  passes: NginxPass[];
  pools: FpmPool[];
  ingress: IngressRoute[];
}

const PASS_KINDS: ReadonlySet<string> = new Set<PassKind>(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass']);

export function buildOrigin(model: Omit<WorkspaceModel, 'origin'>): OriginModel {
  const servers: NginxServer[] = [];
  const upstreams: NginxUpstream[] = [];
  const passes: Array<Omit<NginxPass, 'upstream'>> = [];
  forEachNginxNode(model as WorkspaceModel, (node, tree) => {
    const { name, args } = node.directive;
    if (node.context.family !== 'http') return;
    if (name === 'server' && node.directive.block && node.context.block === 'http') servers.push(serverOf(node, tree));
    else if (name === 'upstream' && node.directive.block && args.length > 0) upstreams.push(upstreamOf(node));
    else if (PASS_KINDS.has(name) && args.length > 0) {
      passes.push({ kind: name as PassKind, node, tree, target: parsePassTarget(args[0].value), effective: (n) => effectiveDirective(node, tree, n) });
    }
  });
  const upstreamByName = new Map(upstreams.map((u) => [u.name, u]));
  return {
    servers,
    upstreams,
    // Like nginx, a target names an upstream block only when written without a port.
    passes: passes.map((p) => ({ ...p, upstream: p.target.host !== undefined && p.target.port === undefined ? upstreamByName.get(p.target.host) : undefined })),
    pools: model.fpm.flatMap((file) => file.parse.sections.filter((s) => sectionKind(s.name) === 'pool').map((section) => poolOf(file, section))),
    ingress: model.cloudflared.flatMap((file) => file.parse.config.ingress.map((rule) => ingressOf(file, rule))),
  };
}

/**
 * nginx's inheritance for one-value directives: the innermost block that sets it wins, else the
 * enclosing ones up to `http` and the main context.
 */
export function effectiveDirective(node: NginxNode, tree: NginxTree, name: string): NginxNode | undefined {
  for (let level = node.parent; level; level = level.parent) {
    const found = level.children.find((child) => child.directive.name === name);
    if (found) return found;
  }
  return tree.nodes.find((child) => child.directive.name === name);
}

function serverOf(node: NginxNode, tree: NginxTree): NginxServer {
  const listens: NginxListen[] = [];
  const serverNames: string[] = [];
  for (const child of node.children) {
    const { name, args } = child.directive;
    if (name === 'server_name') serverNames.push(...args.map((a) => a.value));
    if (name !== 'listen' || args.length === 0) continue;
    const flags = new Set(args.slice(1).map((a) => a.value));
    const endpoint = nginxAddressEndpoint(args[0].value);
    listens.push({ node: child, endpoint, ssl: flags.has('ssl'), http2: flags.has('http2'), defaultServer: flags.has('default_server') || flags.has('default') });
  }
  return { node, tree, listens, serverNames };
}

function upstreamOf(node: NginxNode): NginxUpstream {
  const servers = node.children
    .filter((c) => c.directive.name === 'server' && c.directive.args.length > 0)
    .map((c) => {
      const address = c.directive.args[0].value;
      const flags = c.directive.args.slice(1).map((a) => a.value);
      const endpoint = nginxAddressEndpoint(address);
      return { node: c, address, endpoint, down: flags.includes('down'), backup: flags.includes('backup') };
    });
  return { node, name: node.directive.args[0].value, servers };
}

function poolOf(file: ParsedFile<unknown>, section: FpmSection): FpmPool {
  const byKey = new Map<string, FpmEntry>();
  for (const entry of section.entries) byKey.set(entry.key, entry);
  const listen = byKey.get('listen');
  return {
    file,
    section,
    name: section.name,
    get: (key) => byKey.get(key),
    listen: listen ? { entry: listen, endpoint: fpmListenEndpoint(expandPool(listen.value, section.name)) } : undefined,
  };
}

function ingressOf(file: ParsedFile<unknown>, rule: CloudflaredIngressRule): IngressRoute {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    file,
    rule,
    hostname: text(rule.hostname?.value),
    path: text(rule.path?.value),
    service: text(rule.service?.value),
    serviceRange: rule.service?.valueRange,
  };
}
