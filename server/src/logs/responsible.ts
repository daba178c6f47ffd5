import type { FileId } from '../core/findings';
import type { Range } from '../core/text';
import type { NginxNode, NginxTree } from '../model/nginx-tree';
import { distinctByPlace, type FpmPool } from '../model/origin';
import type { PassKind } from '../model/targets';
import type { WorkspaceModel } from '../model/workspace';
import type { FpmEntry } from '../parsers/phpfpm/ast';
import type { Cause, ConfigRef } from './causes';
import type { LogEvent } from './log-event';
import type { RequestRoute } from './request-route';

/** A config line that made the logged request fail, and what it has to do with it. */
export interface ConfigPlace {
  file: FileId;
  range: Range;
  /** The line as written, e.g. `proxy_buffer_size 4k` or `pm.max_children = 1`. */
  text: string;
  /** Its part in the failure, e.g. `in force for location / of server login.test`. */
  role: string;
}

const MODULE_OF: Record<PassKind, string> = { proxy_pass: 'proxy', fastcgi_pass: 'fastcgi', uwsgi_pass: 'uwsgi', grpc_pass: 'grpc' };

/**
 * The lines a cause blames for one logged request, in the cause's order. When none of them is written
 * (nginx's defaults apply), the pass, location or server that handled the request stands in for them.
 */
export function responsibleConfig(cause: Cause, event: LogEvent, route: RequestRoute, model: WorkspaceModel): ConfigPlace[] {
  const places = cause.config.flatMap((ref) => placesOf(ref, event, route, model));
  if (places.length === 0) {
    const handler = route.pass?.node ?? route.location ?? route.server?.node;
    if (handler) places.push(nginxPlace(handler, `${where(route)} handled the request, with nginx's defaults for the rest`));
  }
  return distinctByPlace(places, (p) => p);
}

function placesOf(ref: ConfigRef, event: LogEvent, route: RequestRoute, model: WorkspaceModel): ConfigPlace[] {
  const { pass } = route;
  switch (ref.at) {
    case 'pass':
      return pass ? [nginxPlace(pass.node, `${where(route)} passes the request here`)] : [];
    case 'location': {
      if (!pass || (ref.when && !ref.when.test(event.action ?? ''))) return [];
      const node = pass.effective(ref.directive.replace('$module', MODULE_OF[pass.kind]));
      return node ? [nginxPlace(node, `in force for ${where(route)}`)] : [];
    }
    case 'upstream-servers':
      return (pass?.upstream?.servers ?? []).map((server) => nginxPlace(server.node, `a server of upstream ${pass?.upstream?.name}`));
    case 'main':
      return treesOf(route, model).flatMap((tree) => mainDirective(tree, ref.path)).map((node) => nginxPlace(node, 'for every worker of this nginx'));
    case 'pool': {
      const pools = route.pools.length > 0 || !ref.orEveryPool ? route.pools : model.origin.pools;
      return pools.flatMap((pool) => poolPlaces(pool, [ref.key], route.pools.length > 0 ? 'the pool the request went to' : 'a pool of the workspace (the request reached none)'));
    }
    case 'pool-keys-in-message':
      return route.pools.flatMap((pool) => poolPlaces(pool, keysNamedIn(event.message), 'PHP-FPM refused this value'));
  }
}

function nginxPlace(node: NginxNode, role: string): ConfigPlace {
  const { directive } = node;
  return { file: node.file.id, range: directive.range, text: [directive.name, ...directive.args.map((a) => a.raw)].join(' '), role };
}

function poolPlaces(pool: FpmPool, keys: readonly string[], role: string): ConfigPlace[] {
  return keys.map((key) => pool.get(key)).filter((entry): entry is FpmEntry => entry !== undefined).map((entry) => ({
    file: pool.file.id,
    range: entry.range,
    text: `${entry.key} = ${entry.rawValue}`,
    role: `[${pool.name}]: ${role}`,
  }));
}

/** `location /api/ of server shop.example`, as far as the route is known. */
function where(route: RequestRoute): string {
  const location = route.location && `location ${route.location.directive.args.map((a) => a.raw).join(' ')}`;
  const server = route.server && `server ${route.server.serverNames[0] ?? '(no name)'}`;
  return [location, server].filter(Boolean).join(' of ') || 'this config';
}

/** The configs the request went through, or every main config when the line names no request. */
function treesOf(route: RequestRoute, model: WorkspaceModel): NginxTree[] {
  const tree = route.pass?.tree ?? route.server?.tree;
  return tree ? [tree] : model.nginxTrees.filter((t) => !t.inferred);
}

function mainDirective(tree: NginxTree, path: readonly string[]): NginxNode[] {
  let level: readonly NginxNode[] = tree.nodes;
  let found: NginxNode | undefined;
  for (const name of path) {
    found = level.find((node) => node.directive.name === name);
    if (!found) return [];
    level = found.children;
  }
  return found ? [found] : [];
}

/** Dotted pool keys PHP-FPM quotes in a message: `pm.start_servers(4) must not be less than pm.min_spare_servers(1)`. */
function keysNamedIn(message: string): string[] {
  return [...new Set(message.match(/\b[a-z_]+(?:\.[a-z_]+)+\b/g) ?? [])];
}
