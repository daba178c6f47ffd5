import type { NginxNode } from '../model/nginx-tree';
import {
  distinctByPlace, fastcgiPassesReaching, passAddresses, poolsReachedBy,
  type FpmPool, type NginxPass, type NginxServer, type OriginModel,
} from '../model/origin';
import { endpointsMeet, parsePassTarget, passEndpoint } from '../model/targets';
import { requestTarget, type LogEvent } from './log-event';
import { findLocation, normalizeUri } from './location-match';
import { findServer } from './server-match';

/** The way a logged request took through the workspace's config, as far as the line lets us follow it. */
export interface RequestRoute {
  server?: NginxServer;
  location?: NginxNode;
  pass?: NginxPass;
  /** The PHP-FPM pools it reached (through the pass), or the pool a PHP-FPM line names. */
  pools: FpmPool[];
}

export function routeOf(origin: OriginModel, event: LogEvent): RequestRoute {
  return event.program === 'php-fpm' ? poolRoute(origin, event) : nginxRoute(origin, event);
}

/** Server by name and Host, location by nginx's matching of the URI, then the pass there that reaches the logged upstream. */
function nginxRoute(origin: OriginModel, event: LogEvent): RequestRoute {
  const server = findServer(origin.servers, event);
  const target = requestTarget(event.request);
  const location = server && target ? findLocation(server.node, normalizeUri(target)) : undefined;
  const reaches = (pass: NginxPass) => event.upstream !== undefined && passReaches(pass, event.upstream);
  const inLocation = location ? origin.passes.filter((p) => enclosing(p.node, 'location') === location) : [];
  const inServer = server ? origin.passes.filter((p) => enclosing(p.node, 'server') === server.node) : [];
  // A location may hand the request on (try_files, error_page): the pass that reached the logged upstream then stands elsewhere.
  const pass = inLocation.find(reaches) ?? inServer.find(reaches) ?? inLocation[0] ?? origin.passes.find(reaches);
  return {
    server,
    location: (pass && enclosing(pass.node, 'location')) ?? location,
    pass,
    pools: pass ? poolsReachedBy(origin, pass) : [],
  };
}

/** The pool a PHP-FPM line names, and the fastcgi_pass that sends it requests. */
function poolRoute(origin: OriginModel, event: LogEvent): RequestRoute {
  const pools = distinctByPlace(origin.pools.filter((p) => p.name === event.pool), (p) => ({ file: p.file.id, range: p.section.headerRange }));
  const pass = pools.flatMap((pool) => fastcgiPassesReaching(origin, pool))[0];
  const location = pass && enclosing(pass.node, 'location');
  const serverNode = pass && enclosing(pass.node, 'server');
  return { server: origin.servers.find((s) => s.node === serverNode), location, pass, pools };
}

/** The nearest enclosing block named `name`. */
function enclosing(node: NginxNode, name: string): NginxNode | undefined {
  for (let level = node.parent; level; level = level.parent) if (level.directive.name === name) return level;
  return undefined;
}

/**
 * True when nginx's `upstream: "…"` is where the pass connects: the upstream block it names, one of the
 * addresses it reaches, or the host it names (a pass holding variables).
 */
function passReaches(pass: NginxPass, upstream: string): boolean {
  const logged = parsePassTarget(upstream);
  if (logged.host !== undefined && logged.port === undefined && pass.upstream?.name === logged.host) return true;
  const endpoint = passEndpoint(logged);
  if (endpoint && passAddresses(pass).some((address) => endpointsMeet(endpoint, address.endpoint))) return true;
  return pass.target.hasVariables && pass.target.host !== undefined && logged.host === pass.target.host;
}
