import { keptFor } from '../core/kept';
import { distinctByPlace, listensAt, serverListens, type NginxServer } from '../model/origin';
import { nginxAddressEndpoint, splitHostPort } from '../model/targets';
import type { LogEvent } from './log-event';
import { pcreMatcher } from './pcre';

/**
 * The server block that handled a logged request. nginx writes the first `server_name` of that block
 * (`server: shop.example`), or the listen address for a connection without a request; the Host header
 * and its port tell apart blocks that share a first name. With one server in the workspace, it is that one.
 */
export function findServer(servers: readonly NginxServer[], event: Pick<LogEvent, 'server' | 'host'>): NginxServer | undefined {
  const all = distinctServers(servers);
  const host = event.host ? splitHostPort(event.host.toLowerCase()) : undefined;
  const named = event.server === undefined ? [] : serversNamed(all, event.server);
  if (named.length === 1) return named[0];
  const byHost = host?.host ? bestByName(named.length > 0 ? named : all, host.host) : [];
  const candidates = byHost.length > 0 ? byHost : named;
  const onPort = candidates.filter((s) => serverListens(s).some((l) => l.endpoint.kind === 'tcp' && l.endpoint.port === host?.port));
  return onPort[0] ?? candidates[0] ?? (all.length === 1 ? all[0] : undefined);
}

const distinctLists = new WeakMap<readonly NginxServer[], readonly NginxServer[]>();

/** Each server block once (a file two trees read holds one), kept per list: a log asks it for every line. */
function distinctServers(servers: readonly NginxServer[]): readonly NginxServer[] {
  return keptFor(distinctLists, servers, () => distinctByPlace(servers, (s) => ({ file: s.node.file.id, range: s.node.directive.range })));
}

/** Servers whose first name is `name`; for a listen address (`127.0.0.1:8080`), the servers listening there. */
function serversNamed(servers: readonly NginxServer[], name: string): NginxServer[] {
  const first = servers.filter((s) => (s.serverNames[0] ?? '') === name);
  if (first.length > 0 || !/:\d+$/.test(name)) return first;
  return listensAt(servers, nginxAddressEndpoint(name)).map((at) => at.server);
}

/** The servers whose names match `host`, in nginx's order of preference: exact, leading wildcard, trailing wildcard, regex. */
function bestByName(servers: readonly NginxServer[], host: string): NginxServer[] {
  for (const kind of NAME_KINDS) {
    const matching = servers.filter((s) => s.serverNames.some((name) => kind(name, host)));
    if (matching.length > 0) return matching;
  }
  return [];
}

/** Names compare case-insensitively; regex names are compiled caseless, as nginx does. */
const NAME_KINDS: ReadonlyArray<(name: string, host: string) => boolean> = [
  (name, host) => name.toLowerCase() === host,
  (name, host) => {
    const lower = name.toLowerCase();
    return (lower.startsWith('*.') && host.endsWith(lower.slice(1))) || (lower.startsWith('.') && (host === lower.slice(1) || host.endsWith(lower)));
  },
  (name, host) => name.endsWith('.*') && host.startsWith(name.slice(0, -1).toLowerCase()),
  (name, host) => name.startsWith('~') && pcreMatcher(name.slice(1), true)?.test(host) === true,
];
