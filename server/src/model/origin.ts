import type { FileId } from '../core/findings';
import { groupedBy } from '../core/grouped';
import { keptFor } from '../core/kept';
import type { Range } from '../core/text';
import type { CloudflaredIngressRule } from '../parsers/cloudflared/ast';
import type { NginxArg } from '../parsers/nginx/ast';
import type { FpmEntry, FpmSection } from '../parsers/phpfpm/ast';
import { expandPool } from '../parsers/phpfpm/parser';
import { sectionKind } from '../reference/phpfpm';
import { EndpointIndex } from './endpoint-index';
import { firstNamed } from './nginx-level-index';
import type { NginxNode, NginxTree } from './nginx-tree';
import { nodesNamed } from './nginx-walk';
import {
  endpointsMeet, fpmListenEndpoint, listenerKeys, nginxAddressEndpoint, parsePassTarget, passEndpoint, parseServiceTarget, targetKey,
  type Endpoint, type PassKind, type PassTarget, type ServiceTarget,
} from './targets';
import type { ParsedFile, WorkspaceModel } from './workspace';
import { readAddress, type Address } from './written-address';

export interface NginxListen {
  /** The `listen`; for an implicit listen, the `server` it belongs to. */
  node: NginxNode;
  endpoint: Endpoint;
  /** TLS on this listen, by its `ssl` flag or the server's (pre-1.25.1) `ssl on`. */
  ssl: boolean;
  http2: boolean;
  /** An HTTP/3 listen: UDP, so no TCP client reaches it. */
  quic: boolean;
  defaultServer: boolean;
  /** nginx's own listen for a server that writes none (see `serverListens`). */
  implicit?: boolean;
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
  /** `written`: the address in parts, with their places in it (absent for a unix socket). */
  servers: Array<{ node: NginxNode; address: string; written: Address | undefined; endpoint: Endpoint; down: boolean; backup: boolean }>;
}

export interface NginxPass {
  kind: PassKind;
  node: NginxNode;
  tree: NginxTree;
  target: PassTarget;
  /** The target in parts, with their places in it, as a quick fix edits it (absent for a unix socket). */
  readonly written: Address | undefined;
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
  /** `endpoint` is absent when the value cannot be placed (a relative path, an environment variable). */
  listen?: { entry: FpmEntry; endpoint?: Endpoint };
  /** `pm.status_listen`: a hidden pool answering the status page there. */
  statusListen?: { entry: FpmEntry; endpoint?: Endpoint };
}

export interface IngressRoute {
  file: ParsedFile<unknown>;
  rule: CloudflaredIngressRule;
  hostname?: string;
  path?: string;
  service?: string;
  serviceRange?: Range;
  /** Where an HTTP `service` connects; absent for `http_status:`, `hello_world`, `tcp://` and the like. */
  target?: ServiceTarget;
}

/** The origin as one picture: who listens where, who passes to whom. */
export interface OriginModel {
  servers: NginxServer[];
  /** `server` blocks of `stream`: TCP proxies that may also accept what a tunnel sends. */
  streamServers: NginxServer[];
  upstreams: NginxUpstream[];
  /** Every upstream of the workspace, even where `upstreams` holds one configuration's: a snippet may use any. */
  workspaceUpstreams: NginxUpstream[];
  passes: NginxPass[];
  pools: FpmPool[];
  ingress: IngressRoute[];
}

const PASS_KINDS: readonly PassKind[] = ['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'grpc_pass'];

/** One nginx configuration's servers, upstreams and passes: built once per tree and kept as long as the tree is. */
export interface TreeOrigin {
  servers: NginxServer[];
  streamServers: NginxServer[];
  upstreams: NginxUpstream[];
  /** Each pass's `upstream` is one of this tree's own; a snippet's may still be found elsewhere (see `buildOrigin`). */
  passes: NginxPass[];
}

/** A class rather than an object with a closure per pass: a big config has thousands of passes. */
class TreePass implements NginxPass {
  /** `written`, once asked for (null: there is none); kept with the pass, which an edit elsewhere leaves in place. */
  private writtenParts: Address | null | undefined = undefined;

  constructor(
    readonly kind: PassKind,
    readonly node: NginxNode,
    public tree: NginxTree,
    readonly target: PassTarget,
    public upstream: NginxUpstream | undefined,
  ) {}

  get written(): Address | undefined {
    if (this.writtenParts === undefined) this.writtenParts = readAddress(this.node.directive.argValues[0]) ?? null;
    return this.writtenParts ?? undefined;
  }

  effective(name: string): NginxNode | undefined {
    return effectiveDirective(this.node, this.tree, name);
  }
}

const treeOrigins = new WeakMap<NginxTree, TreeOrigin>();

export function treeOrigin(tree: NginxTree): TreeOrigin {
  let origin = treeOrigins.get(tree);
  if (origin) return origin;
  const servers: NginxServer[] = [];
  const streamServers: NginxServer[] = [];
  const upstreams: NginxUpstream[] = [];
  const passes: TreePass[] = [];
  const rebuiltFrom = tree.rebuiltFrom;
  const made = new OriginParts(rebuiltFrom && treeOrigins.get(rebuiltFrom.tree), rebuiltFrom?.reshaped);
  tree.rebuiltFrom = undefined;
  for (const node of nodesNamed(tree, ['server'])) {
    if (!node.directive.block) continue;
    if (node.context.block === 'stream') streamServers.push(made.server(node, tree));
    else if (node.context.block === 'http') servers.push(made.server(node, tree));
  }
  for (const node of nodesNamed(tree, ['upstream'])) {
    if (node.directive.block && node.directive.argValues.length > 0 && node.context.family === 'http') upstreams.push(made.upstream(node));
  }
  for (const node of nodesNamed(tree, PASS_KINDS)) {
    if (node.directive.argValues.length > 0 && node.context.family === 'http') passes.push(made.pass(node, tree));
  }
  const own = upstreamsByName(upstreams);
  for (const pass of passes) pass.upstream = upstreamNamed(pass.target, own);
  origin = { servers, streamServers, upstreams, passes };
  treeOrigins.set(tree, origin);
  return origin;
}

/**
 * The servers, upstreams and passes of a tree's nodes: made anew, or for nodes a rebuilt tree took over from the tree
 * before an edit (see nginx-tree.ts), taken over from that tree's origin where their subtrees are unchanged (not
 * `reshaped`). Only the tree they belong to, and the upstream a pass names, are set again.
 */
class OriginParts {
  private readonly earlier = new Map<NginxNode, NginxServer | NginxUpstream | NginxPass>();

  constructor(before: TreeOrigin | undefined, reshaped: ReadonlySet<NginxNode> = new Set()) {
    if (!before) return;
    for (const list of [before.servers, before.streamServers, before.upstreams, before.passes]) {
      for (const part of list) if (!reshaped.has(part.node)) this.earlier.set(part.node, part);
    }
  }

  server(node: NginxNode, tree: NginxTree): NginxServer {
    const kept = this.earlier.get(node) as NginxServer | undefined;
    if (!kept) return serverOf(node, tree);
    kept.tree = tree;
    return kept;
  }

  upstream(node: NginxNode): NginxUpstream {
    return (this.earlier.get(node) as NginxUpstream | undefined) ?? upstreamOf(node);
  }

  pass(node: NginxNode, tree: NginxTree): TreePass {
    const kept = this.earlier.get(node) as TreePass | undefined;
    if (!kept) return passOf(node, tree);
    kept.tree = tree;
    return kept;
  }
}

function passOf(node: NginxNode, tree: NginxTree): TreePass {
  return new TreePass(node.directive.name as PassKind, node, tree, parsePassTarget(node.directive.argValues[0]), undefined);
}

/**
 * The origin of the whole workspace. A main configuration's passes name its own upstreams, as nginx resolves
 * them; a snippet's may name one defined in another file of the workspace, its real home being out of view.
 */
export function buildOrigin(model: Omit<WorkspaceModel, 'origin'>): OriginModel {
  const parts = model.nginxTrees.map(treeOrigin);
  // Joined with `concat`, which copies whole lists at once: a big config's lists are joined again on every keystroke.
  const joined = <T>(lists: T[][]): T[] => ([] as T[]).concat(...lists);
  const upstreams = joined(parts.map((part) => part.upstreams));
  return {
    servers: joined(parts.map((part) => part.servers)),
    streamServers: joined(parts.map((part) => part.streamServers)),
    upstreams,
    workspaceUpstreams: upstreams,
    passes: joined(model.nginxTrees.map((tree) => resolvedPasses(tree, upstreams))),
    pools: model.fpm.flatMap((file) => file.parse.sections.filter((s) => sectionKind(s.name) === 'pool').map((section) => poolOf(file, section))),
    ingress: model.cloudflared.flatMap((file) => file.parse.config.ingress.map((rule) => ingressOf(file, rule))),
  };
}

const snippetPasses = new WeakMap<NginxTree, { workspaceUpstreams: readonly NginxUpstream[]; passes: NginxPass[] }>();
const upstreamIndexes = new WeakMap<readonly NginxUpstream[], Map<string, NginxUpstream>>();

/**
 * A tree's passes with the upstreams they name: a main configuration's own, or for a snippet any of
 * `workspaceUpstreams` where its own files define none. Kept per tree and upstream list, so the workspace's origin
 * and a rule's view of one tree share the same passes.
 */
export function resolvedPasses(tree: NginxTree, workspaceUpstreams: readonly NginxUpstream[]): NginxPass[] {
  const { passes } = treeOrigin(tree);
  if (!tree.inferred) return passes;
  const kept = snippetPasses.get(tree);
  if (kept?.workspaceUpstreams === workspaceUpstreams) return kept.passes;
  let all = upstreamIndexes.get(workspaceUpstreams);
  if (!all) upstreamIndexes.set(workspaceUpstreams, (all = upstreamsByName(workspaceUpstreams)));
  const index = all;
  const resolved = passes.map((pass) => (pass.upstream ? pass : new TreePass(pass.kind, pass.node, pass.tree, pass.target, upstreamNamed(pass.target, index))));
  snippetPasses.set(tree, { workspaceUpstreams, passes: resolved });
  return resolved;
}

/** nginx matches upstream names case-insensitively; the first definition wins. */
function upstreamsByName(upstreams: readonly NginxUpstream[]): Map<string, NginxUpstream> {
  const byName = new Map<string, NginxUpstream>();
  for (const upstream of upstreams) {
    const key = upstream.name.toLowerCase();
    if (!byName.has(key)) byName.set(key, upstream);
  }
  return byName;
}

/** Like nginx, a target names an upstream block only when written without a port. */
function upstreamNamed(target: PassTarget, upstreams: Map<string, NginxUpstream>): NginxUpstream | undefined {
  return target.host !== undefined && target.port === undefined ? upstreams.get(target.host.toLowerCase()) : undefined;
}

/**
 * nginx's inheritance for one-value directives: the innermost block that sets it wins, else the
 * enclosing ones up to `http` and the main context.
 */
export function effectiveDirective(node: NginxNode, tree: NginxTree, name: string): NginxNode | undefined {
  if (!tree.byName.has(name)) return undefined;
  for (let level = node.parent; level; level = level.parent) {
    const found = firstNamed(level.children, name);
    if (found) return found;
  }
  return firstNamed(tree.nodes, name);
}

// serverOf and upstreamOf run for every server and upstream of a big config: plain loops, no lists made on the way.
function serverOf(node: NginxNode, tree: NginxTree): NginxServer {
  const listens: NginxListen[] = [];
  const serverNames: string[] = [];
  let sslOn = false;
  for (const child of node.children) {
    const { name, argValues } = child.directive;
    if (name === 'server_name') for (const value of argValues) serverNames.push(value);
    else if (name === 'ssl') sslOn ||= argValues[0]?.toLowerCase() === 'on';
    else if (name === 'listen' && argValues.length > 0) listens.push(listenOf(child));
  }
  // `ssl on` (before nginx 1.25.1) turns TLS on for every listen of its server, wherever it stands.
  if (sslOn) for (const listen of listens) listen.ssl = true;
  return { node, tree, listens, serverNames };
}

function listenOf(node: NginxNode): NginxListen {
  const values = node.directive.argValues;
  const listen: NginxListen = { node, endpoint: nginxAddressEndpoint(values[0]), ssl: false, http2: false, quic: false, defaultServer: false };
  for (let i = 1; i < values.length; i++) {
    const flag = values[i];
    if (flag === 'ssl') listen.ssl = true;
    else if (flag === 'http2') listen.http2 = true;
    else if (flag === 'quic') listen.quic = true;
    else if (flag === 'default_server' || flag === 'default') listen.defaultServer = true;
  }
  return listen;
}

function upstreamOf(node: NginxNode): NginxUpstream {
  const servers: NginxUpstream['servers'] = [];
  for (const child of node.children) {
    const { name, argValues } = child.directive;
    if (name !== 'server' || argValues.length === 0) continue;
    const address = argValues[0];
    let down = false;
    let backup = false;
    for (let i = 1; i < argValues.length; i++) {
      down ||= argValues[i] === 'down';
      backup ||= argValues[i] === 'backup';
    }
    servers.push({ node: child, address, written: readAddress(address), endpoint: nginxAddressEndpoint(address), down, backup });
  }
  return { node, name: node.directive.argValues[0], servers };
}

function poolOf(file: ParsedFile<unknown>, section: FpmSection): FpmPool {
  const byKey = new Map<string, FpmEntry>();
  for (const entry of section.entries) byKey.set(entry.key, entry);
  const address = (entry: FpmEntry | undefined) => entry && { entry, endpoint: fpmListenEndpoint(expandPool(entry.value, section.name)) };
  return {
    file,
    section,
    name: section.name,
    get: (key) => byKey.get(key),
    listen: address(byKey.get('listen')),
    statusListen: address(byKey.get('pm.status_listen')),
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
    target: typeof rule.service?.value === 'string' ? parseServiceTarget(rule.service.value) : undefined,
  };
}

/** One address a pass connects to, and the argument that writes it: the pass's own or an upstream server's. */
export interface PassAddress {
  endpoint: Endpoint;
  /** The `*_pass` itself, or the upstream's `server`. */
  node: NginxNode;
  arg: NginxArg;
}

/**
 * Where a pass connects: its own address, or each server of its upstream that is not `down`. Empty when
 * variables decide per request, or when nginx would refuse the address (a host without a port).
 */
export function passAddresses(pass: NginxPass): PassAddress[] {
  if (pass.target.hasVariables) return [];
  if (pass.upstream) {
    return pass.upstream.servers.filter((s) => !s.down).map((s) => ({ endpoint: s.endpoint, node: s.node, arg: s.node.directive.args[0] }));
  }
  const endpoint = passEndpoint(pass.target);
  return endpoint ? [{ endpoint, node: pass.node, arg: pass.node.directive.args[0] }] : [];
}

const poolIndexes = new WeakMap<OriginModel, EndpointIndex<FpmPool>>();

/** The pools that accept connections at `endpoint`, on their `listen` or their `pm.status_listen`. */
export function poolsListeningAt(origin: OriginModel, endpoint: Endpoint): FpmPool[] {
  const index = keptFor(poolIndexes, origin, () => new EndpointIndex(origin.pools, poolEndpoints, listenerKeys));
  return index.candidates([targetKey(endpoint)]).filter((pool) => poolAccepts(pool, endpoint));
}

function poolEndpoints(pool: FpmPool): Array<Endpoint | undefined> {
  return [pool.listen?.endpoint, pool.statusListen?.endpoint];
}

function poolAccepts(pool: FpmPool, endpoint: Endpoint): boolean {
  return poolEndpoints(pool).some((listener) => listener && endpointsMeet(endpoint, listener));
}

/** The pools a pass reaches through any of its addresses. */
export function poolsReachedBy(origin: OriginModel, pass: NginxPass): FpmPool[] {
  return [...new Set(passAddresses(pass).flatMap((address) => poolsListeningAt(origin, address.endpoint)))];
}

const fastcgiPassIndexes = new WeakMap<OriginModel, EndpointIndex<NginxPass>>();

/** The `fastcgi_pass`es that reach a pool, directly or through an upstream. */
export function fastcgiPassesReaching(origin: OriginModel, pool: FpmPool): NginxPass[] {
  const index = keptFor(fastcgiPassIndexes, origin, () => new EndpointIndex(
    origin.passes.filter((pass) => pass.kind === 'fastcgi_pass'), (pass) => passAddresses(pass).map((address) => address.endpoint), (endpoint) => [targetKey(endpoint)],
  ));
  const keys = poolEndpoints(pool).flatMap((listener) => (listener ? listenerKeys(listener) : []));
  return index.candidates(keys).filter((pass) => passAddresses(pass).some((address) => poolAccepts(pool, address.endpoint)));
}

/** A server's listens as nginx opens them: its own, or nginx's default `*:80` when it writes none (as root; `*:8000` otherwise). */
export function serverListens(server: NginxServer): NginxListen[] {
  if (server.listens.length > 0) return server.listens;
  return [{ node: server.node, endpoint: { kind: 'tcp', host: '*', port: 80 }, ssl: false, http2: false, quic: false, defaultServer: false, implicit: true }];
}

/** Where a listen is written: the `listen` directive, or the `server` keyword for nginx's implicit one. */
export function listenPlace(listen: NginxListen): { file: FileId; range: Range } {
  const { directive, file } = listen.node;
  return { file: file.id, range: listen.implicit ? directive.nameRange : directive.range };
}

/** A listen as nginx.conf writes it (`443 ssl`, `127.0.0.1:8080`); `80` for nginx's implicit one. */
export function listenText(listen: NginxListen): string {
  return listen.implicit ? '80' : `${listen.node.directive.args[0].value}${listen.ssl ? ' ssl' : ''}`;
}

const everyServer = new WeakMap<OriginModel, readonly NginxServer[]>();

/** The http and stream servers together: one list per origin, so that `listensAt` builds its index for it once. */
export function allServers(origin: OriginModel): readonly NginxServer[] {
  return keptFor(everyServer, origin, () => [...origin.servers, ...origin.streamServers]);
}

const listenIndexes = new WeakMap<readonly NginxServer[], EndpointIndex<{ server: NginxServer; listen: NginxListen }>>();

/**
 * The listens of `servers` that accept a TCP or unix connection to `endpoint` (HTTP/3 listens are UDP). The index
 * is kept for the list given: ask with the same list (`origin.servers`, `allServers`), not a copy made per question.
 */
export function listensAt(servers: readonly NginxServer[], endpoint: Endpoint): Array<{ server: NginxServer; listen: NginxListen }> {
  const index = keptFor(listenIndexes, servers, () => new EndpointIndex(
    servers.flatMap((server) => serverListens(server).filter((listen) => !listen.quic).map((listen) => ({ server, listen }))),
    ({ listen }) => [listen.endpoint], listenerKeys,
  ));
  return index.candidates([targetKey(endpoint)]).filter(({ listen }) => endpointsMeet(endpoint, listen.endpoint));
}

const passAddressIndexes = new WeakMap<OriginModel, EndpointIndex<PassAddress>>();

/** Whether nginx passes to a backend listening where `endpoint` connects (an app server something else reaches too). */
export function passesToListenerAt(origin: OriginModel, endpoint: Endpoint): boolean {
  const index = keptFor(passAddressIndexes, origin, () => new EndpointIndex(origin.passes.flatMap(passAddresses), (address) => [address.endpoint], listenerKeys));
  return index.candidates([targetKey(endpoint)]).some((address) => endpointsMeet(endpoint, address.endpoint));
}

/**
 * For each main configuration (not a snippet), its directive `name` in the main context, or undefined where
 * it has none (nginx's default applies).
 */
export function mainContextDirectives(trees: NginxTree[], name: string): Array<NginxNode | undefined> {
  return trees.filter((tree) => !tree.inferred).map((tree) => tree.nodes.find((node) => node.directive.name === name));
}

/** Keeps the first of items at the same place: a file two configurations include yields its directives twice. */
export function distinctByPlace<T>(items: readonly T[], place: (item: T) => { file: FileId; range: Range }): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const { file, range } = place(item);
    const key = `${file}\0${range.start.line}:${range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const passesByUpstream = new WeakMap<OriginModel, Map<NginxUpstream, NginxPass[]>>();

/** The passes that name `upstream`, grouped once per model so rules can ask for every upstream in linear time. */
export function passesTo(origin: OriginModel, upstream: NginxUpstream): NginxPass[] {
  let groups = passesByUpstream.get(origin);
  if (!groups) passesByUpstream.set(origin, (groups = groupedBy(origin.passes, (pass) => pass.upstream)));
  return groups.get(upstream) ?? [];
}
