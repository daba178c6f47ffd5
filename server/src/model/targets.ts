import { posix } from 'node:path';

/**
 * Addresses as the three programs write them, reduced to one shape so the model can match a
 * `fastcgi_pass` to a pool's `listen` or a tunnel's `service` to an nginx `listen`.
 */
export type Endpoint =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string };

export type PassKind = 'proxy_pass' | 'fastcgi_pass' | 'uwsgi_pass' | 'grpc_pass';

export interface PassTarget {
  /** `http`, `https`, `grpc`, `grpcs`; absent for fastcgi/uwsgi addresses. */
  scheme?: string;
  /** Host as written (an upstream name, a host name or an address); absent for unix sockets. */
  host?: string;
  /** The port as written; see `targetPort` for the one nginx connects to. */
  port?: number;
  unixPath?: string;
  /** True when the target holds variables: nginx resolves it per request. */
  hasVariables: boolean;
}

/**
 * grpc:// has no default port: nginx refuses `grpc_pass grpc://host` ("no port in upstream"). A Map, as the scheme
 * is whatever was typed: a plain object would give `constructor://` the port `Object`.
 */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([['http', 80], ['https', 443]]);

/** Reads `proxy_pass http://host:port/uri`, `fastcgi_pass unix:/run/php.sock`, `grpc_pass grpcs://h:1`, … */
export function parsePassTarget(value: string): PassTarget {
  const hasVariables = value.includes('$');
  let rest = value;
  let scheme: string | undefined;
  const schemeEnd = schemeLength(value);
  if (schemeEnd > 0) {
    scheme = value.slice(0, schemeEnd).toLowerCase();
    rest = value.slice(schemeEnd + 3);
  }
  if (rest.startsWith('unix:')) {
    // nginx ends a socket path at the first `:` after `unix:` when a URI follows (`unix:/s.sock:/uri`).
    const path = rest.slice(5);
    const colon = path.indexOf(':');
    return { scheme, unixPath: colon === -1 ? path : path.slice(0, colon), hasVariables };
  }
  const slash = rest.indexOf('/');
  const { host, port } = splitHostPort(slash === -1 ? rest : rest.slice(0, slash));
  return { scheme, host, port, hasVariables };
}

/**
 * The length of the scheme `value` starts with (a letter, then letters, digits, `+`, `.` or `-`), when `://` follows
 * it; else 0. Read by hand: this runs for every pass of a big config.
 */
function schemeLength(value: string): number {
  if (!isLetter(value.charCodeAt(0))) return 0;
  let end = 1;
  while (isSchemeCharacter(value.charCodeAt(end))) end++;
  return value.startsWith('://', end) ? end : 0;
}

function isSchemeCharacter(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === 0x2b || code === 0x2e || code === 0x2d;
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Whether `text` from `start` on is one or more ASCII digits. */
function isDigits(text: string, start = 0): boolean {
  if (start >= text.length) return false;
  for (let i = start; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** The port nginx connects to: the written one, else the scheme's. */
export function targetPort(target: PassTarget): number | undefined {
  return target.port ?? (target.scheme ? DEFAULT_PORTS.get(target.scheme) : undefined);
}

/** The endpoint a pass connects to by itself (not through an upstream); undefined when nginx would need a port. */
export function passEndpoint(target: PassTarget): Endpoint | undefined {
  if (target.unixPath !== undefined) return { kind: 'unix', path: target.unixPath };
  const port = targetPort(target);
  return target.host === undefined || port === undefined ? undefined : { kind: 'tcp', host: target.host, port };
}

/** An nginx `listen` or upstream `server` address: `80`, `addr`, `addr:port`, `[v6]:port`, `unix:/path`. */
export function nginxAddressEndpoint(address: string): Endpoint {
  if (address.startsWith('unix:')) return { kind: 'unix', path: address.slice(5) };
  const { host, port } = splitHostPort(address);
  return { kind: 'tcp', host: host === '' ? '*' : host, port: port ?? 80 };
}

/** `host:port`, `[::1]:port`, `host`, `port` → parts (a bare number is a port, as in php-fpm's `listen`). */
export function splitHostPort(authority: string): { host: string; port?: number } {
  const bracketed = authority.startsWith('[') ? /^\[([^\]]*)\](?::(\d+))?$/.exec(authority) : null;
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
  if (isDigits(authority)) return { host: '', port: Number(authority) };
  const colon = authority.lastIndexOf(':');
  if (colon !== -1 && authority.indexOf(':') === colon && isDigits(authority, colon + 1)) {
    return { host: authority.slice(0, colon), port: Number(authority.slice(colon + 1)) };
  }
  return { host: authority };
}

/** Loopback spellings that reach the same local listener. */
const LOCAL_HOSTS = new Set(['', '*', '0.0.0.0', '127.0.0.1', 'localhost', '::', '::1']);

export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.toLowerCase());
}

/** A unix socket, or a TCP address on this machine: the workspace can say whether something listens there. */
export function isLocalEndpoint(endpoint: Endpoint): boolean {
  return endpoint.kind === 'unix' || isLocalHost(endpoint.host);
}

/** Hosts that mean "every address" in a listener. */
const WILDCARD_HOSTS = new Set(['', '*', '0.0.0.0', '::']);

/** How a client on this machine writes an address that reaches `listener`: a wildcard is reached on 127.0.0.1. */
export function connectAddress(listener: Endpoint): string {
  if (listener.kind === 'unix') return `unix:${listener.path}`;
  return hostPort(WILDCARD_HOSTS.has(listener.host) ? '127.0.0.1' : listener.host, listener.port);
}

/** `host:port`, with an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** A cloudflared `service` that speaks HTTP: `http(s)://host[:port]`, `ws(s)://…`, `unix:/path` or `unix+tls:/path`. */
export interface ServiceTarget {
  scheme: string;
  tls: boolean;
  endpoint: Endpoint;
}

/** Reads a cloudflared `service`; undefined for `http_status:`, `hello_world`, `tcp://`, `ssh://` and the like. */
export function parseServiceTarget(service: string): ServiceTarget | undefined {
  const socket = /^(unix|unix\+tls):(.+)$/.exec(service);
  if (socket) return { scheme: socket[1], tls: socket[1] === 'unix+tls', endpoint: { kind: 'unix', path: socket[2] } };
  const { scheme, host, port } = parsePassTarget(service);
  if (!scheme || !['http', 'https', 'ws', 'wss'].includes(scheme) || !host) return undefined;
  const tls = scheme === 'https' || scheme === 'wss';
  return { scheme, tls, endpoint: { kind: 'tcp', host, port: port ?? (tls ? 443 : 80) } };
}

/**
 * The endpoint a php-fpm `listen` value opens: a socket path, `port`, `addr:port` or `[ipv6]:port`; undefined
 * when only php-fpm's environment at start says (`${PORT}`).
 */
export function fpmListenEndpoint(value: string): Endpoint | undefined {
  if (value.includes('${')) return undefined;
  if (value.startsWith('/')) return { kind: 'unix', path: value };
  const { host, port } = splitHostPort(value);
  return port === undefined ? undefined : { kind: 'tcp', host, port };
}

/** True when a client connecting to `target` reaches a listener bound to `listener` on this machine. */
export function endpointsMeet(target: Endpoint, listener: Endpoint): boolean {
  if (target.kind === 'unix' || listener.kind === 'unix') {
    return target.kind === 'unix' && listener.kind === 'unix' && socketPathsMeet(target.path, listener.path);
  }
  if (target.port !== listener.port) return false;
  if (WILDCARD_HOSTS.has(listener.host)) return isLocalHost(target.host) || target.host === listener.host;
  return target.host === listener.host || (isLocalHost(target.host) && isLocalHost(listener.host));
}

/**
 * Keys that narrow a search for endpoints that meet, so that it need not try every pair: `endpointsMeet(target,
 * listener)` holds only where `targetKey(target)` is one of `listenerKeys(listener)`.
 */
export function targetKey(target: Endpoint): string {
  return target.kind === 'unix' ? `unix:${canonicalSocketPath(target.path)}` : `tcp:${target.port}`;
}

export function listenerKeys(listener: Endpoint): string[] {
  if (listener.kind === 'tcp') return [`tcp:${listener.port}`];
  const path = canonicalSocketPath(listener.path);
  return DEBIAN_VERSIONED_SOCKET.test(path) ? [`unix:${path}`, `unix:${DEBIAN_ALTERNATIVE_SOCKET}`] : [`unix:${path}`];
}

/** Debian's php-fpm packages link /run/php/php-fpm.sock to the default version's socket (update-alternatives). */
const DEBIAN_ALTERNATIVE_SOCKET = '/run/php/php-fpm.sock';
const DEBIAN_VERSIONED_SOCKET = /^\/run\/php\/php\d+(\.\d+)?-fpm\.sock$/;

/** True when connecting to socket `target` reaches one bound at `listener`, through the links every Linux system has. */
export function socketPathsMeet(target: string, listener: string): boolean {
  const from = canonicalSocketPath(target);
  const to = canonicalSocketPath(listener);
  return from === to || (from === DEBIAN_ALTERNATIVE_SOCKET && DEBIAN_VERSIONED_SOCKET.test(to));
}

/** `/var/run` is a link to `/run` on current Linux systems; `//` and `/./` change nothing. */
function canonicalSocketPath(path: string): string {
  const normal = posix.normalize(path);
  return normal.startsWith('/var/run/') ? normal.slice('/var'.length) : normal;
}
